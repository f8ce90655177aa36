using System.Collections.Generic;
using BackpropModule.Engine.Tensors;

namespace BackpropModule.Engine.Training.Optimizers
{
    /// <summary>
    /// Adam (Kingma &amp; Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015, Algorithm 1):
    /// m ← β₁m + (1 − β₁)g;  v ← β₂v + (1 − β₂)g²;  m̂ = m / (1 − β₁ᵗ);  v̂ = v / (1 − β₂ᵗ);
    /// W ← W − η·m̂ / (√v̂ + ε), with g = dW + λW and t the step number from 1.
    /// </summary>
    /// <remarks>
    /// NOTE: β₁ᵗ and β₂ᵗ are kept as running products (one multiplication per step) rather than
    /// Math.Pow, so they are exact IEEE results, identical everywhere, and saved with the state.
    /// </remarks>
    public sealed class AdamOptimizer : OptimizerBase
    {
        private static readonly string[] Slots = { "M", "V" };
        private double beta1Power = 1, beta2Power = 1;

        /// <summary>Default learning rate (the paper's 0.001).</summary>
        public const double DefaultLearningRate = 0.001;

        /// <summary>Creates the rule.</summary>
        /// <exception cref="BackpropException">LearningRateInvalid or OptimizerSettingInvalid (β outside [0, 1), ε not positive).</exception>
        public AdamOptimizer(double learningRate = DefaultLearningRate, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 0)
            : base(learningRate, weightDecay)
        {
            Beta1 = UnitInterval("Beta1", beta1);
            Beta2 = UnitInterval("Beta2", beta2);
            Epsilon = Positive("Epsilon", epsilon);
        }

        /// <inheritdoc/>
        public override string Name => "Adam";

        /// <summary>β₁, decay of the first moment (0.9).</summary>
        public double Beta1 { get; }

        /// <summary>β₂, decay of the second moment (0.999).</summary>
        public double Beta2 { get; }

        /// <summary>ε (1e-8).</summary>
        public double Epsilon { get; }

        /// <inheritdoc/>
        protected override IEnumerable<KeyValuePair<string, double>> Hyperparameters
        {
            get
            {
                yield return new KeyValuePair<string, double>("Beta1", Beta1);
                yield return new KeyValuePair<string, double>("Beta2", Beta2);
                yield return new KeyValuePair<string, double>("Epsilon", Epsilon);
            }
        }

        /// <inheritdoc/>
        protected override string[] SlotNames => Slots;

        /// <inheritdoc/>
        public override void Reset()
        {
            base.Reset();
            beta1Power = beta2Power = 1;
        }

        /// <inheritdoc/>
        protected override void BeginStep()
        {
            beta1Power *= Beta1;
            beta2Power *= Beta2;
        }

        /// <inheritdoc/>
        protected override IEnumerable<KeyValuePair<string, Tensor>> ExtraState()
        {
            var t = new Tensor(1, 2);
            t[0, 0] = beta1Power;
            t[0, 1] = beta2Power;
            yield return new KeyValuePair<string, Tensor>("BetaPowers", t);
        }

        /// <inheritdoc/>
        protected override bool LoadExtra(string key, Tensor value)
        {
            if (key != "BetaPowers" || value.Rows != 1 || value.Columns != 2) return false;
            beta1Power = value[0, 0];
            beta2Power = value[0, 1];
            return true;
        }

        /// <inheritdoc/>
        /// <remarks>
        /// The bias corrections are applied as multiplications by c1 = 1/(1 − β₁ᵗ) and c2 = 1/(1 − β₂ᵗ),
        /// computed here from the running β powers, outside the elementwise loop (which is vectorised in
        /// <see cref="Kernels.OptimizerMath.Adam"/>, bit-identical to the per-element formula).
        /// </remarks>
        protected override void Update(double[] w, double[] g, double decay, double[][] state)
        {
            double c1 = 1.0 / (1 - beta1Power), c2 = 1.0 / (1 - beta2Power);
            Kernels.OptimizerMath.Adam(w, g, decay, state[0], state[1], LearningRate, Beta1, Beta2, Epsilon, c1, c2);
        }

        /// <remarks>The bias corrections come from the same double β powers, rounded to float once per step.</remarks>
        internal override void UpdateSingle(float[] w, float[] g, float decay, float[][] state)
        {
            float c1 = (float)(1.0 / (1 - beta1Power)), c2 = (float)(1.0 / (1 - beta2Power));
            Kernels.OptimizerMathSingle.Adam(w, g, decay, state[0], state[1], (float)LearningRate, (float)Beta1, (float)Beta2,
                (float)(1 - Beta1), (float)(1 - Beta2), (float)Epsilon, c1, c2);
        }
    }
}
