using System;
using BackpropModule.Engine.Kernels;
using BackpropModule.Engine.Layers;
using BackpropModule.Engine.Losses;

namespace BackpropModule.Engine.Training
{
    // The float forward and backward through the blocks (Affine → [BatchNorm] → activation → [Dropout]), in
    // reused buffers: the double workspace's passes (BatchWorkspace.Passes.cs) step for step, in float.
    internal sealed partial class BatchWorkspaceSingle
    {
        /// <summary>What block i handed to block i + 1 in the last pass.</summary>
        private static float[] OutputOf(Buffers buf, int i, bool training) => training && buf.Drop[i] != null ? buf.Drop[i] : buf.Z[i];

        private BatchResult Forward(Buffers buf, bool training)
        {
            int n = buf.N, last = sizes.Length - 2;
            for (int i = 0; i <= last; i++)
            {
                int fanIn = sizes[i], fanOut = sizes[i + 1], p = blocks[i].FirstParameter;
                float[] w = parameters[p], a = buf.A[i];
                if (i == 0) GemmSingle.Multiply(true, false, n, fanOut, fanIn, 1f, buf.XT, fanIn, w, fanIn, 0f, a, n);
                else GemmSingle.Multiply(false, false, n, fanOut, fanIn, 1f, OutputOf(buf, i - 1, training), n, w, fanIn, 0f, a, n);
                VectorMathSingle.AddColumnBias(a, n, fanOut, parameters[p + 1]);
                if (i == last) break;
                float[] h = a;
                var bn = blocks[i].BatchNorm;
                if (bn != null)
                {
                    if (training)
                        BlockMathSingle.BatchNormForward(a, n, fanOut, parameters[p + 2], parameters[p + 3], bn.Epsilon,
                            mean[i], variance[i], invStd[i], buf.XHat[i], buf.Bn[i]);
                    else
                        BlockMathSingle.BatchNormInference(a, n, fanOut, parameters[p + 2], parameters[p + 3], bn.Epsilon,
                            bn.RunningMean.Data, bn.RunningVariance.Data, buf.Bn[i]);
                    h = buf.Bn[i];
                }
                ActivationForward(h, buf.Z[i]);
                if (training && blocks[i].HasDropout)
                {
                    int count = buf.Z[i].Length;
                    BlockMathSingle.DrawDropout(maskRng, blocks[i].DropoutRate, buf.Mask[i], count);
                    BlockMathSingle.ApplyDropout(buf.Z[i], buf.Mask[i], buf.Drop[i], count);
                }
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
                int fanIn = sizes[i], fanOut = sizes[i + 1], p = blocks[i].FirstParameter;
                float[] delta = buf.Delta[i], dW = Gradients[p];
                // dW = xᵀ·δ: for the first layer x = XTᵀ, so dW = XT·δ without a transpose.
                if (i == 0) GemmSingle.Multiply(false, false, fanIn, fanOut, n, 1f, buf.XT, fanIn, delta, n, 0f, dW, fanIn);
                else GemmSingle.Multiply(true, false, fanIn, fanOut, n, 1f, OutputOf(buf, i - 1, true), n, delta, n, 0f, dW, fanIn);
                VectorMathSingle.SumColumns(delta, n, fanOut, Gradients[p + 1]);
                if (i == 0) break;
                // dx = δ·Wᵀ; through the block below: its dropout mask, its activation, its BatchNorm.
                int j = i - 1;
                float[] dz = buf.Dx[i];
                GemmSingle.Multiply(false, true, n, fanIn, fanOut, 1f, delta, n, parameters[p], fanIn, 0f, dz, n);
                if (blocks[j].HasDropout)
                {
                    BlockMathSingle.ApplyDropout(dz, buf.Mask[j], buf.DZ[j], dz.Length);
                    dz = buf.DZ[j];
                }
                if (!blocks[j].HasBatchNorm)
                {
                    ActivationBackward(buf.A[j], buf.Z[j], dz, buf.Delta[j]);
                    continue;
                }
                int q = blocks[j].FirstParameter;
                ActivationBackward(buf.Bn[j], buf.Z[j], dz, buf.DBn[j]);
                BlockMathSingle.BatchNormBackward(buf.DBn[j], buf.XHat[j], n, fanIn, parameters[q + 2], invStd[j],
                    buf.Delta[j], Gradients[q + 2], Gradients[q + 3]);
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
