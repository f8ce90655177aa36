using System;

namespace BackpropModule.Engine.Kernels
{
    /// <summary>
    /// Single-precision general matrix multiply on column-major storage:
    /// <c>C = alpha·op(A)·op(B) + beta·C</c>, the float twin of <see cref="Gemm"/> for the
    /// <c>-Precision Single</c> training path.
    /// </summary>
    /// <remarks>
    /// Same layout, argument order and guarantees as <see cref="Gemm"/>: op(A) is m × k, op(B) is k × n,
    /// C is m × n, C must not alias A or B, and each C element is summed in one fixed order whatever the
    /// thread count, so serial and parallel runs of a path give the same bits. The fast paths use a
    /// 16 × 6 micro-kernel (two 8-float AVX registers tall) on net8.0, a Vector&lt;float&gt; kernel
    /// elsewhere. NOTE: sums are float throughout (like cuBLAS/MKL sgemm), so the relative error of an
    /// element grows like k·2⁻²⁴ in the worst case, about 5e-5 for k = 784.
    /// </remarks>
    public static class GemmSingle
    {
        /// <summary>C = alpha·op(A)·op(B) + beta·C (column-major). With beta = 0, C is overwritten (NaNs in C do not leak).</summary>
        /// <exception cref="ArgumentException">A dimension is negative, a leading dimension is too small, a buffer is too small, or C is the same array as A or B.</exception>
        public static void Multiply(bool transA, bool transB, int m, int n, int k, float alpha,
            float[] a, int lda, float[] b, int ldb, float beta, float[] c, int ldc)
        {
            Validate(transA, transB, m, n, k, a, lda, b, ldb, c, ldc);
            int threads = (double)m * n * k >= Gemm.ParallelThreshold ? Gemm.ThreadCount : 1;
            Run(Gemm.DefaultPath, threads, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        }

        /// <summary>The same product on a chosen path and thread count, regardless of size (for tests and benchmarks).</summary>
        /// <exception cref="NotSupportedException">The path is not supported by this CPU or build.</exception>
        internal static void Multiply(GemmPath path, int threads, bool transA, bool transB, int m, int n, int k, float alpha,
            float[] a, int lda, float[] b, int ldb, float beta, float[] c, int ldc)
        {
            if (!Gemm.IsSupported(path)) throw new NotSupportedException($"GEMM path {path} is not supported here.");
            if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads));
            Validate(transA, transB, m, n, k, a, lda, b, ldb, c, ldc);
            Run(path, threads, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        }

        private static void Run(GemmPath path, int threads, bool transA, bool transB, int m, int n, int k, float alpha,
            float[] a, int lda, float[] b, int ldb, float beta, float[] c, int ldc)
        {
            if (m == 0 || n == 0) return;
            if (k == 0 || alpha == 0)
            {
                Scale(m, n, beta, c, ldc);
                return;
            }
            if (path == GemmPath.Reference)
            {
                Reference(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
                return;
            }
            GemmSingleJob.Run(path, threads, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        }

        private static void Scale(int m, int n, float beta, float[] c, int ldc)
        {
            for (int j = 0; j < n; j++)
            {
                int off = j * ldc;
                if (beta == 0) Array.Clear(c, off, m);
                else if (beta != 1) for (int i = 0; i < m; i++) c[off + i] *= beta;
            }
        }

        internal static void Validate(bool transA, bool transB, int m, int n, int k,
            float[] a, int lda, float[] b, int ldb, float[] c, int ldc)
            => GemmArguments.Validate(transA, transB, m, n, k, a, lda, b, ldb, c, ldc);

        /// <summary>The naive triple loop, summed in float in k order (the fast paths are tested against a double oracle too).</summary>
        internal static void Reference(bool transA, bool transB, int m, int n, int k, float alpha,
            float[] a, int lda, float[] b, int ldb, float beta, float[] c, int ldc)
        {
            for (int j = 0; j < n; j++)
            {
                for (int i = 0; i < m; i++)
                {
                    float sum = 0;
                    for (int p = 0; p < k; p++)
                    {
                        float av = transA ? a[p + i * lda] : a[i + p * lda];
                        float bv = transB ? b[j + p * ldb] : b[p + j * ldb];
                        sum += av * bv;
                    }
                    float prior = beta == 0 ? 0 : beta * c[i + j * ldc];
                    c[i + j * ldc] = alpha * sum + prior;
                }
            }
        }
    }
}
