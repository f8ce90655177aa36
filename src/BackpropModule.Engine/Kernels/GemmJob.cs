using System;

namespace BackpropModule.Engine.Kernels
{
    /// <summary>
    /// One GEMM split into parts for <see cref="KernelThreads"/>: part p computes a fixed block of
    /// columns (or rows) of C with the serial blocked kernel, on the thread that runs it.
    /// </summary>
    /// <remarks>
    /// The split is along n or along m: every part packs all of the operand it shares (A for a
    /// column split, B for a row split), so the cheaper operand to pack is the shared one.
    /// Splits fall on micro-tile boundaries, and a tile's arithmetic does not depend on where it sits,
    /// so a parallel run gives exactly the bits of a serial one.
    /// One job object is cached per calling thread, so a call allocates nothing in steady state.
    /// </remarks>
    internal sealed unsafe class GemmJob : IPartitionedWork
    {
        [ThreadStatic] private static GemmJob cached;

        private GemmPath path;
        private bool transA, transB, splitColumns;
        private int m, n, k, lda, ldb, ldc, parts, unit;
        private double alpha, beta;
        private double[] a, b, c;

        internal static void Run(GemmPath path, int threads, bool transA, bool transB, int m, int n, int k, double alpha,
            double[] a, int lda, double[] b, int ldb, double beta, double[] c, int ldc)
        {
            var job = cached ?? (cached = new GemmJob());
            job.path = path; job.transA = transA; job.transB = transB;
            job.m = m; job.n = n; job.k = k; job.alpha = alpha; job.beta = beta;
            job.a = a; job.lda = lda; job.b = b; job.ldb = ldb; job.c = c; job.ldc = ldc;
            job.splitColumns = SplitColumns(transA, transB, m, n, k);
            job.unit = job.splitColumns ? MicroKernels.NR : MicroKernels.RowsPerTile(path);
            int tiles = ((job.splitColumns ? n : m) + job.unit - 1) / job.unit;
            job.parts = Math.Max(1, Math.Min(Math.Min(threads, KernelThreads.MaxThreads), tiles));
            try
            {
                if (job.parts == 1) job.RunPart(0);
                else KernelThreads.Run(job, job.parts);
            }
            finally
            {
                // Do not keep the caller's arrays alive through the cache.
                job.a = job.b = job.c = null;
            }
        }

        /// <summary>
        /// Split the columns (every part packs all of A) or the rows (every part packs all of B),
        /// whichever duplicates less packing. A transposed operand packs at about half speed
        /// (strided writes or short rows), so it counts double.
        /// </summary>
        private static bool SplitColumns(bool transA, bool transB, int m, int n, int k)
        {
            double sharedA = (double)m * k * (transA ? 2 : 1), sharedB = (double)k * n * (transB ? 2 : 1);
            return sharedA <= sharedB;
        }

        /// <summary>Computes part p of C: tiles [p·T/parts, (p+1)·T/parts) along the split dimension.</summary>
        public void RunPart(int part)
        {
            int size = splitColumns ? n : m;
            int tiles = (size + unit - 1) / unit;
            int from = Math.Min(size, (int)((long)tiles * part / parts) * unit);
            int to = Math.Min(size, (int)((long)tiles * (part + 1) / parts) * unit);
            if (to <= from) return;
            fixed (double* pa = a, pb = b, pc = c)
            {
                if (splitColumns)
                {
                    // Columns [from, to) of C need columns [from, to) of op(B).
                    double* bFrom = transB ? pb + from : pb + (long)from * ldb;
                    GemmBlocked.Run(path, transA, transB, m, to - from, k, alpha, pa, lda, bFrom, ldb, beta, pc + (long)from * ldc, ldc);
                }
                else
                {
                    // Rows [from, to) of C need rows [from, to) of op(A).
                    double* aFrom = transA ? pa + (long)from * lda : pa + from;
                    GemmBlocked.Run(path, transA, transB, to - from, n, k, alpha, aFrom, lda, pb, ldb, beta, pc + from, ldc);
                }
            }
        }
    }
}
