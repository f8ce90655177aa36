using System;
using System.Diagnostics;
using System.Linq;
using BackpropModule.Engine.Data;
using BackpropModule.Engine.Kernels;
using BackpropModule.Engine.Losses;
using BackpropModule.Engine.Training;

namespace BackpropModule.Benchmarks
{
    /// <summary>
    /// <see cref="EpochPhases"/> for the single-precision path: the steps of BatchWorkspaceSingle.TrainBatch
    /// and of the float step, replayed with the same float kernels and a timestamp between steps
    /// (784-100-10 ReLU → softmax, batch 100, 60,000 samples held as bytes, SGD).
    /// </summary>
    public static class EpochPhasesSingle
    {
        private const int Samples = 60_000, Batch = 100, Inputs = 784, Hidden = 100, Classes = 10;

        private static readonly string[] Names =
        {
            "gather (bytes → float XT, targets)", "forward GEMM 1 (x·W1) + bias", "ReLU", "forward GEMM 2 + bias",
            "softmax + loss + accuracy", "backward dW2, db2, dx2", "ReLU backward", "backward dW1 (XT·δ1), db1",
            "finite scan of gradients", "SGD step",
        };

        /// <summary>Prints per-phase medians over epochs 2..epochs.</summary>
        public static void Run(int epochs)
        {
            Dataset data = EpochPhases.MakeData();
            var rng = new Random(1);
            float[] Fill(int n, double s) => Enumerable.Range(0, n).Select(_ => (float)(s * (2 * rng.NextDouble() - 1))).ToArray();
            float[] w1 = Fill(Inputs * Hidden, 0.05), b1 = new float[Hidden], w2 = Fill(Hidden * Classes, 0.1), b2 = new float[Classes];
            float[] g1 = new float[w1.Length], gb1 = new float[Hidden], g2 = new float[w2.Length], gb2 = new float[Classes];
            float[] xt = new float[Inputs * Batch], t = new float[Batch * Classes];
            float[] a1 = new float[Batch * Hidden], z1 = new float[Batch * Hidden], a2 = new float[Batch * Classes], y = new float[Batch * Classes];
            float[] d2 = new float[Batch * Classes], dx2 = new float[Batch * Hidden], d1 = new float[Batch * Hidden];
            var order = Enumerable.Range(0, Samples).ToArray();
            var times = new double[epochs, Names.Length];
            var totals = new double[epochs];
            for (int e = 0; e < epochs; e++)
            {
                for (int i = Samples - 1; i > 0; i--) { int j = rng.Next(i + 1); (order[i], order[j]) = (order[j], order[i]); }
                var ticks = new long[Names.Length];
                long epochStart = Stopwatch.GetTimestamp();
                for (int start = 0; start < Samples; start += Batch)
                {
                    long t0 = Stopwatch.GetTimestamp();
                    data.Store.CopyRowsSingle(order, start, Batch, Inputs, xt);
                    for (int r = 0; r < Batch; r++) { int s = order[start + r]; for (int c = 0; c < Classes; c++) t[r + c * Batch] = (float)data.Targets[s * Classes + c]; }
                    long t1 = Stopwatch.GetTimestamp();
                    GemmSingle.Multiply(true, false, Batch, Hidden, Inputs, 1f, xt, Inputs, w1, Inputs, 0f, a1, Batch);
                    VectorMathSingle.AddColumnBias(a1, Batch, Hidden, b1);
                    long t2 = Stopwatch.GetTimestamp();
                    VectorMathSingle.Relu(a1, z1, a1.Length);
                    long t3 = Stopwatch.GetTimestamp();
                    GemmSingle.Multiply(false, false, Batch, Classes, Hidden, 1f, z1, Batch, w2, Hidden, 0f, a2, Batch);
                    VectorMathSingle.AddColumnBias(a2, Batch, Classes, b2);
                    long t4 = Stopwatch.GetTimestamp();
                    OutputLossesSingle.ForwardWithLoss(OutputKind.Softmax, a2, y, t, Batch, Classes);
                    OutputLossesSingle.CountCorrect(y, t, Batch, Classes);
                    long t5 = Stopwatch.GetTimestamp();
                    VectorMathSingle.ScaledDifference(y, t, 1f / Batch, d2, d2.Length);
                    GemmSingle.Multiply(true, false, Hidden, Classes, Batch, 1f, z1, Batch, d2, Batch, 0f, g2, Hidden);
                    VectorMathSingle.SumColumns(d2, Batch, Classes, gb2);
                    GemmSingle.Multiply(false, true, Batch, Hidden, Classes, 1f, d2, Batch, w2, Hidden, 0f, dx2, Batch);
                    long t6 = Stopwatch.GetTimestamp();
                    VectorMathSingle.ReluBackward(a1, dx2, d1, d1.Length);
                    long t7 = Stopwatch.GetTimestamp();
                    GemmSingle.Multiply(false, false, Inputs, Hidden, Batch, 1f, xt, Inputs, d1, Batch, 0f, g1, Inputs);
                    VectorMathSingle.SumColumns(d1, Batch, Hidden, gb1);
                    long t8 = Stopwatch.GetTimestamp();
                    if (!VectorMathSingle.AllFinite(g1) || !VectorMathSingle.AllFinite(gb1) || !VectorMathSingle.AllFinite(g2) || !VectorMathSingle.AllFinite(gb2))
                        throw new InvalidOperationException("diverged");
                    long t9 = Stopwatch.GetTimestamp();
                    OptimizerMathSingle.Sgd(w1, g1, 0f, 0.01f); OptimizerMathSingle.Sgd(b1, gb1, 0f, 0.01f);
                    OptimizerMathSingle.Sgd(w2, g2, 0f, 0.01f); OptimizerMathSingle.Sgd(b2, gb2, 0f, 0.01f);
                    long t10 = Stopwatch.GetTimestamp();
                    ticks[0] += t1 - t0; ticks[1] += t2 - t1; ticks[2] += t3 - t2; ticks[3] += t4 - t3; ticks[4] += t5 - t4;
                    ticks[5] += t6 - t5; ticks[6] += t7 - t6; ticks[7] += t8 - t7; ticks[8] += t9 - t8; ticks[9] += t10 - t9;
                }
                totals[e] = (Stopwatch.GetTimestamp() - epochStart) / (double)Stopwatch.Frequency;
                for (int p = 0; p < Names.Length; p++) times[e, p] = ticks[p] / (double)Stopwatch.Frequency;
            }
            double total = GradientCheckTiming.Median(totals.Skip(1).ToArray());
            Console.WriteLine($"Epoch phases, single precision, 784-100-10 batch 100, SGD, bytes, {Environment.ProcessorCount} cores, medians of epochs 2..{epochs}; total {total:F3} s");
            for (int p = 0; p < Names.Length; p++)
            {
                double m = GradientCheckTiming.Median(Enumerable.Range(1, epochs - 1).Select(i => times[i, p]).ToArray());
                Console.WriteLine($"| {Names[p],-34} | {m * 1000,7:F1} ms | {100 * m / total,5:F1} % |");
            }
        }
    }
}
