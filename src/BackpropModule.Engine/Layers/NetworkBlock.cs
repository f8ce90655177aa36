using System.Collections.Generic;
using System.Globalization;

namespace BackpropModule.Engine.Layers
{
    /// <summary>
    /// One block of a network, in order: a hidden block is Affine → [BatchNorm] → activation → [Dropout],
    /// the output block Affine → output function. This is the structured description other code reads
    /// (files, ONNX, pictures): which steps a block has, its sizes and where its parameters sit.
    /// </summary>
    public sealed class NetworkBlock
    {
        internal NetworkBlock(int index, AffineLayer affine, BatchNormLayer batchNorm, string function, double dropoutRate, bool isOutput, int firstParameter)
        {
            Index = index; Affine = affine; BatchNorm = batchNorm; Function = function;
            DropoutRate = dropoutRate; IsOutput = isOutput; FirstParameter = firstParameter;
        }

        /// <summary>1-based block number; W1, b1, gamma1, beta1 and the dropout mask1 belong to block 1.</summary>
        public int Index { get; }

        /// <summary>True for the last block (Affine → output function).</summary>
        public bool IsOutput { get; }

        /// <summary>The affine layer (Wk, bk).</summary>
        public AffineLayer Affine { get; }

        /// <summary>The batch normalisation after the affine layer, or null.</summary>
        public BatchNormLayer BatchNorm { get; }

        /// <summary>True when the block normalises its affine output.</summary>
        public bool HasBatchNorm => BatchNorm != null;

        /// <summary>The activation (hidden block) or output function (last block), e.g. ReLU or Softmax.</summary>
        public string Function { get; }

        /// <summary>Dropout rate p after the activation (0 = no dropout; always 0 for the output block).</summary>
        public double DropoutRate { get; }

        /// <summary>True when the block drops units in training mode.</summary>
        public bool HasDropout => DropoutRate > 0;

        /// <summary>Inputs of the block.</summary>
        public int Inputs => Affine.Inputs;

        /// <summary>Units (outputs) of the block.</summary>
        public int Outputs => Affine.Outputs;

        /// <summary>Index in <see cref="Network.Parameters"/> of Wk; bk follows, then gammak and betak with BatchNorm.</summary>
        public int FirstParameter { get; }

        /// <summary>Number of parameters of the block: 2 (W, b) or 4 (W, b, gamma, beta).</summary>
        public int ParameterCount => HasBatchNorm ? 4 : 2;

        /// <summary>The steps in order, e.g. <c>Affine 256</c>, <c>BatchNorm</c>, <c>ReLU</c>, <c>Dropout 0.2</c>.</summary>
        public IReadOnlyList<string> Steps
        {
            get
            {
                var steps = new List<string> { "Affine " + Outputs.ToString(CultureInfo.InvariantCulture) };
                if (HasBatchNorm) steps.Add("BatchNorm");
                steps.Add(Function);
                if (HasDropout) steps.Add("Dropout " + DropoutRate.ToString("G", CultureInfo.InvariantCulture));
                return steps;
            }
        }

        /// <inheritdoc/>
        public override string ToString() => string.Join(" → ", Steps);
    }
}
