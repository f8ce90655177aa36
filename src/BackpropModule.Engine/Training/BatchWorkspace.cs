using System;
using BackpropModule.Engine.Data;
using BackpropModule.Engine.Kernels;
using BackpropModule.Engine.Losses;
using BackpropModule.Engine.Tensors;

namespace BackpropModule.Engine.Training
{
    /// <summary>What one batch gave: mean loss and the number of correctly classified samples.</summary>
    public struct BatchResult
    {
        /// <summary>The loss averaged over the batch.</summary>
        public double Loss;

        /// <summary>Samples whose predicted class matches the target (classification only).</summary>
        public int Correct;

        /// <summary>Samples in the batch.</summary>
        public int Count;
    }

    /// <summary>
    /// Reusable buffers for training and evaluating one network on batches of up to a fixed size.
    /// After construction nothing is allocated per batch: inputs are gathered into a reused buffer,
    /// forward and backward write into reused tensors, and gradients land in <see cref="Gradients"/>.
    /// </summary>
    /// <remarks>
    /// Data is read from row-major arrays (sample after sample), the layout of a loaded dataset:
    /// features is count × InputSize, targets is count × OutputSize (one-hot rows for classifiers).
    /// A workspace is bound to one network and is not thread-safe.
    /// Buffers exist for the full batch size and for one other size (the short last batch of an
    /// epoch), so an epoch of equal batches plus a short one allocates nothing once both exist.
    /// </remarks>
    public sealed partial class BatchWorkspace
    {
        private readonly Network net;
        private readonly int maxBatch;
        private readonly Buffers full;
        private Buffers other, current;

        /// <summary>The tensors of one batch size n.</summary>
        private sealed class Buffers
        {
            internal readonly int N;
            /// <summary>The inputs transposed, InputSize × n: column r is sample r, copied as one block.</summary>
            internal readonly Tensor XT;
            internal readonly Tensor T;
            internal readonly Tensor[] A, Z, Delta, Dx;
            /// <summary>Per hidden block with BatchNorm: x̂, γ·x̂ + β and dL/d(γ·x̂ + β); with dropout: the mask, z ⊙ mask and dL/dz. Null elsewhere.</summary>
            internal readonly Tensor[] XHat, Bn, DBn, Mask, Drop, DZ;

            internal Buffers(Network net, int n)
            {
                N = n;
                int layers = net.Layers.Count;
                XT = new Tensor(net.InputSize, n);
                T = new Tensor(n, net.OutputSize);
                A = new Tensor[layers]; Z = new Tensor[layers]; Delta = new Tensor[layers]; Dx = new Tensor[layers];
                XHat = new Tensor[layers]; Bn = new Tensor[layers]; DBn = new Tensor[layers];
                Mask = new Tensor[layers]; Drop = new Tensor[layers]; DZ = new Tensor[layers];
                for (int i = 0; i < layers; i++)
                {
                    var block = net.Blocks[i];
                    if (block.HasBatchNorm)
                    {
                        XHat[i] = new Tensor(n, block.Outputs); Bn[i] = new Tensor(n, block.Outputs); DBn[i] = new Tensor(n, block.Outputs);
                    }
                    if (block.HasDropout)
                    {
                        Mask[i] = new Tensor(n, block.Outputs); Drop[i] = new Tensor(n, block.Outputs); DZ[i] = new Tensor(n, block.Outputs);
                    }
                    A[i] = new Tensor(n, net.Layers[i].Outputs);
                    Z[i] = new Tensor(n, net.Layers[i].Outputs);
                    Delta[i] = new Tensor(n, net.Layers[i].Outputs);
                    Dx[i] = i > 0 ? new Tensor(n, net.Layers[i].Inputs) : null;
                }
            }
        }

        /// <summary>Creates buffers for batches of up to maxBatchSize samples.</summary>
        /// <exception cref="ArgumentOutOfRangeException">maxBatchSize is not positive.</exception>
        public BatchWorkspace(Network network, int maxBatchSize)
        {
            if (maxBatchSize <= 0) throw new ArgumentOutOfRangeException(nameof(maxBatchSize));
            net = network ?? throw new ArgumentNullException(nameof(network));
            maxBatch = maxBatchSize;
            var ps = net.Parameters;
            var grads = new Tensor[ps.Count];
            for (int i = 0; i < ps.Count; i++) grads[i] = new Tensor(ps[i].Value.Rows, ps[i].Value.Columns);
            Gradients = grads;
            full = new Buffers(net, maxBatch);
            current = full;
            int blocks = net.Blocks.Count;
            mean = new double[blocks][]; variance = new double[blocks][]; invStd = new double[blocks][];
            for (int i = 0; i < blocks; i++)
                if (net.Blocks[i].HasBatchNorm)
                {
                    int u = net.Blocks[i].Outputs;
                    mean[i] = new double[u]; variance[i] = new double[u]; invStd[i] = new double[u];
                }
        }

        /// <summary>The network this workspace serves.</summary>
        public Network Network => net;

        /// <summary>Largest batch it takes.</summary>
        public int MaxBatchSize => maxBatch;

        /// <summary>Gradients of the last TrainBatch, aligned with the network's parameters (reused buffers).</summary>
        public Tensor[] Gradients { get; }

        private Buffers EnsureBatch(int n)
        {
            if (n <= 0 || n > maxBatch) throw new ArgumentOutOfRangeException(nameof(n), $"Batch size {n} is outside 1..{maxBatch}.");
            // NOTE: a tensor's shape is fixed, so each batch size has its own buffers; besides the full size
            // one other size is kept, which covers an epoch's short last batch. A third size replaces it.
            if (n == maxBatch) current = full;
            else if (other != null && other.N == n) current = other;
            else current = other = new Buffers(net, n);
            return current;
        }

        private static void Gather(Buffers buf, int inW, int outW, double[] features, double[] targets, int[] order, int start)
        {
            // A sample is a row of the data and a column of XT: one contiguous copy each.
            RowGather.Copy(features, order, start, buf.N, inW, buf.XT.Data);
            GatherTargets(buf, outW, targets, order, start);
        }

        private static void Gather(Buffers buf, int inW, int outW, FeatureStore features, double[] targets, int[] order, int start)
        {
            features.CopyRows(order, start, buf.N, inW, buf.XT.Data);
            GatherTargets(buf, outW, targets, order, start);
        }

        private static void GatherTargets(Buffers buf, int outW, double[] targets, int[] order, int start)
        {
            int n = buf.N;
            double[] td = buf.T.Data;
            for (int r = 0; r < n; r++)
            {
                int s = order == null ? start + r : order[start + r];
                int to = s * outW;
                for (int c = 0; c < outW; c++) td[r + c * n] = targets[to + c];
            }
        }

        /// <summary>y = g(a) and the loss; softmax does both in one pass (same bits as the two calls).</summary>
        private double OutputAndLoss(Tensor a, Tensor y, Tensor t)
        {
            if (net.OutputLoss is SoftmaxCrossEntropy softmax) return softmax.ForwardWithLoss(a, y, t);
            net.OutputLoss.Forward(a, y);
            return net.OutputLoss.Loss(a, y, t);
        }

        private static int CountCorrect(Tensor y, Tensor t)
        {
            int n = y.Rows, k = y.Columns, hit = 0;
            double[] yd = y.Data, td = t.Data;
            for (int r = 0; r < n; r++)
            {
                if (k == 1) { if ((yd[r] >= 0.5) == (td[r] >= 0.5)) hit++; continue; }
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

        /// <summary>
        /// Forward (training mode) and backward on samples order[start..start+n) (or start..start+n when order
        /// is null); gradients go to <see cref="Gradients"/>, dropout masks are drawn from
        /// <paramref name="dropoutSeed"/>. The network is not changed: <see cref="FoldStatistics"/> moves the
        /// BatchNorm running statistics once the step is taken.
        /// </summary>
        public BatchResult TrainBatch(double[] features, double[] targets, int[] order, int start, int n, long dropoutSeed = 0)
        {
            var buf = EnsureBatch(n);
            Gather(buf, net.InputSize, net.OutputSize, features, targets, order, start);
            return ForwardBackward(buf, dropoutSeed);
        }

        /// <summary>
        /// <see cref="TrainBatch(double[], double[], int[], int, int, long)"/> on a dataset's samples; the rows are
        /// read from its store as they are (compact byte codes are converted while they are gathered).
        /// </summary>
        public BatchResult TrainBatch(Dataset data, int[] order, int start, int n, long dropoutSeed = 0)
        {
            if (data == null) throw new ArgumentNullException(nameof(data));
            var buf = EnsureBatch(n);
            Gather(buf, net.InputSize, net.OutputSize, data.Store, data.Targets, order, start);
            return ForwardBackward(buf, dropoutSeed);
        }

        /// <summary>Forward only in inference mode, for loss and accuracy on samples start..start+n.</summary>
        public BatchResult EvaluateBatch(double[] features, double[] targets, int start, int n)
        {
            var buf = EnsureBatch(n);
            Gather(buf, net.InputSize, net.OutputSize, features, targets, null, start);
            return ForwardBatch(buf, training: false);
        }

        /// <summary>Forward only in inference mode, for loss and accuracy on a dataset's samples start..start+n, read from its store as they are.</summary>
        public BatchResult EvaluateBatch(Dataset data, int start, int n)
        {
            if (data == null) throw new ArgumentNullException(nameof(data));
            var buf = EnsureBatch(n);
            Gather(buf, net.InputSize, net.OutputSize, data.Store, data.Targets, null, start);
            return ForwardBatch(buf, training: false);
        }

        /// <summary>The output of the last batch (n × outputs, reused buffer).</summary>
        public Tensor LastOutput => current.Z[net.Layers.Count - 1];
    }
}
