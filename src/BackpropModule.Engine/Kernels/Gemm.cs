using System;

namespace BackpropModule.Engine.Kernels
{
    /// <summary>
    /// General matrix multiply on column-major storage:
    /// <c>C = alpha·op(A)·op(B) + beta·C</c>, where op(X) is X or Xᵀ.
    /// </summary>
    /// <remarks>
    /// op(A) is m × k, op(B) is k × n and C is m × n. Element (i, j) of a column-major matrix X with
    /// leading dimension ldx is <c>x[i + j·ldx]</c>. C must not overlap A or B.
    /// This is the reference implementation; it is exact in the sense that each C element is one
    /// dot product summed in k order.
    /// </remarks>
    public static class Gemm
    {
        /// <summary>C = alpha·op(A)·op(B) + beta·C (column-major). With beta = 0, C is overwritten (NaNs in C do not leak).</summary>
        /// <exception cref="ArgumentException">A dimension is negative or a buffer is too small.</exception>
        public static void Multiply(bool transA, bool transB, int m, int n, int k, double alpha,
            double[] a, int lda, double[] b, int ldb, double beta, double[] c, int ldc)
        {
            Validate(transA, transB, m, n, k, a, lda, b, ldb, c, ldc);
            Reference(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        }

        internal static void Validate(bool transA, bool transB, int m, int n, int k,
            double[] a, int lda, double[] b, int ldb, double[] c, int ldc)
        {
            if (m < 0 || n < 0 || k < 0) throw new ArgumentException($"Negative GEMM dimension m={m} n={n} k={k}.");
            int aRows = transA ? k : m, aCols = transA ? m : k;
            int bRows = transB ? n : k, bCols = transB ? k : n;
            CheckBuffer("A", a, aRows, aCols, lda);
            CheckBuffer("B", b, bRows, bCols, ldb);
            CheckBuffer("C", c, m, n, ldc);
            if (c != null && (ReferenceEquals(c, a) || ReferenceEquals(c, b)) && m * n > 0 && k > 0)
                throw new ArgumentException("C must not alias A or B.");
        }

        private static void CheckBuffer(string name, double[] x, int rows, int cols, int ld)
        {
            if (rows == 0 || cols == 0) return;
            if (x == null) throw new ArgumentNullException(name);
            if (ld < Math.Max(1, rows)) throw new ArgumentException($"Leading dimension of {name} is {ld}, less than its {rows} rows.");
            long needed = (long)ld * (cols - 1) + rows;
            if (x.Length < needed) throw new ArgumentException($"{name} holds {x.Length} values; a {rows}x{cols} matrix with leading dimension {ld} needs {needed}.");
        }

        /// <summary>The naive triple loop every fast path is tested against.</summary>
        internal static void Reference(bool transA, bool transB, int m, int n, int k, double alpha,
            double[] a, int lda, double[] b, int ldb, double beta, double[] c, int ldc)
        {
            for (int j = 0; j < n; j++)
            {
                for (int i = 0; i < m; i++)
                {
                    double sum = 0;
                    for (int p = 0; p < k; p++)
                    {
                        double av = transA ? a[p + i * lda] : a[i + p * lda];
                        double bv = transB ? b[j + p * ldb] : b[p + j * ldb];
                        sum += av * bv;
                    }
                    double prior = beta == 0 ? 0 : beta * c[i + j * ldc];
                    c[i + j * ldc] = alpha * sum + prior;
                }
            }
        }
    }
}
