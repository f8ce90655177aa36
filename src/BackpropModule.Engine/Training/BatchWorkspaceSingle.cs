using System;
using BackpropModule.Engine.Data;
using BackpropModule.Engine.Layers;
using BackpropModule.Engine.Losses;
using BackpropModule.Engine.Randomness;

namespace BackpropModule.Engine.Training
{
    /// <summary>
    /// The float twin of <see cref="BatchWorkspace"/>: reusable float buffers for training one network on
    /// batches of up to a fixed size, with float copies of its parameters (owned by the caller, see
    /// <see cref="SingleTrainingState"/>). After construction nothing is allocated per batch.
    /// </summary>
    /// <remarks>
    /// All buffers are column-major float arrays, as the double workspace's tensors are. Rows are gathered
    /// from the dataset's store and rounded to float (byte codes through a float table), targets likewise.
    /// Blocks as in the double workspace: Affine → [BatchNorm] → activation → [Dropout], the output block
    /// Affine → output function with the loss; parameters W, b[, γ, β] per block from
    /// <see cref="NetworkBlock.FirstParameter"/>. Backward: δ_L = (y − t)/N; dW = xᵀ·δ, db = Σ rows of δ,
    /// dx = δ·Wᵀ, then the mask, the activation's derivative and BatchNorm's backward give the δ below.
    /// Not thread-safe.
    /// </remarks>
    internal sealed partial class BatchWorkspaceSingle
    {
        private readonly Network net;
        private readonly float[][] parameters;
        private readonly int[] sizes;
        private readonly NetworkBlock[] blocks;
        private readonly ActivationKind activation;
        private readonly OutputKind output;
        private readonly Buffers full;
        private Buffers other, current;

        /// <summary>Per block with BatchNorm: the last training batch's mean and biased variance (double, for folding) and 1/√(σ² + ε).</summary>
        private readonly double[][] mean, variance;
        private readonly float[][] invStd;
        private readonly SeededRandom maskRng = new SeededRandom(0);

        /// <summary>The float buffers of one batch size n.</summary>
        private sealed class Buffers
        {
            internal readonly int N;
            internal readonly float[] XT, T;
            internal readonly float[][] A, Z, Delta, Dx;
            /// <summary>Per hidden block with BatchNorm: x̂, γ·x̂ + β and its gradient; with dropout: the mask, z ⊙ mask and dL/dz. Null elsewhere.</summary>
            internal readonly float[][] XHat, Bn, DBn, Mask, Drop, DZ;

            internal Buffers(int[] sizes, NetworkBlock[] blocks, int n)
            {
                N = n;
                int layers = sizes.Length - 1;
                XT = new float[sizes[0] * n];
                T = new float[n * sizes[layers]];
                A = new float[layers][]; Z = new float[layers][]; Delta = new float[layers][]; Dx = new float[layers][];
                XHat = new float[layers][]; Bn = new float[layers][]; DBn = new float[layers][];
                Mask = new float[layers][]; Drop = new float[layers][]; DZ = new float[layers][];
                for (int i = 0; i < layers; i++)
                {
                    int count = n * sizes[i + 1];
                    A[i] = new float[count];
                    Z[i] = new float[count];
                    Delta[i] = new float[count];
                    Dx[i] = i > 0 ? new float[n * sizes[i]] : null;
                    if (blocks[i].HasBatchNorm) { XHat[i] = new float[count]; Bn[i] = new float[count]; DBn[i] = new float[count]; }
                    if (blocks[i].HasDropout) { Mask[i] = new float[count]; Drop[i] = new float[count]; DZ[i] = new float[count]; }
                }
            }
        }

        /// <summary>Buffers for batches of up to maxBatchSize samples, reading the parameters from the given float arrays (in <see cref="Network.Parameters"/> order).</summary>
        internal BatchWorkspaceSingle(Network network, float[][] parameterValues, int maxBatchSize)
        {
            if (maxBatchSize <= 0) throw new ArgumentOutOfRangeException(nameof(maxBatchSize));
            net = network ?? throw new ArgumentNullException(nameof(network));
            parameters = parameterValues ?? throw new ArgumentNullException(nameof(parameterValues));
            if (parameters.Length != net.Parameters.Count)
                throw new ArgumentException($"{parameters.Length} parameter arrays for a network of {net.Parameters.Count} parameters.", nameof(parameterValues));
            sizes = net.LayerSizes;
            blocks = new NetworkBlock[net.Blocks.Count];
            for (int i = 0; i < blocks.Length; i++) blocks[i] = net.Blocks[i];
            activation = net.Activation;
            output = net.Output;
            MaxBatchSize = maxBatchSize;
            Gradients = new float[parameters.Length][];
            for (int p = 0; p < parameters.Length; p++) Gradients[p] = new float[parameters[p].Length];
            full = current = new Buffers(sizes, blocks, maxBatchSize);
            mean = new double[blocks.Length][]; variance = new double[blocks.Length][]; invStd = new float[blocks.Length][];
            for (int i = 0; i < blocks.Length; i++)
                if (blocks[i].HasBatchNorm)
                {
                    int u = blocks[i].Outputs;
                    mean[i] = new double[u]; variance[i] = new double[u]; invStd[i] = new float[u];
                }
        }

        /// <summary>Largest batch it takes.</summary>
        internal int MaxBatchSize { get; }

        /// <summary>Gradients of the last batch, aligned with the parameters (reused buffers).</summary>
        internal float[][] Gradients { get; }

        private Buffers EnsureBatch(int n)
        {
            if (n <= 0 || n > MaxBatchSize) throw new ArgumentOutOfRangeException(nameof(n), $"Batch size {n} is outside 1..{MaxBatchSize}.");
            if (n == MaxBatchSize) current = full;
            else if (other != null && other.N == n) current = other;
            else current = other = new Buffers(sizes, blocks, n);
            return current;
        }

        /// <summary>
        /// Forward (training mode) and backward on samples order[start..start+n) of a dataset; gradients go to
        /// <see cref="Gradients"/>, dropout masks are drawn from <paramref name="dropoutSeed"/> exactly as the double
        /// workspace draws them. The network's running statistics move only with <see cref="FoldStatistics"/>.
        /// </summary>
        internal BatchResult TrainBatch(Dataset data, int[] order, int start, int n, long dropoutSeed = 0)
        {
            var buf = Gather(data, order, start, n);
            maskRng.Reseed(dropoutSeed);
            var result = Forward(buf, training: true);
            Backward(buf);
            return result;
        }

        /// <summary>Forward only in inference mode (running statistics, every unit kept), for loss and accuracy on samples start..start+n.</summary>
        internal BatchResult EvaluateBatch(Dataset data, int start, int n) => Forward(Gather(data, null, start, n), training: false);

        /// <summary>Why the last training batch's statistics cannot be folded (see <see cref="Layers.BatchNormMath.FindUnfoldable"/>), or null; check before the step.</summary>
        internal string UnfoldableStatistics()
        {
            for (int i = 0; i < blocks.Length; i++)
            {
                if (!blocks[i].HasBatchNorm) continue;
                int j = blocks[i].BatchNorm.FindUnfoldable(mean[i], variance[i], current.N);
                if (j >= 0) return blocks[i].BatchNorm.UnfoldableReason(j, mean[i][j], variance[i][j]);
            }
            return null;
        }

        /// <summary>
        /// Folds the last training batch's statistics into the network's (double) running statistics, as
        /// <see cref="BatchWorkspace.FoldStatistics"/> does. Call it once per step taken, after the step.
        /// </summary>
        internal void FoldStatistics()
        {
            for (int i = 0; i < blocks.Length; i++)
                if (blocks[i].HasBatchNorm) blocks[i].BatchNorm.Fold(mean[i], variance[i], current.N);
        }

        private Buffers Gather(Dataset data, int[] order, int start, int n)
        {
            if (data == null) throw new ArgumentNullException(nameof(data));
            var buf = EnsureBatch(n);
            int inW = sizes[0], outW = sizes[sizes.Length - 1];
            data.Store.CopyRowsSingle(order, start, n, inW, buf.XT);
            double[] targets = data.Targets;
            float[] td = buf.T;
            for (int r = 0; r < n; r++)
            {
                int s = order == null ? start + r : order[start + r];
                int to = s * outW;
                for (int c = 0; c < outW; c++) td[r + c * n] = (float)targets[to + c];
            }
            return buf;
        }
    }
}
