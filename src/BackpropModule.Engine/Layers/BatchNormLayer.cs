using BackpropModule.Engine.Tensors;

namespace BackpropModule.Engine.Layers
{
    /// <summary>
    /// Batch normalisation of one hidden block's affine output a: y = γ·x̂ + β with
    /// x̂ = (a − μ)/√(σ² + ε) per unit. Training mode uses the batch's μ and σ² (biased); inference mode
    /// uses the running statistics. Backward (training): dγ = Σ dy·x̂, dβ = Σ dy,
    /// dx = (1/N)·s·(N·dy·γ − Σ dy·γ − x̂·Σ dy·γ·x̂) with s = 1/√(σ² + ε) (see <see cref="BatchNormMath"/>).
    /// </summary>
    /// <remarks>
    /// γ (<c>gammaK</c>) and β (<c>betaK</c>) are parameters, 1 × units, starting at 1 and 0. The running
    /// mean and variance (1 × units, starting at 0 and 1) are not: no optimizer touches them. They move
    /// only when the network takes a step (Start-Training, or Update-Network applying gradients from a
    /// training-mode pass), by <see cref="Momentum"/> towards the batch's statistics, never in a pass.
    /// </remarks>
    public sealed class BatchNormLayer
    {
        /// <summary>ε added to the variance (PyTorch's default).</summary>
        public const double DefaultEpsilon = 1e-5;

        /// <summary>How far the running statistics move towards a batch's (PyTorch's default).</summary>
        public const double DefaultMomentum = 0.1;

        internal BatchNormLayer(int block, Tensor gamma, Tensor beta)
        {
            Block = block;
            Gamma = new Parameter("gamma" + block, block, gamma);
            Beta = new Parameter("beta" + block, block, beta);
            RunningMean = new Tensor(1, gamma.Columns);
            RunningVariance = new Tensor(1, gamma.Columns);
            for (int j = 0; j < gamma.Columns; j++) RunningVariance.Data[j] = 1.0;
        }

        /// <summary>1-based number of the block (gamma1 and beta1 belong to block 1).</summary>
        public int Block { get; }

        /// <summary>Units normalised (the block's width).</summary>
        public int Units => Gamma.Value.Columns;

        /// <summary>γ, the scale, 1 × units.</summary>
        public Parameter Gamma { get; }

        /// <summary>β, the shift, 1 × units.</summary>
        public Parameter Beta { get; }

        /// <summary>
        /// The running mean used in inference mode, 1 × units (starts at 0). Not a parameter; change it
        /// with <see cref="Network.SetRunningStatistics"/> (writing into it directly is not counted as a change).
        /// </summary>
        public Tensor RunningMean { get; }

        /// <summary>The running (unbiased) variance used in inference mode, 1 × units (starts at 1). Not a parameter.</summary>
        public Tensor RunningVariance { get; }

        /// <summary>ε, 1e-5.</summary>
        public double Epsilon => DefaultEpsilon;

        /// <summary>Momentum of the running statistics, 0.1.</summary>
        public double Momentum => DefaultMomentum;

        /// <summary>Name of the running mean as files and views show it, e.g. <c>RunningMean1</c>.</summary>
        public string RunningMeanName => "RunningMean" + Block;

        /// <summary>Name of the running variance, e.g. <c>RunningVariance1</c>.</summary>
        public string RunningVarianceName => "RunningVariance" + Block;

        /// <summary>Folds a batch's statistics (mean and biased variance of n samples) into the running ones.</summary>
        internal void Fold(double[] mean, double[] variance, int n) =>
            BatchNormMath.Fold(RunningMean.Data, RunningVariance.Data, mean, variance, n, Momentum);

        /// <summary>The first unit whose fold of these batch statistics would not be finite, or −1 (see <see cref="BatchNormMath.FindUnfoldable"/>).</summary>
        internal int FindUnfoldable(double[] mean, double[] variance, int n) =>
            BatchNormMath.FindUnfoldable(RunningMean.Data, RunningVariance.Data, mean, variance, n, Momentum);

        /// <summary>Why a batch's statistics cannot be folded (unit j), for error messages.</summary>
        internal string UnfoldableReason(int j, double mean, double variance) =>
            string.Format(System.Globalization.CultureInfo.InvariantCulture,
                "the batch statistics of BatchNorm {0} at unit {1} (mean {2:G6}, variance {3:G6}) are not finite or would make its running statistics " +
                "overflow (the values reaching it are too large for double precision)", Block, j, mean, variance);

        /// <inheritdoc/>
        public override string ToString() => $"BatchNorm {Block}: {Units} units, {Gamma.Name}, {Beta.Name}, {RunningMeanName}, {RunningVarianceName}";
    }
}
