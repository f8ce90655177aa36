using System.Collections.Generic;

namespace BackpropModule.Engine.Training.Optimizers
{
    /// <summary>
    /// Classical momentum (Polyak 1964; Rumelhart, Hinton &amp; Williams 1986): v ← μ·v − η·(dW + λW);
    /// W ← W + v. The velocity v starts at zero.
    /// </summary>
    public sealed class MomentumOptimizer : OptimizerBase
    {
        private static readonly string[] Slots = { "Velocity" };

        /// <summary>Default learning rate.</summary>
        public const double DefaultLearningRate = 0.01;

        /// <summary>Creates the rule.</summary>
        /// <exception cref="BackpropException">LearningRateInvalid or OptimizerSettingInvalid (μ outside [0, 1)).</exception>
        public MomentumOptimizer(double learningRate = DefaultLearningRate, double momentum = 0.9, double weightDecay = 0) : base(learningRate, weightDecay)
        {
            Momentum = UnitInterval("Momentum", momentum);
        }

        /// <inheritdoc/>
        public override string Name => "Momentum";

        /// <summary>The momentum coefficient μ (0.9 by default).</summary>
        public double Momentum { get; }

        /// <inheritdoc/>
        protected override IEnumerable<KeyValuePair<string, double>> Hyperparameters
        {
            get { yield return new KeyValuePair<string, double>("Momentum", Momentum); }
        }

        /// <inheritdoc/>
        protected override string[] SlotNames => Slots;

        /// <inheritdoc/>
        /// <remarks>Vectorised in <see cref="Kernels.OptimizerMath.Momentum"/>, bit-identical to the per-element formula.</remarks>
        protected override void Update(double[] w, double[] g, double decay, double[][] state) =>
            Kernels.OptimizerMath.Momentum(w, g, decay, state[0], LearningRate, Momentum);

        internal override void UpdateSingle(float[] w, float[] g, float decay, float[][] state) =>
            Kernels.OptimizerMathSingle.Momentum(w, g, decay, state[0], (float)LearningRate, (float)Momentum);
    }
}
