using System;
using System.Collections.Generic;
using System.Linq;
using BackpropModule.Engine.Kernels;
using BackpropModule.Engine.Layers;
using BackpropModule.Engine.Losses;
using BackpropModule.Engine.Tensors;
using BackpropModule.Engine.Training;
using BackpropModule.Engine.Training.Optimizers;
using Xunit;

namespace BackpropModule.Engine.Tests.Training
{
    /// <summary>
    /// The vectorised update rules give exactly the bits of the plain per-element loops they replaced,
    /// for lengths that leave every possible scalar tail, with and without weight decay, over several steps.
    /// </summary>
    public class OptimizerVectorisationTests
    {
        private const double Lr = 0.05, Mu = 0.9, Rho = 0.99, B1 = 0.9, B2 = 0.999, Eps = 1e-8;

        public static IEnumerable<object[]> Cases() =>
            from name in OptimizerFactory.Names
            from length in new[] { 1, 3, 7, 33, 1001 }
            from decay in new[] { 0.0, 0.01 }
            select new object[] { name, length, decay };

        /// <summary>Random finite values with signed zeros, subnormals and very small and large magnitudes mixed in.</summary>
        private static double[] Values(Random rng, int count)
        {
            double[] specials = { 0.0, -0.0, 1e-310, -1e-310, 1e-160, -3e150, 1.0 };
            var x = new double[count];
            for (int i = 0; i < count; i++) x[i] = rng.Next(8) == 0 ? specials[rng.Next(specials.Length)] : 4 * rng.NextDouble() - 2;
            return x;
        }

        private static void Bitwise(double[] expected, double[] actual, string what)
        {
            Assert.Equal(expected.Length, actual.Length);
            for (int i = 0; i < expected.Length; i++)
                Assert.True(BitConverter.DoubleToInt64Bits(expected[i]) == BitConverter.DoubleToInt64Bits(actual[i]),
                    $"{what}: element {i} is {actual[i]:R}, the scalar loop gives {expected[i]:R}");
        }

        /// <summary>The scalar loops as they were before vectorisation, one element at a time.</summary>
        private static void ScalarUpdate(string name, double[] w, double[] g, double decay, double[] s0, double[] s1, long t)
        {
            switch (name)
            {
                case "SGD":
                    for (int i = 0; i < w.Length; i++) w[i] -= Lr * (g[i] + decay * w[i]);
                    break;
                case "Momentum":
                    for (int i = 0; i < w.Length; i++)
                    {
                        s0[i] = Mu * s0[i] - Lr * (g[i] + decay * w[i]);
                        w[i] += s0[i];
                    }
                    break;
                case "AdaGrad":
                    for (int i = 0; i < w.Length; i++)
                    {
                        double gi = g[i] + decay * w[i];
                        s0[i] += gi * gi;
                        w[i] -= Lr * gi / (Math.Sqrt(s0[i]) + Eps);
                    }
                    break;
                case "RMSProp":
                    for (int i = 0; i < w.Length; i++)
                    {
                        double gi = g[i] + decay * w[i];
                        s0[i] = Rho * s0[i] + (1 - Rho) * gi * gi;
                        w[i] -= Lr * gi / (Math.Sqrt(s0[i]) + Eps);
                    }
                    break;
                case "Adam":
                    {
                        // β powers as running products, the way AdamOptimizer keeps them.
                        double p1 = 1, p2 = 1;
                        for (long k = 0; k < t; k++) { p1 *= B1; p2 *= B2; }
                        double c1 = 1.0 / (1 - p1), c2 = 1.0 / (1 - p2);
                        for (int i = 0; i < w.Length; i++)
                        {
                            double gi = g[i] + decay * w[i];
                            s0[i] = B1 * s0[i] + (1 - B1) * gi;
                            s1[i] = B2 * s1[i] + (1 - B2) * gi * gi;
                            w[i] -= Lr * (s0[i] * c1) / (Math.Sqrt(s1[i] * c2) + Eps);
                        }
                        break;
                    }
                default: throw new ArgumentException(name);
            }
        }

        private static void VectorUpdate(string name, double[] w, double[] g, double decay, double[] s0, double[] s1, long t)
        {
            switch (name)
            {
                case "SGD": OptimizerMath.Sgd(w, g, decay, Lr); break;
                case "Momentum": OptimizerMath.Momentum(w, g, decay, s0, Lr, Mu); break;
                case "AdaGrad": OptimizerMath.AdaGrad(w, g, decay, s0, Lr, Eps); break;
                case "RMSProp": OptimizerMath.RmsProp(w, g, decay, s0, Lr, Rho, Eps); break;
                case "Adam":
                    {
                        double p1 = 1, p2 = 1;
                        for (long k = 0; k < t; k++) { p1 *= B1; p2 *= B2; }
                        OptimizerMath.Adam(w, g, decay, s0, s1, Lr, B1, B2, Eps, 1.0 / (1 - p1), 1.0 / (1 - p2));
                        break;
                    }
                default: throw new ArgumentException(name);
            }
        }

        [Theory]
        [MemberData(nameof(Cases))]
        public void KernelMatchesTheScalarLoopBitForBit(string name, int length, double decay)
        {
            var rng = new Random(length * 31 + (decay > 0 ? 1 : 0));
            double[] w0 = Values(rng, length);
            double[] ws = (double[])w0.Clone(), wv = (double[])w0.Clone();
            double[] s0s = new double[length], s1s = new double[length], s0v = new double[length], s1v = new double[length];
            for (long t = 1; t <= 6; t++)
            {
                double[] g = Values(rng, length);
                ScalarUpdate(name, ws, g, decay, s0s, s1s, t);
                VectorUpdate(name, wv, (double[])g.Clone(), decay, s0v, s1v, t);
                Bitwise(ws, wv, $"{name} n={length} λ={decay} step {t} weights");
                Bitwise(s0s, s0v, $"{name} n={length} λ={decay} step {t} first slot");
                Bitwise(s1s, s1v, $"{name} n={length} λ={decay} step {t} second slot");
            }
        }

        public static IEnumerable<object[]> Rules() =>
            from name in OptimizerFactory.Names
            from decay in new[] { 0.0, 0.01 }
            select new object[] { name, decay };

        /// <summary>
        /// Whole optimizer steps against the scalar loops applied parameter by parameter (decay on weights
        /// only), on networks whose parameters have lengths 1, 3, 33, 99, 143, 231 and 1001.
        /// </summary>
        [Theory]
        [MemberData(nameof(Rules))]
        public void OptimizerStepMatchesTheScalarLoopsBitForBit(string name, double decay)
        {
            var settings = new Dictionary<string, double> { ["LearningRate"] = Lr, ["WeightDecay"] = decay };
            foreach (var sizes in new[] { new[] { 1, 1 }, new[] { 7, 33, 3 }, new[] { 7, 143, 1 } })
            {
                var net = new Network(sizes, ActivationKind.Tanh, OutputKind.Identity, seed: 5);
                var opt = OptimizerFactory.Create(name, settings);
                var ps = net.Parameters;
                double[][] w = ps.Select(p => (double[])p.Value.Data.Clone()).ToArray();
                double[][] s0 = ps.Select(p => new double[p.Value.Count]).ToArray(), s1 = ps.Select(p => new double[p.Value.Count]).ToArray();
                var rng = new Random(sizes.Sum());
                for (long t = 1; t <= 5; t++)
                {
                    var grads = ps.Select(p =>
                    {
                        var g = new Tensor(p.Value.Rows, p.Value.Columns);
                        Array.Copy(Values(rng, g.Count), g.Data, g.Count);
                        return g;
                    }).ToArray();
                    opt.Step(net, grads);
                    for (int p = 0; p < ps.Count; p++)
                    {
                        ScalarUpdate(name, w[p], grads[p].Data, ps[p].Name.StartsWith("W", StringComparison.Ordinal) ? decay : 0.0, s0[p], s1[p], t);
                        Bitwise(w[p], ps[p].Value.Data, $"{name} {string.Join("-", sizes)} step {t} {ps[p].Name}");
                    }
                }
            }
        }

        [Theory]
        [InlineData(0)]
        [InlineData(1)]
        [InlineData(3)]
        [InlineData(7)]
        [InlineData(33)]
        [InlineData(1001)]
        public void AllFiniteFindsANonFiniteValueAnywhere(int length)
        {
            var rng = new Random(length);
            var x = Enumerable.Range(0, length).Select(_ => 4 * rng.NextDouble() - 2).ToArray();
            Assert.True(DatasetChecks.AllFinite(x));
            foreach (double bad in new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity })
                for (int i = 0; i < length; i++)
                {
                    double keep = x[i];
                    x[i] = bad;
                    Assert.False(DatasetChecks.AllFinite(x), $"{bad} at {i} of {length} was not found");
                    x[i] = keep;
                }
            Assert.True(DatasetChecks.AllFinite(x));
        }
    }
}
