using System;
using System.Numerics;
using BackpropModule.Engine.Randomness;

namespace BackpropModule.Engine.Kernels
{
    /// <summary>
    /// The float twins of <see cref="Layers.BatchNormMath"/> and <see cref="Layers.DropoutMask"/> for the
    /// single-precision training path, on column-major n × units arrays (one column per unit).
    /// </summary>
    /// <remarks>
    /// NOTE: the inputs and outputs are float, the arithmetic in between double: the per-column sums (μ, σ²,
    /// Σ dy, Σ dy·x̂) and the two subtractions that cancel, a − μ (a column far from 0 with a small spread) and
    /// N·dy − Σ dy − x̂·Σ dy·x̂. In float each costs up to |μ|/σ ulps of x̂ or dx; in double every stored value is
    /// the float nearest to the exact result, give or take one rounding, and the batch statistics the running
    /// statistics are folded from are those of the float activations to double accuracy. The loops widen a
    /// float vector into two double vectors and narrow the results back, so the double costs little; the
    /// lanes are summed in a fixed order, so a run repeats bit for bit.
    /// </remarks>
    internal static class BlockMathSingle
    {
        /// <summary>
        /// Training forward: μ = (1/N) Σ a, σ² = (1/N) Σ (a − μ)² (biased, two passes), s = 1/√(σ² + ε),
        /// x̂ = (a − μ)·s and y = γ·x̂ + β. mean and variance (double, for folding) and invStd have one entry per unit.
        /// </summary>
        internal static void BatchNormForward(float[] a, int n, int units, float[] gamma, float[] beta, double epsilon,
            double[] mean, double[] variance, float[] invStd, float[] xhat, float[] y)
        {
            int w = Vector<float>.Count;
            for (int j = 0; j < units; j++)
            {
                int o = j * n, r = 0;
                Vector<double> acc0 = Vector<double>.Zero, acc1 = acc0;
                for (; r <= n - w; r += w) { Vector.Widen(new Vector<float>(a, o + r), out var lo, out var hi); acc0 += lo; acc1 += hi; }
                double sum = Lanes(acc0 + acc1);
                for (; r < n; r++) sum += a[o + r];
                double mu = sum / n;
                var vmu = new Vector<double>(mu);
                acc0 = acc1 = Vector<double>.Zero;
                for (r = 0; r <= n - w; r += w)
                {
                    Vector.Widen(new Vector<float>(a, o + r), out var lo, out var hi);
                    lo -= vmu; hi -= vmu; acc0 += lo * lo; acc1 += hi * hi;
                }
                double sq = Lanes(acc0 + acc1);
                for (; r < n; r++) { double d = a[o + r] - mu; sq += d * d; }
                double v = sq / n, s = 1.0 / Math.Sqrt(v + epsilon);
                mean[j] = mu; variance[j] = v; invStd[j] = (float)s;
                float g = gamma[j], b = beta[j];
                Vector<double> vs = new Vector<double>(s);
                Vector<float> vg = new Vector<float>(g), vb = new Vector<float>(b);
                for (r = 0; r <= n - w; r += w)
                {
                    Vector.Widen(new Vector<float>(a, o + r), out var lo, out var hi);
                    var h = Vector.Narrow((lo - vmu) * vs, (hi - vmu) * vs);
                    h.CopyTo(xhat, o + r);
                    (vg * h + vb).CopyTo(y, o + r);
                }
                for (; r < n; r++)
                {
                    float h = (float)((a[o + r] - mu) * s);
                    xhat[o + r] = h;
                    y[o + r] = g * h + b;
                }
            }
        }

        /// <summary>Inference forward with the network's (double) running statistics: y = γ·(a − μ_run)/√(σ²_run + ε) + β.</summary>
        internal static void BatchNormInference(float[] a, int n, int units, float[] gamma, float[] beta, double epsilon,
            double[] runningMean, double[] runningVariance, float[] y)
        {
            for (int j = 0; j < units; j++)
            {
                int o = j * n;
                double mu = runningMean[j], s = 1.0 / Math.Sqrt(runningVariance[j] + epsilon);
                float g = gamma[j], b = beta[j];
                for (int r = 0; r < n; r++) y[o + r] = g * (float)((a[o + r] - mu) * s) + b;
            }
        }

        /// <summary>
        /// Training backward from dy: dγ = Σ dy·x̂, dβ = Σ dy and dx = (γ·s/N)·(N·dy − Σ dy − x̂·Σ dy·x̂), the compact
        /// form derived in <see cref="Layers.BatchNormMath.TrainingBackward"/>.
        /// </summary>
        internal static void BatchNormBackward(float[] dy, float[] xhat, int n, int units, float[] gamma, float[] invStd,
            float[] dx, float[] dgamma, float[] dbeta)
        {
            int w = Vector<float>.Count;
            for (int j = 0; j < units; j++)
            {
                int o = j * n, r = 0;
                Vector<double> sd0 = Vector<double>.Zero, sd1 = sd0, sx0 = sd0, sx1 = sd0;
                for (; r <= n - w; r += w)
                {
                    Vector.Widen(new Vector<float>(dy, o + r), out var d0, out var d1);
                    Vector.Widen(new Vector<float>(xhat, o + r), out var x0, out var x1);
                    sd0 += d0; sd1 += d1; sx0 += d0 * x0; sx1 += d1 * x1;
                }
                double sumDy = Lanes(sd0 + sd1), sumDyX = Lanes(sx0 + sx1);
                for (; r < n; r++) { double d = dy[o + r]; sumDy += d; sumDyX += d * xhat[o + r]; }
                dgamma[j] = (float)sumDyX;
                dbeta[j] = (float)sumDy;
                double k = (double)gamma[j] * invStd[j] / n;
                Vector<double> vk = new Vector<double>(k), vn = new Vector<double>(n), vsd = new Vector<double>(sumDy), vsx = new Vector<double>(sumDyX);
                for (r = 0; r <= n - w; r += w)
                {
                    Vector.Widen(new Vector<float>(dy, o + r), out var d0, out var d1);
                    Vector.Widen(new Vector<float>(xhat, o + r), out var x0, out var x1);
                    Vector.Narrow(vk * (vn * d0 - vsd - x0 * vsx), vk * (vn * d1 - vsd - x1 * vsx)).CopyTo(dx, o + r);
                }
                for (; r < n; r++) dx[o + r] = (float)(k * ((double)n * dy[o + r] - sumDy - xhat[o + r] * sumDyX));
            }
        }

        /// <summary>The sum of a vector's lanes, in lane order (a fixed order, so a run repeats bit for bit).</summary>
        private static double Lanes(Vector<double> v)
        {
            double s = 0;
            for (int l = 0; l < Vector<double>.Count; l++) s += v[l];
            return s;
        }

        /// <summary>
        /// Fills mask[0..count) as <see cref="Layers.DropoutMask.Draw"/> does, from the same generator draws (u &lt; p
        /// compared in double), so a float run drops exactly the units a double run of the same seed drops; the kept
        /// value 1/(1 − p) is rounded to float.
        /// </summary>
        internal static void DrawDropout(SeededRandom rng, double rate, float[] mask, int count)
        {
            float keep = (float)(1.0 / (1.0 - rate));
            for (int i = 0; i < count; i++) mask[i] = rng.NextDouble() < rate ? 0f : keep;
        }

        /// <summary>y = z ⊙ mask (also the backward dz = dy ⊙ mask).</summary>
        internal static void ApplyDropout(float[] z, float[] mask, float[] y, int count)
        {
            for (int i = 0; i < count; i++) y[i] = z[i] * mask[i];
        }
    }
}
