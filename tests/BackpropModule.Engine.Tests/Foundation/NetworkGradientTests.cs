using System;
using System.Collections.Generic;
using System.Linq;
using BackpropModule.Engine.Layers;
using BackpropModule.Engine.Losses;
using BackpropModule.Engine.Randomness;
using BackpropModule.Engine.Tensors;
using Xunit;
using static BackpropModule.Engine.Tests.Losses.OutputLossGradientTests;

namespace BackpropModule.Engine.Tests.Foundation
{
    /// <summary>
    /// Whole networks: every hidden activation × output pairing at depths 2 to 4 (Affine layers),
    /// every parameter's gradient against a central difference of the batch loss.
    /// </summary>
    public class NetworkGradientTests
    {
        private static readonly Dictionary<int, int[]> SizesByDepth = new Dictionary<int, int[]>
        {
            [2] = new[] { 4, 5, 3 },
            [3] = new[] { 4, 5, 4, 3 },
            [4] = new[] { 4, 5, 4, 5, 3 },
        };

        public static IEnumerable<object[]> Cases() =>
            from act in new[] { ActivationKind.ReLU, ActivationKind.Sigmoid, ActivationKind.Tanh }
            from output in new[] { OutputKind.Softmax, OutputKind.Identity, OutputKind.Sigmoid }
            from depth in new[] { 2, 3, 4 }
            select new object[] { act, output, depth };

        /// <summary>
        /// A network, batch and target whose hidden pre-activations all keep |a| ≥ 0.05, so the
        /// finite-difference step (which moves them by far less) never crosses a ReLU kink.
        /// Seeds are tried in order, so the choice is deterministic.
        /// </summary>
        internal static (Network Net, Tensor X, Tensor T) MakeAwayFromKinks(ActivationKind act, OutputKind output, int[] sizes, int batch)
        {
            for (int seed = 1; seed < 1000; seed++)
            {
                var net = new Network(sizes, act, output, seed: seed);
                var rng = new SeededRandom(seed * 7919);
                Tensor x = NumericGradient.Uniform(rng, batch, sizes[0], -1, 1);
                var kind = output == OutputKind.Softmax ? TargetKind.OneHot : output == OutputKind.Sigmoid ? TargetKind.Binary : TargetKind.Real;
                Tensor t = MakeTarget(rng, kind, batch, sizes[sizes.Length - 1]);
                var pass = net.Forward(x, t);
                bool clear = pass.Layers.Take(pass.Layers.Count - 1).All(l => l.PreActivation.Data.All(v => Math.Abs(v) >= 0.05));
                if (clear) return (net, x, t);
            }
            throw new InvalidOperationException("No seed keeps the pre-activations away from the ReLU kink.");
        }

        [Theory]
        [MemberData(nameof(Cases))]
        public void EveryParameterGradientMatchesCentralDifference(ActivationKind act, OutputKind output, int depth)
        {
            var (net, x, t) = MakeAwayFromKinks(act, output, SizesByDepth[depth], 3);
            Gradients g = net.Backward(net.Forward(x, t));
            foreach (var p in net.Parameters)
            {
                Tensor numeric = NumericGradient.Of(() => net.ComputeLoss(x, t), p.Value);
                NumericGradient.AssertClose(g[p.GradientName], numeric, $"{net.Architecture} depth {depth}: {p.GradientName}");
            }
        }

        [Fact]
        public void GradientShapesEqualParameterShapes()
        {
            var (net, x, t) = MakeAwayFromKinks(ActivationKind.ReLU, OutputKind.Softmax, SizesByDepth[4], 5);
            Gradients g = net.Backward(net.Forward(x, t));
            Assert.Equal(net.Parameters.Select(p => "d" + p.Name), g.Names);
            foreach (var p in net.Parameters) Assert.Equal(p.Value.Shape, g[p.Name].Shape);
            Assert.Equal(net.Layers.Count, g.Deltas.Count);
            for (int i = 0; i < net.Layers.Count; i++) Assert.Equal("5x" + net.Layers[i].Outputs, g.Deltas[i].Shape);
        }

        [Fact]
        public void BackwardNeverMutatesThePassOrTheParameters()
        {
            var (net, x, t) = MakeAwayFromKinks(ActivationKind.Tanh, OutputKind.Softmax, SizesByDepth[3], 4);
            var pass = net.Forward(x, t);
            var before = pass.Layers.SelectMany(l => new[] { l.Input.Clone(), l.PreActivation.Clone(), l.Output.Clone() }).ToArray();
            Tensor target0 = pass.Target.Clone(), input0 = pass.Input.Clone();
            Tensor[] params0 = net.SnapshotParameters();

            net.Backward(pass);
            net.Backward(pass);

            var after = pass.Layers.SelectMany(l => new[] { l.Input, l.PreActivation, l.Output }).ToArray();
            for (int i = 0; i < before.Length; i++) Assert.True(before[i].BitwiseEquals(after[i]), $"trace tensor {i} changed");
            Assert.True(target0.BitwiseEquals(pass.Target));
            Assert.True(input0.BitwiseEquals(pass.Input));
            for (int i = 0; i < params0.Length; i++) Assert.True(params0[i].BitwiseEquals(net.Parameters[i].Value));
            Assert.Equal(0, net.Version);
        }

        [Fact]
        public void OneStepOfGradientDescentFollowsTheFormula()
        {
            var (net, x, t) = MakeAwayFromKinks(ActivationKind.Sigmoid, OutputKind.Identity, SizesByDepth[2], 3);
            Tensor[] w0 = net.SnapshotParameters();
            Gradients g = net.Backward(net.Forward(x, t));
            net.ApplyGradientDescent(g, 0.25);
            for (int p = 0; p < w0.Length; p++)
                for (int r = 0; r < w0[p].Rows; r++)
                    for (int c = 0; c < w0[p].Columns; c++)
                        Assert.Equal(w0[p][r, c] - 0.25 * g.GetByIndex(p)[r, c], net.Parameters[p].Value[r, c]);
            Assert.Equal(1, net.Version);
            Assert.True(g.IsStale);
        }

        [Fact]
        public void StalePassesAndTargetlessPassesAreRefused()
        {
            var (net, x, t) = MakeAwayFromKinks(ActivationKind.ReLU, OutputKind.Softmax, SizesByDepth[2], 2);
            var noTarget = net.Forward(x);
            var e1 = Assert.Throws<BackpropException>(() => net.Backward(noTarget));
            Assert.Equal(ErrorIds.TargetMissing, e1.ErrorId);
            var pass = net.Forward(x, t);
            net.ApplyGradientDescent(net.Backward(pass), 0.1);
            var e2 = Assert.Throws<BackpropException>(() => net.Backward(pass));
            Assert.Equal(ErrorIds.ForwardPassStale, e2.ErrorId);
            Assert.Equal(ErrorKind.InvalidOperation, e2.Kind);
            Assert.Same(pass, e2.TargetObject);
        }
    }
}
