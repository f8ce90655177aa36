using System;
using BackpropModule.Engine.Layers;
using BackpropModule.Engine.Randomness;
using BackpropModule.Engine.Tensors;

// The forward and backward pass through the chain of blocks.
namespace BackpropModule.Engine
{
    /// <summary>How a forward pass treats BatchNorm and Dropout (the same for a network that has neither).</summary>
    public enum ForwardMode
    {
        /// <summary>BatchNorm normalises with the batch's statistics; Dropout drops units with a seeded mask. The pass to backpropagate.</summary>
        Training,
        /// <summary>BatchNorm uses the running statistics; Dropout is the identity. The pass to predict with.</summary>
        Inference,
    }

    public sealed partial class Network
    {
        /// <summary>Runs the network in training mode on x (rows are samples); with a target, also computes the loss.</summary>
        /// <exception cref="BackpropException">x or t is empty, not finite, or of the wrong shape.</exception>
        public ForwardPass Forward(Tensor x, Tensor t = null) => Forward(x, t, ForwardMode.Training);

        /// <summary>
        /// Runs the network on x in <paramref name="mode"/>; with a target, also computes the loss. In training
        /// mode the dropout masks are drawn from <paramref name="dropoutSeed"/> (null: a fresh seed, recorded on
        /// the pass), block after block, so the same seed gives the same masks. Nothing in the network changes.
        /// </summary>
        /// <exception cref="BackpropException">x or t is empty, not finite, or of the wrong shape.</exception>
        public ForwardPass Forward(Tensor x, Tensor t, ForwardMode mode, long? dropoutSeed = null)
        {
            CheckInput(x);
            Tensor target = t == null ? null : PrepareTarget(t, x.Rows);
            bool training = mode == ForwardMode.Training;
            long? seed = training && HasDropout ? dropoutSeed ?? SeededRandom.NewSeed() : dropoutSeed;
            var rng = training && HasDropout ? new SeededRandom(seed.Value) : null;
            int n = x.Rows;
            var traces = new LayerTrace[layers.Length];
            Tensor input = x;
            for (int i = 0; i < layers.Length; i++)
            {
                var block = blocks[i];
                int units = layers[i].Outputs;
                var a = new Tensor(n, units);
                var z = new Tensor(n, units);
                layers[i].Forward(input, a);
                var trace = new LayerTrace(i + 1, block.Function, input, a, z);
                if (block.HasBatchNorm) NormalizeForward(block.BatchNorm, trace, training);
                if (block.IsOutput) OutputLoss.Forward(a, z); else HiddenActivation.Forward(trace.ActivationInput, z);
                if (block.HasDropout && training)
                {
                    trace.DropoutMask = new Tensor(n, units);
                    trace.DropoutOutput = new Tensor(n, units);
                    DropoutMask.Draw(rng, block.DropoutRate, trace.DropoutMask.Data, z.Count);
                    DropoutMask.Apply(z.Data, trace.DropoutMask.Data, trace.DropoutOutput.Data, z.Count);
                }
                traces[i] = trace;
                input = trace.BlockOutput;
            }
            double? loss = target == null ? (double?)null : OutputLoss.Loss(traces[traces.Length - 1].PreActivation, input, target);
            return new ForwardPass(this, Version, x, target, traces, loss) { Mode = mode, DropoutSeed = seed };
        }

        private static void NormalizeForward(BatchNormLayer bn, LayerTrace trace, bool training)
        {
            Tensor a = trace.PreActivation;
            int n = a.Rows, units = a.Columns;
            trace.Normalized = new Tensor(n, units);
            trace.BatchNormOutput = new Tensor(n, units);
            trace.InverseStd = new Tensor(1, units);
            if (training)
            {
                trace.Mean = new Tensor(1, units);
                trace.Variance = new Tensor(1, units);
                BatchNormMath.TrainingForward(a.Data, n, units, bn.Gamma.Value.Data, bn.Beta.Value.Data, bn.Epsilon,
                    trace.Mean.Data, trace.Variance.Data, trace.InverseStd.Data, trace.Normalized.Data, trace.BatchNormOutput.Data);
            }
            else
            {
                trace.Mean = bn.RunningMean.Clone();
                trace.Variance = bn.RunningVariance.Clone();
                BatchNormMath.InferenceForward(a.Data, n, units, bn.Gamma.Value.Data, bn.Beta.Value.Data, bn.Epsilon,
                    trace.Mean.Data, trace.Variance.Data, trace.InverseStd.Data, trace.Normalized.Data, trace.BatchNormOutput.Data);
            }
        }

        /// <summary>
        /// The loss on (x, t) with the current parameters, in training mode with dropout masks from
        /// <paramref name="dropoutSeed"/> unless <paramref name="mode"/> says otherwise.
        /// </summary>
        public double ComputeLoss(Tensor x, Tensor t, ForwardMode mode = ForwardMode.Training, long dropoutSeed = 0) =>
            Forward(x, t, mode, dropoutSeed).Loss.Value;

        /// <summary>Backpropagates a pass that has a target, in the pass's mode. Never mutates the pass.</summary>
        /// <exception cref="BackpropException">The pass has no target, is stale, or belongs to another network.</exception>
        public Gradients Backward(ForwardPass pass)
        {
            if (pass == null) throw new ArgumentNullException(nameof(pass));
            if (!ReferenceEquals(pass.Network, this))
                throw new BackpropException(ErrorIds.GradientNetworkMismatch, ErrorKind.InvalidArgument, pass, "This forward pass was computed by another network.");
            if (pass.Target == null)
                throw new BackpropException(ErrorIds.TargetMissing, ErrorKind.InvalidOperation, pass,
                    "This forward pass has no target, so there is no loss to backpropagate. Run Invoke-Forward with -Target.");
            if (pass.ParameterVersion != Version)
                throw new BackpropException(ErrorIds.ForwardPassStale, ErrorKind.InvalidOperation, pass,
                    $"This forward pass was computed with parameter version {pass.ParameterVersion}, but the network has been updated since (version {Version}). Run Invoke-Forward again.");
            int n = pass.Input.Rows;
            var grads = new Tensor[parameters.Length];
            var deltas = new Tensor[layers.Length];
            var inputGradients = new Tensor[layers.Length];
            var outputGradients = new Tensor[layers.Length];
            var normGradients = new Tensor[layers.Length];
            int last = layers.Length - 1;
            var delta = new Tensor(n, layers[last].Outputs);
            OutputLoss.Backward(pass.Layers[last].Output, pass.Target, delta);
            for (int i = last; i >= 0; i--)
            {
                deltas[i] = delta;
                var dW = new Tensor(layers[i].Inputs, layers[i].Outputs);
                var db = new Tensor(1, layers[i].Outputs);
                // dx of layer 1 (the gradient with respect to the network's input) is needed by no
                // parameter, but tutorials print it; it costs one more product of the first layer's size.
                var dx = new Tensor(n, layers[i].Inputs);
                layers[i].Backward(pass.Layers[i].Input, delta, dW, db, dx);
                grads[blocks[i].FirstParameter] = dW;
                grads[blocks[i].FirstParameter + 1] = db;
                inputGradients[i] = dx;
                if (i > 0) delta = HiddenBackward(pass, i - 1, dx, grads, outputGradients, normGradients);
            }
            var g = new Gradients(this, pass.ParameterVersion, pass.Loss.Value, n, grads, deltas)
            {
                Input = pass.Input, Target = pass.Target, Mode = pass.Mode, DropoutSeed = pass.DropoutSeed,
                BatchStatistics = pass.Mode == ForwardMode.Training ? BatchStatisticsOf(pass) : null,
            };
            outputGradients[last] = GradientIntermediates.OutputGradient(Output, pass.Output, pass.Target, n);
            g.SetIntermediates(inputGradients, outputGradients, normGradients);
            return g;
        }

        /// <summary>
        /// Hidden block i from the gradient of its output: through the dropout mask (dz = dy ⊙ mask), the
        /// activation, then BatchNorm (dγ, dβ into grads); returns dL/da, the block's delta.
        /// </summary>
        private Tensor HiddenBackward(ForwardPass pass, int i, Tensor dOut, Tensor[] grads, Tensor[] outputGradients, Tensor[] normGradients)
        {
            var trace = pass.Layers[i];
            var block = blocks[i];
            int n = dOut.Rows, units = block.Outputs;
            Tensor dz = dOut;
            if (trace.DropoutMask != null)
            {
                dz = new Tensor(n, units);
                DropoutMask.Apply(dOut.Data, trace.DropoutMask.Data, dz.Data, dz.Count);
            }
            outputGradients[i] = dz;
            var dh = new Tensor(n, units);
            HiddenActivation.Backward(trace.ActivationInput, trace.Output, dz, dh);
            if (!block.HasBatchNorm) return dh;
            normGradients[i] = dh;
            var bn = block.BatchNorm;
            var da = new Tensor(n, units);
            var dgamma = new Tensor(1, units);
            var dbeta = new Tensor(1, units);
            if (pass.Mode == ForwardMode.Training)
                BatchNormMath.TrainingBackward(dh.Data, trace.Normalized.Data, n, units, bn.Gamma.Value.Data, trace.InverseStd.Data, da.Data, dgamma.Data, dbeta.Data);
            else
                BatchNormMath.InferenceBackward(dh.Data, trace.Normalized.Data, n, units, bn.Gamma.Value.Data, trace.InverseStd.Data, da.Data, dgamma.Data, dbeta.Data);
            grads[block.FirstParameter + 2] = dgamma;
            grads[block.FirstParameter + 3] = dbeta;
            return da;
        }

        private BatchStatistics[] BatchStatisticsOf(ForwardPass pass)
        {
            if (!HasBatchNorm) return null;
            var stats = new BatchStatistics[batchNormLayers.Length];
            for (int k = 0; k < stats.Length; k++)
            {
                var trace = pass.Layers[batchNormLayers[k].Block - 1];
                stats[k] = new BatchStatistics(batchNormLayers[k].Block, trace.Mean, trace.Variance, pass.BatchSize);
            }
            return stats;
        }
    }
}
