using System.Collections.Generic;

namespace BackpropModule.Engine.Training.Optimizers
{
    /// <summary>
    /// RMSProp (Tieleman &amp; Hinton, "Neural Networks for Machine Learning", Coursera lecture 6e, 2012):
    /// h ← ρ·h + (1 − ρ)·g²; W ← W − η·g / (√h + ε), g = dW + λW. AdaGrad with a decaying average,
    /// so the step does not shrink for ever.
    /// </summary>
    /// <remarks>
    /// ρ defaults to 0.99, the decay rate of the classic tutorial code (Saitoh, "Deep Learning from
    /// Scratch", common/optimizer.py) and of PyTorch's RMSprop; the lecture suggests 0.9 (pass -Decay 0.9).
    /// </remarks>
    public sealed class RmsPropOptimizer : OptimizerBase
    {
        private static readonly string[] Slots = { "MeanSquare" };

        /// <summary>Default learning rate.</summary>
        public const double DefaultLearningRate = 0.001;

        /// <summary>Creates the rule.</summary>
        /// <exception cref="BackpropException">LearningRateInvalid or OptimizerSettingInvalid (ρ outside [0, 1), ε not positive).</exception>
        public RmsPropOptimizer(double learningRate = DefaultLearningRate, double decay = 0.99, double epsilon = 1e-8, double weightDecay = 0) : base(learningRate, weightDecay)
        {
            Decay = UnitInterval("Decay", decay);
            Epsilon = Positive("Epsilon", epsilon);
        }

        /// <inheritdoc/>
        public override string Name => "RMSProp";

        /// <summary>ρ, the decay of the running mean of squared gradients (0.99).</summary>
        public double Decay { get; }

        /// <summary>ε, added to √h (1e-8).</summary>
        public double Epsilon { get; }

        /// <inheritdoc/>
        protected override IEnumerable<KeyValuePair<string, double>> Hyperparameters
        {
            get
            {
                yield return new KeyValuePair<string, double>("Decay", Decay);
                yield return new KeyValuePair<string, double>("Epsilon", Epsilon);
            }
        }

        /// <inheritdoc/>
        protected override string[] SlotNames => Slots;

        /// <inheritdoc/>
        /// <remarks>Vectorised in <see cref="Kernels.OptimizerMath.RmsProp"/>, bit-identical to the per-element formula.</remarks>
        protected override void Update(double[] w, double[] g, double decay, double[][] state) =>
            Kernels.OptimizerMath.RmsProp(w, g, decay, state[0], LearningRate, Decay, Epsilon);

        internal override void UpdateSingle(float[] w, float[] g, float decay, float[][] state) =>
            Kernels.OptimizerMathSingle.RmsProp(w, g, decay, state[0], (float)LearningRate, (float)Decay, (float)(1 - Decay), (float)Epsilon);
    }
}
