using System;
using System.Linq;
using BackpropModule.Engine.Checking;
using BackpropModule.Engine.Layers;
using BackpropModule.Engine.Losses;
using FsCheck;
using FsCheck.Xunit;
using Xunit;
using static BackpropModule.Engine.Tests.Checking.CheckingFixtures;

namespace BackpropModule.Engine.Tests.Checking
{
    /// <summary>
    /// The fast gradient check (a cached forward pass, only what an element changes recomputed, on
    /// all kernel threads) against the reference that runs the whole perturbed network per loss.
    /// </summary>
    public class IncrementalProbeTests
    {
        private static readonly ActivationKind[] ActivationKinds = { ActivationKind.ReLU, ActivationKind.Sigmoid, ActivationKind.Tanh };
        private static readonly OutputKind[] OutputKinds = { OutputKind.Softmax, OutputKind.Identity, OutputKind.Sigmoid };

        /// <summary>
        /// Every element of every parameter: both probes estimate the same derivative up to the sum of
        /// their noise floors (truncation error is the same function of h for both), and agree on
        /// which elements crossed a kink. Sizes, depth (1–4 layers), batch, activation, output and
        /// step are random; the large steps make ReLU kinks common.
        /// </summary>
        [Property(MaxTest = 60)]
        public bool FastEstimatesMatchTheFullRecompute(PositiveInt seed, byte depth, byte activation, byte output, byte batch, bool largeStep)
        {
            var rng = new Random(seed.Get);
            int layers = depth % 4 + 1;
            int[] sizes = Enumerable.Range(0, layers + 1).Select(_ => rng.Next(1, 9)).ToArray();
            var a = ActivationKinds[activation % 3];
            var o = OutputKinds[output % 3];
            var (net, x, t) = Problem(sizes, a, o, batch % 5 + 1, seed.Get);
            var options = new GradientCheckOptions { Epsilon = largeStep ? 0.05 : GradientCheckOptions.DefaultEpsilon };
            var fast = new GradientChecker(net, x, t, options);
            var full = new GradientChecker(net, x, t, options) { FullRecompute = true };
            var before = Snapshot(net);
            for (int p = 0; p < net.Parameters.Count; p++)
            {
                int[] all = Enumerable.Range(0, net.Parameters[p].Value.Count).ToArray();
                var ef = fast.EstimateElements(p, all);
                var er = full.EstimateElements(p, all);
                for (int k = 0; k < all.Length; k++)
                {
                    if (ef[k].CrossedKink != er[k].CrossedKink || ef[k].Unresolved != er[k].Unresolved) return false;
                    // NOTE: widened locally to 10,800 cases (seeds 1–150, every depth, activation, output and step), the
                    // largest disagreement was 0.17 of the floors' sum; with the loss's rounding modelled as 4ε·|L|
                    // alone (no GradientChecker.LossRoundoff) it was 2.83, on losses small next to their outputs.
                    double bound = ef[k].NoiseFloor + er[k].NoiseFloor;
                    if (!(Math.Abs(ef[k].Numerical - er[k].Numerical) <= bound)) return false;
                    if (!(Math.Abs(ef[k].FirstNumerical - er[k].FirstNumerical) <= bound * 100)) return false;
                }
            }
            return Unchanged(net, before);
        }

        [Theory]
        [InlineData(ActivationKind.ReLU, OutputKind.Softmax)]
        [InlineData(ActivationKind.Tanh, OutputKind.Identity)]
        [InlineData(ActivationKind.Sigmoid, OutputKind.Sigmoid)]
        public void TheCachedPassGivesTheNetworksOwnLoss(ActivationKind a, OutputKind o)
        {
            var (net, x, t) = Problem(new[] { 7, 5, 4, 3 }, a, o, 4, 21);
            var checker = new GradientChecker(net, x, t);
            var probe = new IncrementalLossProbe(net, x, checker.Target);
            Assert.Equal(net.ComputeLoss(x, t), probe.BaseLoss);
        }

        /// <summary>A parameter of more than one block (512 elements) split over the threads gives the serial reference's verdict.</summary>
        [Fact]
        public void AManyBlockCheckGivesTheReferenceResult()
        {
            var (net, x, t) = Problem(new[] { 60, 24, 5 }, ActivationKind.ReLU, OutputKind.Softmax, 3, 17);
            var fast = new GradientChecker(net, x, t).CheckAll();
            var full = new GradientChecker(net, x, t) { FullRecompute = true }.CheckAll();
            Assert.True(fast.Passed, fast.ToString());
            for (int p = 0; p < fast.Results.Count; p++)
            {
                var f = fast.Results[p];
                var r = full.Results[p];
                Assert.Equal(r.Checked, f.Checked);
                Assert.Equal(r.Kinks, f.Kinks);
                Assert.Equal(r.UnresolvedKinks, f.UnresolvedKinks);
                Assert.True(f.MaxRelError <= 1e-7, f.Describe());
                Assert.InRange(f.MeanAbsError, 0, r.MeanAbsError + 2 * r.NoiseFloor);
            }
        }

        [Fact]
        public void TheSameCheckTwiceGivesTheSameBits()
        {
            var (net, x, t) = Problem(new[] { 40, 30, 4 }, ActivationKind.Tanh, OutputKind.Softmax, 2, 5);
            var checker = new GradientChecker(net, x, t);
            int[] all = Enumerable.Range(0, 1200).ToArray();
            var first = checker.EstimateElements(0, all);
            var second = checker.EstimateElements(0, all);
            Assert.Equal(first.Select(e => e.Numerical), second.Select(e => e.Numerical));
        }
    }
}
