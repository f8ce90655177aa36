using System;
using System.Collections.Generic;
using System.Linq;
using BackpropModule.Engine.Layers;
using BackpropModule.Engine.Losses;
using BackpropModule.Engine.Randomness;
using BackpropModule.Engine.Tensors;
using BackpropModule.Engine.Training.Optimizers;
using Xunit;

namespace BackpropModule.Engine.Tests.Training
{
    public class OptimizerTests
    {
        private static Network Net(int seed) => new Network(new[] { 3, 4, 2 }, ActivationKind.Tanh, OutputKind.Softmax, seed: seed);

        private static Tensor[] RandomGradients(Network net, SeededRandom rng) =>
            net.Parameters.Select(p =>
            {
                var g = new Tensor(p.Value.Rows, p.Value.Columns);
                for (int r = 0; r < g.Rows; r++) for (int c = 0; c < g.Columns; c++) g[r, c] = rng.NextNormal();
                return g;
            }).ToArray();

        /// <summary>A scalar reference of each rule, written straight from the papers' formulas, one weight at a time.</summary>
        private sealed class Reference
        {
            private readonly string name; private readonly double lr, wd;
            private readonly Dictionary<(int, int), double> m = new Dictionary<(int, int), double>(), v = new Dictionary<(int, int), double>();
            private int t;
            public Reference(string name, double lr, double wd) { this.name = name; this.lr = lr; this.wd = wd; }
            public void Step(Network net, Tensor[] grads)
            {
                t++;
                for (int p = 0; p < grads.Length; p++)
                {
                    var w = net.Parameters[p].Value;
                    bool decay = net.Parameters[p].Name.StartsWith("W");
                    for (int r = 0; r < w.Rows; r++)
                        for (int c = 0; c < w.Columns; c++)
                        {
                            var key = (p, r * 1000 + c);
                            double g = grads[p][r, c] + (decay ? wd * w[r, c] : 0);
                            m.TryGetValue(key, out double mk); v.TryGetValue(key, out double vk);
                            switch (name)
                            {
                                case "SGD": w[r, c] -= lr * g; break;
                                case "Momentum": mk = 0.9 * mk - lr * g; w[r, c] += mk; break;
                                case "AdaGrad": vk += g * g; w[r, c] -= lr * g / (Math.Sqrt(vk) + 1e-8); break;
                                case "RMSProp": vk = 0.99 * vk + 0.01 * g * g; w[r, c] -= lr * g / (Math.Sqrt(vk) + 1e-8); break;
                                case "Adam":
                                    mk = 0.9 * mk + 0.1 * g; vk = 0.999 * vk + 0.001 * g * g;
                                    double mh = mk / (1 - Math.Pow(0.9, t)), vh = vk / (1 - Math.Pow(0.999, t));
                                    w[r, c] -= lr * mh / (Math.Sqrt(vh) + 1e-8); break;
                            }
                            m[key] = mk; v[key] = vk;
                        }
                }
            }
        }

        public static IEnumerable<object[]> Rules() => OptimizerFactory.Names.SelectMany(n => new[] { new object[] { n, 0.0 }, new object[] { n, 0.01 } });

        [Theory]
        [MemberData(nameof(Rules))]
        public void EachRuleMatchesItsFormula(string name, double weightDecay)
        {
            var a = Net(5); var b = Net(5);
            var opt = OptimizerFactory.Create(name, new Dictionary<string, double> { ["LearningRate"] = 0.05, ["WeightDecay"] = weightDecay });
            var reference = new Reference(name, 0.05, weightDecay);
            var rng = new SeededRandom(9);
            for (int step = 0; step < 5; step++)
            {
                var g = RandomGradients(a, rng);
                long version = a.Version;
                opt.Step(a, g);
                reference.Step(b, g);
                Assert.Equal(version + 1, a.Version);
            }
            for (int p = 0; p < a.Parameters.Count; p++)
                for (int i = 0; i < a.Parameters[p].Value.Count; i++)
                {
                    double x = a.Parameters[p].Value[i % a.Parameters[p].Value.Rows, i / a.Parameters[p].Value.Rows];
                    double y = b.Parameters[p].Value[i % b.Parameters[p].Value.Rows, i / b.Parameters[p].Value.Rows];
                    Assert.True(Math.Abs(x - y) <= 1e-12 * Math.Max(1, Math.Abs(y)), $"{name} {a.Parameters[p].Name}[{i}]: {x} vs {y}");
                }
            Assert.Equal(5, opt.Steps);
        }

        [Theory]
        [MemberData(nameof(Rules))]
        public void SavedStateResumesBitForBit(string name, double weightDecay)
        {
            var a = Net(3); var b = Net(3);
            var settings = new Dictionary<string, double> { ["WeightDecay"] = weightDecay };
            var whole = OptimizerFactory.Create(name, settings);
            var first = OptimizerFactory.Create(name, settings);
            var rng = new SeededRandom(4);
            var grads = Enumerable.Range(0, 6).Select(_ => RandomGradients(a, rng)).ToArray();
            for (int i = 0; i < 6; i++) whole.Step(a, grads[i]);
            for (int i = 0; i < 3; i++) first.Step(b, grads[i]);
            // b continues with a fresh optimizer that loads the saved state.
            var second = OptimizerFactory.Create(name, first.Settings);
            second.LoadState(first.SaveState());
            for (int i = 3; i < 6; i++) second.Step(b, grads[i]);
            for (int p = 0; p < a.Parameters.Count; p++) Assert.True(a.Parameters[p].Value.BitwiseEquals(b.Parameters[p].Value));
        }

        [Fact]
        public void StateIsCreatedOnFirstUseAndBoundToTheShapes()
        {
            var opt = new AdamOptimizer();
            Assert.False(opt.HasState);
            Assert.Empty(opt.SaveState());
            var net = Net(1);
            opt.Step(net, RandomGradients(net, new SeededRandom(1)));
            Assert.True(opt.HasState);
            var other = new Network(new[] { 3, 5, 2 }, ActivationKind.Tanh, OutputKind.Softmax, seed: 1);
            var e = Assert.Throws<BackpropException>(() => opt.Step(other, RandomGradients(other, new SeededRandom(1))));
            Assert.Equal(ErrorIds.OptimizerNetworkMismatch, e.ErrorId);
            opt.Reset();
            opt.Step(other, RandomGradients(other, new SeededRandom(1)));
            Assert.Equal(1, opt.Steps);
        }

        [Fact]
        public void GradientsOfTheWrongShapeAreRejectedAndNothingChanges()
        {
            var net = Net(2);
            var before = net.SnapshotParameters();
            var bad = RandomGradients(net, new SeededRandom(2));
            bad[1] = new Tensor(1, 7);
            var e = Assert.Throws<BackpropException>(() => new SgdOptimizer().Step(net, bad));
            Assert.Equal(ErrorIds.GradientNetworkMismatch, e.ErrorId);
            for (int p = 0; p < before.Length; p++) Assert.True(before[p].BitwiseEquals(net.Parameters[p].Value));
        }

        [Theory]
        [InlineData("Momentum", "Momentum", 1.0)]
        [InlineData("Adam", "Beta1", -0.1)]
        [InlineData("Adam", "Beta2", 1.0)]
        [InlineData("AdaGrad", "Epsilon", 0.0)]
        [InlineData("RMSProp", "Decay", 1.5)]
        [InlineData("SGD", "WeightDecay", -1.0)]
        [InlineData("SGD", "Momentum", 0.9)]
        [InlineData("Adam", "Momentum", 0.9)]
        public void BadSettingsAreRejected(string name, string setting, double value)
        {
            var e = Assert.Throws<BackpropException>(() => OptimizerFactory.Create(name, new Dictionary<string, double> { [setting] = value }));
            Assert.Equal(ErrorIds.OptimizerSettingInvalid, e.ErrorId);
            Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        }

        [Fact]
        public void UnknownNamesAndBadLearningRatesAreRejected()
        {
            Assert.Equal(ErrorIds.OptimizerNameUnknown, Assert.Throws<BackpropException>(() => OptimizerFactory.Create("Adamax")).ErrorId);
            Assert.Equal(ErrorIds.LearningRateInvalid, Assert.Throws<BackpropException>(() => new AdamOptimizer(0)).ErrorId);
            Assert.Equal(ErrorIds.LearningRateInvalid, Assert.Throws<BackpropException>(() => new SgdOptimizer(double.NaN)).ErrorId);
            Assert.Equal("RMSProp", OptimizerFactory.Create("rmsprop").Name);
        }

        [Fact]
        public void SettingsListEveryHyperparameterWithItsDefault()
        {
            var s = OptimizerFactory.Create("Adam").Settings;
            Assert.Equal(0.001, s["LearningRate"]);
            Assert.Equal(0.9, s["Beta1"]);
            Assert.Equal(0.999, s["Beta2"]);
            Assert.Equal(1e-8, s["Epsilon"]);
            Assert.Equal(0.0, s["WeightDecay"]);
            Assert.Equal(0.9, OptimizerFactory.Create("Momentum").Settings["Momentum"]);
            Assert.Equal(0.99, OptimizerFactory.Create("RMSProp").Settings["Decay"]);
        }
    }
}
