using System.Collections.Generic;

namespace BackpropModule.Engine.Training.Optimizers
{
    /// <summary>
    /// AdaGrad (Duchi, Hazan &amp; Singer, "Adaptive Subgradient Methods for Online Learning and
    /// Stochastic Optimization", JMLR 12, 2011): h ← h + g²; W ← W − η·g / (√h + ε), g = dW + λW.
    /// Each weight's step shrinks with the sum of its squared gradients.
    /// </summary>
    public sealed class AdaGradOptimizer : OptimizerBase
    {
        private static readonly string[] Slots = { "SumOfSquares" };

        /// <summary>Default learning rate.</summary>
        public const double DefaultLearningRate = 0.01;

        /// <summary>Creates the rule.</summary>
        /// <exception cref="BackpropException">LearningRateInvalid or OptimizerSettingInvalid (ε not positive).</exception>
        public AdaGradOptimizer(double learningRate = DefaultLearningRate, double epsilon = 1e-8, double weightDecay = 0) : base(learningRate, weightDecay)
        {
            Epsilon = Positive("Epsilon", epsilon);
        }

        /// <inheritdoc/>
        public override string Name => "AdaGrad";

        /// <summary>ε, added to √h so the first steps do not divide by zero (1e-8).</summary>
        public double Epsilon { get; }

        /// <inheritdoc/>
        protected override IEnumerable<KeyValuePair<string, double>> Hyperparameters
        {
            get { yield return new KeyValuePair<string, double>("Epsilon", Epsilon); }
        }

        /// <inheritdoc/>
        protected override string[] SlotNames => Slots;

        /// <inheritdoc/>
        /// <remarks>Vectorised in <see cref="Kernels.OptimizerMath.AdaGrad"/>, bit-identical to the per-element formula.</remarks>
        protected override void Update(double[] w, double[] g, double decay, double[][] state) =>
            Kernels.OptimizerMath.AdaGrad(w, g, decay, state[0], LearningRate, Epsilon);

        internal override void UpdateSingle(float[] w, float[] g, float decay, float[][] state) =>
            Kernels.OptimizerMathSingle.AdaGrad(w, g, decay, state[0], (float)LearningRate, (float)Epsilon);
    }
}
