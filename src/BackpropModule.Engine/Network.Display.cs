using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using BackpropModule.Engine.Layers;
using BackpropModule.Engine.Tensors;

// The console views of a network: the layer table and the one-line architecture.
namespace BackpropModule.Engine
{
    public sealed partial class Network
    {
        /// <summary>One row per layer, for the console table.</summary>
        public IReadOnlyList<LayerInfo> Describe()
        {
            var rows = new List<LayerInfo>();
            foreach (var b in blocks)
            {
                var l = b.Affine;
                string kind = "Affine+" + (b.HasBatchNorm ? "BN+" : "") + b.Function;
                string ps = l.W.Name + " " + l.W.Shape + ", " + l.B.Name + (b.HasBatchNorm ? ", " + b.BatchNorm.Gamma.Name + ", " + b.BatchNorm.Beta.Name : " " + l.B.Shape);
                int count = l.W.Value.Count + l.B.Value.Count + (b.HasBatchNorm ? 2 * b.Outputs : 0);
                rows.Add(new LayerInfo(b.Index, kind, l.Inputs, l.Outputs, ps, count));
            }
            return rows;
        }

        /// <summary>
        /// Architecture, e.g. <c>784-100-10 ReLU → Softmax/CrossEntropy</c>; with BatchNorm or dropout in the
        /// hidden blocks, e.g. <c>784-256-10 BatchNorm ReLU Dropout 0.2 → Softmax/CrossEntropy</c> (per-block
        /// rates listed when they differ). <see cref="Chain"/> spells out every step.
        /// </summary>
        public string Architecture
        {
            get
            {
                string sizes = string.Join("-", LayerSizes.Select(s => s.ToString(CultureInfo.InvariantCulture)));
                var hidden = blocks.Take(blocks.Length - 1).ToArray();
                string bn = hidden.Length == 0 || !HasBatchNorm ? "" : hidden.All(b => b.HasBatchNorm) ? "BatchNorm "
                    : "BatchNorm(" + string.Join(",", hidden.Where(b => b.HasBatchNorm).Select(b => b.Index)) + ") ";
                var rates = hidden.Select(b => b.DropoutRate).ToArray();
                string drop = !HasDropout ? "" : " Dropout " + (rates.Distinct().Count() == 1 ? Rate(rates[0]) : string.Join(",", rates.Select(Rate)));
                return sizes + " " + bn + HiddenActivation.Name + drop + " → " + OutputLoss.Name + "/" + OutputLoss.LossName;
            }
        }

        private static string Rate(double p) => p.ToString("G", CultureInfo.InvariantCulture);

        private string InitDescription =>
            FromGivenValues ? "values given"
            : "init " + WeightInit + (BiasInit == BiasInitKind.Zero ? "" : ", bias " + BiasInit + " " + BiasScale.ToString("G", CultureInfo.InvariantCulture)) + ", seed " + Seed;

        /// <inheritdoc/>
        public override string ToString()
        {
            var sb = new StringBuilder();
            // Two lines, so that a deep architecture still fits 80 columns.
            sb.AppendLine($"Network      {Architecture}");
            string precision = Precision == NumericPrecision.Single ? " (Single)" : "";
            sb.AppendLine($"Parameters   {ParameterCount.ToString("N0", CultureInfo.InvariantCulture)}{precision}, {InitDescription}, version {Version}");
            sb.AppendLine();
            var rows = Describe();
            string[] head = { "Layer", "Kind", "Inputs", "Outputs", "Parameters", "Count" };
            var cells = new List<string[]> { head };
            cells.AddRange(rows.Select(r => new[] { r.Layer.ToString(CultureInfo.InvariantCulture), r.Kind, r.Inputs.ToString(CultureInfo.InvariantCulture), r.Outputs.ToString(CultureInfo.InvariantCulture), r.Parameters, r.ParameterCount.ToString(CultureInfo.InvariantCulture) }));
            var widths = Enumerable.Range(0, head.Length).Select(c => cells.Max(r => r[c].Length)).ToArray();
            for (int i = 0; i < cells.Count; i++)
            {
                sb.AppendLine(string.Join("  ", cells[i].Select((v, c) => c == 1 || c == 4 ? v.PadRight(widths[c]) : v.PadLeft(widths[c]))).TrimEnd());
                if (i == 0) sb.AppendLine(string.Join("  ", widths.Select(w => new string('-', w))));
            }
            return sb.ToString().TrimEnd();
        }
    }

    /// <summary>One row of the network table.</summary>
    public sealed class LayerInfo
    {
        internal LayerInfo(int layer, string kind, int inputs, int outputs, string parameters, int count)
        {
            Layer = layer; Kind = kind; Inputs = inputs; Outputs = outputs; Parameters = parameters; ParameterCount = count;
        }

        public int Layer { get; }
        public string Kind { get; }
        public int Inputs { get; }
        public int Outputs { get; }
        public string Parameters { get; }
        public int ParameterCount { get; }
    }
}
