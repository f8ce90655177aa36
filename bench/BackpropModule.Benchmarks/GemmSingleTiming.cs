using System;
using System.Diagnostics;
using System.Linq;
using BackpropModule.Engine.Kernels;

namespace BackpropModule.Benchmarks
{
    /// <summary>Stopwatch medians of the float (<c>--gemm-single [reps]</c>) or double (<c>--gemm [reps]</c>) GEMM at the training shapes, one and two threads.</summary>
    public static class GemmSingleTiming
    {
        public static void Run(int reps) => Run(reps, single: true);

        public static void Run(int reps, bool single)
        {
            var shapes = new (string Name, int M, int N, int K, bool TA, bool TB)[]
            {
                ("100x784x100 forward (Aᵀ)", 100, 100, 784, true, false),
                ("784x100x100 dW1", 784, 100, 100, false, false),
                ("1024³", 1024, 1024, 1024, false, false),
            };
            var rng = new Random(1);
            foreach (var s in shapes)
            {
                float[] a = Enumerable.Range(0, s.M * s.K).Select(_ => (float)rng.NextDouble()).ToArray();
                float[] b = Enumerable.Range(0, s.K * s.N).Select(_ => (float)rng.NextDouble()).ToArray();
                float[] c = new float[s.M * s.N];
                double[] ad = a.Select(v => (double)v).ToArray(), bd = b.Select(v => (double)v).ToArray(), cd = new double[c.Length];
                int lda = s.TA ? s.K : s.M, ldb = s.TB ? s.N : s.K;
                foreach (int threads in new[] { 1, 2 })
                {
                    int inner = s.M * s.N * (long)s.K > 1e8 ? 1 : 50;
                    var t = new double[reps];
                    for (int r = 0; r < reps; r++)
                    {
                        var sw = Stopwatch.StartNew();
                        for (int i = 0; i < inner; i++)
                        {
                            if (single) GemmSingle.Multiply(Gemm.DefaultPath, threads, s.TA, s.TB, s.M, s.N, s.K, 1f, a, lda, b, ldb, 0f, c, s.M);
                            else Gemm.Multiply(Gemm.DefaultPath, threads, s.TA, s.TB, s.M, s.N, s.K, 1.0, ad, lda, bd, ldb, 0.0, cd, s.M);
                        }
                        t[r] = sw.Elapsed.TotalSeconds / inner;
                    }
                    double med = GradientCheckTiming.Median(t);
                    Console.WriteLine($"{(single ? "float " : "double")} {s.Name,-26} {threads} thread(s): {med * 1e6,8:F1} µs, {2.0 * s.M * s.N * s.K / med / 1e9,6:F1} GFLOPS (best {2.0 * s.M * s.N * s.K / t.Min() / 1e9:F1})");
                }
            }
        }
    }
}
