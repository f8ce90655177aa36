using System;
using System.Collections.Generic;
using BackpropModule.Engine.Kernels;
using FsCheck;
using FsCheck.Fluent;

namespace BackpropModule.Engine.Tests.Kernels
{
    /// <summary>One GEMM problem: shape, transposes, scalars, padded leading dimensions and a data seed.</summary>
    public sealed class GemmCase
    {
        public int M, N, K, PadA, PadB, PadC, Seed;
        public bool TransA, TransB;
        public double Alpha, Beta;

        public int Lda => Math.Max(1, (TransA ? K : M) + PadA);
        public int Ldb => Math.Max(1, (TransB ? N : K) + PadB);
        public int Ldc => Math.Max(1, M + PadC);

        public override string ToString() =>
            $"{M}x{N}x{K} transA={TransA} transB={TransB} alpha={Alpha} beta={Beta} lda={Lda} ldb={Ldb} ldc={Ldc} seed={Seed}";

        /// <summary>Fresh operands: A, B with values in (−1, 1) and C with values in (−2, 2), padding included.</summary>
        public (double[] A, double[] B, double[] C) MakeData()
        {
            var rng = new Random(Seed);
            var a = Fill(rng, Lda * (TransA ? M : K), 1.0);
            var b = Fill(rng, Ldb * (TransB ? K : N), 1.0);
            var c = Fill(rng, Ldc * N, 2.0);
            return (a, b, c);
        }

        private static double[] Fill(Random rng, int count, double scale)
        {
            var x = new double[count];
            for (int i = 0; i < count; i++) x[i] = scale * (2 * rng.NextDouble() - 1);
            return x;
        }

        /// <summary>
        /// Per-element bound on the rounding error of any summation order:
        /// 1e-12 · (|alpha| Σₚ |op(A)(i,p)|·|op(B)(p,j)| + |beta·C0(i,j)|).
        /// </summary>
        public double Bound(double[] a, double[] b, double[] c0, int i, int j)
        {
            double s = 0;
            for (int p = 0; p < K; p++)
            {
                double av = TransA ? a[p + i * Lda] : a[i + p * Lda];
                double bv = TransB ? b[j + p * Ldb] : b[p + j * Ldb];
                s += Math.Abs(av * bv);
            }
            return 1e-12 * (Math.Abs(Alpha) * s + Math.Abs(Beta * c0[i + j * Ldc])) + 1e-300;
        }

        /// <summary>Every path this machine can run: serial, and on two threads with each parallel schedule.</summary>
        internal static IEnumerable<(GemmPath Path, int Threads, GemmSchedule Schedule)> Variants()
        {
            foreach (GemmPath path in new[] { GemmPath.Vector, GemmPath.Avx2Fma })
            {
                if (!Gemm.IsSupported(path)) continue;
                yield return (path, 1, GemmSchedule.Auto);
                yield return (path, 2, GemmSchedule.SharedPanels);
                yield return (path, 2, GemmSchedule.OwnBlocks);
            }
        }
    }

    /// <summary>FsCheck generators for <see cref="GemmCase"/>: small, prime, degenerate, tall-skinny, wide and deep shapes.</summary>
    public static class GemmArbitraries
    {
        public static Arbitrary<GemmCase> Cases()
        {
            Gen<int> small = Gen.Frequency(
                (3, Gen.Choose(0, 3)),
                (3, Gen.Elements(5, 7, 8, 11, 13, 17, 31, 61)),
                (4, Gen.Choose(1, 48)));
            Gen<(int, int, int)> general = Triple(small, small, small);
            // Tall-skinny: several row blocks (MC = 120) and a column edge.
            Gen<(int, int, int)> tall = Triple(Gen.Choose(121, 300), Gen.Choose(1, 7), Gen.Choose(1, 20));
            Gen<(int, int, int)> wide = Triple(Gen.Choose(1, 9), Gen.Choose(100, 300), Gen.Choose(1, 20));
            // Deep: several k blocks (KC = 256), so later blocks accumulate into C.
            Gen<(int, int, int)> deep = Triple(Gen.Choose(1, 17), Gen.Choose(1, 13), Gen.Choose(257, 700));
            Gen<(int, int, int)> shape = Gen.Frequency((6, general), (1, tall), (1, wide), (1, deep));
            Gen<double> scalar = Gen.Elements(0.0, 1.0, -1.0, 0.5, -2.25);
            Gen<GemmCase> cases =
                from s in shape
                from ta in Gen.Elements(false, true)
                from tb in Gen.Elements(false, true)
                from alpha in Gen.Elements(1.0, 1.0, -0.5, 2.25)
                from beta in scalar
                from pads in Triple(Gen.Choose(0, 3), Gen.Choose(0, 3), Gen.Choose(0, 3))
                from seed in Gen.Choose(0, int.MaxValue)
                select new GemmCase
                {
                    M = s.Item1, N = s.Item2, K = s.Item3, TransA = ta, TransB = tb, Alpha = alpha, Beta = beta,
                    PadA = pads.Item1, PadB = pads.Item2, PadC = pads.Item3, Seed = seed,
                };
            return cases.ToArbitrary();
        }

        private static Gen<(int, int, int)> Triple(Gen<int> x, Gen<int> y, Gen<int> z) =>
            from a in x
            from b in y
            from c in z
            select (a, b, c);
    }
}
