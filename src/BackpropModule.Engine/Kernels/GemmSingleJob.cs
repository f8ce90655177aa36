using System;

namespace BackpropModule.Engine.Kernels
{
    /// <summary>
    /// One float GEMM split into parts for <see cref="KernelThreads"/>, as <see cref="GemmJob"/> does for
    /// doubles: part p computes a fixed block of columns (or rows) of C with the serial blocked kernel.
    /// </summary>
    /// <remarks>
    /// Splits fall on micro-tile boundaries and a tile's arithmetic does not depend on where it sits,
    /// so a parallel run gives exactly the bits of a serial one. One job object is cached per calling
    /// thread, so a call allocates nothing in steady state.
    /// </remarks>
    internal sealed unsafe class GemmSingleJob : IPartitionedWork
    {
        [ThreadStatic] private static GemmSingleJob cached;

        private GemmPath path;
        private bool transA, transB;
        private GemmSplit split;
        private int m, n, k, lda, ldb, ldc;
        private float alpha, beta;
        private float[] a, b, c;

        internal static void Run(GemmPath path, int threads, bool transA, bool transB, int m, int n, int k, float alpha,
            float[] a, int lda, float[] b, int ldb, float beta, float[] c, int ldc)
        {
            var job = cached ?? (cached = new GemmSingleJob());
            job.path = path; job.transA = transA; job.transB = transB;
            job.m = m; job.n = n; job.k = k; job.alpha = alpha; job.beta = beta;
            job.a = a; job.lda = lda; job.b = b; job.ldb = ldb; job.c = c; job.ldc = ldc;
            job.split = GemmSplit.For(transA, transB, m, n, k, threads, MicroKernelsSingle.NR, MicroKernelsSingle.RowsPerTile(path));
            try
            {
                if (job.split.Parts == 1) job.RunPart(0);
                else
                {
                    // A part a worker did not start in time runs here: its buffers must already be here.
                    GemmSingleBlocked.ReserveForParts(path, job.split, m, n, k);
                    KernelThreads.Run(job, job.split.Parts);
                }
            }
            finally
            {
                job.a = job.b = job.c = null;
            }
        }

        /// <summary>Computes part p of C: tiles [p·T/parts, (p+1)·T/parts) along the split dimension.</summary>
        public void RunPart(int part)
        {
            if (!split.Range(part, out int from, out int to)) return;
            fixed (float* pa = a, pb = b, pc = c)
            {
                if (split.Columns)
                {
                    float* bFrom = transB ? pb + from : pb + (long)from * ldb;
                    GemmSingleBlocked.Run(path, transA, transB, m, to - from, k, alpha, pa, lda, bFrom, ldb, beta, pc + (long)from * ldc, ldc);
                }
                else
                {
                    float* aFrom = transA ? pa + (long)from * lda : pa + from;
                    GemmSingleBlocked.Run(path, transA, transB, to - from, n, k, alpha, aFrom, lda, pb, ldb, beta, pc + from, ldc);
                }
            }
        }
    }
}
