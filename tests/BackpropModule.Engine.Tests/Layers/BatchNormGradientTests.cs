using System;
using System.Collections.Generic;
using System.Linq;
using BackpropModule.Engine.Checking;
using BackpropModule.Engine.Layers;
using BackpropModule.Engine.Losses;
using BackpropModule.Engine.Randomness;
using BackpropModule.Engine.Tensors;
using BackpropModule.Engine.Tests.Foundation;
using Xunit;
using static BackpropModule.Engine.Tests.Losses.OutputLossGradientTests;

namespace BackpropModule.Engine.Tests.Layers
{
    /// <summary>
    /// BatchNorm and Dropout backward passes against central differences: the layer alone (dx, dγ, dβ over
    /// tall and wide batches, both modes) and whole networks in training mode, where a perturbed weight moves
    /// the batch statistics too and the dropout masks are fixed by the pass's seed.
    /// </summary>
    public class BatchNormGradientTests
    {
        /// <summary>L = Σ dout ⊙ BN(a): its gradients are what backward computes from dout.</summary>
        private static double Loss(Tensor a, Tensor gamma, Tensor beta, Tensor dout, bool training, Tensor runMean, Tensor runVar)
        {
            int n = a.Rows, u = a.Columns;
            var y = new Tensor(n, u);
            if (training)
                BatchNormMath.TrainingForward(a.Data, n, u, gamma.Data, beta.Data, 1e-5, new double[u], new double[u], new double[u], new double[n * u], y.Data);
            else
                BatchNormMath.InferenceForward(a.Data, n, u, gamma.Data, beta.Data, 1e-5, runMean.Data, runVar.Data, null, null, y.Data);
            return NumericGradient.Dot(y, dout);
        }

        [Theory]
        [InlineData(17, 3, true)]
        // NOTE: with 2 samples a column's x̂ is ±d/√(d² + 4ε)-like, whose high derivatives at a small gap d make the
        // h = 1e-3 difference itself inaccurate; 4 samples is the smallest wide batch the stencil resolves to 1e-7.
        [InlineData(4, 31, true)]
        [InlineData(5, 4, true)]
        [InlineData(17, 3, false)]
        [InlineData(1, 6, false)]
        public void TheLayerMatchesCentralDifferences(int n, int units, bool training)
        {
            var rng = new SeededRandom(n * 100 + units);
            Tensor a = NumericGradient.Uniform(rng, n, units, -2, 3);
            Tensor gamma = NumericGradient.Uniform(rng, 1, units, 0.5, 2), beta = NumericGradient.Uniform(rng, 1, units, -1, 1);
            Tensor dout = NumericGradient.Uniform(rng, n, units, -1, 1);
            Tensor runMean = NumericGradient.Uniform(rng, 1, units, -1, 1), runVar = NumericGradient.Uniform(rng, 1, units, 0.5, 2);
            Tensor dout0 = dout.Clone(), a0 = a.Clone();

            var xhat = new Tensor(n, units); var y = new Tensor(n, units);
            double[] mean = new double[units], variance = new double[units], invStd = new double[units];
            var dx = new Tensor(n, units); var dgamma = new Tensor(1, units); var dbeta = new Tensor(1, units);
            if (training)
            {
                BatchNormMath.TrainingForward(a.Data, n, units, gamma.Data, beta.Data, 1e-5, mean, variance, invStd, xhat.Data, y.Data);
                BatchNormMath.TrainingBackward(dout.Data, xhat.Data, n, units, gamma.Data, invStd, dx.Data, dgamma.Data, dbeta.Data);
            }
            else
            {
                BatchNormMath.InferenceForward(a.Data, n, units, gamma.Data, beta.Data, 1e-5, runMean.Data, runVar.Data, invStd, xhat.Data, y.Data);
                BatchNormMath.InferenceBackward(dout.Data, xhat.Data, n, units, gamma.Data, invStd, dx.Data, dgamma.Data, dbeta.Data);
            }
            Assert.True(dout0.BitwiseEquals(dout) && a0.BitwiseEquals(a), "backward changed its inputs");

            Func<double> f = () => Loss(a, gamma, beta, dout, training, runMean, runVar);
            NumericGradient.AssertClose(dgamma, NumericGradient.Of(f, gamma), "dgamma");
            NumericGradient.AssertClose(dbeta, NumericGradient.Of(f, beta), "dbeta");
            if (training && n > 1)
            {
                // Every column of dx sums to 0 (shifting a column's inputs leaves x̂ unchanged), so the entries are
                // small differences; they are compared against the column's scale rather than one by one.
                var numeric = NumericGradient.Of(f, a);
                for (int c = 0; c < units; c++)
                {
                    double scale = Enumerable.Range(0, n).Max(r => Math.Abs(numeric[r, c]));
                    for (int r = 0; r < n; r++)
                        Assert.True(Math.Abs(dx[r, c] - numeric[r, c]) <= 1e-7 * scale + 1e-12, $"dx[{r},{c}] {dx[r, c]} vs {numeric[r, c]}");
                }
            }
            else NumericGradient.AssertClose(dx, NumericGradient.Of(f, a), "dx");
        }

        [Fact]
        public void TrainingForwardNormalisesEachColumnToMeanZeroAndBiasedVarianceOne()
        {
            var rng = new SeededRandom(3);
            Tensor a = NumericGradient.Uniform(rng, 40, 5, -3, 7);
            var xhat = new double[200]; var y = new double[200];
            double[] mean = new double[5], variance = new double[5], invStd = new double[5];
            BatchNormMath.TrainingForward(a.Data, 40, 5, Enumerable.Repeat(1.0, 5).ToArray(), new double[5], 0, mean, variance, invStd, xhat, y);
            for (int c = 0; c < 5; c++)
            {
                var col = xhat.Skip(c * 40).Take(40).ToArray();
                Assert.Equal(0, col.Average(), 12);
                Assert.Equal(1, col.Select(v => v * v).Average(), 12);
                Assert.Equal(1 / Math.Sqrt(variance[c]), invStd[c], 12);
            }
        }

        public static IEnumerable<object[]> NetworkCases() =>
            from act in new[] { ActivationKind.ReLU, ActivationKind.Tanh, ActivationKind.Sigmoid }
            from output in new[] { OutputKind.Softmax, OutputKind.Identity }
            from layout in new[] { "bn", "dropout", "both", "mixed" }
            select new object[] { act, output, layout };

        internal static HiddenLayerOptions Layout(string layout) => layout switch
        {
            "bn" => new HiddenLayerOptions(new[] { true, true }, new[] { 0.0, 0.0 }),
            "dropout" => new HiddenLayerOptions(new[] { false, false }, new[] { 0.3, 0.5 }),
            "both" => new HiddenLayerOptions(new[] { true, true }, new[] { 0.25, 0.25 }),
            _ => new HiddenLayerOptions(new[] { true, false }, new[] { 0.0, 0.4 }),
        };

        /// <summary>A 4-6-5-3 network and batch whose activation inputs all keep |h| ≥ 0.02 (no ReLU kink within the step).</summary>
        internal static (Network Net, Tensor X, Tensor T) Make(ActivationKind act, OutputKind output, HiddenLayerOptions layout, int batch = 6)
        {
            for (int seed = 1; seed < 2000; seed++)
            {
                var net = new Network(new[] { 4, 6, 5, 3 }, act, output, seed: seed, hiddenLayers: layout);
                var rng = new SeededRandom(seed * 7919);
                foreach (var bn in net.BatchNorm)
                    for (int j = 0; j < bn.Units; j++) { bn.Gamma.Value.Data[j] = 0.5 + rng.NextDouble(); bn.Beta.Value.Data[j] = rng.NextDouble() - 0.5; }
                Tensor x = NumericGradient.Uniform(rng, batch, 4, -1, 1);
                Tensor t = MakeTarget(rng, output == OutputKind.Softmax ? TargetKind.OneHot : TargetKind.Real, batch, 3);
                var pass = net.Forward(x, t, ForwardMode.Training, 11);
                if (pass.Layers.Take(2).All(l => l.ActivationInput.Data.All(v => Math.Abs(v) >= 0.02))) return (net, x, t);
            }
            throw new InvalidOperationException("No seed keeps the activation inputs away from the ReLU kink.");
        }

        [Theory]
        [MemberData(nameof(NetworkCases))]
        public void EveryParameterOfANetworkWithBatchNormAndDropoutMatchesCentralDifferences(ActivationKind act, OutputKind output, string layout)
        {
            var (net, x, t) = Make(act, output, Layout(layout));
            Gradients g = net.Backward(net.Forward(x, t, ForwardMode.Training, 11));
            Assert.Equal(11, g.DropoutSeed);
            foreach (var p in net.Parameters)
            {
                Tensor numeric = NumericGradient.Of(() => net.ComputeLoss(x, t, ForwardMode.Training, 11), p.Value);
                bool beforeBatchNorm = p.Name.StartsWith("b", StringComparison.Ordinal) && !p.Name.StartsWith("beta", StringComparison.Ordinal)
                    && net.Blocks[p.Layer - 1].HasBatchNorm;
                if (beforeBatchNorm)
                {
                    // A bias before BatchNorm shifts a column that is normalised again: it has no effect on the loss.
                    Assert.True(g[p.GradientName].MaxAbs() < 1e-12 && numeric.MaxAbs() < 1e-9, $"{p.Name} should have a zero gradient");
                    continue;
                }
                NumericGradient.AssertClose(g[p.GradientName], numeric, $"{net.Architecture}: {p.GradientName}");
            }
        }

        [Theory]
        [InlineData(ActivationKind.Tanh)]
        [InlineData(ActivationKind.ReLU)]
        public void InferenceModePassesBackpropagateWithTheRunningStatisticsAsConstants(ActivationKind act)
        {
            var (net, x, t) = Make(act, OutputKind.Softmax, Layout("both"));
            var rng = new SeededRandom(5);
            foreach (var bn in net.BatchNorm)
                net.SetRunningStatistics(bn.Block, NumericGradient.Uniform(rng, 1, bn.Units, -0.3, 0.3), NumericGradient.Uniform(rng, 1, bn.Units, 0.5, 2));
            var pass = net.Forward(x, t, ForwardMode.Inference);
            Assert.Null(pass.Layers[0].DropoutMask);
            Gradients g = net.Backward(pass);
            Assert.Null(g.BatchStatistics);
            foreach (var p in net.Parameters.Where(q => q.Name.StartsWith("gamma", StringComparison.Ordinal) || q.Name.StartsWith("W", StringComparison.Ordinal)))
                NumericGradient.AssertClose(g[p.GradientName], NumericGradient.Of(() => net.ComputeLoss(x, t, ForwardMode.Inference), p.Value), p.GradientName);
        }

        [Theory]
        [InlineData("bn")]
        [InlineData("dropout")]
        [InlineData("both")]
        public void TheGradientCheckerPassesEveryParameterInTrainingMode(string layout)
        {
            var (net, x, t) = Make(ActivationKind.Tanh, OutputKind.Softmax, Layout(layout));
            var checker = new GradientChecker(net, x, t) { DropoutSeed = 11 };
            var summary = checker.CheckAll();
            foreach (var r in summary.Results)
                Assert.True(r.MaxRelError <= 1e-7, $"{r.Parameter}: {r.MaxRelError:E3}");
            Assert.Equal(net.Parameters.Count, summary.Results.Count);
        }

        [Fact]
        public void TheGradientCheckerCatchesAWrongBatchNormGradient()
        {
            var (net, x, t) = Make(ActivationKind.Tanh, OutputKind.Softmax, Layout("bn"));
            var checker = new GradientChecker(net, x, t) { DropoutSeed = 11 };
            var g = checker.ComputeAnalytic().Clone();
            g["dgamma1"].Data[0] *= 1.001;
            var summary = checker.CheckAll(g);
            Assert.True(summary.Results.Single(r => r.Parameter == "gamma1").MaxRelError > 1e-4);
        }
    }
}
