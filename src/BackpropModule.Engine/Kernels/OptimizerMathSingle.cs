using System.Numerics;

namespace BackpropModule.Engine.Kernels
{
    /// <summary>
    /// The update rules of <see cref="OptimizerMath"/> in float, for the single-precision training path:
    /// the same formulas with the same parenthesisation, on float weights, gradients and state.
    /// </summary>
    /// <remarks>
    /// NOTE: the scalars (learning rate, decay, β, ε, Adam's bias corrections) are rounded to float by the
    /// caller; ε = 1e-8 is representable (a normal float), so Adam's denominator behaves as in double.
    /// </remarks>
    internal static class OptimizerMathSingle
    {
        /// <summary>SGD: w[i] −= lr·(g[i] + decay·w[i]).</summary>
        internal static void Sgd(float[] w, float[] g, float decay, float lr)
        {
            int n = w.Length, width = Vector<float>.Count, i = 0;
            var vlr = new Vector<float>(lr);
            var vdecay = new Vector<float>(decay);
            for (; i <= n - width; i += width)
            {
                var wi = new Vector<float>(w, i);
                (wi - vlr * (new Vector<float>(g, i) + vdecay * wi)).CopyTo(w, i);
            }
            for (; i < n; i++) w[i] -= lr * (g[i] + decay * w[i]);
        }

        /// <summary>Momentum: v[i] = μ·v[i] − lr·(g[i] + decay·w[i]); w[i] += v[i].</summary>
        internal static void Momentum(float[] w, float[] g, float decay, float[] v, float lr, float mu)
        {
            int n = w.Length, width = Vector<float>.Count, i = 0;
            var vlr = new Vector<float>(lr);
            var vmu = new Vector<float>(mu);
            var vdecay = new Vector<float>(decay);
            for (; i <= n - width; i += width)
            {
                var wi = new Vector<float>(w, i);
                var vi = vmu * new Vector<float>(v, i) - vlr * (new Vector<float>(g, i) + vdecay * wi);
                vi.CopyTo(v, i);
                (wi + vi).CopyTo(w, i);
            }
            for (; i < n; i++)
            {
                v[i] = mu * v[i] - lr * (g[i] + decay * w[i]);
                w[i] += v[i];
            }
        }

        /// <summary>AdaGrad: gi = g[i] + decay·w[i]; h[i] += gi·gi; w[i] −= lr·gi / (√h[i] + ε).</summary>
        internal static void AdaGrad(float[] w, float[] g, float decay, float[] h, float lr, float eps)
        {
            int n = w.Length, width = Vector<float>.Count, i = 0;
            var vlr = new Vector<float>(lr);
            var veps = new Vector<float>(eps);
            var vdecay = new Vector<float>(decay);
            for (; i <= n - width; i += width)
            {
                var wi = new Vector<float>(w, i);
                var gi = new Vector<float>(g, i) + vdecay * wi;
                var hi = new Vector<float>(h, i) + gi * gi;
                hi.CopyTo(h, i);
                (wi - vlr * gi / (Vector.SquareRoot(hi) + veps)).CopyTo(w, i);
            }
            for (; i < n; i++)
            {
                float gi = g[i] + decay * w[i];
                h[i] += gi * gi;
                w[i] -= lr * gi / ((float)System.Math.Sqrt(h[i]) + eps);
            }
        }

        /// <summary>RMSProp: gi = g[i] + decay·w[i]; h[i] = ρ·h[i] + (1 − ρ)·gi·gi; w[i] −= lr·gi / (√h[i] + ε).</summary>
        internal static void RmsProp(float[] w, float[] g, float decay, float[] h, float lr, float rho, float oneMinusRho, float eps)
        {
            int n = w.Length, width = Vector<float>.Count, i = 0;
            var vlr = new Vector<float>(lr);
            var vrho = new Vector<float>(rho);
            var v1mrho = new Vector<float>(oneMinusRho);
            var veps = new Vector<float>(eps);
            var vdecay = new Vector<float>(decay);
            for (; i <= n - width; i += width)
            {
                var wi = new Vector<float>(w, i);
                var gi = new Vector<float>(g, i) + vdecay * wi;
                var hi = vrho * new Vector<float>(h, i) + v1mrho * gi * gi;
                hi.CopyTo(h, i);
                (wi - vlr * gi / (Vector.SquareRoot(hi) + veps)).CopyTo(w, i);
            }
            for (; i < n; i++)
            {
                float gi = g[i] + decay * w[i];
                h[i] = rho * h[i] + oneMinusRho * gi * gi;
                w[i] -= lr * gi / ((float)System.Math.Sqrt(h[i]) + eps);
            }
        }

        /// <summary>
        /// Adam: gi = g[i] + decay·w[i]; m[i] = β₁·m[i] + (1 − β₁)·gi; v[i] = β₂·v[i] + (1 − β₂)·gi·gi;
        /// w[i] −= lr·(m[i]·c1) / (√(v[i]·c2) + ε), c1 = 1/(1 − β₁ᵗ), c2 = 1/(1 − β₂ᵗ) from the caller.
        /// </summary>
        internal static void Adam(float[] w, float[] g, float decay, float[] m, float[] v,
            float lr, float b1, float b2, float oneMinusB1, float oneMinusB2, float eps, float c1, float c2)
        {
            int n = w.Length, width = Vector<float>.Count, i = 0;
            var vlr = new Vector<float>(lr);
            var vb1 = new Vector<float>(b1);
            var vb2 = new Vector<float>(b2);
            var v1mb1 = new Vector<float>(oneMinusB1);
            var v1mb2 = new Vector<float>(oneMinusB2);
            var veps = new Vector<float>(eps);
            var vc1 = new Vector<float>(c1);
            var vc2 = new Vector<float>(c2);
            var vdecay = new Vector<float>(decay);
            for (; i <= n - width; i += width)
            {
                var wi = new Vector<float>(w, i);
                var gi = new Vector<float>(g, i) + vdecay * wi;
                var mi = vb1 * new Vector<float>(m, i) + v1mb1 * gi;
                var vi = vb2 * new Vector<float>(v, i) + v1mb2 * gi * gi;
                mi.CopyTo(m, i);
                vi.CopyTo(v, i);
                (wi - vlr * (mi * vc1) / (Vector.SquareRoot(vi * vc2) + veps)).CopyTo(w, i);
            }
            for (; i < n; i++)
            {
                float gi = g[i] + decay * w[i];
                m[i] = b1 * m[i] + oneMinusB1 * gi;
                v[i] = b2 * v[i] + oneMinusB2 * gi * gi;
                w[i] -= lr * (m[i] * c1) / ((float)System.Math.Sqrt(v[i] * c2) + eps);
            }
        }
    }
}
