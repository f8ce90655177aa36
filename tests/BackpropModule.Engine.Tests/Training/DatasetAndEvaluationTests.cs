using System;
using System.Linq;
using BackpropModule.Engine.Data;
using BackpropModule.Engine.Layers;
using BackpropModule.Engine.Losses;
using BackpropModule.Engine.Tensors;
using BackpropModule.Engine.Training;
using Xunit;

namespace BackpropModule.Engine.Tests.Training
{
    public class DatasetAndEvaluationTests
    {
        [Fact]
        public void SineIsTheTutorials63Points()
        {
            var d = BuiltInDatasets.Create(BuiltInDatasetKind.Sine);
            Assert.Equal(63, d.Count);
            Assert.False(d.IsClassification);
            for (int i = 0; i < 63; i++)
            {
                double theta = 0.1 * i;
                Assert.Equal((theta - Math.PI) / Math.PI, d.Features[i], 12);
                Assert.Equal(Math.Sin(theta), d.Targets[i], 12);
            }
        }

        [Fact]
        public void XorHasFourPointsAndTwoClasses()
        {
            var d = BuiltInDatasets.Create(BuiltInDatasetKind.Xor);
            Assert.Equal(4, d.Count);
            Assert.Equal(2, d.ClassCount);
            for (int i = 0; i < 4; i++)
            {
                int expected = (int)d.Features[2 * i] ^ (int)d.Features[2 * i + 1];
                Assert.Equal(expected, d.Labels[i]);
                Assert.Equal(1.0, d.Targets[2 * i + expected]);
            }
            var noisy = BuiltInDatasets.Create(BuiltInDatasetKind.Xor, count: 40, seed: 1, noise: 0.1);
            Assert.Equal(40, noisy.Count);
            Assert.Contains(noisy.Features, v => v != 0 && v != 1);
        }

        [Fact]
        public void SpiralIsSeededAndBalanced()
        {
            var a = BuiltInDatasets.Create(BuiltInDatasetKind.Spiral, seed: 3);
            var b = BuiltInDatasets.Create(BuiltInDatasetKind.Spiral, seed: 3);
            var c = BuiltInDatasets.Create(BuiltInDatasetKind.Spiral, seed: 4);
            Assert.Equal(300, a.Count);
            Assert.Equal(3, a.ClassCount);
            Assert.Equal(a.Features, b.Features);
            Assert.NotEqual(a.Features, c.Features);
            Assert.All(Enumerable.Range(0, 3), k => Assert.Equal(100, a.Labels.Count(l => l == k)));
            Assert.All(Enumerable.Range(0, a.Count), s => Assert.True(Math.Sqrt(a.Features[2 * s] * a.Features[2 * s] + a.Features[2 * s + 1] * a.Features[2 * s + 1]) <= 1 + 1e-12));
            Assert.Equal(5, BuiltInDatasets.Create(BuiltInDatasetKind.Spiral, count: 10, classes: 5, seed: 1).ClassCount);
        }

        [Theory]
        [InlineData(BuiltInDatasetKind.Spiral, 0, null, null)]
        [InlineData(BuiltInDatasetKind.Spiral, null, 1, null)]
        [InlineData(BuiltInDatasetKind.Xor, null, 3, null)]
        [InlineData(BuiltInDatasetKind.Sine, null, null, -1.0)]
        public void BadOptionsAreRejected(BuiltInDatasetKind kind, int? count, int? classes, double? noise)
        {
            var e = Assert.Throws<BackpropException>(() => BuiltInDatasets.Create(kind, count, 1, noise, classes));
            Assert.Equal(ErrorIds.DatasetOptionInvalid, e.ErrorId);
        }

        [Fact]
        public void TheConfusionMatrixAndPerClassFiguresMatchAHandCount()
        {
            // A 3-3 softmax network with W = I and b = 0 predicts the index of the largest feature.
            var w = new Tensor(3, 3); for (int i = 0; i < 3; i++) w[i, i] = 1;
            var net = new Network(new[] { 3, 3 }, ActivationKind.ReLU, OutputKind.Softmax, new[] { w, new Tensor(1, 3) });
            int[] predicted = { 0, 0, 1, 2, 2, 2, 1, 0 };
            int[] actual = { 0, 1, 1, 2, 2, 0, 1, 0 };
            var f = new double[24]; var t = new double[24];
            for (int s = 0; s < 8; s++) { f[3 * s + predicted[s]] = 5; t[3 * s + actual[s]] = 1; }
            var data = new Dataset("hand", f, 3, t, 3, actual, new[] { "a", "b", "c" });
            var r = Evaluator.Evaluate(net, data, batchSize: 3);
            // Counts[actual, predicted]: a→a 2, a→c 1; b→a 1, b→b 2; c→c 2.
            Assert.Equal(new[,] { { 2, 0, 1 }, { 1, 2, 0 }, { 0, 0, 2 } }, r.ConfusionMatrix.Counts);
            Assert.Equal(6.0 / 8, r.Accuracy);
            Assert.Equal(2.0 / 3, r.Classes[0].Precision, 12); Assert.Equal(2.0 / 3, r.Classes[0].Recall, 12);
            Assert.Equal(1.0, r.Classes[1].Precision, 12); Assert.Equal(2.0 / 3, r.Classes[1].Recall, 12);
            Assert.Equal(2.0 / 3, r.Classes[2].Precision, 12); Assert.Equal(1.0, r.Classes[2].Recall, 12);
            Assert.Equal(0.8, r.Classes[1].F1, 12);
            Assert.Equal("b", r.Classes[1].Name);
            Assert.Equal(net.Forward(data.FeaturesTensor(), data.TargetsTensor()).Loss.Value, r.Loss, 12);
            Assert.Contains("actual", r.ConfusionMatrix.ToString());
        }

        [Fact]
        public void RegressionReportsMeanAbsoluteError()
        {
            var w = new Tensor(1, 1); w[0, 0] = 1;
            var net = new Network(new[] { 1, 1 }, ActivationKind.ReLU, OutputKind.Identity, new[] { w, new Tensor(1, 1) });
            var data = new Dataset("line", new[] { 1.0, 2.0, 3.0 }, 1, new[] { 1.5, 2.0, 2.0 }, 1, null);
            var r = Evaluator.Evaluate(net, data);
            Assert.Null(r.Accuracy);
            Assert.Null(r.ConfusionMatrix);
            Assert.Equal(0.5, r.MeanAbsoluteError.Value, 12);
            Assert.Equal((0.5 * 0.25 + 0.5 * 1.0) / 3, r.Loss, 12);
        }
    }
}
