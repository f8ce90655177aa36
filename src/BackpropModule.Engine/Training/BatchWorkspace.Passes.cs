using BackpropModule.Engine.Layers;
using BackpropModule.Engine.Randomness;
using BackpropModule.Engine.Tensors;

namespace BackpropModule.Engine.Training
{
    // The workspace's forward and backward through the blocks (Affine → [BatchNorm] → activation → [Dropout]),
    // in reused buffers; the same kernels as Network.Forward/Backward, so both give the same bits.
    public sealed partial class BatchWorkspace
    {
        /// <summary>Per block with BatchNorm, the last training batch's mean, biased variance and 1/√(σ² + ε).</summary>
        private readonly double[][] mean, variance, invStd;
        private readonly SeededRandom maskRng = new SeededRandom(0);

        /// <summary>What block i handed to block i + 1 in the last pass.</summary>
        private static Tensor OutputOf(Buffers buf, int i, bool training) => training && buf.Drop[i] != null ? buf.Drop[i] : buf.Z[i];

        private BatchResult ForwardBatch(Buffers buf, bool training)
        {
            var layers = net.Layers;
            var blocks = net.Blocks;
            int last = layers.Count - 1, n = buf.N;
            for (int i = 0; i <= last; i++)
            {
                if (i == 0)
                {
                    // a = x·W + b with x = XTᵀ: the GEMM reads the gathered samples transposed.
                    TensorMath.MatMul(buf.XT, true, layers[0].W.Value, false, buf.A[0]);
                    TensorMath.AddRowVector(buf.A[0], layers[0].B.Value);
                }
                else layers[i].Forward(OutputOf(buf, i - 1, training), buf.A[i]);
                if (i == last) break;
                Tensor h = buf.A[i];
                var bn = blocks[i].BatchNorm;
                if (bn != null)
                {
                    int units = bn.Units;
                    if (training)
                        BatchNormMath.TrainingForward(buf.A[i].Data, n, units, bn.Gamma.Value.Data, bn.Beta.Value.Data, bn.Epsilon,
                            mean[i], variance[i], invStd[i], buf.XHat[i].Data, buf.Bn[i].Data);
                    else
                        BatchNormMath.InferenceForward(buf.A[i].Data, n, units, bn.Gamma.Value.Data, bn.Beta.Value.Data, bn.Epsilon,
                            bn.RunningMean.Data, bn.RunningVariance.Data, null, null, buf.Bn[i].Data);
                    h = buf.Bn[i];
                }
                net.HiddenActivation.Forward(h, buf.Z[i]);
                if (training && blocks[i].HasDropout)
                {
                    DropoutMask.Draw(maskRng, blocks[i].DropoutRate, buf.Mask[i].Data, buf.Z[i].Count);
                    DropoutMask.Apply(buf.Z[i].Data, buf.Mask[i].Data, buf.Drop[i].Data, buf.Z[i].Count);
                }
            }
            var result = new BatchResult { Count = buf.N, Loss = OutputAndLoss(buf.A[last], buf.Z[last], buf.T) };
            result.Correct = CountCorrect(buf.Z[last], buf.T);
            return result;
        }

        private BatchResult ForwardBackward(Buffers buf, long dropoutSeed)
        {
            maskRng.Reseed(dropoutSeed);
            var result = ForwardBatch(buf, training: true);
            var layers = net.Layers;
            var blocks = net.Blocks;
            int last = layers.Count - 1, n = buf.N;
            net.OutputLoss.Backward(buf.Z[last], buf.T, buf.Delta[last]);
            for (int i = last; i > 0; i--)
            {
                int p = blocks[i].FirstParameter, j = i - 1;
                layers[i].Backward(OutputOf(buf, j, true), buf.Delta[i], Gradients[p], Gradients[p + 1], buf.Dx[i]);
                Tensor dz = buf.Dx[i];
                if (blocks[j].HasDropout)
                {
                    DropoutMask.Apply(buf.Dx[i].Data, buf.Mask[j].Data, buf.DZ[j].Data, buf.DZ[j].Count);
                    dz = buf.DZ[j];
                }
                var bn = blocks[j].BatchNorm;
                if (bn == null)
                {
                    net.HiddenActivation.Backward(buf.A[j], buf.Z[j], dz, buf.Delta[j]);
                    continue;
                }
                int q = blocks[j].FirstParameter;
                net.HiddenActivation.Backward(buf.Bn[j], buf.Z[j], dz, buf.DBn[j]);
                BatchNormMath.TrainingBackward(buf.DBn[j].Data, buf.XHat[j].Data, n, bn.Units, bn.Gamma.Value.Data, invStd[j],
                    buf.Delta[j].Data, Gradients[q + 2].Data, Gradients[q + 3].Data);
            }
            // First layer: dW = xᵀ·delta = XT·delta (no transpose needed), db = Σ rows of delta; no dx.
            TensorMath.MatMul(buf.XT, false, buf.Delta[0], false, Gradients[0]);
            TensorMath.SumRows(buf.Delta[0], Gradients[1]);
            return result;
        }

        /// <summary>Why the last training batch's statistics cannot be folded (see <see cref="Layers.BatchNormMath.FindUnfoldable"/>), or null; check before the step.</summary>
        internal string UnfoldableStatistics()
        {
            var blocks = net.Blocks;
            for (int i = 0; i < blocks.Count; i++)
            {
                if (!blocks[i].HasBatchNorm) continue;
                int j = blocks[i].BatchNorm.FindUnfoldable(mean[i], variance[i], current.N);
                if (j >= 0) return blocks[i].BatchNorm.UnfoldableReason(j, mean[i][j], variance[i][j]);
            }
            return null;
        }

        /// <summary>
        /// Folds the last training batch's statistics into the network's BatchNorm running statistics. Call it
        /// once per step taken, after the step (a batch whose step was refused folds nothing).
        /// </summary>
        public void FoldStatistics()
        {
            var blocks = net.Blocks;
            for (int i = 0; i < blocks.Count; i++)
                if (blocks[i].HasBatchNorm) blocks[i].BatchNorm.Fold(mean[i], variance[i], current.N);
        }
    }
}
