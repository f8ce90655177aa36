using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using BackpropModule.Engine.Layers;
using BackpropModule.Engine.Randomness;
using BackpropModule.Engine.Tensors;

namespace BackpropModule.Engine.Checking
{
    /// <summary>
    /// Compares analytic gradients with central differences n = (L(w + h) − L(w − h)) / 2h, one
    /// parameter element at a time, in fp64, through the network's own loss (<see cref="Network.Forward"/>,
    /// the path of <see cref="Network.ComputeLoss"/>). Each element is perturbed in place and its
    /// original bits are put back in a finally block, so the network is left exactly as it was
    /// (values bit for bit and <see cref="Network.Version"/>) even when the check is cancelled or fails.
    /// </summary>
    /// <remarks>
    /// NOTE: the network is changed in place while an element is perturbed; do not use it from
    /// another thread during a check.
    /// </remarks>
    public sealed class GradientChecker
    {
        /// <summary>2⁻⁵², the gap between 1 and the next double.</summary>
        private const double MachineEpsilon = 2.220446049250313e-16;

        /// <summary>How many times a kink-crossing step is divided by 10 before the element is left unjudged.</summary>
        public const int KinkRetries = 2;

        private readonly bool detectKinks;

        /// <summary>Prepares a check of <paramref name="network"/> on the batch (x, t).</summary>
        /// <exception cref="BackpropException">A setting is out of range, or x or t do not fit the network.</exception>
        public GradientChecker(Network network, Tensor x, Tensor t, GradientCheckOptions options = null)
        {
            Network = network ?? throw new ArgumentNullException(nameof(network));
            Options = options ?? new GradientCheckOptions();
            Options.Validate();
            network.CheckInput(x);
            if (t == null)
                throw new BackpropException(ErrorIds.TargetMissing, ErrorKind.InvalidArgument, null,
                    "A gradient check needs a target: the loss it differentiates is defined by the target.");
            Input = x;
            Target = network.PrepareTarget(t, x.Rows);
            detectKinks = network.Activation == ActivationKind.ReLU && network.Layers.Count > 1;
        }

        /// <summary>The network being checked.</summary>
        public Network Network { get; }

        /// <summary>The input batch.</summary>
        public Tensor Input { get; }

        /// <summary>The target, one row per sample.</summary>
        public Tensor Target { get; }

        /// <summary>The settings.</summary>
        public GradientCheckOptions Options { get; }

        /// <summary>Backprop's gradients on this batch: forward then backward with the current parameters.</summary>
        public Gradients ComputeAnalytic() => Network.Backward(Network.Forward(Input, Target));

        /// <summary>Indexes (into <see cref="Network.Parameters"/>) of the parameters the options select, in network order.</summary>
        /// <exception cref="BackpropException">A name matches no parameter.</exception>
        public IReadOnlyList<int> SelectParameters()
        {
            var ps = Network.Parameters;
            if (Options.Parameters == null || Options.Parameters.Count == 0) return Enumerable.Range(0, ps.Count).ToArray();
            var chosen = new SortedSet<int>();
            foreach (string name in Options.Parameters)
            {
                int i = -1;
                for (int p = 0; p < ps.Count; p++)
                    if (string.Equals(ps[p].Name, name, StringComparison.OrdinalIgnoreCase) || string.Equals(ps[p].GradientName, name, StringComparison.OrdinalIgnoreCase)) i = p;
                if (i < 0)
                    throw new BackpropException(ErrorIds.GradientCheckParameterNotFound, ErrorKind.ObjectNotFound, name,
                        $"The network has no parameter '{name}'; it has {string.Join(", ", ps.Select(p => p.Name))}.");
                chosen.Add(i);
            }
            return chosen.ToArray();
        }

        /// <summary>Checks every selected parameter against <paramref name="gradients"/> (by default, backprop's own).</summary>
        /// <exception cref="BackpropException">The gradients belong to another network or have the wrong shapes.</exception>
        /// <exception cref="OperationCanceledException">The token was cancelled; the network is restored.</exception>
        public GradientCheckSummary CheckAll(Gradients gradients = null, CancellationToken cancellation = default, Action<GradientCheckResult, int, int> progress = null)
        {
            var clock = Stopwatch.StartNew();
            var g = gradients ?? ComputeAnalytic();
            var results = new List<GradientCheckResult>();
            foreach (int p in SelectParameters())
                results.Add(CheckParameter(p, AnalyticFor(g, p), cancellation, progress));
            return new GradientCheckSummary(Network.Architecture, results, clock.Elapsed);
        }

        /// <summary>The gradient of parameter p from <paramref name="gradients"/>, after checking it fits.</summary>
        /// <exception cref="BackpropException">The gradients belong to another network or have the wrong shape.</exception>
        public Tensor AnalyticFor(Gradients gradients, int p)
        {
            if (gradients == null) throw new ArgumentNullException(nameof(gradients));
            if (!ReferenceEquals(gradients.Network, Network))
                throw new BackpropException(ErrorIds.GradientNetworkMismatch, ErrorKind.InvalidArgument, gradients,
                    "These gradients were computed for another network.");
            var parameter = Network.Parameters[p];
            Tensor a = gradients.GetByIndex(p);
            if (a == null || a.Rows != parameter.Value.Rows || a.Columns != parameter.Value.Columns)
                throw new BackpropException(ErrorIds.GradientNetworkMismatch, ErrorKind.InvalidArgument, gradients,
                    $"Gradient {parameter.GradientName} is {a?.Shape ?? "missing"}; parameter {parameter.Name} is {parameter.Shape}.");
            return a;
        }

        /// <summary>
        /// Checks parameter number p (W1, b1, W2, … order) against the analytic gradient
        /// <paramref name="analytic"/> of the same shape. <paramref name="progress"/> is called after
        /// each element with the partial result, the elements done and the elements to do.
        /// </summary>
        /// <exception cref="OperationCanceledException">The token was cancelled; the network is restored.</exception>
        public GradientCheckResult CheckParameter(int p, Tensor analytic, CancellationToken cancellation = default, Action<GradientCheckResult, int, int> progress = null)
        {
            var parameter = Network.Parameters[p];
            Tensor value = parameter.Value;
            if (analytic == null || analytic.Rows != value.Rows || analytic.Columns != value.Columns)
                throw new ArgumentException($"The analytic gradient must be {value.Shape}.", nameof(analytic));
            int[] elements = SelectElements(analytic, Options.Sample, Options.Seed, p);
            var result = new GradientCheckResult(parameter.Name, parameter.Layer, value.Rows, value.Columns)
            {
                Tolerance = Options.Tolerance,
                Epsilon = Options.Epsilon,
            };
            var tally = new ErrorTally(Options.IncludeGradients ? GradientCheckResult.NaNGrid(value.Rows, value.Columns) : null);
            double[] w = value.Data, a = analytic.Data;
            bool[] plusSigns = detectKinks ? new bool[HiddenUnits()] : null;
            bool[] minusSigns = detectKinks ? new bool[plusSigns.Length] : null;
            for (int k = 0; k < elements.Length; k++)
            {
                cancellation.ThrowIfCancellationRequested();
                int i = elements[k];
                double h = Options.Epsilon;
                double numerical = CentralDifference(w, i, h, plusSigns, minusSigns, out double noiseFloor);
                bool kink = detectKinks && !SameSigns(plusSigns, minusSigns);
                if (kink)
                {
                    // Retry with smaller steps: one that stays on one side of every kink gives a valid
                    // derivative again, at the price of a noise floor 10 or 100 times higher.
                    tally.AddKink(a[i], numerical);
                    for (int retry = 0; retry < KinkRetries && kink; retry++)
                    {
                        h /= 10;
                        numerical = CentralDifference(w, i, h, plusSigns, minusSigns, out noiseFloor);
                        kink = !SameSigns(plusSigns, minusSigns);
                    }
                }
                tally.Add(i % value.Rows, i / value.Rows, a[i], numerical, noiseFloor, kink);
                if (progress != null) { tally.WriteTo(result); progress(result, k + 1, elements.Length); }
            }
            tally.WriteTo(result);
            if (tally.Numerical != null) result.SetGradients(tally.Numerical, analytic);
            return result;
        }

        /// <summary>(L(w + h) − L(w − h)) / ((w + h) − (w − h)) for element i, restoring its exact bits afterwards.</summary>
        /// <remarks>
        /// NOTE: w ± h is rounded to a double, so the step actually taken is (w + h) − (w − h), which
        /// is computed exactly here (Sterbenz) and used as the denominator instead of 2h.
        /// NOTE: each computed loss is off by a few units in its last place (the forward pass rounds
        /// long dot products, exponentials and a batch sum), so the quotient is uncertain by
        /// σ = 4·2⁻⁵²·(|L₊| + |L₋|) / ((w + h) − (w − h)) (returned as noiseFloor): two derivatives
        /// closer than σ cannot be told apart, whatever the gradient code does. The factor 4 is the
        /// smallest that covers the roundoff measured on 784-50-10 checks.
        /// </remarks>
        private double CentralDifference(double[] w, int i, double h, bool[] plusSigns, bool[] minusSigns, out double noiseFloor)
        {
            double original = w[i];
            try
            {
                w[i] = original + h;
                double up = w[i];
                double lossUp = Evaluate(plusSigns);
                w[i] = original - h;
                double down = w[i];
                double lossDown = Evaluate(minusSigns);
                noiseFloor = 4 * MachineEpsilon * (Math.Abs(lossUp) + Math.Abs(lossDown)) / (up - down);
                return (lossUp - lossDown) / (up - down);
            }
            finally
            {
                w[i] = original;
            }
        }

        /// <summary>The loss through the network's forward pass; with <paramref name="signs"/>, also records which hidden pre-activations are positive.</summary>
        private double Evaluate(bool[] signs)
        {
            if (signs == null) return Network.ComputeLoss(Input, Target);
            var pass = Network.Forward(Input, Target);
            int k = 0;
            for (int l = 0; l + 1 < pass.Layers.Count; l++)
                foreach (double v in pass.Layers[l].PreActivation.Data) signs[k++] = v > 0;
            return pass.Loss.Value;
        }

        private int HiddenUnits()
        {
            int n = 0;
            for (int l = 0; l + 1 < Network.Layers.Count; l++) n += Input.Rows * Network.Layers[l].Outputs;
            return n;
        }

        private static bool SameSigns(bool[] x, bool[] y)
        {
            for (int i = 0; i < x.Length; i++) if (x[i] != y[i]) return false;
            return true;
        }

        /// <summary>
        /// Column-major indexes of the elements to check, ascending: all of them, or <paramref name="sample"/>
        /// of them drawn without replacement by a generator seeded from (seed, p), always including
        /// the element with the largest |analytic| (where a wrong gradient usually shows first).
        /// </summary>
        public static int[] SelectElements(Tensor analytic, int? sample, long seed, int p)
        {
            if (analytic == null) throw new ArgumentNullException(nameof(analytic));
            int count = analytic.Count;
            if (!sample.HasValue || sample.Value >= count) return Enumerable.Range(0, count).ToArray();
            double[] a = analytic.Data;
            int largest = 0;
            for (int i = 1; i < count; i++) if (Math.Abs(a[i]) > Math.Abs(a[largest])) largest = i;
            var pool = Enumerable.Range(0, count).Where(i => i != largest).ToArray();
            var rng = new SeededRandom(unchecked(seed * 1000003L + p + 1));
            int take = sample.Value - 1;
            for (int k = 0; k < take; k++)
            {
                int j = k + rng.NextInt(pool.Length - k);
                int tmp = pool[k]; pool[k] = pool[j]; pool[j] = tmp;
            }
            var chosen = new int[take + 1];
            Array.Copy(pool, chosen, take);
            chosen[take] = largest;
            Array.Sort(chosen);
            return chosen;
        }
    }
}
