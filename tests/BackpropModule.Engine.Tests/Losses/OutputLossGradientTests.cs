using System;
using System.Collections.Generic;
using System.Linq;
using BackpropModule.Engine.Losses;
using BackpropModule.Engine.Randomness;
using BackpropModule.Engine.Tensors;
using BackpropModule.Engine.Tests.Foundation;
using Xunit;

namespace BackpropModule.Engine.Tests.Losses
{
    /// <summary>
    /// Every output/loss pairing: the fused backward dL/da = (y − t)/N against a central
    /// difference of the loss with respect to the pre-activation a, over the named shapes.
    /// </summary>
    public class OutputLossGradientTests
    {
        /// <summary>The target kinds: one-hot rows, soft (probability) rows, real values, 0/1 labels.</summary>
        public enum TargetKind { OneHot, Soft, Real, Binary }

        public static IEnumerable<object[]> Cases()
        {
            var pairs = new[]
            {
                (OutputKind.Softmax, TargetKind.OneHot),
                (OutputKind.Softmax, TargetKind.Soft),
                (OutputKind.Identity, TargetKind.Real),
                (OutputKind.Sigmoid, TargetKind.Binary),
                (OutputKind.Sigmoid, TargetKind.Soft),
            };
            foreach (var (output, target) in pairs)
                foreach (var s in NumericGradient.Shapes)
                    yield return new object[] { output, target, s.Name };
        }

        internal static Tensor MakeTarget(SeededRandom rng, TargetKind kind, int rows, int cols)
        {
            var t = new Tensor(rows, cols);
            for (int r = 0; r < rows; r++)
            {
                switch (kind)
                {
                    case TargetKind.OneHot:
                        t[r, rng.NextInt(cols)] = 1.0;
                        break;
                    case TargetKind.Soft:
                        // A random probability row (a softmax of random logits) for Softmax; any values in (0,1) for Sigmoid.
                        double sum = 0;
                        for (int c = 0; c < cols; c++) { t[r, c] = Math.Exp(2 * rng.NextDouble()); sum += t[r, c]; }
                        for (int c = 0; c < cols; c++) t[r, c] /= sum;
                        break;
                    case TargetKind.Real:
                        for (int c = 0; c < cols; c++) t[r, c] = 4 * rng.NextDouble() - 2;
                        break;
                    case TargetKind.Binary:
                        for (int c = 0; c < cols; c++) t[r, c] = rng.NextInt(2);
                        break;
                }
            }
            return t;
        }

        private static double LossAt(IOutputLoss loss, Tensor a, Tensor t)
        {
            var y = new Tensor(a.Rows, a.Columns);
            loss.Forward(a, y);
            return loss.Loss(a, y, t);
        }

        [Theory]
        [MemberData(nameof(Cases))]
        public void BackwardMatchesCentralDifference(OutputKind output, TargetKind target, string shapeName)
        {
            var shape = NumericGradient.Shapes.Single(s => s.Name == shapeName);
            var rng = new SeededRandom(100 + (int)output * 10 + (int)target + shape.Rows);
            IOutputLoss loss = OutputLosses.Create(output);
            Tensor a = NumericGradient.Uniform(rng, shape.Rows, shape.Columns, -2, 2);
            Tensor t = MakeTarget(rng, target, shape.Rows, shape.Columns);
            var y = new Tensor(shape.Rows, shape.Columns);
            loss.Forward(a, y);
            var da = new Tensor(shape.Rows, shape.Columns);
            loss.Backward(y, t, da);

            Tensor numeric = NumericGradient.Of(() => LossAt(loss, a, t), a);
            NumericGradient.AssertClose(da, numeric, $"{loss.Name}+{loss.LossName} with {target} targets, {shapeName}");
        }

        [Theory]
        [InlineData(OutputKind.Softmax, TargetKind.OneHot)]
        [InlineData(OutputKind.Identity, TargetKind.Real)]
        [InlineData(OutputKind.Sigmoid, TargetKind.Binary)]
        public void BackwardAndLossNeverMutateTheirInputs(OutputKind output, TargetKind target)
        {
            var rng = new SeededRandom(8);
            IOutputLoss loss = OutputLosses.Create(output);
            Tensor a = NumericGradient.Uniform(rng, 5, 4, -2, 2);
            Tensor t = MakeTarget(rng, target, 5, 4);
            var y = new Tensor(5, 4);
            loss.Forward(a, y);
            Tensor a0 = a.Clone(), y0 = y.Clone(), t0 = t.Clone();
            loss.Loss(a, y, t);
            loss.Backward(y, t, new Tensor(5, 4));
            Assert.True(a.BitwiseEquals(a0), "changed a");
            Assert.True(y.BitwiseEquals(y0), "changed y");
            Assert.True(t.BitwiseEquals(t0), "changed t");
        }

        [Fact]
        public void SquaredErrorIsHalfTheSumOverOutputsAveragedOverTheBatch()
        {
            var rng = new SeededRandom(31);
            var loss = OutputLosses.Create(OutputKind.Identity);
            Tensor a = NumericGradient.Uniform(rng, 7, 3, -2, 2), t = MakeTarget(rng, TargetKind.Real, 7, 3);
            double expected = 0;
            for (int r = 0; r < 7; r++)
            {
                double s = 0;
                for (int c = 0; c < 3; c++) s += 0.5 * (a[r, c] - t[r, c]) * (a[r, c] - t[r, c]);
                expected += s / 7;
            }
            Assert.Equal(expected, LossAt(loss, a, t), 12);
        }

        [Fact]
        public void CrossEntropyIsTheMeanOfMinusLogOfTheTargetProbability()
        {
            var rng = new SeededRandom(32);
            var loss = OutputLosses.Create(OutputKind.Softmax);
            Tensor a = NumericGradient.Uniform(rng, 6, 4, -2, 2), t = MakeTarget(rng, TargetKind.OneHot, 6, 4);
            var y = new Tensor(6, 4);
            loss.Forward(a, y);
            double expected = 0;
            for (int r = 0; r < 6; r++)
                for (int c = 0; c < 4; c++) if (t[r, c] == 1) expected -= Math.Log(y[r, c]) / 6;
            Assert.Equal(expected, loss.Loss(a, y, t), 12);
        }

        [Fact]
        public void BinaryCrossEntropyIsAveragedOverTheBatchAndSummedOverOutputs()
        {
            var rng = new SeededRandom(33);
            var loss = OutputLosses.Create(OutputKind.Sigmoid);
            Tensor a = NumericGradient.Uniform(rng, 5, 2, -2, 2), t = MakeTarget(rng, TargetKind.Binary, 5, 2);
            var y = new Tensor(5, 2);
            loss.Forward(a, y);
            double expected = 0;
            for (int r = 0; r < 5; r++)
                for (int c = 0; c < 2; c++) expected -= (t[r, c] * Math.Log(y[r, c]) + (1 - t[r, c]) * Math.Log(1 - y[r, c])) / 5;
            Assert.Equal(expected, loss.Loss(a, y, t), 12);
        }
    }
}
