using System;
using BackpropModule.Engine.Losses;
using BackpropModule.Engine.Randomness;
using BackpropModule.Engine.Tensors;
using BackpropModule.Engine.Tests.Foundation;
using Xunit;
using static BackpropModule.Engine.Tests.Losses.OutputLossGradientTests;

namespace BackpropModule.Engine.Tests.Losses
{
    /// <summary>Softmax rows, gradient rows, and numerical stability at extreme pre-activations.</summary>
    public class OutputLossInvariantTests
    {
        private static bool Finite(double v) => !double.IsNaN(v) && !double.IsInfinity(v);

        [Theory]
        [InlineData(1, 5)]
        [InlineData(17, 3)]
        [InlineData(2, 31)]
        public void SoftmaxRowsSumToOne(int rows, int k)
        {
            var rng = new SeededRandom(rows * 31 + k);
            Tensor a = NumericGradient.Uniform(rng, rows, k, -30, 30);
            var y = new Tensor(rows, k);
            new SoftmaxCrossEntropy().Forward(a, y);
            for (int r = 0; r < rows; r++)
            {
                double s = 0;
                for (int c = 0; c < k; c++) { Assert.InRange(y[r, c], 0.0, 1.0); s += y[r, c]; }
                Assert.True(Math.Abs(s - 1) <= 1e-15 * k, $"row {r} sums to 1{s - 1:+0.###E+0;-0.###E+0}");
            }
        }

        [Theory]
        [InlineData(12.0)]
        [InlineData(25.0)]
        [InlineData(3.0)]
        public void AConfidentPredictionsLossKeepsItsRelativePrecision(double margin)
        {
            // Logits (margin, 0, 0) with the target on the first: L = log(1 + 2·e^−margin), as small as 3e-11. Summed as
            // 1 + tiny and then logged, the loss kept only an absolute precision near 2e-16 (a relative 1e-5 at margin 25).
            var a = Tensor.FromRows(new[] { new[] { margin, 0.0, 0.0 } });
            var t = Tensor.FromRows(new[] { new[] { 1.0, 0.0, 0.0 } });
            double exact = OutputLosses.Log1P(2 * Math.Exp(-margin));
            var loss = new SoftmaxCrossEntropy();
            double alone = loss.Loss(a, new Tensor(1, 3), t), fused = loss.ForwardWithLoss(a, new Tensor(1, 3), t);
            Assert.True(Math.Abs(alone - exact) <= 4e-16 * exact, $"loss {alone:R}, exact {exact:R}");
            Assert.Equal(alone, fused);
        }

        [Theory]
        [InlineData(TargetKind.OneHot)]
        [InlineData(TargetKind.Soft)]
        public void SoftmaxLossGradientRowsSumToZero(TargetKind target)
        {
            const int rows = 9, k = 10;
            var rng = new SeededRandom(41);
            var loss = new SoftmaxCrossEntropy();
            Tensor a = NumericGradient.Uniform(rng, rows, k, -5, 5), t = MakeTarget(rng, target, rows, k);
            var y = new Tensor(rows, k);
            loss.Forward(a, y);
            var da = new Tensor(rows, k);
            loss.Backward(y, t, da);
            for (int r = 0; r < rows; r++)
            {
                double s = 0;
                for (int c = 0; c < k; c++) s += da[r, c];
                Assert.True(Math.Abs(s) <= 1e-15 * k, $"row {r} of dL/da sums to {s:E3}");
            }
        }

        [Fact]
        public void SoftmaxOfHugeSpreadIsFinite()
        {
            var a = Tensor.FromRow(new[] { 1000.0, 0.0, -1000.0 });
            var y = new Tensor(1, 3);
            var loss = new SoftmaxCrossEntropy();
            loss.Forward(a, y);
            Assert.Equal(new[] { 1.0, 0.0, 0.0 }, y.GetRow(0));
            // Class 0 is certain (loss 0); class 1 is e^−1000 away (loss exactly 1000 in the log-softmax form).
            Assert.Equal(0.0, loss.Loss(a, y, Tensor.FromRow(new[] { 1.0, 0, 0 })), 12);
            double l1 = loss.Loss(a, y, Tensor.FromRow(new[] { 0, 1.0, 0 }));
            Assert.True(Finite(l1));
            Assert.Equal(1000.0, l1, 9);
            var da = new Tensor(1, 3);
            loss.Backward(y, Tensor.FromRow(new[] { 0, 1.0, 0 }), da);
            Assert.True(da.FindNonFinite() == null);
        }

        [Theory]
        [InlineData(800.0, 0.0, 800.0)]
        [InlineData(800.0, 1.0, 0.0)]
        [InlineData(-800.0, 1.0, 800.0)]
        [InlineData(-800.0, 0.0, 0.0)]
        public void BinaryCrossEntropyAtExtremeLogitsIsFinite(double a, double t, double expected)
        {
            // L = −[t log σ(a) + (1−t) log(1−σ(a))]; at |a| = 800 σ(a) rounds to 0 or 1, so a naive
            // log would give log(0) = −∞. The logit form gives the exact value |a| or 0.
            var loss = new SigmoidBinaryCrossEntropy();
            var x = Tensor.FromRow(new[] { a });
            var y = new Tensor(1, 1);
            loss.Forward(x, y);
            Assert.True(Finite(y[0, 0]));
            double l = loss.Loss(x, y, Tensor.FromRow(new[] { t }));
            Assert.True(Finite(l), $"BCE({a}, {t}) = {l}");
            Assert.Equal(expected, l, 9);
        }

        [Theory]
        [InlineData(OutputKind.Softmax, "Softmax", "CrossEntropy")]
        [InlineData(OutputKind.Identity, "Identity", "SquaredError")]
        [InlineData(OutputKind.Sigmoid, "Sigmoid", "BinaryCrossEntropy")]
        public void PairingsAreNamed(OutputKind kind, string name, string lossName)
        {
            var loss = OutputLosses.Create(kind);
            Assert.Equal(kind, loss.Kind);
            Assert.Equal(name, loss.Name);
            Assert.Equal(lossName, loss.LossName);
        }
    }
}
