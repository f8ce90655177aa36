using System;
using System.Linq;
using BackpropModule.Engine.Kernels;
using BackpropModule.Engine.Layers;
using BackpropModule.Engine.Losses;
using BackpropModule.Engine.Tensors;
using Xunit;

namespace BackpropModule.Engine.Tests.Single
{
    /// <summary>The float activations, losses and update rules against their double twins on the same float inputs.</summary>
    public class SingleMathTests
    {
        private const double Relative = 1e-6;

        private static float[] Random(int n, int seed, double scale)
        {
            var rng = new Random(seed);
            return Enumerable.Range(0, n).Select(_ => (float)(scale * (2 * rng.NextDouble() - 1))).ToArray();
        }

        private static double[] Wide(float[] f) => f.Select(x => (double)x).ToArray();

        /// <summary>|e − a| ≤ relative·max(|e|, floor·max|e|): the floor covers cancellation near zero (1 − z² at z ≈ 1 keeps only float's absolute accuracy).</summary>
        private static void AssertClose(double[] expected, float[] actual, double relative, string what, double floor = 1e-3)
        {
            Assert.Equal(expected.Length, actual.Length);
            double scale = expected.Max(Math.Abs) + 1e-30;
            for (int i = 0; i < expected.Length; i++)
                Assert.True(Math.Abs(expected[i] - actual[i]) <= relative * Math.Max(Math.Abs(expected[i]), floor * scale),
                    $"{what}[{i}]: double {expected[i]:R}, single {actual[i]:R}");
        }

        private static Tensor T(int rows, int cols, float[] data)
        {
            var t = new Tensor(rows, cols);
            for (int i = 0; i < data.Length; i++) t.Data[i] = data[i];
            return t;
        }

        [Theory]
        [InlineData(ActivationKind.ReLU)]
        [InlineData(ActivationKind.Sigmoid)]
        [InlineData(ActivationKind.Tanh)]
        public void ActivationsAndTheirBackwardMatchDouble(ActivationKind kind)
        {
            const int rows = 7, cols = 13, n = rows * cols;   // odd sizes: vector part and scalar tail
            float[] a = Random(n, 1, 6), dz = Random(n, 2, 1);
            var act = Activations.Create(kind);
            Tensor ad = T(rows, cols, a), zd = new Tensor(rows, cols), dad = new Tensor(rows, cols);
            act.Forward(ad, zd);
            float[] z = new float[n], da = new float[n];
            switch (kind)
            {
                case ActivationKind.ReLU: VectorMathSingle.Relu(a, z, n); break;
                case ActivationKind.Sigmoid: VectorMathSingle.Sigmoid(a, z, n); break;
                default: VectorMathSingle.Tanh(a, z, n); break;
            }
            AssertClose(zd.Data, z, Relative, kind + " forward");
            // Backward from the same float z, so only the backward's own rounding is compared.
            act.Backward(ad, T(rows, cols, z), T(rows, cols, dz), dad);
            switch (kind)
            {
                case ActivationKind.ReLU: VectorMathSingle.ReluBackward(a, dz, da, n); break;
                case ActivationKind.Sigmoid: VectorMathSingle.SigmoidBackward(z, dz, da, n); break;
                default: VectorMathSingle.TanhBackward(z, dz, da, n); break;
            }
            AssertClose(dad.Data, da, 4 * Relative, kind + " backward", floor: 0.1);
        }

        [Theory]
        [InlineData(OutputKind.Softmax)]
        [InlineData(OutputKind.Identity)]
        [InlineData(OutputKind.Sigmoid)]
        public void OutputsLossesAndResidualsMatchDouble(OutputKind kind)
        {
            const int n = 9, k = 5;
            float[] a = Random(n * k, 3, 8), t = new float[n * k];
            var rng = new Random(4);
            for (int r = 0; r < n; r++) t[r + rng.Next(k) * n] = 1;
            var loss = OutputLosses.Create(kind);
            Tensor ad = T(n, k, a), yd = new Tensor(n, k), td = T(n, k, t), dd = new Tensor(n, k);
            loss.Forward(ad, yd);
            double expectedLoss = loss.Loss(ad, yd, td);
            float[] y = new float[n * k], d = new float[n * k];
            double actualLoss = OutputLossesSingle.ForwardWithLoss(kind, a, y, t, n, k);
            AssertClose(yd.Data, y, Relative, kind + " output");
            Assert.True(Math.Abs(expectedLoss - actualLoss) <= Relative * Math.Abs(expectedLoss), $"loss: double {expectedLoss:R}, single {actualLoss:R}");
            loss.Backward(T(n, k, y), td, dd);
            VectorMathSingle.ScaledDifference(y, t, (float)(1.0 / n), d, n * k);
            AssertClose(dd.Data, d, Relative, kind + " residual");
            if (kind == OutputKind.Softmax)
                for (int r = 0; r < n; r++) Assert.True(Math.Abs(Enumerable.Range(0, k).Sum(c => (double)y[r + c * n]) - 1) < 1e-6, "softmax rows sum to 1");
        }

        [Fact]
        public void ColumnSumsBiasAndFiniteScanMatchDouble()
        {
            const int rows = 37, cols = 3;
            float[] x = Random(rows * cols, 5, 2), bias = Random(cols, 6, 1), sums = new float[cols];
            var xd = Wide(x); var sd = new double[cols];
            VectorMath.SumColumns(xd, rows, cols, sd);
            VectorMathSingle.SumColumns(x, rows, cols, sums);
            AssertClose(sd, sums, 1e-5, "column sums");
            VectorMath.AddColumnBias(xd, rows, cols, Wide(bias));
            VectorMathSingle.AddColumnBias(x, rows, cols, bias);
            AssertClose(xd, x, Relative, "bias");
            Assert.True(VectorMathSingle.AllFinite(x));
            foreach (float bad in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
                foreach (int at in new[] { 0, 9, 17, 25, 33, 100, x.Length - 1 })   // each accumulator, the one-vector loop, the tail
                {
                    var y = (float[])x.Clone(); y[at] = bad;
                    Assert.False(VectorMathSingle.AllFinite(y), $"{bad} at {at}");
                }
        }

        [Theory]
        [InlineData("SGD")]
        [InlineData("Momentum")]
        [InlineData("AdaGrad")]
        [InlineData("RMSProp")]
        [InlineData("Adam")]
        public void UpdateRulesMatchDoubleOverSeveralSteps(string rule)
        {
            const int n = 29;
            float[] w = Random(n, 7, 1), s0 = new float[n], s1 = new float[n];
            double[] wd = Wide(w), d0 = new double[n], d1 = new double[n];
            const double lr = 0.01, decay = 1e-3;
            double b1p = 1, b2p = 1;
            for (int step = 0; step < 5; step++)
            {
                float[] g = Random(n, 100 + step, 0.5);
                double[] gd = Wide(g);
                switch (rule)
                {
                    case "SGD": OptimizerMath.Sgd(wd, gd, decay, lr); OptimizerMathSingle.Sgd(w, g, (float)decay, (float)lr); break;
                    case "Momentum": OptimizerMath.Momentum(wd, gd, decay, d0, lr, 0.9); OptimizerMathSingle.Momentum(w, g, (float)decay, s0, (float)lr, 0.9f); break;
                    case "AdaGrad": OptimizerMath.AdaGrad(wd, gd, decay, d0, lr, 1e-8); OptimizerMathSingle.AdaGrad(w, g, (float)decay, s0, (float)lr, 1e-8f); break;
                    case "RMSProp": OptimizerMath.RmsProp(wd, gd, decay, d0, lr, 0.99, 1e-8); OptimizerMathSingle.RmsProp(w, g, (float)decay, s0, (float)lr, 0.99f, (float)(1 - 0.99), 1e-8f); break;
                    default:
                        b1p *= 0.9; b2p *= 0.999;
                        double c1 = 1 / (1 - b1p), c2 = 1 / (1 - b2p);
                        OptimizerMath.Adam(wd, gd, decay, d0, d1, lr, 0.9, 0.999, 1e-8, c1, c2);
                        OptimizerMathSingle.Adam(w, g, (float)decay, s0, s1, (float)lr, 0.9f, 0.999f, (float)(1 - 0.9), (float)(1 - 0.999), 1e-8f, (float)c1, (float)c2);
                        break;
                }
            }
            AssertClose(wd, w, 2 * Relative, rule + " weights");
            if (rule != "SGD") AssertClose(d0, s0, 1e-5, rule + " state");
        }
    }
}
