using System;
using BackpropModule.Engine.Kernels;
using Xunit;

namespace BackpropModule.Engine.Tests.Kernels
{
    /// <summary>The vectorised elementwise loops give exactly the scalar formulas' bits (sums: within rounding).</summary>
    public class VectorMathTests
    {
        private static double[] Values(Random rng, int count)
        {
            double[] specials = { 0.0, -0.0, double.NaN, 1e-310, -1e-310, double.PositiveInfinity, double.NegativeInfinity, 1.0 };
            var x = new double[count];
            for (int i = 0; i < count; i++) x[i] = rng.Next(6) == 0 ? specials[rng.Next(specials.Length)] : 4 * rng.NextDouble() - 2;
            return x;
        }

        private static void Bitwise(double[] expected, double[] actual, string what)
        {
            for (int i = 0; i < expected.Length; i++)
                Assert.True(BitConverter.DoubleToInt64Bits(expected[i]) == BitConverter.DoubleToInt64Bits(actual[i]),
                    $"{what}: element {i} is {actual[i]:R}, the scalar formula gives {expected[i]:R}");
        }

        [Theory]
        [InlineData(0)]
        [InlineData(1)]
        [InlineData(7)]
        [InlineData(37)]
        [InlineData(1000)]
        public void ElementwiseLoopsMatchTheScalarFormulasBitForBit(int count)
        {
            var rng = new Random(count);
            double[] a = Values(rng, count), g = Values(rng, count), z = Values(rng, count), actual = new double[count], expected = new double[count];

            VectorMath.Relu(a, actual, count);
            for (int i = 0; i < count; i++) expected[i] = a[i] > 0 ? a[i] : 0.0;
            Bitwise(expected, actual, "ReLU");

            VectorMath.ReluBackward(a, g, actual, count);
            for (int i = 0; i < count; i++) expected[i] = a[i] > 0 ? g[i] : 0.0;
            Bitwise(expected, actual, "ReLU backward");

            VectorMath.SigmoidBackward(z, g, actual, count);
            for (int i = 0; i < count; i++) expected[i] = g[i] * z[i] * (1.0 - z[i]);
            Bitwise(expected, actual, "sigmoid backward");

            VectorMath.TanhBackward(z, g, actual, count);
            for (int i = 0; i < count; i++) expected[i] = g[i] * (1.0 - z[i] * z[i]);
            Bitwise(expected, actual, "tanh backward");

            VectorMath.ScaledDifference(z, g, 1.0 / 3, actual, count);
            for (int i = 0; i < count; i++) expected[i] = (z[i] - g[i]) * (1.0 / 3);
            Bitwise(expected, actual, "residual");
        }

        [Theory]
        [InlineData(1, 1)]
        [InlineData(3, 5)]
        [InlineData(100, 10)]
        [InlineData(13, 7)]
        public void BiasAddIsExactAndColumnSumsAgreeWithinRounding(int rows, int cols)
        {
            var rng = new Random(rows * 31 + cols);
            var x = new double[rows * cols];
            for (int i = 0; i < x.Length; i++) x[i] = 2 * rng.NextDouble() - 1;
            var bias = new double[cols];
            for (int c = 0; c < cols; c++) bias[c] = rng.NextDouble();

            var y = (double[])x.Clone();
            VectorMath.AddColumnBias(y, rows, cols, bias);
            for (int c = 0; c < cols; c++)
                for (int r = 0; r < rows; r++) Assert.Equal(x[r + c * rows] + bias[c], y[r + c * rows]);

            var sums = new double[cols];
            VectorMath.SumColumns(x, rows, cols, sums);
            for (int c = 0; c < cols; c++)
            {
                double s = 0, abs = 0;
                for (int r = 0; r < rows; r++) { s += x[r + c * rows]; abs += Math.Abs(x[r + c * rows]); }
                Assert.True(Math.Abs(sums[c] - s) <= 1e-14 * abs + 1e-300, $"column {c}: {sums[c]:R} vs {s:R}");
            }
        }
    }
}
