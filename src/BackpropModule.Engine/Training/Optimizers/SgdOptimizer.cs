using System.Collections.Generic;

namespace BackpropModule.Engine.Training.Optimizers
{
    /// <summary>Stochastic gradient descent: W ← W − η·(dW + λW).</summary>
    public sealed class SgdOptimizer : OptimizerBase
    {
        /// <summary>Default learning rate, the classic 0.1 of the tutorials.</summary>
        public const double DefaultLearningRate = 0.1;

        /// <summary>Creates the rule.</summary>
        /// <exception cref="BackpropException">LearningRateInvalid or OptimizerSettingInvalid.</exception>
        public SgdOptimizer(double learningRate = DefaultLearningRate, double weightDecay = 0) : base(learningRate, weightDecay) { }

        /// <inheritdoc/>
        public override string Name => "SGD";

        /// <inheritdoc/>
        protected override IEnumerable<KeyValuePair<string, double>> Hyperparameters { get { yield break; } }

        /// <inheritdoc/>
        protected override string[] SlotNames => NoSlots;

        private static readonly string[] NoSlots = new string[0];

        /// <inheritdoc/>
        /// <remarks>Vectorised in <see cref="Kernels.OptimizerMath.Sgd"/>, bit-identical to the per-element formula.</remarks>
        protected override void Update(double[] w, double[] g, double decay, double[][] state) =>
            Kernels.OptimizerMath.Sgd(w, g, decay, LearningRate);

        internal override void UpdateSingle(float[] w, float[] g, float decay, float[][] state) =>
            Kernels.OptimizerMathSingle.Sgd(w, g, decay, (float)LearningRate);
    }
}
