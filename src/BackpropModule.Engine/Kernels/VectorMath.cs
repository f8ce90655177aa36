using System.Numerics;

namespace BackpropModule.Engine.Kernels
{
    /// <summary>
    /// Elementwise loops of the layers and losses, written once with <see cref="Vector{T}"/> and a
    /// scalar tail. Each performs exactly the scalar formula per element (same operations, same
    /// order), so results are bit-identical to the plain loops; only <see cref="SumColumns"/> sums in
    /// a different order.
    /// </summary>
    internal static class VectorMath
    {
        /// <summary>x[r + c·rows] += bias[c]: a bias row added to every row of a column-major matrix.</summary>
        internal static void AddColumnBias(double[] x, int rows, int cols, double[] bias)
        {
            int w = Vector<double>.Count;
            for (int c = 0; c < cols; c++)
            {
                int off = c * rows, end = off + rows, i = off;
                var vb = new Vector<double>(bias[c]);
                for (; i <= end - w; i += w) (new Vector<double>(x, i) + vb).CopyTo(x, i);
                for (; i < end; i++) x[i] += bias[c];
            }
        }

        /// <summary>sums[c] = Σ over r of x[r + c·rows]: the column sums of a column-major matrix.</summary>
        /// <remarks>
        /// NOTE: each column is summed in w interleaved partial sums (w = vector width) that are added
        /// at the end, not strictly left to right; the difference is rounding (≈ rows·ε relative at worst),
        /// and the order is fixed, so results are deterministic.
        /// </remarks>
        internal static void SumColumns(double[] x, int rows, int cols, double[] sums)
        {
            int w = Vector<double>.Count;
            for (int c = 0; c < cols; c++)
            {
                int off = c * rows, end = off + rows, i = off;
                var acc = Vector<double>.Zero;
                for (; i <= end - w; i += w) acc += new Vector<double>(x, i);
                double s = 0;
                for (int l = 0; l < w; l++) s += acc[l];
                for (; i < end; i++) s += x[i];
                sums[c] = s;
            }
        }

        /// <summary>y = a &gt; 0 ? a : 0 (NaN and −0 give +0, as the scalar comparison does).</summary>
        internal static void Relu(double[] a, double[] y, int count)
        {
            int w = Vector<double>.Count, i = 0;
            var zero = Vector<double>.Zero;
            for (; i <= count - w; i += w)
            {
                var v = new Vector<double>(a, i);
                Vector.ConditionalSelect(Vector.GreaterThan(v, zero), v, zero).CopyTo(y, i);
            }
            for (; i < count; i++) y[i] = a[i] > 0 ? a[i] : 0.0;
        }

        /// <summary>da = a &gt; 0 ? dz : 0: ReLU's backward, the kink at 0 taking gradient 0.</summary>
        internal static void ReluBackward(double[] a, double[] dz, double[] da, int count)
        {
            int w = Vector<double>.Count, i = 0;
            var zero = Vector<double>.Zero;
            for (; i <= count - w; i += w)
            {
                var mask = Vector.GreaterThan(new Vector<double>(a, i), zero);
                Vector.ConditionalSelect(mask, new Vector<double>(dz, i), zero).CopyTo(da, i);
            }
            for (; i < count; i++) da[i] = a[i] > 0 ? dz[i] : 0.0;
        }

        /// <summary>da = dz·z·(1 − z), multiplied in that order: the sigmoid's backward.</summary>
        internal static void SigmoidBackward(double[] z, double[] dz, double[] da, int count)
        {
            int w = Vector<double>.Count, i = 0;
            var one = Vector<double>.One;
            for (; i <= count - w; i += w)
            {
                var y = new Vector<double>(z, i);
                (new Vector<double>(dz, i) * y * (one - y)).CopyTo(da, i);
            }
            for (; i < count; i++) da[i] = dz[i] * z[i] * (1.0 - z[i]);
        }

        /// <summary>da = dz·(1 − z²): tanh's backward.</summary>
        internal static void TanhBackward(double[] z, double[] dz, double[] da, int count)
        {
            int w = Vector<double>.Count, i = 0;
            var one = Vector<double>.One;
            for (; i <= count - w; i += w)
            {
                var y = new Vector<double>(z, i);
                (new Vector<double>(dz, i) * (one - y * y)).CopyTo(da, i);
            }
            for (; i < count; i++) da[i] = dz[i] * (1.0 - z[i] * z[i]);
        }

        /// <summary>d = (y − t)·scale: the residual over the batch, scale = 1/N.</summary>
        internal static void ScaledDifference(double[] y, double[] t, double scale, double[] d, int count)
        {
            int w = Vector<double>.Count, i = 0;
            var vs = new Vector<double>(scale);
            for (; i <= count - w; i += w) ((new Vector<double>(y, i) - new Vector<double>(t, i)) * vs).CopyTo(d, i);
            for (; i < count; i++) d[i] = (y[i] - t[i]) * scale;
        }
    }
}
