using System;
using System.Diagnostics;
using System.IO;
using System.IO.Compression;
using System.Linq;
using BackpropModule.Engine;
using BackpropModule.Engine.Checking;
using BackpropModule.Engine.Layers;
using BackpropModule.Engine.Losses;
using BackpropModule.Engine.Tensors;

namespace BackpropModule.Benchmarks
{
    /// <summary>
    /// The full gradient check of the tutorials: 784-50-10 ReLU → softmax on the first three
    /// Fashion-MNIST test images (seeded random pixels when the files are absent), all 39,760
    /// elements, timed with the fast probe and with the whole-network recompute, alternately.
    /// </summary>
    public static class GradientCheckTiming
    {
        private const string Images = "/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz";
        private const string Labels = "/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz";

        /// <summary>Medians (seconds) of the fast and the full-recompute check over <paramref name="rounds"/> alternating rounds.</summary>
        public static (double Fast, double Full, string Data) Run(int rounds, bool withFull = true)
        {
            var (x, t, data) = Batch();
            var net = new Network(new[] { 784, 50, 10 }, ActivationKind.ReLU, OutputKind.Softmax, seed: 1);
            var fast = new GradientChecker(net, x, t);
            var full = new GradientChecker(net, x, t) { FullRecompute = true };
            var g = fast.ComputeAnalytic();
            fast.CheckAll(g); // warm-up (JIT)
            var tf = new double[rounds];
            var tr = new double[rounds];
            for (int r = 0; r < rounds; r++)
            {
                tf[r] = Time(() => Assert(fast.CheckAll(g)));
                if (withFull) tr[r] = Time(() => Assert(full.CheckAll(g)));
            }
            return (Median(tf), withFull ? Median(tr) : double.NaN, data);
        }

        /// <summary>
        /// How far the fast estimates are from the whole-network recompute, in units of the reported
        /// noise floor σ, per parameter, and the raw maximum relative error each path reports.
        /// </summary>
        public static void Noise()
        {
            var (x, t, data) = Batch();
            var net = new Network(new[] { 784, 50, 10 }, ActivationKind.ReLU, OutputKind.Softmax, seed: 1);
            var fast = new GradientChecker(net, x, t);
            var full = new GradientChecker(net, x, t) { FullRecompute = true };
            var g = fast.ComputeAnalytic();
            var sf = fast.CheckAll(g);
            var sr = full.CheckAll(g);
            Console.WriteLine($"784-50-10 on {data}:");
            for (int p = 0; p < net.Parameters.Count; p++)
            {
                int[] all = Enumerable.Range(0, net.Parameters[p].Value.Count).ToArray();
                var ef = fast.EstimateElements(p, all);
                var er = full.EstimateElements(p, all);
                double worst = 0, worstAbs = 0;
                int kinkDiff = 0;
                for (int k = 0; k < all.Length; k++)
                {
                    double d = Math.Abs(ef[k].Numerical - er[k].Numerical);
                    worstAbs = Math.Max(worstAbs, d);
                    if (er[k].NoiseFloor > 0) worst = Math.Max(worst, d / er[k].NoiseFloor);
                    if (ef[k].CrossedKink != er[k].CrossedKink) kinkDiff++;
                }
                var rf = sf.Results[p];
                var rr = sr.Results[p];
                Console.WriteLine($"{net.Parameters[p].Name}: max |fast - full| = {worstAbs:E2} = {worst:F3} sigma; kink verdicts differing: {kinkDiff}; " +
                    $"raw max rel error fast {rf.RawMaxRelError:E2}, full {rr.RawMaxRelError:E2}; max rel error fast {rf.MaxRelError:E2}, full {rr.MaxRelError:E2}; noise floor {rr.NoiseFloor:E2}");
            }
        }

        private static void Assert(GradientCheckSummary s)
        {
            if (!s.Passed || s.Results.Sum(r => r.Checked) != 39_760) throw new InvalidOperationException("The check did not pass: " + s);
        }

        private static double Time(Action a)
        {
            long start = Stopwatch.GetTimestamp();
            a();
            return (Stopwatch.GetTimestamp() - start) / (double)Stopwatch.Frequency;
        }

        internal static double Median(double[] v)
        {
            var s = v.OrderBy(d => d).ToArray();
            return s.Length % 2 == 1 ? s[s.Length / 2] : 0.5 * (s[s.Length / 2 - 1] + s[s.Length / 2]);
        }

        private static (Tensor X, Tensor T, string Data) Batch()
        {
            var x = new Tensor(3, 784);
            var t = new Tensor(3, 10);
            if (File.Exists(Images) && File.Exists(Labels))
            {
                byte[] pixels = ReadGz(Images, 16, 3 * 784), labels = ReadGz(Labels, 8, 3);
                for (int r = 0; r < 3; r++)
                {
                    for (int c = 0; c < 784; c++) x[r, c] = pixels[r * 784 + c] / 255.0;
                    t[r, labels[r]] = 1;
                }
                return (x, t, "first 3 Fashion-MNIST test images");
            }
            var rng = new Random(1);
            for (int r = 0; r < 3; r++)
            {
                for (int c = 0; c < 784; c++) x[r, c] = rng.NextDouble();
                t[r, rng.Next(10)] = 1;
            }
            return (x, t, "3 seeded random images");
        }

        private static byte[] ReadGz(string path, int header, int count)
        {
            using var gz = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
            var buffer = new byte[header + count];
            int read = 0;
            while (read < buffer.Length)
            {
                int n = gz.Read(buffer, read, buffer.Length - read);
                if (n <= 0) throw new EndOfStreamException(path);
                read += n;
            }
            return buffer.Skip(header).ToArray();
        }
    }
}
