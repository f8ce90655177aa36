using System;
using System.Diagnostics;
using System.Linq;
using BackpropModule.Engine;
using BackpropModule.Engine.Data;
using BackpropModule.Engine.Kernels;
using BackpropModule.Engine.Layers;
using BackpropModule.Engine.Losses;
using BackpropModule.Engine.Tensors;
using BackpropModule.Engine.Training;
using BackpropModule.Engine.Training.Optimizers;

namespace BackpropModule.Benchmarks
{
    /// <summary>
    /// Where one epoch's time goes: the steps of BatchWorkspace.TrainBatch and of the trainer's batch
    /// loop (finiteness scan, SGD step), replayed with the same engine kernels and a timestamp between
    /// steps. 784-100-10 ReLU → softmax, batch 100, 60,000 samples held as bytes (as an IDX load holds
    /// them). The total is close to, not exactly, an epoch of Start-Training (no progress callbacks).
    /// </summary>
    public static class EpochPhases
    {
        private const int Samples = 60_000, Batch = 100, Inputs = 784, Hidden = 100, Classes = 10;

        private static readonly string[] Names =
        {
            "gather (rows → XT, targets)", "forward GEMM 1 (x·W1) + bias", "ReLU", "forward GEMM 2 + bias",
            "softmax + loss + accuracy", "backward dW2, db2, dx2", "ReLU backward", "backward dW1 (XT·δ1), db1",
            "finite scan of gradients", "SGD step",
        };

        /// <summary>
        /// Prints per-phase medians over epochs 2..epochs (the first warms up), for the same samples
        /// held as bytes (as an IDX load now holds them) and as doubles (as before), epochs alternating.
        /// </summary>
        public static void Run(int epochs)
        {
            var bytes = MakeData();
            var doubles = new Dataset("random doubles", (double[])bytes.Features.Clone(), Inputs, bytes.Targets, Classes, bytes.Labels);
            bytes = MakeData();
            var a = Measure(bytes, epochs);
            Print("features held as bytes (IDX load now)", a.Times, a.Totals, epochs);
            var b = Measure(doubles, epochs);
            Print("features held as doubles (IDX load before)", b.Times, b.Totals, epochs);
            var c = Measure(bytes, epochs, sharedPanels: true);
            Print("bytes, forward GEMM 1 with shared packed panels (W1 packed once for both threads)", c.Times, c.Totals, epochs);
        }

        private static void Print(string what, double[,] times, double[] totals, int epochs)
        {
            double total = GradientCheckTiming.Median(totals.Skip(1).ToArray());
            Console.WriteLine($"Epoch phases, 784-100-10 batch 100, SGD, {what}, {Environment.ProcessorCount} cores, medians of epochs 2..{epochs}; total {total:F3} s");
            for (int p = 0; p < Names.Length; p++)
            {
                double m = GradientCheckTiming.Median(Enumerable.Range(1, epochs - 1).Select(e => times[e, p]).ToArray());
                Console.WriteLine($"| {Names[p],-32} | {m * 1000,7:F1} ms | {100 * m / total,5:F1} % |");
            }
        }

        private static (double[,] Times, double[] Totals) Measure(Dataset data, int epochs, bool sharedPanels = false)
        {
            var net = new Network(new[] { Inputs, Hidden, Classes }, ActivationKind.ReLU, OutputKind.Softmax, seed: 1);
            var sgd = new SgdOptimizer(0.01);
            var order = Enumerable.Range(0, Samples).ToArray();
            var xt = new Tensor(Inputs, Batch);
            var t = new Tensor(Batch, Classes);
            Tensor a1 = new Tensor(Batch, Hidden), z1 = new Tensor(Batch, Hidden), a2 = new Tensor(Batch, Classes), y = new Tensor(Batch, Classes);
            Tensor d2 = new Tensor(Batch, Classes), dx2 = new Tensor(Batch, Hidden), d1 = new Tensor(Batch, Hidden);
            var grads = net.Parameters.Select(p => new Tensor(p.Value.Rows, p.Value.Columns)).ToArray();
            var softmax = (SoftmaxCrossEntropy)net.OutputLoss;
            var l1 = net.Layers[0];
            var l2 = net.Layers[1];
            var times = new double[epochs, Names.Length];
            var totals = new double[epochs];
            var rng = new Random(3);
            for (int e = 0; e < epochs; e++)
            {
                for (int i = Samples - 1; i > 0; i--) { int j = rng.Next(i + 1); (order[i], order[j]) = (order[j], order[i]); }
                var ticks = new long[Names.Length];
                long epochStart = Stopwatch.GetTimestamp();
                for (int start = 0; start < Samples; start += Batch)
                {
                    long t0 = Stopwatch.GetTimestamp();
                    data.Store.CopyRows(order, start, Batch, Inputs, xt.Data);
                    double[] td = t.Data;
                    Array.Clear(td, 0, td.Length);
                    for (int r = 0; r < Batch; r++) { int s = order[start + r]; for (int c = 0; c < Classes; c++) td[r + c * Batch] = data.Targets[s * Classes + c]; }
                    long t1 = Stopwatch.GetTimestamp();
                    if (sharedPanels)
                        Gemm.Multiply(Gemm.DefaultPath, Gemm.ThreadCount, GemmSchedule.SharedPanels, true, false, Batch, Hidden, Inputs, 1.0,
                            xt.Data, Inputs, l1.W.Value.Data, Inputs, 0.0, a1.Data, Batch);
                    else TensorMath.MatMul(xt, true, l1.W.Value, false, a1);
                    TensorMath.AddRowVector(a1, l1.B.Value);
                    long t2 = Stopwatch.GetTimestamp();
                    net.HiddenActivation.Forward(a1, z1);
                    long t3 = Stopwatch.GetTimestamp();
                    l2.Forward(z1, a2);
                    long t4 = Stopwatch.GetTimestamp();
                    softmax.ForwardWithLoss(a2, y, t);
                    long t5 = Stopwatch.GetTimestamp();
                    net.OutputLoss.Backward(y, t, d2);
                    l2.Backward(z1, d2, grads[2], grads[3], dx2);
                    long t6 = Stopwatch.GetTimestamp();
                    net.HiddenActivation.Backward(a1, z1, dx2, d1);
                    long t7 = Stopwatch.GetTimestamp();
                    TensorMath.MatMul(xt, false, d1, false, grads[0]);
                    TensorMath.SumRows(d1, grads[1]);
                    long t8 = Stopwatch.GetTimestamp();
                    if (!DatasetChecks.AllFinite(grads)) throw new InvalidOperationException("diverged");
                    long t9 = Stopwatch.GetTimestamp();
                    sgd.Step(net, grads);
                    long t10 = Stopwatch.GetTimestamp();
                    ticks[0] += t1 - t0; ticks[1] += t2 - t1; ticks[2] += t3 - t2; ticks[3] += t4 - t3; ticks[4] += t5 - t4;
                    ticks[5] += t6 - t5; ticks[6] += t7 - t6; ticks[7] += t8 - t7; ticks[8] += t9 - t8; ticks[9] += t10 - t9;
                }
                totals[e] = (Stopwatch.GetTimestamp() - epochStart) / (double)Stopwatch.Frequency;
                for (int p = 0; p < Names.Length; p++) times[e, p] = ticks[p] / (double)Stopwatch.Frequency;
            }
            return (times, totals);
        }

        /// <summary>Random Fashion-MNIST-shaped data held as bytes with the k/255 table, like an IDX load.</summary>
        internal static Dataset MakeData()
        {
            var rng = new Random(7);
            var codes = new byte[Samples * Inputs];
            rng.NextBytes(codes);
            var labels = Enumerable.Range(0, Samples).Select(_ => rng.Next(Classes)).ToArray();
            var t = new double[Samples * Classes];
            for (int s = 0; s < Samples; s++) t[s * Classes + labels[s]] = 1;
            var table = Enumerable.Range(0, 256).Select(v => v / 255.0).ToArray();
            return new Dataset("random bytes", codes, table, Inputs, t, Classes, labels);
        }
    }
}
