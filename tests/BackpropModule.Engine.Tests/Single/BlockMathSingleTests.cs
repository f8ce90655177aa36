using System;
using System.Linq;
using BackpropModule.Engine.Kernels;
using BackpropModule.Engine.Layers;
using BackpropModule.Engine.Randomness;
using Xunit;

namespace BackpropModule.Engine.Tests.Single
{
    /// <summary>The float BatchNorm and Dropout kernels against their double twins.</summary>
    public class BlockMathSingleTests
    {
        private static float[] ToSingle(double[] d) => d.Select(x => (float)x).ToArray();

        /// <summary>max |float − double| relative to the largest double magnitude of the array.</summary>
        private static void AssertClose(double[] expected, float[] actual, double tolerance, string what)
        {
            double scale = expected.Max(Math.Abs) + 1e-30, worst = 0;
            for (int i = 0; i < expected.Length; i++) worst = Math.Max(worst, Math.Abs(expected[i] - actual[i]) / scale);
            Assert.True(worst <= tolerance, $"{what}: relative error {worst:G3} > {tolerance:G3}");
        }

        [Theory]
        [InlineData(1, 3, 1)]      // a batch of one: every x̂ is 0
        [InlineData(17, 3, 2)]     // tall
        [InlineData(2, 31, 3)]     // wide
        [InlineData(100, 64, 4)]   // a training batch
        public void FloatBatchNormForwardAndBackwardMatchDouble(int n, int units, int seed)
        {
            var rng = new Random(seed);
            double Draw(double scale) => (rng.NextDouble() * 2 - 1) * scale;
            // Columns with an offset and a spread of their own, as affine outputs have.
            var a = new double[n * units];
            for (int j = 0; j < units; j++)
            {
                double offset = Draw(3), spread = 0.1 + rng.NextDouble() * 2;
                for (int r = 0; r < n; r++) a[j * n + r] = offset + Draw(spread);
            }
            // Rounded to float first, so both sides see the same inputs.
            a = ToSingle(a).Select(x => (double)x).ToArray();
            var gamma = Enumerable.Range(0, units).Select(_ => (double)(float)(0.5 + rng.NextDouble())).ToArray();
            var beta = Enumerable.Range(0, units).Select(_ => (double)(float)Draw(0.5)).ToArray();
            var dy = Enumerable.Range(0, n * units).Select(_ => (double)(float)Draw(1)).ToArray();

            double[] mean = new double[units], variance = new double[units], invStd = new double[units];
            double[] xhat = new double[n * units], y = new double[n * units], dx = new double[n * units], dgamma = new double[units], dbeta = new double[units];
            BatchNormMath.TrainingForward(a, n, units, gamma, beta, 1e-5, mean, variance, invStd, xhat, y);
            BatchNormMath.TrainingBackward(dy, xhat, n, units, gamma, invStd, dx, dgamma, dbeta);

            double[] meanS = new double[units], varianceS = new double[units];
            float[] invStdS = new float[units], xhatS = new float[n * units], yS = new float[n * units];
            float[] dxS = new float[n * units], dgammaS = new float[units], dbetaS = new float[units];
            BlockMathSingle.BatchNormForward(ToSingle(a), n, units, ToSingle(gamma), ToSingle(beta), 1e-5, meanS, varianceS, invStdS, xhatS, yS);
            BlockMathSingle.BatchNormBackward(ToSingle(dy), xhatS, n, units, ToSingle(gamma), invStdS, dxS, dgammaS, dbetaS);

            // The statistics are summed in double from the same floats (in another order): equal but for rounding.
            for (int j = 0; j < units; j++)
            {
                Assert.True(Math.Abs(mean[j] - meanS[j]) <= 1e-13 * (Math.Abs(mean[j]) + 1), "mean " + j);
                Assert.True(Math.Abs(variance[j] - varianceS[j]) <= 1e-12 * variance[j] + 1e-300, "variance " + j);
            }
            AssertClose(invStd, invStdS, 1e-6, "1/std");
            AssertClose(xhat, xhatS, 1e-5, "x̂");
            AssertClose(y, yS, 1e-5, "y");
            AssertClose(dx, dxS, 1e-5, "dx");
            AssertClose(dgamma, dgammaS, 1e-5, "dgamma");
            AssertClose(dbeta, dbetaS, 1e-5, "dbeta");
            if (n == 1) Assert.All(dxS, v => Assert.Equal(0f, v));
        }

        [Fact]
        public void FloatInferenceUsesTheRunningStatistics()
        {
            int n = 9, units = 4;
            var rng = new Random(7);
            var a = Enumerable.Range(0, n * units).Select(_ => (double)(float)(rng.NextDouble() * 4 - 2)).ToArray();
            double[] gamma = { 1, 0.5, 2, 1.5 }, beta = { 0, 0.25, -1, 0.5 }, rm = { 0.1, -0.3, 0.7, 0 }, rv = { 1, 0.25, 2.5, 0.04 };
            var y = new double[n * units];
            BatchNormMath.InferenceForward(a, n, units, gamma, beta, 1e-5, rm, rv, null, null, y);
            var yS = new float[n * units];
            BlockMathSingle.BatchNormInference(ToSingle(a), n, units, ToSingle(gamma), ToSingle(beta), 1e-5, rm, rv, yS);
            AssertClose(y, yS, 1e-6, "y");
        }

        [Theory]
        [InlineData(0.1, 11L)]
        [InlineData(0.5, -3L)]
        [InlineData(0.9, 12345L)]
        public void FloatDropoutDropsTheUnitsDoubleDropsFromTheSameSeed(double rate, long seed)
        {
            int count = 1000;
            var mask = new double[count];
            DropoutMask.Draw(new SeededRandom(seed), rate, mask, count);
            var maskS = new float[count];
            BlockMathSingle.DrawDropout(new SeededRandom(seed), rate, maskS, count);
            Assert.Contains(mask, m => m == 0);
            Assert.Contains(mask, m => m != 0);
            for (int i = 0; i < count; i++)
            {
                Assert.Equal(mask[i] == 0, maskS[i] == 0);
                Assert.Equal((float)mask[i], maskS[i]);
            }
            var z = Enumerable.Range(0, count).Select(i => (float)(i * 0.01 - 3)).ToArray();
            var dropped = new float[count];
            BlockMathSingle.ApplyDropout(z, maskS, dropped, count);
            for (int i = 0; i < count; i++) Assert.Equal(z[i] * maskS[i], dropped[i]);
        }
    }
}
