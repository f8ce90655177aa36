using System;
using System.Globalization;
using BackpropModule.Engine.Data;
using BackpropModule.Engine.Losses;

namespace BackpropModule.Engine.Training
{
    /// <summary>
    /// Decides, batch by batch, whether a run has diverged: the loss exploded long before it became
    /// NaN or infinite.
    /// </summary>
    /// <remarks>
    /// <para>The rule. Let R = max(B, L₁), where B is the loss of the best constant prediction on the
    /// training data (−Σₖ m̄ₖ ln m̄ₖ for softmax cross-entropy, Σₖ H(m̄ₖ) for sigmoid cross-entropy,
    /// ½ Σₖ Var(tₖ) for squared error; m̄ₖ the mean of target column k) and L₁ the loss of the run's
    /// first batch, before any step. Let S be the bias-corrected exponential average of the batch
    /// losses with β = 0.9 (S = a/(1 − βᵗ), a ← βa + (1−β)L, as Adam corrects its moments). The run
    /// has diverged as soon as S &gt; <see cref="Factor"/> · R, i.e. when the recent losses average more
    /// than a thousand times those of a network that knows nothing (or of the network the run started
    /// from, if that was worse).</para>
    /// <para>Why this is safe: B is what predicting the class frequencies (or the target means) costs,
    /// so a network that learns anything stays below it, and one that is merely learning badly stays
    /// within a small multiple (a wrong but confident network reaches about ten times B). A thousand
    /// times B is reached only by weights that grow without bound, which a too-large step produces in
    /// a few batches: the losses then climb by orders of magnitude per step, so the rule fires within
    /// a handful of steps of the explosion instead of waiting for an overflow. The average (rather than
    /// one batch) keeps a single outlying sample at batch size 1 from tripping it. When R is 0 (constant
    /// targets fitted exactly) only non-finite values count. The loss and gradients are checked before
    /// every step, so the rule sees a loss before the step that follows it.</para>
    /// </remarks>
    internal sealed class DivergenceGuard
    {
        /// <summary>How many times the reference loss the smoothed loss may reach.</summary>
        internal const double Factor = 1000;

        /// <summary>The smoothing factor β of the exponential average.</summary>
        internal const double Beta = 0.9;

        private readonly double baseline;
        private double reference = double.NaN, average, betaPower = 1;

        /// <summary>Creates a guard for a run whose constant-prediction loss is <paramref name="baselineLoss"/>.</summary>
        internal DivergenceGuard(double baselineLoss) => baseline = baselineLoss;

        /// <summary>The reference loss R, once the first batch has been seen.</summary>
        internal double Reference => reference;

        /// <summary>The largest S / R seen so far (for measuring how far a run stays from the limit).</summary>
        internal double MaxRatio { get; private set; }

        /// <summary>Observes a finite batch loss; returns why the run diverged, or null.</summary>
        internal string Observe(double loss)
        {
            if (double.IsNaN(reference)) reference = Math.Max(baseline, loss);
            average = Beta * average + (1 - Beta) * loss;
            betaPower *= Beta;
            double smoothed = average / (1 - betaPower);
            if (!(reference > 0)) return null;
            double ratio = smoothed / reference;
            if (ratio > MaxRatio) MaxRatio = ratio;
            if (!(ratio > Factor)) return null;
            return string.Format(CultureInfo.InvariantCulture,
                "the smoothed loss {0:G4} is more than {1:G4} times the reference loss {2:G4} (the larger of a constant prediction's loss and the first batch's)",
                smoothed, Factor, reference);
        }

        /// <summary>The loss of the best constant prediction (the one that ignores the inputs) on the data.</summary>
        internal static double BaselineLoss(Network network, Dataset data)
        {
            int n = data.Count, k = data.TargetWidth;
            var mean = new double[k];
            for (int i = 0; i < n; i++) for (int j = 0; j < k; j++) mean[j] += data.Targets[i * k + j];
            for (int j = 0; j < k; j++) mean[j] /= n;
            double b = 0;
            switch (network.Output)
            {
                case OutputKind.Softmax:
                    if (k == 1) return 0; // one softmax output is always 1
                    for (int j = 0; j < k; j++) b -= XLogX(mean[j]);
                    return b;
                case OutputKind.Sigmoid:
                    for (int j = 0; j < k; j++) b -= XLogX(mean[j]) + XLogX(1 - mean[j]);
                    return b;
                default:
                    for (int i = 0; i < n; i++)
                        for (int j = 0; j < k; j++) { double d = data.Targets[i * k + j] - mean[j]; b += d * d; }
                    return 0.5 * b / n;
            }
        }

        private static double XLogX(double x) => x > 0 && x < 1 ? x * Math.Log(x) : 0;
    }
}
