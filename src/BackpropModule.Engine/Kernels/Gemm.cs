using System;
using System.Numerics;
#if NET8_0_OR_GREATER
using System.Runtime.Intrinsics.X86;
#endif

namespace BackpropModule.Engine.Kernels
{
    /// <summary>The implementations of <see cref="Gemm"/>; tests force each one.</summary>
    internal enum GemmPath
    {
        /// <summary>The naive triple loop (<see cref="Gemm.Reference"/>).</summary>
        Reference,
        /// <summary>Blocked kernel with a <see cref="System.Numerics.Vector{T}"/> micro-kernel (any target).</summary>
        Vector,
        /// <summary>Blocked kernel with an AVX2 + FMA micro-kernel (net8.0 build on a CPU that has both).</summary>
        Avx2Fma,
    }

    /// <summary>How a parallel product is divided between threads (tests force each).</summary>
    internal enum GemmSchedule
    {
        /// <summary>
        /// Own blocks. On this 2-core machine the two schedules have equal medians at the training
        /// shapes and own blocks the better best case (fewer synchronisations), so shared panels are
        /// only used when asked for.
        /// </summary>
        Auto,
        /// <summary><see cref="GemmShared"/>: threads pack shared panels, then claim tiles.</summary>
        SharedPanels,
        /// <summary><see cref="GemmJob"/>: each thread computes a fixed block of C with its own packing.</summary>
        OwnBlocks,
    }

    /// <summary>
    /// General matrix multiply on column-major storage:
    /// <c>C = alpha·op(A)·op(B) + beta·C</c>, where op(X) is X or Xᵀ.
    /// </summary>
    /// <remarks>
    /// op(A) is m × k, op(B) is k × n and C is m × n. Element (i, j) of a column-major matrix X with
    /// leading dimension ldx is <c>x[i + j·ldx]</c>. C must not be the same array as A or B.
    /// The fast paths are a Goto/BLIS blocked kernel (see <see cref="GemmBlocked"/>): A and B are
    /// packed into cache-sized panels, and a register-blocked micro-kernel computes MR × NR tiles of C.
    /// Products of at least <see cref="ParallelThreshold"/> multiply-adds are split over the cores.
    /// Each C element is summed in the same order whatever the thread count, so results are
    /// bit-identical between serial and parallel runs of the same path.
    /// </remarks>
    public static class Gemm
    {
        /// <summary>m·n·k from which a product is split over several threads (smaller ones do not pay for the hand-off).</summary>
        internal const double ParallelThreshold = 1e6;

        private static int threadCount = Math.Max(1, Math.Min(Environment.ProcessorCount, 8));

        /// <summary>The fastest path this process supports; what <see cref="Multiply(bool, bool, int, int, int, double, double[], int, double[], int, double, double[], int)"/> uses.</summary>
        internal static GemmPath DefaultPath { get; } = DetectPath();

        /// <summary>Threads a large product is split over (1 = always serial). Defaults to the core count, at most 8.</summary>
        internal static int ThreadCount
        {
            get => threadCount;
            set => threadCount = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value));
        }

        /// <summary>C = alpha·op(A)·op(B) + beta·C (column-major). With beta = 0, C is overwritten (NaNs in C do not leak).</summary>
        /// <exception cref="ArgumentException">A dimension is negative, a leading dimension is too small, a buffer is too small, or C is the same array as A or B.</exception>
        public static void Multiply(bool transA, bool transB, int m, int n, int k, double alpha,
            double[] a, int lda, double[] b, int ldb, double beta, double[] c, int ldc)
        {
            Validate(transA, transB, m, n, k, a, lda, b, ldb, c, ldc);
            int threads = (double)m * n * k >= ParallelThreshold ? threadCount : 1;
            Run(DefaultPath, threads, GemmSchedule.Auto, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        }

        /// <summary>
        /// The same product on a chosen path and thread count, regardless of size (for tests and benchmarks).
        /// threads = 1 is serial; more threads split C whenever it has enough tiles.
        /// </summary>
        /// <exception cref="NotSupportedException">The path is not supported by this CPU or build.</exception>
        internal static void Multiply(GemmPath path, int threads, bool transA, bool transB, int m, int n, int k, double alpha,
            double[] a, int lda, double[] b, int ldb, double beta, double[] c, int ldc) =>
            Multiply(path, threads, GemmSchedule.Auto, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

        /// <summary>As above, with the parallel schedule forced too.</summary>
        internal static void Multiply(GemmPath path, int threads, GemmSchedule schedule, bool transA, bool transB, int m, int n, int k, double alpha,
            double[] a, int lda, double[] b, int ldb, double beta, double[] c, int ldc)
        {
            if (!IsSupported(path)) throw new NotSupportedException($"GEMM path {path} is not supported here.");
            if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads));
            Validate(transA, transB, m, n, k, a, lda, b, ldb, c, ldc);
            Run(path, threads, schedule, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        }

        /// <summary>True when this build and CPU can run the path.</summary>
        internal static bool IsSupported(GemmPath path)
        {
            switch (path)
            {
                case GemmPath.Reference: return true;
                case GemmPath.Vector: return true;
                case GemmPath.Avx2Fma:
#if NET8_0_OR_GREATER
                    return Avx2.IsSupported && Fma.IsSupported;
#else
                    return false;
#endif
                default: return false;
            }
        }

        private static GemmPath DetectPath()
        {
            if (IsSupported(GemmPath.Avx2Fma)) return GemmPath.Avx2Fma;
            // NOTE: without hardware acceleration Vector<T> is emulated and slower than the plain loop.
            return Vector.IsHardwareAccelerated ? GemmPath.Vector : GemmPath.Reference;
        }

        private static void Run(GemmPath path, int threads, GemmSchedule schedule, bool transA, bool transB, int m, int n, int k, double alpha,
            double[] a, int lda, double[] b, int ldb, double beta, double[] c, int ldc)
        {
            if (m == 0 || n == 0) return;
            if (k == 0 || alpha == 0)
            {
                // C = beta·C: the product term is empty (or scaled away, as in BLAS, without reading A and B).
                Scale(m, n, beta, c, ldc);
                return;
            }
            if (path == GemmPath.Reference)
            {
                Reference(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
                return;
            }
            // Each thread computes its own block of C with its own cache-sized packing, unless shared
            // panels (claimed tile by tile) are asked for and a packed k block fits in cache.
            bool shared = schedule == GemmSchedule.SharedPanels && GemmShared.Fits(path, m, n, k);
            if (threads > 1 && KernelThreads.MaxThreads > 1 && shared)
                GemmShared.Run(path, threads, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
            else
                GemmJob.Run(path, threads, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        }

        private static void Scale(int m, int n, double beta, double[] c, int ldc)
        {
            for (int j = 0; j < n; j++)
            {
                int off = j * ldc;
                if (beta == 0) Array.Clear(c, off, m);
                else if (beta != 1) for (int i = 0; i < m; i++) c[off + i] *= beta;
            }
        }

        internal static void Validate(bool transA, bool transB, int m, int n, int k,
            double[] a, int lda, double[] b, int ldb, double[] c, int ldc)
            => GemmArguments.Validate(transA, transB, m, n, k, a, lda, b, ldb, c, ldc);

        /// <summary>The naive triple loop every fast path is tested against: each C element is one dot product summed in k order.</summary>
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
