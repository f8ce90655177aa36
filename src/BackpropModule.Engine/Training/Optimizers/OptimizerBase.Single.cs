using System;
using BackpropModule.Engine.Tensors;

namespace BackpropModule.Engine.Training.Optimizers
{
    public abstract partial class OptimizerBase
    {
        /// <summary>
        /// The float twin of <see cref="Update"/>, for the single-precision training path
        /// (<see cref="Training.SingleTrainingState"/>): the same rule on float weights, gradients and state.
        /// </summary>
        /// <exception cref="NotSupportedException">The rule has no float version (a rule defined outside this module).</exception>
        internal virtual void UpdateSingle(float[] w, float[] g, float decay, float[][] state) =>
            throw new NotSupportedException($"The {Name} optimizer has no single-precision update.");

        /// <summary>True when the rule overrides <see cref="UpdateSingle"/>.</summary>
        internal bool SupportsSingle =>
            GetType().Assembly == typeof(OptimizerBase).Assembly;

        /// <summary>Number of per-parameter state tensors.</summary>
        internal int SlotCount => SlotNames.Length;

        /// <summary>Creates the state for a network if it has none (refuses state of other shapes), as a step would.</summary>
        internal void PrepareState(Network network) => EnsureState(network);

        /// <summary>The state tensor of one slot and parameter (the optimizer's own, written in place by the float path).</summary>
        internal Tensor SlotTensor(int slot, int parameter) => slots[slot][parameter];

        /// <summary>What <see cref="Step"/> does before it updates the parameters: count the step and let the rule prepare it.</summary>
        internal void AdvanceStep()
        {
            Steps++;
            BeginStep();
        }

        /// <summary>The weight decay a parameter takes: λ for weights, 0 for biases.</summary>
        internal double DecayFor(Layers.Parameter p) => p.Name.StartsWith("W", StringComparison.Ordinal) ? WeightDecay : 0.0;
    }
}
