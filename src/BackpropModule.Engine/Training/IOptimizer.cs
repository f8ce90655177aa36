using System.Collections.Generic;
using BackpropModule.Engine.Tensors;

namespace BackpropModule.Engine.Training
{
    /// <summary>
    /// An update rule shared by Update-Network and Start-Training. It creates its state on first use
    /// and keeps it between steps; the state can be saved and restored so a run resumes exactly.
    /// </summary>
    public interface IOptimizer
    {
        /// <summary>Name, e.g. <c>Adam</c>.</summary>
        string Name { get; }

        /// <summary>The learning rate (may be changed between steps).</summary>
        double LearningRate { get; set; }

        /// <summary>Hyperparameters by name (learning rate, momentum, betas, epsilon, weight decay).</summary>
        IReadOnlyDictionary<string, double> Settings { get; }

        /// <summary>Updates the network's parameters in place from gradients aligned with its Parameters, then marks it updated.</summary>
        void Step(Network network, IReadOnlyList<Tensor> gradients);

        /// <summary>The state (velocities, moments, step count …) as named tensors, for saving.</summary>
        IReadOnlyList<KeyValuePair<string, Tensor>> SaveState();

        /// <summary>Restores a state from <see cref="SaveState"/>.</summary>
        void LoadState(IReadOnlyList<KeyValuePair<string, Tensor>> state);
    }
}
