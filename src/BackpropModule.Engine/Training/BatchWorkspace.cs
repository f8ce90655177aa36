using System;
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
    /// </remarks>
    public sealed class BatchWorkspace
    {
        private readonly Network net;
        private readonly int maxBatch;
        private Tensor[] x, a, z, delta, dx;
        private Tensor t;
        private int currentBatch = -1;

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
        }

        /// <summary>The network this workspace serves.</summary>
        public Network Network => net;

        /// <summary>Largest batch it takes.</summary>
        public int MaxBatchSize => maxBatch;

        /// <summary>Gradients of the last <see cref="TrainBatch"/>, aligned with the network's parameters (reused buffers).</summary>
        public Tensor[] Gradients { get; }

        private void EnsureBatch(int n)
        {
            if (n == currentBatch) return;
            if (n <= 0 || n > maxBatch) throw new ArgumentOutOfRangeException(nameof(n), $"Batch size {n} is outside 1..{maxBatch}.");
            // NOTE: buffers are sized per batch size; a short last batch reallocates once per epoch at most
            // when it differs from the previous batch, and sizes are cached so steady state allocates nothing.
            int layers = net.Layers.Count;
            x = new Tensor[1]; x[0] = new Tensor(n, net.InputSize);
            a = new Tensor[layers]; z = new Tensor[layers]; delta = new Tensor[layers]; dx = new Tensor[layers];
            for (int i = 0; i < layers; i++)
            {
                a[i] = new Tensor(n, net.Layers[i].Outputs);
                z[i] = new Tensor(n, net.Layers[i].Outputs);
                delta[i] = new Tensor(n, net.Layers[i].Outputs);
                dx[i] = i > 0 ? new Tensor(n, net.Layers[i].Inputs) : null;
            }
            t = new Tensor(n, net.OutputSize);
            currentBatch = n;
        }

        private void Gather(double[] features, double[] targets, int[] order, int start, int n)
        {
            int inW = net.InputSize, outW = net.OutputSize;
            double[] xd = x[0].Data, td = t.Data;
            for (int r = 0; r < n; r++)
            {
                int s = order == null ? start + r : order[start + r];
                int fo = s * inW;
                for (int c = 0; c < inW; c++) xd[r + c * n] = features[fo + c];
                int to = s * outW;
                for (int c = 0; c < outW; c++) td[r + c * n] = targets[to + c];
            }
        }

        private BatchResult ForwardBatch(int n)
        {
            var layers = net.Layers;
            Tensor input = x[0];
            for (int i = 0; i < layers.Count; i++)
            {
                layers[i].Forward(input, a[i]);
                if (i == layers.Count - 1) net.OutputLoss.Forward(a[i], z[i]); else net.HiddenActivation.Forward(a[i], z[i]);
                input = z[i];
            }
            int last = layers.Count - 1;
            var result = new BatchResult { Count = n, Loss = net.OutputLoss.Loss(a[last], z[last], t) };
            result.Correct = CountCorrect(z[last], t);
            return result;
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
            EnsureBatch(n);
            Gather(features, targets, order, start, n);
            var result = ForwardBatch(n);
            var layers = net.Layers;
            int last = layers.Count - 1;
            net.OutputLoss.Backward(z[last], t, delta[last]);
            for (int i = last; i >= 0; i--)
            {
                layers[i].Backward(i == 0 ? x[0] : z[i - 1], delta[i], Gradients[2 * i], Gradients[2 * i + 1], i > 0 ? dx[i] : null);
                if (i > 0) net.HiddenActivation.Backward(a[i - 1], z[i - 1], dx[i], delta[i - 1]);
            }
            return result;
        }

        /// <summary>Forward only, for loss and accuracy on samples start..start+n.</summary>
        public BatchResult EvaluateBatch(double[] features, double[] targets, int start, int n)
        {
            EnsureBatch(n);
            Gather(features, targets, null, start, n);
            return ForwardBatch(n);
        }

        /// <summary>The output of the last batch (n × outputs, reused buffer).</summary>
        public Tensor LastOutput => z[net.Layers.Count - 1];
    }
}
