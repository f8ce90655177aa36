using System;
using BackpropModule.Engine.Losses;
using BackpropModule.Engine.Tensors;

namespace BackpropModule.Engine.Checking
{
    /// <summary>
    /// Evaluates the network's loss on one batch with a single parameter element replaced by another
    /// value: the function a central difference samples. Optionally records the signs of the hidden
    /// pre-activations the replacement can change, so ReLU kinks crossed between w + h and w − h show.
    /// </summary>
    internal abstract class LossProbe
    {
        /// <summary>True when several threads may call <see cref="LossWith"/> at once, each with its own scratch.</summary>
        public abstract bool IsThreadSafe { get; }

        /// <summary>A per-thread workspace for <see cref="LossWith"/>.</summary>
        public abstract ProbeScratch CreateScratch();

        /// <summary>
        /// L with element <paramref name="i"/> (column-major) of parameter <paramref name="p"/> set to
        /// <paramref name="value"/>; the parameter itself is left (or put back) bit for bit.
        /// With <paramref name="signs"/>, writes whether each hidden pre-activation the element can
        /// change is positive, and returns how many it wrote in <paramref name="signCount"/>; two calls
        /// for the same (p, i) write the same positions in the same order.
        /// </summary>
        public abstract double LossWith(int p, int i, double value, ProbeScratch scratch, bool[] signs, out int signCount);

        /// <summary>
        /// next = cached + Δz ⊗ W[j, :] over n rows: the pre-activation of the layer after a column j whose values
        /// changed by <paramref name="dz"/>, without multiplying the rest again (W column-major, <paramref name="wRows"/> rows).
        /// </summary>
        protected static void RankOneUpdate(double[] cached, double[] next, int n, int width, double[] w, int wRows, int j, double[] dz)
        {
            Array.Copy(cached, next, next.Length);
            for (int c = 0; c < width; c++)
            {
                double wc = w[j + c * wRows];
                int o = c * n;
                for (int r = 0; r < n; r++) next[o + r] += dz[r] * wc;
            }
        }

        /// <summary>The loss of the last pre-activation <paramref name="a"/>, the output written to <paramref name="y"/> (softmax in one pass).</summary>
        protected static double LossOf(IOutputLoss g, Tensor a, Tensor y, Tensor target)
        {
            if (g is SoftmaxCrossEntropy softmax) return softmax.ForwardWithLoss(a, y, target);
            g.Forward(a, y);
            return g.Loss(a, y, target);
        }
    }

    /// <summary>Per-thread buffers of a <see cref="LossProbe"/>, plus the sign records of the + and − evaluations.</summary>
    internal class ProbeScratch
    {
        public ProbeScratch(int signCapacity)
        {
            PlusSigns = new bool[signCapacity];
            MinusSigns = new bool[signCapacity];
        }

        /// <summary>Signs recorded at w + h.</summary>
        public bool[] PlusSigns { get; }

        /// <summary>Signs recorded at w − h.</summary>
        public bool[] MinusSigns { get; }
    }

    /// <summary>
    /// The reference probe: writes the value into the network, runs the whole forward pass
    /// (<see cref="Network.Forward(Tensor, Tensor, ForwardMode, long?)"/>, in the checker's mode with its dropout masks) and puts the
    /// original bits back in a finally block. Simple and obviously right, but O(whole network) per
    /// call and not thread-safe; the fast probe is tested against it.
    /// </summary>
    internal sealed class FullRecomputeProbe : LossProbe
    {
        private readonly Network network;
        private readonly Tensor x, t;
        private readonly int hiddenUnits;
        private readonly ForwardMode mode;
        private readonly long dropoutSeed;

        public FullRecomputeProbe(Network network, Tensor x, Tensor t, ForwardMode mode = ForwardMode.Training, long dropoutSeed = 0)
        {
            this.network = network;
            this.x = x;
            this.t = t;
            this.mode = mode;
            this.dropoutSeed = dropoutSeed;
            for (int l = 0; l + 1 < network.Layers.Count; l++) hiddenUnits += x.Rows * network.Layers[l].Outputs;
        }

        public override bool IsThreadSafe => false;

        public override ProbeScratch CreateScratch() => new ProbeScratch(hiddenUnits);

        public override double LossWith(int p, int i, double value, ProbeScratch scratch, bool[] signs, out int signCount)
        {
            double[] w = network.Parameters[p].Value.Data;
            double original = w[i];
            try
            {
                w[i] = value;
                signCount = 0;
                var pass = network.Forward(x, t, mode, dropoutSeed);
                if (signs == null) return pass.Loss.Value;
                // The activation's input: a, or γ·x̂ + β with BatchNorm (where the kink of ReLU sits); a dropped
                // unit's kink is none of the loss's.
                for (int l = 0; l + 1 < pass.Layers.Count; l++)
                {
                    double[] v = pass.Layers[l].ActivationInput.Data, mask = pass.Layers[l].DropoutMask?.Data;
                    for (int k = 0; k < v.Length; k++) signs[signCount++] = v[k] > 0 && (mask == null || mask[k] != 0);
                }
                return pass.Loss.Value;
            }
            finally
            {
                w[i] = original;
            }
        }
    }
}
