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

        /// <summary>
        /// The rounding a forward pass hands on to its loss, to first order: every pre-activation a = x·W + b is a
        /// rounded sum whose error is a few units of ε·(Σ|x||W| + |b|), and reaches the loss multiplied by |∂L/∂a|;
        /// so R = 2ε·Σ over layers, samples and units of |∂L/∂a|·(Σᵢ|xᵢ||Wᵢⱼ| + |bⱼ|), plus the same for BatchNorm's
        /// x̂ = (a − μ)·s and γ·x̂ + β and for each activation's value, from one pass in the check's mode and masks.
        /// </summary>
        /// <remarks>
        /// NOTE: 4ε·|L| alone (the rounding of the loss's own last steps) is too small when the loss is small next to
        /// the outputs it comes from, or very sensitive to the weights (BatchNorm over two samples normalises any
        /// difference to ±1): a correct small gradient could then be judged Wrong on roundoff. With R the fast probes
        /// and the whole-network recompute agree within their floors over 10,800 random checks each.
        /// </remarks>
        internal double LossRoundoff()
        {
            if (!ModelLayerRoundoff) return 0;
            // Once per check: the same for every parameter while the network, mode and masks stay.
            var key = (Network.Version, Mode, DropoutSeed);
            if (roundoffKey.HasValue && roundoffKey.Value == key) return roundoff;
            roundoff = ComputeLossRoundoff();
            roundoffKey = key;
            return roundoff;
        }

        /// <summary>False: the floor models only the loss's own rounding, 4ε·|L| (how it was before; for tests).</summary>
        internal bool ModelLayerRoundoff { get; set; } = true;

        private (long Version, ForwardMode Mode, long Seed)? roundoffKey;
        private double roundoff;

        private double ComputeLossRoundoff()
        {
            var pass = Network.Forward(Input, Target, Mode, DropoutSeed);
            var g = Network.Backward(pass);
            double sum = 0;
            for (int l = 0; l < pass.Layers.Count; l++)
            {
                Tensor x = pass.Layers[l].Input, d = g.Deltas[l];
                var affine = Network.Blocks[l].Affine;
                double[] w = affine.W.Value.Data, b = affine.B.Value.Data;
                int n = x.Rows, inputs = affine.Inputs, units = affine.Outputs;
                for (int s = 0; s < n; s++)
                    for (int j = 0; j < units; j++)
                    {
                        double delta = Math.Abs(d[s, j]);
                        if (delta == 0) continue;
                        double size = Math.Abs(b[j]);
                        for (int i = 0; i < inputs; i++) size += Math.Abs(x[s, i]) * Math.Abs(w[i + j * inputs]);
                        sum += delta * size;
                    }
                sum += BatchNormRoundoff(pass.Layers[l], g["dbn" + (l + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)], Network.Blocks[l]);
                // An activation's value is rounded too: |∂L/∂z|·|z|.
                Tensor dz = g["dz" + (l + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)], z = pass.Layers[l].Output;
                if (dz != null && l < pass.Layers.Count - 1)
                    for (int i = 0; i < z.Count; i++) sum += Math.Abs(dz.Data[i] * z.Data[i]);
            }
            // Two units per rounded term, as the floor's 4ε·|L| allows two per loss: with one, 1 in 10,800 random
            // BatchNorm checks still had its probes disagree by more than their floors (by 1.23 times).
            return double.IsNaN(sum) ? 0 : 2 * MachineEpsilon * sum;
        }

        // x̂ = (a − μ)·s rounds relative to the terms it subtracts, and γ·x̂ + β relative to its terms.
        private static double BatchNormRoundoff(LayerTrace trace, Tensor dbn, Layers.NetworkBlock block)
        {
            if (dbn == null || trace.Normalized == null || block.BatchNorm == null) return 0;
            double[] gamma = block.BatchNorm.Gamma.Value.Data, beta = block.BatchNorm.Beta.Value.Data;
            Tensor a = trace.PreActivation, xhat = trace.Normalized;
            double sum = 0;
            for (int s = 0; s < a.Rows; s++)
                for (int j = 0; j < a.Columns; j++)
                {
                    double d = Math.Abs(dbn[s, j]);
                    if (d == 0) continue;
                    double spread = (Math.Abs(a[s, j]) + Math.Abs(trace.Mean[0, j])) * Math.Abs(trace.InverseStd[0, j]) + Math.Abs(xhat[s, j]);
                    sum += d * (Math.Abs(gamma[j]) * spread + Math.Abs(beta[j]));
                }
            return sum;
        }

        private const double MachineEpsilon = 2.220446049250313e-16;

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
            var estimator = new DifferenceEstimator(CreateProbe(), Network, p, elements, Options.Epsilon, detectKinks, LossRoundoff());
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
            var estimator = new DifferenceEstimator(CreateProbe(), Network, p, elements, Options.Epsilon, detectKinks, LossRoundoff());
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
