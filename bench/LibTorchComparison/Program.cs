using System;
using System.Diagnostics;
using System.Linq;
using BackpropModule.Engine;
using BackpropModule.Engine.Layers;
using BackpropModule.Engine.Losses;
using BackpropModule.Engine.Randomness;
using BackpropModule.Engine.Training;
using BackpropModule.Engine.Training.Optimizers;
using TorchSharp;
using static TorchSharp.torch;

/// <summary>
/// One epoch of 784-100-10 ReLU/softmax-cross-entropy, batch 100, 60,000 random
/// Fashion-MNIST-shaped samples, fp64, 2 threads, shuffled each epoch, plain SGD (lr 0.01) and
/// Adam (lr 1e-3): this module's engine (BatchWorkspace + optimizer) and libtorch (TorchSharp)
/// timed alternately in the same process. Prints per-epoch times and medians.
/// Usage: dotnet run -c Release --project bench/LibTorchComparison -- [epochs]
/// </summary>
public static class Program
{
    const int Samples = 60000, Inputs = 784, Hidden = 100, Classes = 10, Batch = 100;

    public static void Main(string[] args)
    {
        int epochs = args.Length > 0 ? int.Parse(args[0]) : 7;
        bool haveTorch = TryStartTorch(out string why);
        var rng = new SeededRandom(1);
        var features = new double[Samples * Inputs];
        for (int i = 0; i < features.Length; i++) features[i] = (rng.NextUInt64() % 256) / 255.0;
        var labels = new int[Samples];
        var targets = new double[Samples * Classes];
        for (int s = 0; s < Samples; s++) { labels[s] = rng.NextInt(Classes); targets[s * Classes + labels[s]] = 1; }

        Console.WriteLine(haveTorch
            ? $"torch {torch.__version__}, threads {torch.get_num_threads()}, {Environment.ProcessorCount} cores, fp64"
            : $"libtorch could not be loaded ({why}); timing this module only.");
        foreach (string optName in new[] { "SGD", "Adam" })
        {
            var ours = new double[epochs];
            var theirs = new double[epochs];
            var net = new Network(new[] { Inputs, Hidden, Classes }, ActivationKind.ReLU, OutputKind.Softmax, seed: 1);
            var ws = new BatchWorkspace(net, Batch);
            IOptimizer opt = optName == "SGD" ? new SgdOptimizer(0.01) : (IOptimizer)new AdamOptimizer(0.001);
            var order = Enumerable.Range(0, Samples).ToArray();
            var shuffle = new SeededRandom(2);

            if (!haveTorch)
            {
                for (int e = 0; e < epochs; e++)
                {
                    var sw0 = Stopwatch.StartNew();
                    shuffle.Shuffle(order);
                    for (int b = 0; b < Samples / Batch; b++) { ws.TrainBatch(features, targets, order, b * Batch, Batch); opt.Step(net, ws.Gradients); }
                    ours[e] = sw0.Elapsed.TotalSeconds;
                    Console.WriteLine($"{optName,-5} epoch {e + 1}: ours {ours[e]:F3} s");
                }
                Console.WriteLine($"{optName,-5} median (epochs 2..{epochs}): ours {Median(ours.Skip(1).ToArray()):F3} s");
                continue;
            }
            var X = torch.tensor(features, new long[] { Samples, Inputs }, ScalarType.Float64);
            var Y = torch.tensor(labels.Select(l => (long)l).ToArray(), new long[] { Samples }, ScalarType.Int64);
            var model = nn.Sequential(("fc1", nn.Linear(Inputs, Hidden, dtype: ScalarType.Float64)), ("relu", nn.ReLU()),
                ("fc2", nn.Linear(Hidden, Classes, dtype: ScalarType.Float64)));
            var tOpt = optName == "SGD" ? (optim.Optimizer)optim.SGD(model.parameters(), 0.01) : optim.Adam(model.parameters(), 0.001);
            var lossFn = nn.CrossEntropyLoss();

            for (int e = 0; e < epochs; e++)
            {
                var sw = Stopwatch.StartNew();
                shuffle.Shuffle(order);
                double lossSum = 0;
                for (int b = 0; b < Samples / Batch; b++)
                {
                    lossSum += ws.TrainBatch(features, targets, order, b * Batch, Batch).Loss;
                    opt.Step(net, ws.Gradients);
                }
                ours[e] = sw.Elapsed.TotalSeconds;

                sw.Restart();
                double tLoss = 0;
                using (var perm = torch.randperm(Samples))
                {
                    for (int b = 0; b < Samples / Batch; b++)
                    {
                        using var scope = torch.NewDisposeScope();
                        var idx = perm.narrow(0, b * Batch, Batch);
                        var xb = X.index_select(0, idx);
                        var yb = Y.index_select(0, idx);
                        tOpt.zero_grad();
                        var loss = lossFn.forward(model.forward(xb), yb);
                        loss.backward();
                        tOpt.step();
                        if (b == Samples / Batch - 1) tLoss = loss.item<double>();
                    }
                }
                theirs[e] = sw.Elapsed.TotalSeconds;
                Console.WriteLine($"{optName,-5} epoch {e + 1}: ours {ours[e]:F3} s (mean loss {lossSum / (Samples / Batch):F4}), libtorch {theirs[e]:F3} s (last loss {tLoss:F4})");
            }
            // The first epoch includes JIT and libtorch warm-up; medians are over the rest.
            double mo = Median(ours.Skip(1).ToArray()), mt = Median(theirs.Skip(1).ToArray());
            Console.WriteLine($"{optName,-5} median (epochs 2..{epochs}): ours {mo:F3} s, libtorch {mt:F3} s, ratio libtorch/ours {mt / mo:F2}");
        }
    }

    /// <summary>Loads libtorch and sets two threads; false (with the reason) when the native library cannot load.</summary>
    static bool TryStartTorch(out string why)
    {
        try { torch.set_num_threads(2); why = null; return true; }
        catch (Exception e)
        {
            // NOTE: TorchSharp 0.107's native library needs GLIBCXX_3.4.32 (GCC 13's libstdc++); Debian 12 ships 3.4.30.
            var inner = e; while (inner.InnerException != null) inner = inner.InnerException;
            why = inner.Message.Split('\n')[0] + " On Linux, TorchSharp 0.107 also needs GLIBCXX_3.4.32 (GCC 13's libstdc++).";
            return false;
        }
    }

    static double Median(double[] v) { Array.Sort(v); return v.Length % 2 == 1 ? v[v.Length / 2] : (v[v.Length / 2 - 1] + v[v.Length / 2]) / 2; }
}
