using System;
using BackpropModule.Engine.Data;
using BackpropModule.Engine.Kernels;
using BackpropModule.Engine.Layers;
using BackpropModule.Engine.Losses;

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
    /// Forward: a₀ = x·W₁ + b₁ (the GEMM reads the gathered XT transposed), z = f(a), …, y = g(a_L) with the
    /// loss. Backward: δ_L = (y − t)/N; dW = zᵀ·δ, db = Σ rows of δ, dx = δ·Wᵀ, δ = dx ⊙ f′. Not thread-safe.
    /// </remarks>
    internal sealed class BatchWorkspaceSingle
    {
        private readonly float[][] parameters;
        private readonly int[] sizes;
        private readonly ActivationKind activation;
        private readonly OutputKind output;
        private readonly Buffers full;
        private Buffers other;

        /// <summary>The float buffers of one batch size n.</summary>
        private sealed class Buffers
        {
            internal readonly int N;
            internal readonly float[] XT, T;
            internal readonly float[][] A, Z, Delta, Dx;

            internal Buffers(int[] sizes, int n)
            {
                N = n;
                int layers = sizes.Length - 1;
                XT = new float[sizes[0] * n];
                T = new float[n * sizes[layers]];
                A = new float[layers][]; Z = new float[layers][]; Delta = new float[layers][]; Dx = new float[layers][];
                for (int i = 0; i < layers; i++)
                {
                    A[i] = new float[n * sizes[i + 1]];
                    Z[i] = new float[n * sizes[i + 1]];
                    Delta[i] = new float[n * sizes[i + 1]];
                    Dx[i] = i > 0 ? new float[n * sizes[i]] : null;
                }
            }
        }

        /// <summary>Buffers for batches of up to maxBatchSize samples, reading the parameters from the given float arrays (W1, b1, W2, …).</summary>
        internal BatchWorkspaceSingle(Network network, float[][] parameterValues, int maxBatchSize)
        {
            if (maxBatchSize <= 0) throw new ArgumentOutOfRangeException(nameof(maxBatchSize));
            var net = network ?? throw new ArgumentNullException(nameof(network));
            parameters = parameterValues ?? throw new ArgumentNullException(nameof(parameterValues));
            sizes = net.LayerSizes;
            activation = net.Activation;
            output = net.Output;
            MaxBatchSize = maxBatchSize;
            Gradients = new float[parameters.Length][];
            for (int p = 0; p < parameters.Length; p++) Gradients[p] = new float[parameters[p].Length];
            full = new Buffers(sizes, maxBatchSize);
        }

        /// <summary>Largest batch it takes.</summary>
        internal int MaxBatchSize { get; }

        /// <summary>Gradients of the last batch, aligned with the parameters (reused buffers).</summary>
        internal float[][] Gradients { get; }

        private Buffers EnsureBatch(int n)
        {
            if (n <= 0 || n > MaxBatchSize) throw new ArgumentOutOfRangeException(nameof(n), $"Batch size {n} is outside 1..{MaxBatchSize}.");
            if (n == MaxBatchSize) return full;
            if (other == null || other.N != n) other = new Buffers(sizes, n);
            return other;
        }

        /// <summary>Forward and backward on samples order[start..start+n) of a dataset; gradients go to <see cref="Gradients"/>.</summary>
        internal BatchResult TrainBatch(Dataset data, int[] order, int start, int n)
        {
            var buf = Gather(data, order, start, n);
            var result = Forward(buf);
            Backward(buf);
            return result;
        }

        /// <summary>Forward only, for loss and accuracy on samples start..start+n.</summary>
        internal BatchResult EvaluateBatch(Dataset data, int start, int n) => Forward(Gather(data, null, start, n));

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

        private BatchResult Forward(Buffers buf)
        {
            int n = buf.N, last = sizes.Length - 2;
            for (int i = 0; i <= last; i++)
            {
                int fanIn = sizes[i], fanOut = sizes[i + 1];
                float[] w = parameters[2 * i], a = buf.A[i];
                if (i == 0) GemmSingle.Multiply(true, false, n, fanOut, fanIn, 1f, buf.XT, fanIn, w, fanIn, 0f, a, n);
                else GemmSingle.Multiply(false, false, n, fanOut, fanIn, 1f, buf.Z[i - 1], n, w, fanIn, 0f, a, n);
                VectorMathSingle.AddColumnBias(a, n, fanOut, parameters[2 * i + 1]);
                if (i < last) ActivationForward(a, buf.Z[i]);
            }
            int k = sizes[last + 1];
            double loss = OutputLossesSingle.ForwardWithLoss(output, buf.A[last], buf.Z[last], buf.T, n, k);
            return new BatchResult { Count = n, Loss = loss, Correct = OutputLossesSingle.CountCorrect(buf.Z[last], buf.T, n, k) };
        }

        private void Backward(Buffers buf)
        {
            int n = buf.N, last = sizes.Length - 2;
            float[] y = buf.Z[last];
            VectorMathSingle.ScaledDifference(y, buf.T, (float)(1.0 / n), buf.Delta[last], y.Length);
            for (int i = last; i >= 0; i--)
            {
                int fanIn = sizes[i], fanOut = sizes[i + 1];
                float[] delta = buf.Delta[i], dW = Gradients[2 * i];
                // dW = xᵀ·δ: for the first layer x = XTᵀ, so dW = XT·δ without a transpose.
                if (i == 0) GemmSingle.Multiply(false, false, fanIn, fanOut, n, 1f, buf.XT, fanIn, delta, n, 0f, dW, fanIn);
                else GemmSingle.Multiply(true, false, fanIn, fanOut, n, 1f, buf.Z[i - 1], n, delta, n, 0f, dW, fanIn);
                VectorMathSingle.SumColumns(delta, n, fanOut, Gradients[2 * i + 1]);
                if (i == 0) break;
                // dx = δ·Wᵀ, then δ of the layer below = dx ⊙ f′(a).
                float[] dx = buf.Dx[i];
                GemmSingle.Multiply(false, true, n, fanIn, fanOut, 1f, delta, n, parameters[2 * i], fanIn, 0f, dx, n);
                ActivationBackward(buf.A[i - 1], buf.Z[i - 1], dx, buf.Delta[i - 1]);
            }
        }

        private void ActivationForward(float[] a, float[] z)
        {
            switch (activation)
            {
                case ActivationKind.ReLU: VectorMathSingle.Relu(a, z, a.Length); break;
                case ActivationKind.Sigmoid: VectorMathSingle.Sigmoid(a, z, a.Length); break;
                case ActivationKind.Tanh: VectorMathSingle.Tanh(a, z, a.Length); break;
                default: throw new NotSupportedException($"Activation {activation} has no single-precision version.");
            }
        }

        private void ActivationBackward(float[] a, float[] z, float[] dz, float[] da)
        {
            switch (activation)
            {
                case ActivationKind.ReLU: VectorMathSingle.ReluBackward(a, dz, da, a.Length); break;
                case ActivationKind.Sigmoid: VectorMathSingle.SigmoidBackward(z, dz, da, z.Length); break;
                case ActivationKind.Tanh: VectorMathSingle.TanhBackward(z, dz, da, z.Length); break;
                default: throw new NotSupportedException($"Activation {activation} has no single-precision version.");
            }
        }
    }
}
