using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace BackpropModule.Engine.Layers
{
    /// <summary>
    /// What each hidden block has between its affine layer and the next block: BatchNorm after the affine
    /// part (or not) and a dropout rate after the activation (0 = no dropout). The output block has neither.
    /// </summary>
    public sealed class HiddenLayerOptions
    {
        /// <summary>Per-block options; both lists have one entry per hidden block.</summary>
        /// <exception cref="BackpropException">The lists differ in length, or a rate is outside [0, 1).</exception>
        public HiddenLayerOptions(IReadOnlyList<bool> batchNorm, IReadOnlyList<double> dropoutRates)
        {
            BatchNorm = (batchNorm ?? throw new ArgumentNullException(nameof(batchNorm))).ToArray();
            DropoutRates = (dropoutRates ?? throw new ArgumentNullException(nameof(dropoutRates))).ToArray();
            if (BatchNorm.Count != DropoutRates.Count)
                throw new BackpropException(ErrorIds.LayerOptionsMismatch, ErrorKind.InvalidArgument, dropoutRates,
                    $"BatchNorm is given for {BatchNorm.Count} hidden block(s) and dropout for {DropoutRates.Count}; give both per hidden block.");
            foreach (double p in DropoutRates) CheckRate(p);
        }

        /// <summary>
        /// The options New-Network builds: BatchNorm in every hidden block or none, and one dropout rate for
        /// every hidden block or one per hidden block (null or empty: no dropout).
        /// </summary>
        /// <exception cref="BackpropException">DropoutRateInvalid, or LayerOptionsMismatch (wrong number of rates, or no hidden block).</exception>
        public static HiddenLayerOptions Create(int hiddenBlocks, bool batchNorm, IReadOnlyList<double> dropout)
        {
            var rates = new double[hiddenBlocks];
            if (dropout != null && dropout.Count > 0)
            {
                foreach (double p in dropout) CheckRate(p);
                if (dropout.Count != 1 && dropout.Count != hiddenBlocks)
                    throw new BackpropException(ErrorIds.LayerOptionsMismatch, ErrorKind.InvalidArgument, dropout,
                        $"-Dropout takes one rate for every hidden block or one per hidden block; this network has {hiddenBlocks} hidden block(s) and {dropout.Count} rates were given.");
                for (int i = 0; i < hiddenBlocks; i++) rates[i] = dropout.Count == 1 ? dropout[0] : dropout[i];
            }
            if (hiddenBlocks == 0 && (batchNorm || (dropout != null && dropout.Any(p => p > 0))))
                throw new BackpropException(ErrorIds.LayerOptionsMismatch, ErrorKind.InvalidArgument, dropout,
                    "BatchNorm and Dropout belong to hidden blocks, and this network has none (give at least three layer sizes).");
            return new HiddenLayerOptions(Enumerable.Repeat(batchNorm, hiddenBlocks).ToArray(), rates);
        }

        /// <summary>No BatchNorm and no dropout in any of the hidden blocks.</summary>
        public static HiddenLayerOptions None(int hiddenBlocks) => new HiddenLayerOptions(new bool[hiddenBlocks], new double[hiddenBlocks]);

        /// <summary>Per hidden block: true when it normalises its affine output.</summary>
        public IReadOnlyList<bool> BatchNorm { get; }

        /// <summary>Per hidden block: the dropout rate p after the activation (0 = none).</summary>
        public IReadOnlyList<double> DropoutRates { get; }

        private static void CheckRate(double p)
        {
            if (!(p >= 0 && p < 1))
                throw new BackpropException(ErrorIds.DropoutRateInvalid, ErrorKind.InvalidArgument, p,
                    $"A dropout rate is the probability of dropping a unit, a number in [0, 1); got {p.ToString(CultureInfo.InvariantCulture)}.");
        }
    }
}
