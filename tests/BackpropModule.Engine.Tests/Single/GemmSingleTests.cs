using System;
using System.Collections.Generic;
using BackpropModule.Engine.Kernels;
using BackpropModule.Engine.Tests.Kernels;
using FsCheck.Xunit;
using Xunit;

namespace BackpropModule.Engine.Tests.Single
{
    /// <summary>Every float GEMM path, serial and parallel, against a double oracle on the same float operands.</summary>
    public class GemmSingleTests
    {
        private static float[] ToSingle(double[] d) => Array.ConvertAll(d, x => (float)x);

        private static IEnumerable<(GemmPath Path, int Threads)> Variants()
        {
            foreach (GemmPath path in new[] { GemmPath.Reference, GemmPath.Vector, GemmPath.Avx2Fma })
            {
                if (!Gemm.IsSupported(path)) continue;
                yield return (path, 1);
                if (path != GemmPath.Reference) yield return (path, 2);
            }
        }

        /// <summary>
        /// Checks C against the product in double of the same float operands, element by element, within the
        /// worst case of float summation: (k + 3)·2⁻²³·(|α| Σ|a·b| + |β·C₀|).
        /// </summary>
        private static void AssertMatchesOracle(GemmCase g, float[] a, float[] b, float[] c0, float[] c, string label)
        {
            float alpha = (float)g.Alpha, beta = (float)g.Beta;
            for (int j = 0; j < g.N; j++)
            {
                for (int i = 0; i < g.M; i++)
                {
                    double exact = 0, magnitude = 0;
                    for (int p = 0; p < g.K; p++)
                    {
                        double av = g.TransA ? a[p + i * g.Lda] : a[i + p * g.Lda];
                        double bv = g.TransB ? b[j + p * g.Ldb] : b[p + j * g.Ldb];
                        exact += av * bv; magnitude += Math.Abs(av * bv);
                    }
                    int at = i + j * g.Ldc;
                    double prior = beta == 0 ? 0 : (double)beta * c0[at];
                    double expected = g.K == 0 || alpha == 0 ? prior : alpha * exact + prior;
                    double bound = (g.K + 3) * Math.Pow(2, -23) * (Math.Abs(alpha) * magnitude + Math.Abs(prior)) + 1e-30;
                    Assert.True(Math.Abs(c[at] - expected) <= bound,
                        $"{label}, {g}: C({i},{j}) = {c[at]:R}, double oracle {expected:R}, bound {bound:E3}");
                }
            }
            // Padding rows between columns of C are never written.
            for (int j = 0; j < g.N; j++)
                for (int i = g.M; i < g.Ldc && i + j * g.Ldc < c.Length; i++)
                    Assert.Equal(c0[i + j * g.Ldc], c[i + j * g.Ldc]);
        }

        [Property(Arbitrary = new[] { typeof(GemmArbitraries) }, MaxTest = 120)]
        public void EveryPathMatchesTheDoubleOracle(GemmCase g)
        {
            var (ad, bd, cd) = g.MakeData();
            float[] a = ToSingle(ad), b = ToSingle(bd), c0 = ToSingle(cd);
            foreach (var (path, threads) in Variants())
            {
                var c = (float[])c0.Clone();
                GemmSingle.Multiply(path, threads, g.TransA, g.TransB, g.M, g.N, g.K, (float)g.Alpha, a, g.Lda, b, g.Ldb, (float)g.Beta, c, g.Ldc);
                AssertMatchesOracle(g, a, b, c0, c, $"{path}/{threads} threads");
            }
        }

        [Property(Arbitrary = new[] { typeof(GemmArbitraries) }, MaxTest = 60)]
        public void ParallelRunsGiveTheBitsOfASerialRun(GemmCase g)
        {
            var (ad, bd, cd) = g.MakeData();
            float[] a = ToSingle(ad), b = ToSingle(bd), c0 = ToSingle(cd);
            foreach (GemmPath path in new[] { GemmPath.Vector, GemmPath.Avx2Fma })
            {
                if (!Gemm.IsSupported(path)) continue;
                float[] serial = (float[])c0.Clone(), parallel = (float[])c0.Clone();
                GemmSingle.Multiply(path, 1, g.TransA, g.TransB, g.M, g.N, g.K, (float)g.Alpha, a, g.Lda, b, g.Ldb, (float)g.Beta, serial, g.Ldc);
                GemmSingle.Multiply(path, 2, g.TransA, g.TransB, g.M, g.N, g.K, (float)g.Alpha, a, g.Lda, b, g.Ldb, (float)g.Beta, parallel, g.Ldc);
                for (int i = 0; i < serial.Length; i++)
                    Assert.True(BitConverter.SingleToInt32Bits(serial[i]) == BitConverter.SingleToInt32Bits(parallel[i]), $"{path}, {g}: element {i} differs");
            }
        }

        [Theory]
        [InlineData(1, 1, 1, false, false)]
        [InlineData(1, 1, 1, true, true)]
        [InlineData(13, 7, 31, true, false)]       // primes
        [InlineData(17, 11, 513, false, true)]     // k one past a block (KC = 512): a second k block of 1... balanced to 2 × 257
        [InlineData(100, 100, 784, true, false)]   // forward of a 784-100 layer, batch 100, as training calls it
        [InlineData(784, 100, 100, false, false)]  // dW1 = XT·delta
        [InlineData(100, 784, 100, false, true)]   // dx = delta·Wᵀ
        [InlineData(100, 10, 100, false, false)]   // the small layer
        [InlineData(129, 5, 1100, true, true)]     // two row blocks (MC = 128), three k blocks
        [InlineData(2, 3100, 3, false, true)]      // more columns than one B block (NC = 3072)
        public void NamedShapesMatchTheOracleOnEveryPath(int m, int n, int k, bool transA, bool transB)
        {
            var g = new GemmCase { M = m, N = n, K = k, TransA = transA, TransB = transB, Alpha = 1, Beta = 0, Seed = m + n + k };
            var (ad, bd, cd) = g.MakeData();
            float[] a = ToSingle(ad), b = ToSingle(bd), c0 = ToSingle(cd);
            foreach (var (path, threads) in Variants())
            {
                var c = (float[])c0.Clone();
                GemmSingle.Multiply(path, threads, transA, transB, m, n, k, 1f, a, g.Lda, b, g.Ldb, 0f, c, g.Ldc);
                AssertMatchesOracle(g, a, b, c0, c, $"{path}/{threads} threads");
            }
            var viaPublic = (float[])c0.Clone();
            GemmSingle.Multiply(transA, transB, m, n, k, 1f, a, g.Lda, b, g.Ldb, 0f, viaPublic, g.Ldc);
            AssertMatchesOracle(g, a, b, c0, viaPublic, "public entry");
        }

        [Fact]
        public void BetaZeroOverwritesNaNsInC()
        {
            float[] a = { 1, 2 }, b = { 3, 4 }, c = { float.NaN };
            GemmSingle.Multiply(false, false, 1, 1, 2, 1f, a, 1, b, 2, 0f, c, 1);
            Assert.Equal(11f, c[0]);
        }

        [Fact]
        public void RefusesAnAliasedOrTooSmallC()
        {
            var a = new float[4];
            Assert.Throws<ArgumentException>(() => GemmSingle.Multiply(false, false, 2, 2, 2, 1f, a, 2, new float[4], 2, 0f, a, 2));
            Assert.Throws<ArgumentException>(() => GemmSingle.Multiply(false, false, 2, 2, 2, 1f, a, 2, new float[4], 2, 0f, new float[3], 2));
        }
    }
}
