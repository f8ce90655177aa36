using System;
using System.Threading;
using BackpropModule.Engine.Kernels;

namespace BackpropModule.Engine.Checking
{
    /// <summary>One element's central difference, after the kink retries of <see cref="GradientChecker"/>.</summary>
    internal struct DifferenceEstimate
    {
        /// <summary>The estimate that is judged: at the default step, or at the last smaller step after a kink.</summary>
        public double Numerical;

        /// <summary>σ of <see cref="Numerical"/> (see <see cref="DifferenceEstimator"/>).</summary>
        public double NoiseFloor;

        /// <summary>True when the default step crossed a ReLU kink.</summary>
        public bool CrossedKink;

        /// <summary>The estimate at the default step (differs from <see cref="Numerical"/> only after a kink).</summary>
        public double FirstNumerical;

        /// <summary>True when even the smallest step crossed a kink: the element is not judged.</summary>
        public bool Unresolved;

        /// <summary>
        /// With <see cref="Unresolved"/>: the smaller and larger of the one-sided derivatives towards w + h
        /// and w − h at the smallest step (second-order, from w, w ± h and w ± 2h). At a kink the loss has
        /// no derivative, only these two slopes; any value between them is a valid subgradient.
        /// </summary>
        public double SlopeLow, SlopeHigh;
    }

    /// <summary>
    /// Computes the central differences of one parameter's selected elements ahead of the caller, a
    /// block at a time, split over the kernel threads when the probe allows it. Each element's
    /// estimate depends only on the element, so the results do not depend on the split.
    /// </summary>
    internal sealed class DifferenceEstimator : IPartitionedWork
    {
        /// <summary>2⁻⁵², the gap between 1 and the next double.</summary>
        private const double MachineEpsilon = 2.220446049250313e-16;

        /// <summary>Elements per block: small enough for prompt cancellation and progress, large enough to amortise the hand-off.</summary>
        private const int BlockSize = 512;

        private readonly LossProbe probe;
        private readonly int p;
        private readonly double[] w;
        private readonly int[] elements;
        private readonly double h;
        private readonly bool detectKinks;
        private readonly ProbeScratch[] scratch;
        private readonly DifferenceEstimate[] estimates;
        private readonly int parts;
        private readonly double lossRoundoff;
        private int blockStart, blockEnd, computed;

        /// <summary>
        /// An estimator of parameter p's selected elements at step h. lossRoundoff is how far one computed loss may be
        /// from the exact loss beyond 4·2⁻⁵²·|L| (<see cref="GradientChecker.LossRoundoff"/>); 0 models only the
        /// rounding of the loss's last steps.
        /// </summary>
        public DifferenceEstimator(LossProbe probe, Network network, int p, int[] elements, double h, bool detectKinks, double lossRoundoff = 0)
        {
            this.lossRoundoff = lossRoundoff;
            this.probe = probe;
            this.p = p;
            w = network.Parameters[p].Value.Data;
            this.elements = elements;
            this.h = h;
            this.detectKinks = detectKinks;
            estimates = new DifferenceEstimate[elements.Length];
            parts = probe.IsThreadSafe ? Math.Max(1, Math.Min(KernelThreads.MaxThreads, (elements.Length + 63) / 64)) : 1;
            scratch = new ProbeScratch[parts];
        }

        /// <summary>The estimate for elements[k], computing its block first if needed.</summary>
        /// <exception cref="OperationCanceledException">The token was cancelled before the block was computed.</exception>
        public DifferenceEstimate Get(int k, CancellationToken cancellation)
        {
            while (k >= computed)
            {
                cancellation.ThrowIfCancellationRequested();
                blockStart = computed;
                blockEnd = Math.Min(elements.Length, computed + BlockSize);
                KernelThreads.Run(this, parts);
                computed = blockEnd;
            }
            return estimates[k];
        }

        void IPartitionedWork.RunPart(int part)
        {
            ProbeScratch s = scratch[part] ?? (scratch[part] = probe.CreateScratch());
            int count = blockEnd - blockStart;
            int from = blockStart + (int)((long)count * part / parts), to = blockStart + (int)((long)count * (part + 1) / parts);
            for (int k = from; k < to; k++) estimates[k] = Estimate(elements[k], s);
        }

        /// <summary>The central difference at h; when it crosses a kink, again at h/10 and h/100.</summary>
        private DifferenceEstimate Estimate(int i, ProbeScratch s)
        {
            double step = h;
            double numerical = CentralDifference(i, step, s, out double noiseFloor, out bool kink);
            var e = new DifferenceEstimate { CrossedKink = kink, FirstNumerical = numerical };
            // Retry with smaller steps: one that stays on one side of every kink gives a valid
            // derivative again, at the price of a noise floor 10 or 100 times higher.
            for (int retry = 0; retry < GradientChecker.KinkRetries && kink; retry++)
            {
                step /= 10;
                numerical = CentralDifference(i, step, s, out noiseFloor, out kink);
            }
            e.Numerical = numerical;
            e.NoiseFloor = noiseFloor;
            e.Unresolved = kink;
            if (kink)
            {
                double center = probe.LossWith(p, i, w[i], s, null, out _);
                double right = OneSidedSlope(i, step, center, s, out double rightNoise);
                double left = OneSidedSlope(i, -step, center, s, out double leftNoise);
                e.SlopeLow = Math.Min(left, right);
                e.SlopeHigh = Math.Max(left, right);
                e.NoiseFloor = Math.Max(noiseFloor, Math.Max(rightNoise, leftNoise));
            }
            return e;
        }

        /// <summary>
        /// The one-sided derivative from w towards w + step (step may be negative), from the three points
        /// w, w + step, w + 2·step: f′ ≈ −(s₁ + s₂)/(s₁s₂)·L₀ + s₂/(s₁(s₂ − s₁))·L₁ − s₁/(s₂(s₂ − s₁))·L₂ with the
        /// steps s₁, s₂ actually taken (w + step rounded), i.e. (−3L₀ + 4L₁ − L₂)/(2s) for exact steps.
        /// </summary>
        /// <remarks>
        /// NOTE: the two-point slope (L₁ − L₀)/s is off by about s·L″/2 — 2e-8 at s = 1e-7 with L″ ≈ 0.4, enough
        /// to put a correct subgradient outside [left, right] at tolerance 1e-7 (a sample whose input row is zero
        /// sits on every first-layer kink). The three-point form's error is O(s²). Its roundoff is the weighted
        /// sum of the three losses' roundoff, returned as <paramref name="noise"/> in the units of the central
        /// difference's floor.
        /// </remarks>
        private double OneSidedSlope(int i, double step, double center, ProbeScratch s, out double noise)
        {
            double original = w[i];
            double s1 = (original + step) - original, s2 = (original + 2 * step) - original;
            double l1 = probe.LossWith(p, i, original + step, s, null, out _);
            double l2 = probe.LossWith(p, i, original + 2 * step, s, null, out _);
            double c0 = -(s1 + s2) / (s1 * s2), c1 = s2 / (s1 * (s2 - s1)), c2 = -s1 / (s2 * (s2 - s1));
            noise = 4 * MachineEpsilon * (Math.Abs(c0 * center) + Math.Abs(c1 * l1) + Math.Abs(c2 * l2))
                + lossRoundoff * (Math.Abs(c0) + Math.Abs(c1) + Math.Abs(c2));
            return c0 * center + c1 * l1 + c2 * l2;
        }

        /// <summary>(L(w + h) − L(w − h)) / ((w + h) − (w − h)) for element i.</summary>
        /// <remarks>
        /// NOTE: w ± h is rounded to a double, so the step actually taken is (w + h) − (w − h), which
        /// is computed exactly here (Sterbenz) and used as the denominator instead of 2h.
        /// NOTE: each computed loss is off by a few units in its last place (the forward pass rounds
        /// long dot products, exponentials and a batch sum), so the quotient is uncertain by
        /// σ = (4·2⁻⁵²·(|L₊| + |L₋|) + 2R) / ((w + h) − (w − h)) (returned as noiseFloor): two derivatives
        /// closer than σ cannot be told apart, whatever the gradient code does. The factor 4 is the
        /// smallest that covers the roundoff measured on 784-50-10 checks with a full forward pass; R is the
        /// rounding the layers pass on to the loss (<see cref="GradientChecker.LossRoundoff"/>), which 4ε·|L|
        /// misses when the loss is small next to the outputs or very sensitive to the weights.
        /// </remarks>
        private double CentralDifference(int i, double step, ProbeScratch s, out double noiseFloor, out bool kink)
        {
            double original = w[i];
            double up = original + step, down = original - step;
            bool[] plus = detectKinks ? s.PlusSigns : null, minus = detectKinks ? s.MinusSigns : null;
            double lossUp = probe.LossWith(p, i, up, s, plus, out int count);
            double lossDown = probe.LossWith(p, i, down, s, minus, out _);
            noiseFloor = (4 * MachineEpsilon * (Math.Abs(lossUp) + Math.Abs(lossDown)) + 2 * lossRoundoff) / (up - down);
            kink = false;
            if (detectKinks)
                for (int k = 0; k < count; k++)
                    if (plus[k] != minus[k]) { kink = true; break; }
            return (lossUp - lossDown) / (up - down);
        }
    }
}
