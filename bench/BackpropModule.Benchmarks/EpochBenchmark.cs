using System;
using System.Numerics;
using BackpropModule.Engine;
using BackpropModule.Engine.Layers;
using BackpropModule.Engine.Losses;
using BackpropModule.Engine.Training;
using BenchmarkDotNet.Attributes;

namespace BackpropModule.Benchmarks
{
    /// <summary>
    /// One training epoch of 784-100-10 ReLU → softmax/cross-entropy, batch 100, over 60,000 random
    /// Fashion-MNIST-shaped samples (pixels k/255, one-hot labels) in a fixed shuffled order:
    /// BatchWorkspace.TrainBatch, then plain SGD (w −= η·g) and MarkUpdated, 600 times.
    /// </summary>
    public class EpochBenchmark : IFlopCount
    {
        private const int Samples = 60_000, Batch = 100, Inputs = 784, Hidden = 100, Classes = 10;
        private double[] features, targets;
        private int[] order;
        private Network net;
        private BatchWorkspace workspace;

        /// <summary>Per batch: forward 2·n·784·100 + 2·n·100·10, backward dW1 2·n·784·100, dW2 and dx2 2·(2·n·100·10).</summary>
        public double FlopsPerOperation => (Samples / Batch) * 2.0 * Batch * (2.0 * Inputs * Hidden + 3.0 * Hidden * Classes);

        [GlobalSetup]
        public void Setup()
        {
            var rng = new Random(7);
            features = new double[Samples * Inputs];
            targets = new double[Samples * Classes];
            for (int i = 0; i < features.Length; i++) features[i] = rng.Next(256) / 255.0;
            for (int s = 0; s < Samples; s++) targets[s * Classes + rng.Next(Classes)] = 1.0;
            order = new int[Samples];
            for (int i = 0; i < Samples; i++) order[i] = i;
            for (int i = Samples - 1; i > 0; i--) { int j = rng.Next(i + 1); (order[i], order[j]) = (order[j], order[i]); }
            net = new Network(new[] { Inputs, Hidden, Classes }, ActivationKind.ReLU, OutputKind.Softmax, seed: 1);
            workspace = new BatchWorkspace(net, Batch);
        }

        /// <summary>Exposed for a quick Stopwatch run (<c>-- --epoch-only</c>).</summary>
        [Benchmark(Description = "Epoch 784-100-10, batch 100, 60k samples")]
        public double Epoch()
        {
            const double learningRate = 0.01;
            double loss = 0;
            var ps = net.Parameters;
            for (int start = 0; start < Samples; start += Batch)
            {
                loss += workspace.TrainBatch(features, targets, order, start, Batch).Loss;
                for (int p = 0; p < ps.Count; p++) Sgd(ps[p].Value.Data, workspace.Gradients[p].Data, learningRate);
                net.MarkUpdated();
            }
            return loss;
        }

        /// <summary>w −= η·g, a vector at a time (the same per-element arithmetic as the scalar loop).</summary>
        private static void Sgd(double[] w, double[] g, double learningRate)
        {
            int width = Vector<double>.Count, i = 0;
            var eta = new Vector<double>(learningRate);
            for (; i <= w.Length - width; i += width) (new Vector<double>(w, i) - eta * new Vector<double>(g, i)).CopyTo(w, i);
            for (; i < w.Length; i++) w[i] -= learningRate * g[i];
        }
    }
}
