using System;
using System.Linq;
using BackpropModule.Engine.Checking;
using BackpropModule.Engine.Layers;
using BackpropModule.Engine.Losses;
using BackpropModule.Engine.Randomness;
using BackpropModule.Engine.Tensors;
using BackpropModule.Engine.Tests.Foundation;
using FsCheck;
using FsCheck.Xunit;
using Xunit;

namespace BackpropModule.Engine.Tests.Checking
{
    /// <summary>The column-wise probe for networks with BatchNorm and Dropout against the whole-network recompute.</summary>
    public class BlockProbeTests
    {
        private static readonly ActivationKind[] ActivationKinds = { ActivationKind.ReLU, ActivationKind.Sigmoid, ActivationKind.Tanh };
        private static readonly OutputKind[] OutputKinds = { OutputKind.Softmax, OutputKind.Identity, OutputKind.Sigmoid };

        private static (Network Net, Tensor X, Tensor T) Problem(Random rng, int seed, ActivationKind a, OutputKind o, int batch)
        {
            int hidden = rng.Next(1, 4);
            int[] sizes = Enumerable.Range(0, hidden + 2).Select(_ => rng.Next(1, 8)).ToArray();
            var bn = Enumerable.Range(0, hidden).Select(_ => rng.Next(2) == 0).ToArray();
            var rates = Enumerable.Range(0, hidden).Select(_ => rng.Next(3) == 0 ? 0.0 : 0.4).ToArray();
            var net = new Network(sizes, a, o, seed: seed, hiddenLayers: new HiddenLayerOptions(bn, rates));
            var r = new SeededRandom(seed);
            foreach (var layer in net.BatchNorm)
                for (int j = 0; j < layer.Units; j++) { layer.Gamma.Value.Data[j] = 0.5 + r.NextDouble(); layer.Beta.Value.Data[j] = r.NextDouble() - 0.5; }
            Tensor x = NumericGradient.Uniform(r, batch, sizes[0], -1, 1);
            int k = sizes[sizes.Length - 1];
            var t = new Tensor(batch, k);
            for (int i = 0; i < batch; i++)
                if (o == OutputKind.Softmax) t[i, r.NextInt(k)] = 1; else for (int c = 0; c < k; c++) t[i, c] = o == OutputKind.Sigmoid ? r.NextInt(2) : r.NextDouble();
            return (net, x, t);
        }

        [Property(MaxTest = 40)]
        public bool ColumnWiseEstimatesMatchTheFullRecompute(PositiveInt seed, byte activation, byte output, byte batch, bool inference, bool largeStep)
        {
            var rng = new Random(seed.Get);
            var (net, x, t) = Problem(rng, seed.Get, ActivationKinds[activation % 3], OutputKinds[output % 3], batch % 5 + 2);
            var options = new GradientCheckOptions { Epsilon = largeStep ? 0.05 : GradientCheckOptions.DefaultEpsilon };
            var mode = inference ? ForwardMode.Inference : ForwardMode.Training;
            var fast = new GradientChecker(net, x, t, options) { Mode = mode, DropoutSeed = seed.Get };
            var full = new GradientChecker(net, x, t, options) { Mode = mode, DropoutSeed = seed.Get, FullRecompute = true };
            for (int p = 0; p < net.Parameters.Count; p++)
            {
                int[] all = Enumerable.Range(0, net.Parameters[p].Value.Count).ToArray();
                var ef = fast.EstimateElements(p, all);
                var er = full.EstimateElements(p, all);
                for (int k = 0; k < all.Length; k++)
                {
                    if (ef[k].CrossedKink != er[k].CrossedKink || ef[k].Unresolved != er[k].Unresolved) return false;
                    // NOTE: the two probes round differently; each floor covers its probe's rounding, including what
                    // BatchNorm over two samples amplifies (GradientChecker.LossRoundoff). Widened locally to 10,800
                    // cases (seeds 1–150, every activation, output, mode and step), the largest disagreement was 0.89
                    // of the floors' sum; with the loss's rounding modelled as 4ε·|L| alone it was 11.9.
                    double bound = ef[k].NoiseFloor + er[k].NoiseFloor;
                    if (!(Math.Abs(ef[k].Numerical - er[k].Numerical) <= bound)) return false;
                }
            }
            return true;
        }

        [Fact]
        public void ADroppedUnitsKinkIsNoKinkOfTheLoss()
        {
            // Row 0 is all zeros and b1 is 0, so every first-layer unit sits exactly on ReLU's kink for that row. A unit
            // dropout removes from the row cannot bend the loss: its b1 element must get a plain central difference,
            // not the one-sided slopes (whose truncation error failed correct checks), on both probes.
            var net = new Network(new[] { 2, 8, 3 }, ActivationKind.ReLU, OutputKind.Softmax, seed: 1,
                hiddenLayers: HiddenLayerOptions.Create(1, false, new[] { 0.5 }));
            var r = new SeededRandom(3);
            Tensor x = NumericGradient.Uniform(r, 6, 2, -1, 1);
            x[0, 0] = 0; x[0, 1] = 0;
            var t = new Tensor(6, 3);
            for (int i = 0; i < 6; i++) t[i, i % 3] = 1;
            const long seed = 11;
            Tensor mask = net.Forward(x, t, ForwardMode.Training, seed)["mask1"];
            int[] b1 = Enumerable.Range(0, 8).ToArray();
            Assert.Contains(b1, j => mask[0, j] == 0);
            Assert.Contains(b1, j => mask[0, j] != 0);
            foreach (bool full in new[] { false, true })
            {
                var checker = new GradientChecker(net, x, t, new GradientCheckOptions()) { Mode = ForwardMode.Training, DropoutSeed = seed, FullRecompute = full };
                var estimates = checker.EstimateElements(1, b1);
                foreach (int j in b1) Assert.True(estimates[j].Unresolved == (mask[0, j] != 0), $"unit {j}, full recompute {full}");
            }
        }

        [Fact]
        public void TheCachedPassGivesTheNetworksOwnLoss()
        {
            var (net, x, t) = Problem(new Random(3), 3, ActivationKind.Tanh, OutputKind.Softmax, 5);
            var probe = new BlockLossProbe(net, x, net.PrepareTarget(t, x.Rows), ForwardMode.Training, 8);
            Assert.Equal(net.ComputeLoss(x, t, ForwardMode.Training, 8), probe.BaseLoss);
        }
    }
}
