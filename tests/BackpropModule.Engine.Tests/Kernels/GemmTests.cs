using System;
using BackpropModule.Engine.Kernels;
using FsCheck.Xunit;
using BackpropModule.Engine.Tests.Foundation;
using Xunit;

namespace BackpropModule.Engine.Tests.Kernels
{
    /// <summary>Every fast GEMM path, serial and parallel, against the naive triple loop.</summary>
    public class GemmTests
    {
        [Property(Arbitrary = new[] { typeof(GemmArbitraries) }, MaxTest = 150)]
        public void EveryPathMatchesTheNaiveLoop(GemmCase g)
        {
            var (a, b, c0) = g.MakeData();
            var expected = (double[])c0.Clone();
            Gemm.Reference(g.TransA, g.TransB, g.M, g.N, g.K, g.Alpha, a, g.Lda, b, g.Ldb, g.Beta, expected, g.Ldc);
            foreach (var (path, threads, schedule) in GemmCase.Variants())
            {
                var c = (double[])c0.Clone();
                Gemm.Multiply(path, threads, schedule, g.TransA, g.TransB, g.M, g.N, g.K, g.Alpha, a, g.Lda, b, g.Ldb, g.Beta, c, g.Ldc);
                for (int j = 0; j < g.N; j++)
                {
                    for (int i = 0; i < g.M; i++)
                    {
                        int at = i + j * g.Ldc;
                        double err = Math.Abs(c[at] - expected[at]), bound = g.Bound(a, b, c0, i, j);
                        Assert.True(err <= bound, $"{path}/{threads} threads/{schedule}, {g}: C({i},{j}) = {c[at]:R}, reference {expected[at]:R}, error {err:E3} > {bound:E3}");
                    }
                }
                // Padding rows between columns of C are never written.
                for (int j = 0; j < g.N; j++)
                    for (int i = g.M; i < g.Ldc && i + j * g.Ldc < c.Length; i++)
                        Assert.Equal(c0[i + j * g.Ldc], c[i + j * g.Ldc]);
            }
        }

        [Property(Arbitrary = new[] { typeof(GemmArbitraries) }, MaxTest = 60)]
        public void ParallelRunsAreBitIdenticalToSerialAndToEachOther(GemmCase g)
        {
            var (a, b, c0) = g.MakeData();
            foreach (GemmPath path in new[] { GemmPath.Vector, GemmPath.Avx2Fma })
            {
                if (!Gemm.IsSupported(path)) continue;
                var serial = (double[])c0.Clone();
                Gemm.Multiply(path, 1, g.TransA, g.TransB, g.M, g.N, g.K, g.Alpha, a, g.Lda, b, g.Ldb, g.Beta, serial, g.Ldc);
                foreach (var schedule in new[] { GemmSchedule.SharedPanels, GemmSchedule.OwnBlocks })
                {
                    double[] first = (double[])c0.Clone(), second = (double[])c0.Clone();
                    Gemm.Multiply(path, 2, schedule, g.TransA, g.TransB, g.M, g.N, g.K, g.Alpha, a, g.Lda, b, g.Ldb, g.Beta, first, g.Ldc);
                    Gemm.Multiply(path, 2, schedule, g.TransA, g.TransB, g.M, g.N, g.K, g.Alpha, a, g.Lda, b, g.Ldb, g.Beta, second, g.Ldc);
                    AssertBitwiseEqual(first, second, $"{path}/{schedule}, two parallel runs, {g}");
                    AssertBitwiseEqual(serial, first, $"{path}/{schedule}, serial vs parallel, {g}");
                }
            }
        }

        [Theory]
        [InlineData(100, 100, 784, false, false)]  // forward of a 784-100 layer, batch 100
        [InlineData(784, 100, 100, true, false)]   // dW1 = xᵀ·delta
        [InlineData(100, 784, 100, false, true)]   // dx = delta·Wᵀ
        [InlineData(100, 10, 100, false, false)]   // the small layer
        [InlineData(2, 3100, 3, false, true)]      // more columns than one B block (NC = 3072)
        public void NamedShapesMatchTheNaiveLoopOnEveryPath(int m, int n, int k, bool transA, bool transB)
        {
            var g = new GemmCase { M = m, N = n, K = k, TransA = transA, TransB = transB, Alpha = 1, Beta = 0, Seed = m + n + k };
            var (a, b, c0) = g.MakeData();
            var expected = (double[])c0.Clone();
            Gemm.Reference(transA, transB, m, n, k, 1, a, g.Lda, b, g.Ldb, 0, expected, g.Ldc);
            foreach (var (path, threads, schedule) in GemmCase.Variants())
            {
                var c = (double[])c0.Clone();
                Gemm.Multiply(path, threads, schedule, transA, transB, m, n, k, 1, a, g.Lda, b, g.Ldb, 0, c, g.Ldc);
                for (int j = 0; j < n; j++)
                    for (int i = 0; i < m; i++)
                        Assert.True(Math.Abs(c[i + j * m] - expected[i + j * m]) <= g.Bound(a, b, c0, i, j), $"{path}/{threads}/{schedule}: C({i},{j})");
            }
            // The public entry point (default path, size-based threading) gives the same.
            var viaPublic = (double[])c0.Clone();
            Gemm.Multiply(transA, transB, m, n, k, 1, a, g.Lda, b, g.Ldb, 0, viaPublic, g.Ldc);
            for (int i = 0; i < viaPublic.Length; i++)
                Assert.True(Math.Abs(viaPublic[i] - expected[i]) <= 1e-12 * k + 1e-300, $"public Multiply, element {i}");
        }

        [Theory]
        [InlineData(13, 7, 5)]
        [InlineData(8, 6, 300)]
        [InlineData(1, 1, 1)]
        public void NaNInCDoesNotLeakWhenBetaIsZero(int m, int n, int k)
        {
            var g = new GemmCase { M = m, N = n, K = k, Alpha = 1, Beta = 0, Seed = 3 };
            var (a, b, _) = g.MakeData();
            var expected = new double[m * n];
            Gemm.Reference(false, false, m, n, k, 1, a, m, b, k, 0, expected, m);
            foreach (var (path, threads, schedule) in GemmCase.Variants())
            {
                var c = new double[m * n];
                for (int i = 0; i < c.Length; i++) c[i] = double.NaN;
                Gemm.Multiply(path, threads, schedule, false, false, m, n, k, 1, a, m, b, k, 0, c, m);
                for (int i = 0; i < c.Length; i++)
                    Assert.True(Math.Abs(c[i] - expected[i]) <= 1e-12 * k, $"{path}/{threads}/{schedule}: element {i} is {c[i]}");
            }
            var empty = new double[m * n];
            for (int i = 0; i < empty.Length; i++) empty[i] = double.NaN;
            Gemm.Multiply(false, false, m, n, 0, 1, a, m, b, 1, 0, empty, m);
            Assert.All(empty, v => Assert.Equal(0.0, v));
        }

        [Fact]
        public void CAliasingAOrBThrows()
        {
            var x = new double[16];
            var y = new double[16];
            Assert.Throws<ArgumentException>(() => Gemm.Multiply(false, false, 4, 4, 4, 1, x, 4, y, 4, 0, x, 4));
            Assert.Throws<ArgumentException>(() => Gemm.Multiply(false, false, 4, 4, 4, 1, y, 4, x, 4, 0, x, 4));
            foreach (var (path, threads, schedule) in GemmCase.Variants())
                Assert.Throws<ArgumentException>(() => Gemm.Multiply(path, threads, schedule, true, false, 4, 4, 4, 1, x, 4, y, 4, 1, y, 4));
        }

        [Fact]
        public void BadShapesAndBuffersThrow()
        {
            var x = new double[12];
            Assert.Throws<ArgumentException>(() => Gemm.Multiply(false, false, -1, 2, 2, 1, x, 1, x, 2, 0, new double[4], 1));
            Assert.Throws<ArgumentException>(() => Gemm.Multiply(false, false, 4, 3, 3, 1, x, 3, x, 3, 0, new double[12], 4));
            Assert.Throws<ArgumentException>(() => Gemm.Multiply(false, false, 4, 4, 3, 1, x, 4, x, 3, 0, new double[12], 4));
        }

        [Fact]
        public void LargeProductsAllocateNothingInSteadyState()
        {
            int m = 100, n = 100, k = 784;
            var a = new double[m * k];
            var b = new double[k * n];
            var c = new double[m * n];
            var d = new double[k * n];
            for (int i = 0; i < a.Length; i++) a[i] = i % 7 - 3;
            for (int i = 0; i < b.Length; i++) b[i] = i % 5 - 2;
            for (int r = 0; r < 3; r++) Gemm.Multiply(false, false, m, n, k, 1, a, m, b, k, 0, c, m);
            Assert.Equal(0, SteadyState.Allocated(() =>
            {
                for (int r = 0; r < 20; r++)
                {
                    Gemm.Multiply(false, false, m, n, k, 1, a, m, b, k, 0, c, m);
                    Gemm.Multiply(true, false, k, n, m, 1, a, m, c, m, 0, d, k);
                }
            }));
        }

        private static void AssertBitwiseEqual(double[] x, double[] y, string what)
        {
            for (int i = 0; i < x.Length; i++)
                if (BitConverter.DoubleToInt64Bits(x[i]) != BitConverter.DoubleToInt64Bits(y[i]))
                    Assert.Fail($"{what}: element {i} differs ({x[i]:R} vs {y[i]:R}).");
        }
    }
}
