using System;
using System.Globalization;
using BackpropModule.Engine.Randomness;

namespace BackpropModule.Engine.Data
{
    /// <summary>The datasets New-Dataset makes without any file.</summary>
    public enum BuiltInDatasetKind
    {
        /// <summary>Regression on one period of a sine: x = (θ − π)/π, y = sin θ.</summary>
        Sine,
        /// <summary>The four XOR points, two classes, optionally repeated with noise.</summary>
        Xor,
        /// <summary>Interleaved spiral arms (CS231n), one class per arm.</summary>
        Spiral,
    }

    /// <summary>Small synthetic datasets for tutorials and tests, seeded and identical on every run.</summary>
    public static class BuiltInDatasets
    {
        /// <summary>
        /// Creates a built-in dataset. count: samples for Sine (default 63) and Xor (default 4),
        /// samples per class for Spiral (default 100); classes: arms of the spiral (default 3);
        /// noise: standard deviation of Gaussian noise (default 0 for Sine and Xor, 0.2 for Spiral).
        /// </summary>
        /// <exception cref="BackpropException">DatasetOptionInvalid for a count, class count or noise out of range.</exception>
        public static Dataset Create(BuiltInDatasetKind kind, int? count = null, long seed = 0, double? noise = null, int? classes = null)
        {
            double sd = noise ?? (kind == BuiltInDatasetKind.Spiral ? 0.2 : 0.0);
            if (!(sd >= 0) || double.IsInfinity(sd))
                throw Option(sd, $"The noise must be a finite standard deviation ≥ 0; got {sd.ToString(CultureInfo.InvariantCulture)}.");
            if (classes.HasValue && kind != BuiltInDatasetKind.Spiral)
                throw Option(classes, $"Only the Spiral dataset has a choice of classes; {kind} has {(kind == BuiltInDatasetKind.Xor ? "2 classes" : "none (regression)")}.");
            if (count.HasValue && (count.Value < 1 || count.Value > 10_000_000))
                throw Option(count, $"The count must be between 1 and 10000000; got {count.Value}.");
            var rng = new SeededRandom(seed);
            switch (kind)
            {
                case BuiltInDatasetKind.Sine: return Sine(count, sd, rng);
                case BuiltInDatasetKind.Xor: return Xor(count ?? 4, sd, rng);
                case BuiltInDatasetKind.Spiral:
                    int k = classes ?? 3;
                    if (k < 2 || k > 10) throw Option(classes, $"A spiral has 2 to 10 arms (classes); got {k}.");
                    return Spiral(count ?? 100, k, sd, rng);
                default: throw Option(kind, $"There is no built-in dataset '{kind}'.");
            }
        }

        private static BackpropException Option(object target, string message) =>
            new BackpropException(ErrorIds.DatasetOptionInvalid, ErrorKind.InvalidArgument, target, message);

        /// <summary>
        /// The classic tutorial's data: θ = 0, 0.1, …, 6.2 (63 points, numpy's arange(0, 2π, 0.1)),
        /// x = (θ − π)/π in [−1, 1), t = sin θ. With a count, θ = 2π·i/count instead.
        /// </summary>
        private static Dataset Sine(int? count, double noise, SeededRandom rng)
        {
            int n = count ?? 63;
            var x = new double[n];
            var t = new double[n];
            for (int i = 0; i < n; i++)
            {
                double theta = count.HasValue ? 2 * Math.PI * i / n : i * 0.1;
                x[i] = (theta - Math.PI) / Math.PI;
                t[i] = Math.Sin(theta) + (noise > 0 ? noise * rng.NextNormal() : 0);
            }
            return new Dataset("sine", x, 1, t, 1, null);
        }

        /// <summary>Corners (0,0)→0, (0,1)→1, (1,0)→1, (1,1)→0 in turn, with optional Gaussian noise on the features; one-hot targets.</summary>
        private static Dataset Xor(int n, double noise, SeededRandom rng)
        {
            var f = new double[2 * n];
            var t = new double[2 * n];
            var labels = new int[n];
            for (int i = 0; i < n; i++)
            {
                int a = (i >> 1) & 1, b = i & 1, label = a ^ b;
                f[2 * i] = a + (noise > 0 ? noise * rng.NextNormal() : 0);
                f[2 * i + 1] = b + (noise > 0 ? noise * rng.NextNormal() : 0);
                t[2 * i + label] = 1;
                labels[i] = label;
            }
            return new Dataset("xor", f, 2, t, 2, labels, new[] { "0", "1" });
        }

        /// <summary>
        /// CS231n's spiral: for arm j, n points with radius r = linspace(0, 1, n) and angle
        /// θ = linspace(4j, 4(j+1), n) + noise·N(0, 1); x = (r sin θ, r cos θ), label j.
        /// </summary>
        private static Dataset Spiral(int n, int k, double noise, SeededRandom rng)
        {
            var f = new double[2 * n * k];
            var t = new double[n * k * k];
            var labels = new int[n * k];
            var names = new string[k];
            for (int j = 0; j < k; j++)
            {
                names[j] = j.ToString(CultureInfo.InvariantCulture);
                for (int i = 0; i < n; i++)
                {
                    double step = n > 1 ? (double)i / (n - 1) : 0;
                    double r = step, theta = 4.0 * j + 4.0 * step + noise * rng.NextNormal();
                    int s = j * n + i;
                    f[2 * s] = r * Math.Sin(theta);
                    f[2 * s + 1] = r * Math.Cos(theta);
                    t[s * k + j] = 1;
                    labels[s] = j;
                }
            }
            return new Dataset("spiral", f, 2, t, k, labels, names);
        }
    }
}
