using System;
using BackpropModule.Engine.Layers;

namespace BackpropModule.Engine.Losses
{
    /// <summary>
    /// The three output/loss pairings in float for the single-precision training path (column-major n × k
    /// buffers): y = g(a) in float and the batch loss, which is summed in double from the float values
    /// (a reported number, not part of the gradient). dL/da = (y − t)/N is
    /// <see cref="Kernels.VectorMathSingle.ScaledDifference"/>, shared by all three.
    /// </summary>
    internal static class OutputLossesSingle
    {
        /// <summary>y = g(a) and the mean loss over the n rows.</summary>
        internal static double ForwardWithLoss(OutputKind kind, float[] a, float[] y, float[] t, int n, int k)
        {
            switch (kind)
            {
                case OutputKind.Softmax: return Softmax(a, y, t, n, k);
                case OutputKind.Identity: return Identity(a, y, t, n, k);
                case OutputKind.Sigmoid: return Sigmoid(a, y, t, n, k);
                default: throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown output.");
            }
        }

        /// <summary>
        /// Softmax: y = e^(a − max) / Σ e^(a − max) per row; L = −(1/N) Σ t·(a − max − log Σ), from the
        /// pre-activations (never log 0). NOTE: each e^x is evaluated in double and rounded to float; the row
        /// sum is a float sum, as in a float softmax.
        /// </summary>
        private static double Softmax(float[] x, float[] o, float[] td, int n, int k)
        {
            double total = 0;
            for (int r = 0; r < n; r++)
            {
                float max = float.NegativeInfinity;
                for (int c = 0; c < k; c++) max = Math.Max(max, x[r + c * n]);
                float sum = 0;
                for (int c = 0; c < k; c++) { float e = (float)Math.Exp(x[r + c * n] - max); o[r + c * n] = e; sum += e; }
                float inv = 1f / sum;
                double logSum = Math.Log(sum);
                for (int c = 0; c < k; c++)
                {
                    o[r + c * n] *= inv;
                    float tv = td[r + c * n];
                    if (tv != 0) total -= tv * ((double)(x[r + c * n] - max) - logSum);
                }
            }
            return total / n;
        }

        /// <summary>Identity: y = a; L = (1/N) Σ ½ (y − t)².</summary>
        private static double Identity(float[] a, float[] y, float[] t, int n, int k)
        {
            int count = n * k;
            Array.Copy(a, y, count);
            double total = 0;
            for (int i = 0; i < count; i++) { double d = y[i] - t[i]; total += d * d; }
            return 0.5 * total / n;
        }

        /// <summary>Sigmoid: y = σ(a); L = (1/N) Σ [max(a, 0) − a·t + log(1 + e^−|a|)], the logit form.</summary>
        private static double Sigmoid(float[] a, float[] y, float[] t, int n, int k)
        {
            int count = n * k;
            double total = 0;
            for (int i = 0; i < count; i++)
            {
                double x = a[i];
                y[i] = (float)Activations.Logistic(x);
                total += Math.Max(x, 0) - x * t[i] + OutputLosses.Log1P(Math.Exp(-Math.Abs(x)));
            }
            return total / n;
        }

        /// <summary>Rows whose predicted class matches the target's (one output: both on the same side of 0.5).</summary>
        internal static int CountCorrect(float[] yd, float[] td, int n, int k)
        {
            int hit = 0;
            for (int r = 0; r < n; r++)
            {
                if (k == 1) { if ((yd[r] >= 0.5f) == (td[r] >= 0.5f)) hit++; continue; }
                int py = 0, pt = 0;
                for (int c = 1; c < k; c++)
                {
                    if (yd[r + c * n] > yd[r + py * n]) py = c;
                    if (td[r + c * n] > td[r + pt * n]) pt = c;
                }
                if (py == pt) hit++;
            }
            return hit;
        }
    }
}
