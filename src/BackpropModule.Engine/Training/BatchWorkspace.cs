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
    public sealed class BatchWorkspace
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

            internal Buffers(Network net, int n)
            {
                N = n;
                int layers = net.Layers.Count;
                XT = new Tensor(net.InputSize, n);
                T = new Tensor(n, net.OutputSize);
                A = new Tensor[layers]; Z = new Tensor[layers]; Delta = new Tensor[layers]; Dx = new Tensor[layers];
                for (int i = 0; i < layers; i++)
                {
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

        private BatchResult ForwardBatch(Buffers buf)
        {
            var layers = net.Layers;
            int last = layers.Count - 1;
            for (int i = 0; i <= last; i++)
            {
                if (i == 0)
                {
                    // a = x·W + b with x = XTᵀ: the GEMM reads the gathered samples transposed.
                    TensorMath.MatMul(buf.XT, true, layers[0].W.Value, false, buf.A[0]);
                    TensorMath.AddRowVector(buf.A[0], layers[0].B.Value);
                }
                else layers[i].Forward(buf.Z[i - 1], buf.A[i]);
                if (i < last) net.HiddenActivation.Forward(buf.A[i], buf.Z[i]);
            }
            var result = new BatchResult { Count = buf.N, Loss = OutputAndLoss(buf.A[last], buf.Z[last], buf.T) };
            result.Correct = CountCorrect(buf.Z[last], buf.T);
            return result;
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
        /// Forward and backward on samples order[start..start+n) (or start..start+n when order is null);
        /// gradients go to <see cref="Gradients"/>. The network is not changed.
        /// </summary>
        public BatchResult TrainBatch(double[] features, double[] targets, int[] order, int start, int n)
        {
            var buf = EnsureBatch(n);
            Gather(buf, net.InputSize, net.OutputSize, features, targets, order, start);
            return ForwardBackward(buf);
        }

        /// <summary>
        /// <see cref="TrainBatch(double[], double[], int[], int, int)"/> on a dataset's samples; the rows are
        /// read from its store as they are (compact byte codes are converted while they are gathered).
        /// </summary>
        public BatchResult TrainBatch(Dataset data, int[] order, int start, int n)
        {
            if (data == null) throw new ArgumentNullException(nameof(data));
            var buf = EnsureBatch(n);
            Gather(buf, net.InputSize, net.OutputSize, data.Store, data.Targets, order, start);
            return ForwardBackward(buf);
        }

        private BatchResult ForwardBackward(Buffers buf)
        {
            var result = ForwardBatch(buf);
            var layers = net.Layers;
            int last = layers.Count - 1;
            net.OutputLoss.Backward(buf.Z[last], buf.T, buf.Delta[last]);
            for (int i = last; i > 0; i--)
            {
                layers[i].Backward(buf.Z[i - 1], buf.Delta[i], Gradients[2 * i], Gradients[2 * i + 1], buf.Dx[i]);
                net.HiddenActivation.Backward(buf.A[i - 1], buf.Z[i - 1], buf.Dx[i], buf.Delta[i - 1]);
            }
            // First layer: dW = xᵀ·delta = XT·delta (no transpose needed), db = Σ rows of delta; no dx.
            TensorMath.MatMul(buf.XT, false, buf.Delta[0], false, Gradients[0]);
            TensorMath.SumRows(buf.Delta[0], Gradients[1]);
            return result;
        }

        /// <summary>Forward only, for loss and accuracy on samples start..start+n.</summary>
        public BatchResult EvaluateBatch(double[] features, double[] targets, int start, int n)
        {
            var buf = EnsureBatch(n);
            Gather(buf, net.InputSize, net.OutputSize, features, targets, null, start);
            return ForwardBatch(buf);
        }

        /// <summary>Forward only, for loss and accuracy on a dataset's samples start..start+n, read from its store as they are.</summary>
        public BatchResult EvaluateBatch(Dataset data, int start, int n)
        {
            if (data == null) throw new ArgumentNullException(nameof(data));
            var buf = EnsureBatch(n);
            Gather(buf, net.InputSize, net.OutputSize, data.Store, data.Targets, null, start);
            return ForwardBatch(buf);
        }

        /// <summary>The output of the last batch (n × outputs, reused buffer).</summary>
        public Tensor LastOutput => current.Z[net.Layers.Count - 1];
    }
}
