using System.Numerics;

namespace BackpropModule.Engine.Kernels
{
    /// <summary>
    /// The per-element loops of the update rules (<see cref="Training.Optimizers"/>), written with
    /// <see cref="Vector{T}"/> and a scalar tail. Every loop evaluates exactly the scalar formula given in
    /// its summary, with the same operations in the same order, so the result is bit-identical to the
    /// plain loop; the vector part only does several elements at once.
    /// </summary>
    /// <remarks>
    /// NOTE: bit-identity rests on three facts: Vector&lt;double&gt; +, −, ·, ÷ and
    /// <see cref="Vector.SquareRoot{T}"/> are elementwise IEEE operations correctly rounded like their
    /// scalar counterparts (Math.Sqrt included); .NET never contracts a·b + c into a fused multiply-add on
    /// its own; and each formula below is written with the scalar code's parenthesisation (e.g.
    /// (1 − β)·g·g is ((1 − β)·g)·g). Do not introduce FMA or regroup terms here. Only the payload of a
    /// NaN may differ, and the trainer never steps on a non-finite gradient.
    /// Nothing is allocated: vectors are structs and every array is updated in place.
    /// g = dW + λ·W below is computed per element as g[i] + decay·w[i], also when decay is 0, so that
    /// signed zeros come out as before.
    /// </remarks>
    internal static class OptimizerMath
    {
        /// <summary>SGD: w[i] −= lr·(g[i] + decay·w[i]).</summary>
        internal static void Sgd(double[] w, double[] g, double decay, double lr)
        {
            int n = w.Length, width = Vector<double>.Count, i = 0;
            var vlr = new Vector<double>(lr);
            var vdecay = new Vector<double>(decay);
            for (; i <= n - width; i += width)
            {
                var wi = new Vector<double>(w, i);
                (wi - vlr * (new Vector<double>(g, i) + vdecay * wi)).CopyTo(w, i);
            }
            for (; i < n; i++) w[i] -= lr * (g[i] + decay * w[i]);
        }

        /// <summary>Momentum: v[i] = μ·v[i] − lr·(g[i] + decay·w[i]); w[i] += v[i].</summary>
        internal static void Momentum(double[] w, double[] g, double decay, double[] v, double lr, double mu)
        {
            int n = w.Length, width = Vector<double>.Count, i = 0;
            var vlr = new Vector<double>(lr);
            var vmu = new Vector<double>(mu);
            var vdecay = new Vector<double>(decay);
            for (; i <= n - width; i += width)
            {
                var wi = new Vector<double>(w, i);
                var vi = vmu * new Vector<double>(v, i) - vlr * (new Vector<double>(g, i) + vdecay * wi);
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
        internal static void AdaGrad(double[] w, double[] g, double decay, double[] h, double lr, double eps)
        {
            int n = w.Length, width = Vector<double>.Count, i = 0;
            var vlr = new Vector<double>(lr);
            var veps = new Vector<double>(eps);
            var vdecay = new Vector<double>(decay);
            for (; i <= n - width; i += width)
            {
                var wi = new Vector<double>(w, i);
                var gi = new Vector<double>(g, i) + vdecay * wi;
                var hi = new Vector<double>(h, i) + gi * gi;
                hi.CopyTo(h, i);
                (wi - vlr * gi / (Vector.SquareRoot(hi) + veps)).CopyTo(w, i);
            }
            for (; i < n; i++)
            {
                double gi = g[i] + decay * w[i];
                h[i] += gi * gi;
                w[i] -= lr * gi / (System.Math.Sqrt(h[i]) + eps);
            }
        }

        /// <summary>RMSProp: gi = g[i] + decay·w[i]; h[i] = ρ·h[i] + (1 − ρ)·gi·gi; w[i] −= lr·gi / (√h[i] + ε).</summary>
        internal static void RmsProp(double[] w, double[] g, double decay, double[] h, double lr, double rho, double eps)
        {
            int n = w.Length, width = Vector<double>.Count, i = 0;
            // 1 − ρ is computed once, as the scalar loop's hoisted (1 - rho) would be: the same double.
            double oneMinusRho = 1 - rho;
            var vlr = new Vector<double>(lr);
            var vrho = new Vector<double>(rho);
            var v1mrho = new Vector<double>(oneMinusRho);
            var veps = new Vector<double>(eps);
            var vdecay = new Vector<double>(decay);
            for (; i <= n - width; i += width)
            {
                var wi = new Vector<double>(w, i);
                var gi = new Vector<double>(g, i) + vdecay * wi;
                var hi = vrho * new Vector<double>(h, i) + v1mrho * gi * gi;
                hi.CopyTo(h, i);
                (wi - vlr * gi / (Vector.SquareRoot(hi) + veps)).CopyTo(w, i);
            }
            for (; i < n; i++)
            {
                double gi = g[i] + decay * w[i];
                h[i] = rho * h[i] + oneMinusRho * gi * gi;
                w[i] -= lr * gi / (System.Math.Sqrt(h[i]) + eps);
            }
        }

        /// <summary>
        /// Adam: gi = g[i] + decay·w[i]; m[i] = β₁·m[i] + (1 − β₁)·gi; v[i] = β₂·v[i] + (1 − β₂)·gi·gi;
        /// w[i] −= lr·(m[i]·c1) / (√(v[i]·c2) + ε), where c1 = 1/(1 − β₁ᵗ) and c2 = 1/(1 − β₂ᵗ) are
        /// computed once per step by the caller.
        /// </summary>
        internal static void Adam(double[] w, double[] g, double decay, double[] m, double[] v,
            double lr, double b1, double b2, double eps, double c1, double c2)
        {
            int n = w.Length, width = Vector<double>.Count, i = 0;
            double oneMinusB1 = 1 - b1, oneMinusB2 = 1 - b2;
            var vlr = new Vector<double>(lr);
            var vb1 = new Vector<double>(b1);
            var vb2 = new Vector<double>(b2);
            var v1mb1 = new Vector<double>(oneMinusB1);
            var v1mb2 = new Vector<double>(oneMinusB2);
            var veps = new Vector<double>(eps);
            var vc1 = new Vector<double>(c1);
            var vc2 = new Vector<double>(c2);
            var vdecay = new Vector<double>(decay);
            for (; i <= n - width; i += width)
            {
                var wi = new Vector<double>(w, i);
                var gi = new Vector<double>(g, i) + vdecay * wi;
                var mi = vb1 * new Vector<double>(m, i) + v1mb1 * gi;
                var vi = vb2 * new Vector<double>(v, i) + v1mb2 * gi * gi;
                mi.CopyTo(m, i);
                vi.CopyTo(v, i);
                (wi - vlr * (mi * vc1) / (Vector.SquareRoot(vi * vc2) + veps)).CopyTo(w, i);
            }
            for (; i < n; i++)
            {
                double gi = g[i] + decay * w[i];
                m[i] = b1 * m[i] + oneMinusB1 * gi;
                v[i] = b2 * v[i] + oneMinusB2 * gi * gi;
                w[i] -= lr * (m[i] * c1) / (System.Math.Sqrt(v[i] * c2) + eps);
            }
        }
    }
}
