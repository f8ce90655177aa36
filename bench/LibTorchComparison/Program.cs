using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using BackpropModule.Engine;
using BackpropModule.Engine.Checking;
using BackpropModule.Engine.Data;
using BackpropModule.Engine.Layers;
using BackpropModule.Engine.Losses;
using BackpropModule.Engine.Training;
using BackpropModule.Engine.Training.Optimizers;
using TorchSharp;
using static TorchSharp.torch;

/// <summary>
/// The bench table, this module against libtorch (TorchSharp-cpu 0.107) in one process, rounds
/// alternating so both sides see the same machine load:
///   one epoch of 784-100-10 ReLU/softmax-cross-entropy, batch 100, 60,000 Fashion-MNIST training
///   images (seeded random bytes when the files are absent), SGD lr 0.01 and Adam lr 1e-3 —
///   ours through Trainer.Run (what Start-Training runs, with the dataset held as bytes as
///   Import-IdxDataset holds it) in double and in single precision (-Precision Single),
///   libtorch fp64 and fp32 with two threads;
///   the full gradient check of 784-50-10 on 3 images (39,760 elements), fast path and the
///   whole-network recompute it replaced.
/// Medians leave out the first (warm-up) round; min–max show the noise.
/// Usage: dotnet LibTorchComparison.dll [rounds] [--adam]   (bench/run-bench.sh builds, patches and runs it)
/// </summary>
public static class Program
{
    const int Inputs = 784, Hidden = 100, Classes = 10, Batch = 100;
    const string Folder = "/usr/share/datasets/fashion-mnist";

    public static void Main(string[] args)
    {
        int rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 7;
        bool withAdam = args.Contains("--adam");
        bool haveTorch = TryStartTorch(out string why);
        Console.WriteLine($"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, .NET {Environment.Version}, load average {LoadAverage()}");
        Console.WriteLine(haveTorch ? $"torch {torch.__version__}, threads {torch.get_num_threads()}" : $"libtorch could not be loaded ({why}); timing this module only.");
        var (data, x64, labels, source) = LoadData();
        Console.WriteLine($"Data: {source}");
        var rows = new List<(string What, double[] Ours, double[] Theirs, string Goal)>();

        var series = new Dictionary<string, double[]>();
        string[] names = { "ours SGD", "torch SGD fp64", "ours SGD fp32", "torch SGD fp32", "ours Adam", "torch Adam fp64", "ours Adam fp32", "torch Adam fp32" };
        foreach (string n in names) series[n] = new double[rounds];
        var sgdNet = NewNetwork();
        var adamNet = NewNetwork();
        var sgd32Net = NewNetwork();
        var adam32Net = NewNetwork();
        IOptimizer sgd = new SgdOptimizer(0.01), adam = new AdamOptimizer(0.001);
        IOptimizer sgd32 = new SgdOptimizer(0.01), adam32 = new AdamOptimizer(0.001);
        TorchRun t64s = null, t32s = null, t64a = null, t32a = null;
        if (haveTorch)
        {
            torch.manual_seed(1);
            var X64 = torch.tensor(x64, new long[] { labels.Length, Inputs }, ScalarType.Float64);
            var X32 = X64.to_type(ScalarType.Float32);
            var Y = torch.tensor(labels.Select(l => (long)l).ToArray(), new long[] { labels.Length }, ScalarType.Int64);
            t64s = new TorchRun(X64, Y, ScalarType.Float64, false);
            t32s = new TorchRun(X32, Y, ScalarType.Float32, false);
            t64a = new TorchRun(X64, Y, ScalarType.Float64, true);
            t32a = new TorchRun(X32, Y, ScalarType.Float32, true);
        }
        x64 = null;
        GC.Collect();
        for (int r = 0; r < rounds; r++)
        {
            series["ours SGD"][r] = OursEpoch(sgdNet, data, sgd, r, NumericPrecision.Double);
            if (haveTorch) series["torch SGD fp64"][r] = t64s.Epoch();
            series["ours SGD fp32"][r] = OursEpoch(sgd32Net, data, sgd32, r, NumericPrecision.Single);
            if (haveTorch) series["torch SGD fp32"][r] = t32s.Epoch();
            if (withAdam)
            {
                series["ours Adam"][r] = OursEpoch(adamNet, data, adam, r, NumericPrecision.Double);
                if (haveTorch) series["torch Adam fp64"][r] = t64a.Epoch();
                series["ours Adam fp32"][r] = OursEpoch(adam32Net, data, adam32, r, NumericPrecision.Single);
                if (haveTorch) series["torch Adam fp32"][r] = t32a.Epoch();
            }
            Console.WriteLine($"round {r + 1}: " + string.Join(", ", names.Where(n => (haveTorch || n.StartsWith("ours")) && (withAdam || !n.Contains("Adam"))).Select(n => $"{n} {series[n][r]:F3} s")));
        }
        var (fast, full) = GradientCheck(Math.Max(3, rounds / 2));
        Console.WriteLine();
        Console.WriteLine($"Load average at the end: {LoadAverage()}. Medians of rounds 2..{rounds} (min–max in brackets).");
        Console.WriteLine();
        Console.WriteLine("| what | this module | libtorch (TorchSharp 0.107) | ours / libtorch | goal |");
        Console.WriteLine("| --- | ---: | ---: | ---: | --- |");
        Row("epoch 784-100-10, batch 100, SGD, fp64, Trainer.Run", series["ours SGD"], haveTorch ? series["torch SGD fp64"] : null, "≤ 0.5× libtorch fp64");
        if (withAdam) Row("same, Adam, fp64", series["ours Adam"], haveTorch ? series["torch Adam fp64"] : null, "");
        Row("epoch, SGD, fp32 (-Precision Single), Trainer.Run", series["ours SGD fp32"], haveTorch ? series["torch SGD fp32"] : null, "≤ 0.7× libtorch fp32");
        if (withAdam) Row("same, Adam, fp32", series["ours Adam fp32"], haveTorch ? series["torch Adam fp32"] : null, "");
        Console.WriteLine($"| full Test-Gradient 784-50-10, 3 images, 39,760 elements | {Cell(fast)} | — (whole-network recompute here: {Cell(full)}) | | ≤ 0.3 s |");
    }

    static Network NewNetwork() => new Network(new[] { Inputs, Hidden, Classes }, ActivationKind.ReLU, OutputKind.Softmax, seed: 1);

    /// <summary>One epoch through Trainer.Run, the engine of Start-Training (shuffled, finite checks, checkpoint).</summary>
    static double OursEpoch(Network net, Dataset data, IOptimizer optimizer, int round, NumericPrecision precision)
    {
        var options = new TrainingOptions { Epochs = 1, BatchSize = Batch, Optimizer = optimizer, Seed = 100 + round, Precision = precision };
        var sw = Stopwatch.StartNew();
        new Trainer(net, data, options).Run();
        return sw.Elapsed.TotalSeconds;
    }

    /// <summary>The same epoch in libtorch: shuffled index_select batches, Linear-ReLU-Linear, CrossEntropyLoss.</summary>
    sealed class TorchRun
    {
        readonly Tensor x, y;
        readonly nn.Module<Tensor, Tensor> model;
        readonly optim.Optimizer opt;
        readonly nn.Module<Tensor, Tensor, Tensor> loss = nn.CrossEntropyLoss();

        public TorchRun(Tensor x, Tensor y, ScalarType type, bool adam)
        {
            this.x = x;
            this.y = y;
            model = nn.Sequential(("fc1", nn.Linear(Inputs, Hidden, dtype: type)), ("relu", nn.ReLU()), ("fc2", nn.Linear(Hidden, Classes, dtype: type)));
            opt = adam ? optim.Adam(model.parameters(), 0.001) : (optim.Optimizer)optim.SGD(model.parameters(), 0.01);
        }

        public double Epoch()
        {
            var sw = Stopwatch.StartNew();
            long n = x.shape[0];
            using (var perm = torch.randperm(n))
            {
                for (long b = 0; b + Batch <= n; b += Batch)
                {
                    using var scope = torch.NewDisposeScope();
                    var idx = perm.narrow(0, b, Batch);
                    opt.zero_grad();
                    var l = loss.forward(model.forward(x.index_select(0, idx)), y.index_select(0, idx));
                    l.backward();
                    opt.step();
                }
            }
            return sw.Elapsed.TotalSeconds;
        }
    }

    /// <summary>Medians of the fast check and of the whole-network recompute, alternating.</summary>
    static (double[] Fast, double[] Full) GradientCheck(int rounds)
    {
        var rng = new Random(1);
        var x = new BackpropModule.Engine.Tensors.Tensor(3, 784);
        var t = new BackpropModule.Engine.Tensors.Tensor(3, 10);
        string images = Path.Combine(Folder, "t10k-images-idx3-ubyte.gz");
        if (File.Exists(images))
        {
            var d = IdxReader.Load(images, Path.Combine(Folder, "t10k-labels-idx1-ubyte.gz"), new IdxLoadOptions { First = 3 });
            x = d.FeaturesTensor();
            t = d.TargetsTensor();
        }
        else
            for (int r = 0; r < 3; r++) { for (int c = 0; c < 784; c++) x[r, c] = rng.NextDouble(); t[r, rng.Next(10)] = 1; }
        var net = new Network(new[] { 784, 50, 10 }, ActivationKind.ReLU, OutputKind.Softmax, seed: 1);
        var fast = new GradientChecker(net, x, t);
        var full = new GradientChecker(net, x, t) { FullRecompute = true };
        var g = fast.ComputeAnalytic();
        var tf = new double[rounds + 1];
        var tr = new double[rounds + 1];
        for (int r = 0; r <= rounds; r++)
        {
            var sw = Stopwatch.StartNew();
            if (!fast.CheckAll(g).Passed) throw new InvalidOperationException("The fast check failed.");
            tf[r] = sw.Elapsed.TotalSeconds;
            sw.Restart();
            if (!full.CheckAll(g).Passed) throw new InvalidOperationException("The full check failed.");
            tr[r] = sw.Elapsed.TotalSeconds;
            Console.WriteLine($"Test-Gradient round {r + 1}: fast {tf[r]:F3} s, whole-network recompute {tr[r]:F3} s");
        }
        return (tf, tr);
    }

    static (Dataset Data, double[] X64, int[] Labels, string Source) LoadData()
    {
        string images = Path.Combine(Folder, "train-images-idx3-ubyte.gz"), labels = Path.Combine(Folder, "train-labels-idx1-ubyte.gz");
        if (File.Exists(images) && File.Exists(labels))
        {
            var ours = IdxReader.Load(images, labels);
            // A second load gives libtorch its doubles without turning our copy into doubles.
            double[] x = IdxReader.Load(images, labels).Features;
            return (ours, x, ours.Labels, $"Fashion-MNIST training set, {ours.Count} images (ours held as bytes)");
        }
        var rng = new Random(7);
        int count = 60_000;
        var codes = new byte[count * Inputs];
        rng.NextBytes(codes);
        var lab = Enumerable.Range(0, count).Select(_ => rng.Next(Classes)).ToArray();
        var t = new double[count * Classes];
        for (int s = 0; s < count; s++) t[s * Classes + lab[s]] = 1;
        var table = Enumerable.Range(0, 256).Select(v => v / 255.0).ToArray();
        var data = new Dataset("random bytes", codes, table, Inputs, t, Classes, lab);
        return (data, codes.Select(c => table[c]).ToArray(), lab, $"{count} seeded random images ({Folder} not found)");
    }

    static void Row(string what, double[] ours, double[] theirs, string goal)
    {
        string ratio = ours != null && theirs != null ? $"{Median(ours.Skip(1).ToArray()) / Median(theirs.Skip(1).ToArray()):F2}×" : "";
        Console.WriteLine($"| {what} | {(ours == null ? "—" : Cell(ours))} | {(theirs == null ? "—" : Cell(theirs))} | {ratio} | {goal} |");
    }

    static string Cell(double[] v)
    {
        var rest = v.Skip(1).ToArray();
        return $"{Median(rest):F3} s ({rest.Min():F3}–{rest.Max():F3})";
    }

    static string LoadAverage()
    {
        try { return string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)); }
        catch (IOException) { return "n/a"; }
        catch (UnauthorizedAccessException) { return "n/a"; }
    }

    /// <summary>Loads libtorch and sets two threads; false (with the reason) when the native library cannot load.</summary>
    static bool TryStartTorch(out string why)
    {
        try { torch.set_num_threads(2); why = null; return true; }
        catch (Exception e)
        {
            // NOTE: TorchSharp 0.107's native library needs GLIBCXX_3.4.32 (GCC 13's libstdc++); Debian 12 ships
            // 3.4.30: bench/run-bench.sh applies ../shared/tools/torchsharp-debian12 to the build output.
            var inner = e; while (inner.InnerException != null) inner = inner.InnerException;
            why = inner.Message.Split('\n')[0] + " On Debian 12, run bench/run-bench.sh (it patches the native library).";
            return false;
        }
    }

    static double Median(double[] v)
    {
        var s = v.OrderBy(d => d).ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
    }
}
