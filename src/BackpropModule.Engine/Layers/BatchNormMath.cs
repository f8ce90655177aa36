using System;

namespace BackpropModule.Engine.Layers
{
    /// <summary>
    /// Batch normalisation on column-major n × units arrays (one column per unit, so every loop runs
    /// down a contiguous column). Shared by <see cref="BatchNormLayer"/> (the pass a person looks at)
    /// and the training workspace (reused buffers), so both compute the same bits.
    /// </summary>
    /// <remarks>
    /// Forward, per unit j over the batch: μ = (1/N) Σ a, σ² = (1/N) Σ (a − μ)² (biased, as PyTorch
    /// normalises), x̂ = (a − μ)/√(σ² + ε), y = γ·x̂ + β. In inference mode μ and σ² are the running
    /// statistics. PyTorch conventions throughout: ε = 1e-5, momentum 0.1, running variance updated
    /// with the unbiased batch variance σ²·N/(N − 1).
    /// </remarks>
    public static class BatchNormMath
    {
        /// <summary>Training forward: batch statistics, x̂ and y = γ·x̂ + β. mean, variance and invStd have one entry per unit.</summary>
        public static void TrainingForward(double[] a, int n, int units, double[] gamma, double[] beta, double epsilon,
            double[] mean, double[] variance, double[] invStd, double[] xhat, double[] y)
        {
            for (int j = 0; j < units; j++)
            {
                int o = j * n;
                double sum = 0;
                for (int r = 0; r < n; r++) sum += a[o + r];
                double mu = sum / n;
                // NOTE: two passes (mean first, then squared deviations) rather than E[a²] − μ², which
                // cancels catastrophically when |μ| is large compared with σ.
                double sq = 0;
                for (int r = 0; r < n; r++) { double d = a[o + r] - mu; sq += d * d; }
                double v = sq / n, s = 1.0 / Math.Sqrt(v + epsilon), g = gamma[j], b = beta[j];
                mean[j] = mu; variance[j] = v; invStd[j] = s;
                for (int r = 0; r < n; r++)
                {
                    double h = (a[o + r] - mu) * s;
                    xhat[o + r] = h;
                    y[o + r] = g * h + b;
                }
            }
        }

        /// <summary>Inference forward with the running statistics: x̂ = (a − μ_run)/√(σ²_run + ε), y = γ·x̂ + β. invStd and xhat may be null.</summary>
        public static void InferenceForward(double[] a, int n, int units, double[] gamma, double[] beta, double epsilon,
            double[] runningMean, double[] runningVariance, double[] invStd, double[] xhat, double[] y)
        {
            for (int j = 0; j < units; j++)
            {
                int o = j * n;
                double mu = runningMean[j], s = 1.0 / Math.Sqrt(runningVariance[j] + epsilon), g = gamma[j], b = beta[j];
                if (invStd != null) invStd[j] = s;
                for (int r = 0; r < n; r++)
                {
                    double h = (a[o + r] - mu) * s;
                    if (xhat != null) xhat[o + r] = h;
                    y[o + r] = g * h + b;
                }
            }
        }

        /// <summary>
        /// Training backward from dy = dL/dy: dγ = Σ dy·x̂, dβ = Σ dy and
        /// dx = (1/N)·s·(N·dy·γ − Σ dy·γ − x̂·Σ dy·γ·x̂), s = 1/√(σ² + ε).
        /// </summary>
        /// <remarks>
        /// Derivation (one unit, batch values aᵢ): x̂ᵢ = (aᵢ − μ)·s, yᵢ = γ·x̂ᵢ + β, and with g = dL/dx̂ = dy·γ
        /// the three paths through x̂ᵢ, σ² and μ give dL/daᵢ = s·gᵢ + dL/dσ²·2(aᵢ − μ)/N + dL/dμ/N, where
        /// dL/dσ² = −½·s³·Σ gₖ(aₖ − μ) = −½·s²·Σ gₖx̂ₖ and dL/dμ = −s·Σ gₖ (the σ² term's Σ(aₖ − μ) is zero).
        /// Substituting (aᵢ − μ) = x̂ᵢ/s collects everything into s/N·(N·gᵢ − Σ gₖ − x̂ᵢ·Σ gₖx̂ₖ).
        /// </remarks>
        public static void TrainingBackward(double[] dy, double[] xhat, int n, int units, double[] gamma, double[] invStd,
            double[] dx, double[] dgamma, double[] dbeta)
        {
            for (int j = 0; j < units; j++)
            {
                int o = j * n;
                double sumDy = 0, sumDyX = 0;
                for (int r = 0; r < n; r++) { double d = dy[o + r]; sumDy += d; sumDyX += d * xhat[o + r]; }
                dgamma[j] = sumDyX;
                dbeta[j] = sumDy;
                double g = gamma[j], k = g * invStd[j] / n;
                for (int r = 0; r < n; r++) dx[o + r] = k * (n * dy[o + r] - sumDy - xhat[o + r] * sumDyX);
            }
        }

        /// <summary>
        /// Inference backward (the statistics are constants): dx = dy·γ·s with s = 1/√(σ²_run + ε) as the pass
        /// recorded it, dγ = Σ dy·x̂, dβ = Σ dy.
        /// </summary>
        public static void InferenceBackward(double[] dy, double[] xhat, int n, int units, double[] gamma, double[] invStd,
            double[] dx, double[] dgamma, double[] dbeta)
        {
            for (int j = 0; j < units; j++)
            {
                int o = j * n;
                double sumDy = 0, sumDyX = 0, k = gamma[j] * invStd[j];
                for (int r = 0; r < n; r++)
                {
                    double d = dy[o + r];
                    sumDy += d; sumDyX += d * xhat[o + r];
                    dx[o + r] = k * d;
                }
                dgamma[j] = sumDyX;
                dbeta[j] = sumDy;
            }
        }

        /// <summary>
        /// The first unit whose <see cref="Fold"/> would leave a running statistic NaN or infinite, or −1. A batch
        /// whose values are too large (|a| beyond about 1e154) has a variance that overflows to ∞; folding it would
        /// leave the network normalising every unit to zero in inference mode, and a file it cannot read back.
        /// </summary>
        public static int FindUnfoldable(double[] runningMean, double[] runningVariance, double[] mean, double[] variance, int n, double momentum)
        {
            double keep = 1 - momentum, unbias = n > 1 ? (double)n / (n - 1) : 0;
            for (int j = 0; j < runningMean.Length; j++)
            {
                double m = keep * runningMean[j] + momentum * mean[j];
                double v = n > 1 ? keep * runningVariance[j] + momentum * (variance[j] * unbias) : runningVariance[j];
                if (double.IsNaN(m) || double.IsInfinity(m) || double.IsNaN(v) || double.IsInfinity(v)) return j;
            }
            return -1;
        }

        /// <summary>
        /// Folds one batch's statistics into the running ones: μ_run ← (1 − m)·μ_run + m·μ and
        /// σ²_run ← (1 − m)·σ²_run + m·σ²·N/(N − 1) (the unbiased batch variance, as PyTorch does).
        /// </summary>
        /// <remarks>NOTE: a batch of one sample has no unbiased variance (N − 1 = 0); it moves only the mean.</remarks>
        public static void Fold(double[] runningMean, double[] runningVariance, double[] mean, double[] variance, int n, double momentum)
        {
            double keep = 1 - momentum, unbias = n > 1 ? (double)n / (n - 1) : 0;
            for (int j = 0; j < runningMean.Length; j++)
            {
                runningMean[j] = keep * runningMean[j] + momentum * mean[j];
                if (n > 1) runningVariance[j] = keep * runningVariance[j] + momentum * (variance[j] * unbias);
            }
        }
    }
}
