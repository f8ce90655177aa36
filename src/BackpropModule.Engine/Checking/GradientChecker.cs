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
    /// parameter element at a time, in fp64, through the network's own loss (the layers, activation
    /// and output loss of <see cref="Network.Forward(Tensor, Tensor, ForwardMode, long?)"/>). The losses are computed from one cached
    /// forward pass, recomputing only what the perturbed element changes, on all kernel threads
    /// (<see cref="IncrementalLossProbe"/>); the network itself is never written, so it is left
    /// exactly as it was (values bit for bit and <see cref="Network.Version"/>) even when the check
    /// is cancelled or fails.
    /// </summary>
    /// <remarks>
    /// NOTE: do not change the network from another thread during a check.
    /// </remarks>
    public sealed class GradientChecker
    {
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

        /// <summary>
        /// The mode of the loss being differentiated: Training by default (BatchNorm with the batch's statistics,
        /// so a perturbed weight moves them too; Dropout with the fixed masks of <see cref="DropoutSeed"/>).
        /// </summary>
        public ForwardMode Mode { get; set; } = ForwardMode.Training;

        /// <summary>The seed of the dropout masks every loss is computed with (Test-Gradient takes the pass's).</summary>
        public long DropoutSeed { get; set; }

        /// <summary>Backprop's gradients on this batch: forward then backward with the current parameters.</summary>
        public Gradients ComputeAnalytic() => Network.Backward(Network.Forward(Input, Target, Mode, DropoutSeed));

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
            double[] a = analytic.Data;
            var estimator = new DifferenceEstimator(CreateProbe(), Network, p, elements, Options.Epsilon, detectKinks);
            for (int k = 0; k < elements.Length; k++)
            {
                cancellation.ThrowIfCancellationRequested();
                int i = elements[k];
                DifferenceEstimate e = estimator.Get(k, cancellation);
                if (e.CrossedKink) tally.AddKink(a[i], e.FirstNumerical);
                // NOTE: an element that sits on a kink at every step (e.g. a bias whose input row is exactly
                // zero, so a = ±h) has no derivative; backprop's value is right if it is a subgradient, i.e.
                // between the two one-sided slopes. It is judged against the nearest of them.
                double numerical = e.Unresolved ? Math.Min(Math.Max(a[i], e.SlopeLow), e.SlopeHigh) : e.Numerical;
                tally.Add(i % value.Rows, i / value.Rows, a[i], numerical, e.NoiseFloor, e.Unresolved);
                if (progress != null) { tally.WriteTo(result); progress(result, k + 1, elements.Length); }
            }
            tally.WriteTo(result);
            if (tally.Numerical != null) result.SetGradients(tally.Numerical, analytic);
            return result;
        }

        /// <summary>
        /// When true, every loss is computed by a whole forward pass through the perturbed network
        /// (the reference the fast path is tested and benchmarked against); by default only what the
        /// element changes is recomputed (<see cref="IncrementalLossProbe"/>).
        /// </summary>
        internal bool FullRecompute { get; set; }

        /// <summary>The loss evaluator for one parameter's check, built on the current parameter values.</summary>
        /// <remarks>Networks with BatchNorm or Dropout take <see cref="BlockLossProbe"/>, which knows their per-column steps and the pass's masks.</remarks>
        internal LossProbe CreateProbe() =>
            FullRecompute ? new FullRecomputeProbe(Network, Input, Target, Mode, DropoutSeed)
            : Network.HasModes ? new BlockLossProbe(Network, Input, Target, Mode, DropoutSeed)
            : (LossProbe)new IncrementalLossProbe(Network, Input, Target);

        /// <summary>The estimates for elements of parameter p, for tests that compare the two probes.</summary>
        internal DifferenceEstimate[] EstimateElements(int p, int[] elements)
        {
            var estimator = new DifferenceEstimator(CreateProbe(), Network, p, elements, Options.Epsilon, detectKinks);
            var result = new DifferenceEstimate[elements.Length];
            for (int k = 0; k < elements.Length; k++) result[k] = estimator.Get(k, CancellationToken.None);
            return result;
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
