using System;
using System.Numerics;

namespace BackpropModule.Engine.Kernels
{
    /// <summary>
    /// The float elementwise loops of the single-precision training path: bias, column sums, the hidden
    /// activations and their backward passes, the residual, and a finite scan. Each is the formula of its
    /// double twin in <see cref="VectorMath"/> or <see cref="Layers.Activations"/>, evaluated in float.
    /// </summary>
    /// <remarks>
    /// NOTE: the transcendental functions (e^x of the sigmoid, tanh) are evaluated in double and rounded
    /// once to float: netstandard2.0 has no MathF, and a correctly rounded float of the double result is
    /// as good as float math gets (within 0.5 ulp plus the double's own error).
    /// </remarks>
    internal static class VectorMathSingle
    {
        /// <summary>x[r + c·rows] += bias[c].</summary>
        internal static void AddColumnBias(float[] x, int rows, int cols, float[] bias)
        {
            int w = Vector<float>.Count;
            for (int c = 0; c < cols; c++)
            {
                int off = c * rows, end = off + rows, i = off;
                var vb = new Vector<float>(bias[c]);
                for (; i <= end - w; i += w) (new Vector<float>(x, i) + vb).CopyTo(x, i);
                for (; i < end; i++) x[i] += bias[c];
            }
        }

        /// <summary>sums[c] = Σ over r of x[r + c·rows], in w interleaved partial sums (a fixed order).</summary>
        internal static void SumColumns(float[] x, int rows, int cols, float[] sums)
        {
            int w = Vector<float>.Count;
            for (int c = 0; c < cols; c++)
            {
                int off = c * rows, end = off + rows, i = off;
                var acc = Vector<float>.Zero;
                for (; i <= end - w; i += w) acc += new Vector<float>(x, i);
                float s = 0;
                for (int l = 0; l < w; l++) s += acc[l];
                for (; i < end; i++) s += x[i];
                sums[c] = s;
            }
        }

        /// <summary>y = a &gt; 0 ? a : 0.</summary>
        internal static void Relu(float[] a, float[] y, int count)
        {
            int w = Vector<float>.Count, i = 0;
            var zero = Vector<float>.Zero;
            for (; i <= count - w; i += w)
            {
                var v = new Vector<float>(a, i);
                Vector.ConditionalSelect(Vector.GreaterThan(v, zero), v, zero).CopyTo(y, i);
            }
            for (; i < count; i++) y[i] = a[i] > 0 ? a[i] : 0f;
        }

        /// <summary>da = a &gt; 0 ? dz : 0.</summary>
        internal static void ReluBackward(float[] a, float[] dz, float[] da, int count)
        {
            int w = Vector<float>.Count, i = 0;
            var zero = Vector<float>.Zero;
            for (; i <= count - w; i += w)
            {
                var mask = Vector.GreaterThan(new Vector<float>(a, i), zero);
                Vector.ConditionalSelect(mask, new Vector<float>(dz, i), zero).CopyTo(da, i);
            }
            for (; i < count; i++) da[i] = a[i] > 0 ? dz[i] : 0f;
        }

        /// <summary>z = σ(a) = 1/(1 + e^−a), computed without overflow and rounded once to float.</summary>
        internal static void Sigmoid(float[] a, float[] z, int count)
        {
            for (int i = 0; i < count; i++) z[i] = (float)Layers.Activations.Logistic(a[i]);
        }

        /// <summary>z = tanh a, rounded once to float.</summary>
        internal static void Tanh(float[] a, float[] z, int count)
        {
            for (int i = 0; i < count; i++) z[i] = (float)Math.Tanh(a[i]);
        }

        /// <summary>da = dz·z·(1 − z).</summary>
        internal static void SigmoidBackward(float[] z, float[] dz, float[] da, int count)
        {
            int w = Vector<float>.Count, i = 0;
            var one = Vector<float>.One;
            for (; i <= count - w; i += w)
            {
                var y = new Vector<float>(z, i);
                (new Vector<float>(dz, i) * y * (one - y)).CopyTo(da, i);
            }
            for (; i < count; i++) da[i] = dz[i] * z[i] * (1f - z[i]);
        }

        /// <summary>da = dz·(1 − z²).</summary>
        internal static void TanhBackward(float[] z, float[] dz, float[] da, int count)
        {
            int w = Vector<float>.Count, i = 0;
            var one = Vector<float>.One;
            for (; i <= count - w; i += w)
            {
                var y = new Vector<float>(z, i);
                (new Vector<float>(dz, i) * (one - y * y)).CopyTo(da, i);
            }
            for (; i < count; i++) da[i] = dz[i] * (1f - z[i] * z[i]);
        }

        /// <summary>d = (y − t)·scale: the residual over the batch, scale = 1/N.</summary>
        internal static void ScaledDifference(float[] y, float[] t, float scale, float[] d, int count)
        {
            int w = Vector<float>.Count, i = 0;
            var vs = new Vector<float>(scale);
            for (; i <= count - w; i += w) ((new Vector<float>(y, i) - new Vector<float>(t, i)) * vs).CopyTo(d, i);
            for (; i < count; i++) d[i] = (y[i] - t[i]) * scale;
        }

        /// <summary>True when every value of x is finite (x − x is 0 exactly for finite x, NaN otherwise).</summary>
        /// <remarks>Four independent accumulators, so the adds do not wait on each other's latency.</remarks>
        internal static bool AllFinite(float[] x)
        {
            int w = Vector<float>.Count, i = 0;
            Vector<float> acc = Vector<float>.Zero, acc1 = acc, acc2 = acc, acc3 = acc;
            for (; i <= x.Length - 4 * w; i += 4 * w)
            {
                var v0 = new Vector<float>(x, i); var v1 = new Vector<float>(x, i + w);
                var v2 = new Vector<float>(x, i + 2 * w); var v3 = new Vector<float>(x, i + 3 * w);
                acc += v0 - v0; acc1 += v1 - v1; acc2 += v2 - v2; acc3 += v3 - v3;
            }
            for (; i <= x.Length - w; i += w) { var v = new Vector<float>(x, i); acc += v - v; }
            acc += acc1 + acc2 + acc3;
            for (int l = 0; l < w; l++) if (acc[l] != 0) return false;
            for (; i < x.Length; i++) if (float.IsNaN(x[i]) || float.IsInfinity(x[i])) return false;
            return true;
        }
    }
}
