using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using BackpropModule.Engine.Layers;
using BackpropModule.Engine.Tensors;

// The chain of blocks (Affine → [BatchNorm] → activation → [Dropout]) and the running statistics of BatchNorm.
namespace BackpropModule.Engine
{
    public sealed partial class Network
    {
        private NetworkBlock[] blocks;
        private BatchNormLayer[] batchNormLayers;

        /// <summary>The blocks in order: the hidden ones, then the output block. The structured description of the network.</summary>
        public IReadOnlyList<NetworkBlock> Blocks => blocks;

        /// <summary>The BatchNorm layers in block order (only blocks that have one), with their running statistics.</summary>
        public IReadOnlyList<BatchNormLayer> BatchNorm => batchNormLayers;

        /// <summary>True when some hidden block normalises (then training and inference mode differ).</summary>
        public bool HasBatchNorm => batchNormLayers.Length > 0;

        /// <summary>True when some hidden block drops units in training mode.</summary>
        public bool HasDropout => blocks.Any(b => b.HasDropout);

        /// <summary>True when training and inference mode compute different outputs (BatchNorm or Dropout present).</summary>
        public bool HasModes => HasBatchNorm || HasDropout;

        /// <summary>What the hidden blocks hold, as the constructors take it (for rebuilding the network from saved parts).</summary>
        public HiddenLayerOptions HiddenLayers =>
            new HiddenLayerOptions(blocks.Take(blocks.Length - 1).Select(b => b.HasBatchNorm).ToArray(), DropoutRates);

        /// <summary>The dropout rate of each hidden block (0 = none), a copy.</summary>
        public double[] DropoutRates => blocks.Take(blocks.Length - 1).Select(b => b.DropoutRate).ToArray();

        /// <summary>The whole chain, e.g. <c>784 → Affine 256 → BatchNorm → ReLU → Dropout 0.2 → Affine 10 → Softmax</c>.</summary>
        public string Chain =>
            InputSize.ToString(CultureInfo.InvariantCulture) + " → " + string.Join(" → ", blocks.Select(b => b.ToString()));

        /// <summary>
        /// Sets the running statistics of the BatchNorm in block <paramref name="block"/> (1-based), e.g. from a
        /// saved network. Both are 1 × units, finite, the variance ≥ 0. They are not parameters: the version stays.
        /// </summary>
        /// <exception cref="BackpropException">RunningStatisticsInvalid: no BatchNorm in that block, a wrong shape, a non-finite value or a negative variance.</exception>
        public void SetRunningStatistics(int block, Tensor mean, Tensor variance)
        {
            var bn = block >= 1 && block <= blocks.Length ? blocks[block - 1].BatchNorm : null;
            if (bn == null)
                throw new BackpropException(ErrorIds.RunningStatisticsInvalid, ErrorKind.InvalidArgument, block,
                    $"Block {block} has no BatchNorm; the blocks with BatchNorm are {string.Join(", ", batchNormLayers.Select(b => b.Block))}.");
            CheckStatistic(bn.RunningMeanName, mean, bn.Units, false);
            CheckStatistic(bn.RunningVarianceName, variance, bn.Units, true);
            mean.CopyTo(bn.RunningMean);
            variance.CopyTo(bn.RunningVariance);
        }

        /// <summary>Copies of the running statistics (mean, variance per BatchNorm layer, in block order), for restoring later.</summary>
        public Tensor[] SnapshotStatistics() =>
            batchNormLayers.SelectMany(b => new[] { b.RunningMean.Clone(), b.RunningVariance.Clone() }).ToArray();

        /// <summary>Puts back statistics from <see cref="SnapshotStatistics"/> (the version is not changed: they are not parameters).</summary>
        public void RestoreStatistics(IReadOnlyList<Tensor> snapshot)
        {
            if (snapshot == null || snapshot.Count != 2 * batchNormLayers.Length) throw new ArgumentException("The snapshot does not match this network.", nameof(snapshot));
            for (int k = 0; k < batchNormLayers.Length; k++)
            {
                Array.Copy(snapshot[2 * k].Data, batchNormLayers[k].RunningMean.Data, batchNormLayers[k].Units);
                Array.Copy(snapshot[2 * k + 1].Data, batchNormLayers[k].RunningVariance.Data, batchNormLayers[k].Units);
            }
        }

        /// <summary>Copies the current statistics into an existing snapshot (no allocation).</summary>
        internal void CopyStatisticsTo(Tensor[] snapshot)
        {
            for (int k = 0; k < batchNormLayers.Length; k++)
            {
                Array.Copy(batchNormLayers[k].RunningMean.Data, snapshot[2 * k].Data, batchNormLayers[k].Units);
                Array.Copy(batchNormLayers[k].RunningVariance.Data, snapshot[2 * k + 1].Data, batchNormLayers[k].Units);
            }
        }

        /// <summary>Refuses gradients whose batch statistics cannot be folded (D25: the running statistics stay finite).</summary>
        /// <exception cref="BackpropException">BatchStatisticsNotFinite.</exception>
        internal void CheckStatisticsFoldable(Gradients gradients)
        {
            var stats = gradients.BatchStatistics;
            if (stats == null) return;
            for (int k = 0; k < batchNormLayers.Length && k < stats.Count; k++)
            {
                int j = batchNormLayers[k].FindUnfoldable(stats[k].Mean.Data, stats[k].Variance.Data, stats[k].Count);
                if (j >= 0)
                    throw new BackpropException(ErrorIds.BatchStatisticsNotFinite, ErrorKind.InvalidData, gradients,
                        "Cannot apply these gradients: " + batchNormLayers[k].UnfoldableReason(j, stats[k].Mean.Data[j], stats[k].Variance.Data[j]) +
                        "; nothing was updated. Scale the inputs down.");
            }
        }

        /// <summary>Folds the batch statistics gradients carry from their training-mode pass (Update-Network, after the step).</summary>
        internal void FoldStatistics(Gradients gradients)
        {
            var stats = gradients.BatchStatistics;
            if (stats == null) return;
            for (int k = 0; k < batchNormLayers.Length && k < stats.Count; k++)
                batchNormLayers[k].Fold(stats[k].Mean.Data, stats[k].Variance.Data, stats[k].Count);
        }

        /// <summary>
        /// A copy with the same structure, parameter values, running statistics, precision, seed and checkpoint (a snapshot
        /// that later training of this network does not change). Its version starts again; its history is empty.
        /// </summary>
        public Network Copy()
        {
            var copy = new Network(LayerSizes, Activation, Output, SnapshotParameters(), WeightInit, Seed, HiddenLayers) { Checkpoint = Checkpoint, Precision = Precision };
            copy.RestoreStatistics(SnapshotStatistics());
            return copy;
        }

        /// <summary>The network's predictions for x in inference mode (running statistics, no dropout): a pass without a target.</summary>
        /// <exception cref="BackpropException">x is empty, not finite, or of the wrong width.</exception>
        public ForwardPass Predict(Tensor x) => Forward(x, null, ForwardMode.Inference);

        private static HiddenLayerOptions CheckHiddenLayers(IReadOnlyList<int> sizes, HiddenLayerOptions options)
        {
            int hidden = sizes.Count - 2;
            if (options == null) return HiddenLayerOptions.None(hidden);
            if (options.BatchNorm.Count != hidden)
                throw new BackpropException(ErrorIds.LayerOptionsMismatch, ErrorKind.InvalidArgument, options,
                    $"The layer options describe {options.BatchNorm.Count} hidden block(s); layer sizes {string.Join(",", sizes)} make {hidden}.");
            return options;
        }

        private static void CheckValueShapes(IReadOnlyList<int> sizes, HiddenLayerOptions options, IReadOnlyList<Tensor> values)
        {
            int expected = 2 * (sizes.Count - 1) + 2 * options.BatchNorm.Count(b => b);
            if (values == null || values.Count != expected || values.Any(v => v == null))
                throw new BackpropException(ErrorIds.LayerSizeInvalid, ErrorKind.InvalidData, values,
                    $"A network with {sizes.Count} layer sizes and these layer options has {expected} parameters; got {values?.Count ?? 0}.");
            int p = 0;
            for (int i = 0; i + 1 < sizes.Count; i++)
            {
                Tensor w = values[p++], b = values[p++];
                if (w.Rows != sizes[i] || w.Columns != sizes[i + 1] || b.Rows != 1 || b.Columns != sizes[i + 1])
                    throw new BackpropException(ErrorIds.LayerSizeInvalid, ErrorKind.InvalidData, values,
                        $"Layer {i + 1} needs W {sizes[i]}x{sizes[i + 1]} and b 1x{sizes[i + 1]}; got {w.Shape} and {b.Shape}.");
                if (i + 2 < sizes.Count && options.BatchNorm[i])
                {
                    Tensor g = values[p++], be = values[p++];
                    if (g.Rows != 1 || g.Columns != sizes[i + 1] || be.Rows != 1 || be.Columns != sizes[i + 1])
                        throw new BackpropException(ErrorIds.LayerSizeInvalid, ErrorKind.InvalidData, values,
                            $"Block {i + 1} needs gamma and beta 1x{sizes[i + 1]}; got {g.Shape} and {be.Shape}.");
                }
            }
        }

        /// <summary>Builds the blocks from values in parameter order (W, b, [gamma, beta] per block).</summary>
        private AffineLayer[] BuildBlocks(IReadOnlyList<Tensor> values, HiddenLayerOptions options, out Parameter[] ps)
        {
            int count = options.BatchNorm.Count + 1;
            var affine = new AffineLayer[count];
            blocks = new NetworkBlock[count];
            var list = new List<Parameter>();
            var bns = new List<BatchNormLayer>();
            int p = 0;
            for (int i = 0; i < count; i++)
            {
                bool output = i == count - 1;
                int first = list.Count;
                affine[i] = new AffineLayer(i + 1, values[p], values[p + 1]);
                p += 2;
                list.Add(affine[i].W);
                list.Add(affine[i].B);
                BatchNormLayer bn = null;
                if (!output && options.BatchNorm[i])
                {
                    bn = new BatchNormLayer(i + 1, values[p], values[p + 1]);
                    p += 2;
                    list.Add(bn.Gamma);
                    list.Add(bn.Beta);
                    bns.Add(bn);
                }
                blocks[i] = new NetworkBlock(i + 1, affine[i], bn, output ? OutputLoss.Name : HiddenActivation.Name,
                    output ? 0 : options.DropoutRates[i], output, first);
            }
            ps = list.ToArray();
            batchNormLayers = bns.ToArray();
            return affine;
        }
    }
}
