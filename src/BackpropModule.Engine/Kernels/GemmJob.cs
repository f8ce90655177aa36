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
        private bool transA, transB;
        private GemmSplit split;
        private int m, n, k, lda, ldb, ldc;
        private double alpha, beta;
        private double[] a, b, c;

        internal static void Run(GemmPath path, int threads, bool transA, bool transB, int m, int n, int k, double alpha,
            double[] a, int lda, double[] b, int ldb, double beta, double[] c, int ldc)
        {
            var job = cached ?? (cached = new GemmJob());
            job.path = path; job.transA = transA; job.transB = transB;
            job.m = m; job.n = n; job.k = k; job.alpha = alpha; job.beta = beta;
            job.a = a; job.lda = lda; job.b = b; job.ldb = ldb; job.c = c; job.ldc = ldc;
            job.split = GemmSplit.For(transA, transB, m, n, k, threads, MicroKernels.NR, MicroKernels.RowsPerTile(path));
            try
            {
                if (job.split.Parts == 1) job.RunPart(0);
                else
                {
                    // A part a worker did not start in time runs here: its buffers must already be here.
                    GemmBlocked.ReserveForParts(path, job.split, m, n, k);
                    KernelThreads.Run(job, job.split.Parts);
                }
            }
            finally
            {
                // Do not keep the caller's arrays alive through the cache.
                job.a = job.b = job.c = null;
            }
        }

        /// <summary>Computes part p of C: tiles [p·T/parts, (p+1)·T/parts) along the split dimension.</summary>
        public void RunPart(int part)
        {
            if (!split.Range(part, out int from, out int to)) return;
            fixed (double* pa = a, pb = b, pc = c)
            {
                if (split.Columns)
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
