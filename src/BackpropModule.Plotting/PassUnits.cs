using System;
using System.Globalization;
using System.Linq;
using BackpropModule.Engine;

namespace BackpropModule.Plotting
{
    /// <summary>
    /// One sample of a forward pass as the network diagram draws it: per layer (0 = the inputs), what each unit
    /// passes on to the next layer — the input itself, a hidden unit's output after dropout, the output function's
    /// value — and, for hidden layers with dropout in a training pass, whether this pass's mask dropped the unit.
    /// </summary>
    internal sealed class PassUnits
    {
        /// <summary>Layers up to this many units get their values written beside the units.</summary>
        internal const int MostLabelled = 12;

        private readonly double[][] values;
        private readonly bool[][] dropped;
        private readonly double[] largest;

        private PassUnits(double[][] values, bool[][] dropped, string caption, bool probabilities)
        {
            this.values = values;
            this.dropped = dropped;
            Caption = caption;
            largest = values.Select(v => v.Select(Math.Abs).Where(a => !double.IsNaN(a)).DefaultIfEmpty(0).Max()).ToArray();
            // Probabilities are drawn on their own scale (1 = full colour), so a flat 1/3, 1/3, 1/3 does not look certain.
            if (probabilities) largest[largest.Length - 1] = Math.Max(1, largest[largest.Length - 1]);
            Labelled = values.Max(v => v.Length) <= MostLabelled;
            AnyDropped = dropped.Any(d => d.Any(x => x));
        }

        /// <summary>A line of the title, e.g. "sample 4 of 90, training pass, dropout seed 3".</summary>
        internal string Caption { get; }

        /// <summary>True when every layer is short enough for its values to be written beside the units.</summary>
        internal bool Labelled { get; }

        /// <summary>True when the mask dropped at least one unit of this sample.</summary>
        internal bool AnyDropped { get; }

        /// <summary>Reads sample <paramref name="sample"/> (a row, from 0) of the pass.</summary>
        /// <exception cref="BackpropException">PlotSampleOutOfRange: the pass has no such row.</exception>
        internal static PassUnits Of(ForwardPass pass, int sample)
        {
            if (sample < 0 || sample >= pass.BatchSize)
                throw new BackpropException(ErrorIds.PlotSampleOutOfRange, ErrorKind.InvalidArgument, sample,
                    $"The pass has {pass.BatchSize} sample(s), rows 0 to {pass.BatchSize - 1}; -Sample {sample} is not one of them.");
            int layers = pass.Layers.Count;
            var values = new double[layers + 1][];
            var dropped = new bool[layers + 1][];
            values[0] = Row(pass.Input, sample);
            dropped[0] = new bool[values[0].Length];
            for (int l = 1; l <= layers; l++)
            {
                var trace = pass.Layers[l - 1];
                values[l] = Row(trace.BlockOutput, sample);
                dropped[l] = trace.DropoutMask == null ? new bool[values[l].Length] : Row(trace.DropoutMask, sample).Select(m => m == 0).ToArray();
            }
            string caption = string.Format(CultureInfo.InvariantCulture, "sample {0} of {1}, {2} pass", sample, pass.BatchSize, pass.Mode.ToString().ToLowerInvariant())
                + (pass.DropoutSeed.HasValue && pass.Network.HasDropout && pass.Mode == ForwardMode.Training
                    ? ", dropout seed " + pass.DropoutSeed.Value.ToString(CultureInfo.InvariantCulture) : "");
            return new PassUnits(values, dropped, caption, pass.Network.Output != Engine.Losses.OutputKind.Identity);
        }

        private static double[] Row(Engine.Tensors.Tensor t, int row) =>
            Enumerable.Range(0, t.Columns).Select(c => t[row, c]).ToArray();

        /// <summary>True when the mask dropped unit <paramref name="unit"/> of layer <paramref name="layer"/>.</summary>
        internal bool IsDropped(int layer, int unit) => dropped[layer][unit];

        /// <summary>The unit's value over the largest |value| of its layer, in [-1, 1] (0 for NaN, ±1 for an infinity).</summary>
        internal double Scaled(int layer, int unit)
        {
            double v = values[layer][unit];
            if (double.IsInfinity(v)) return Math.Sign(v);
            return double.IsNaN(v) || largest[layer] == 0 || double.IsInfinity(largest[layer]) ? 0 : Math.Max(-1, Math.Min(1, v / largest[layer]));
        }

        /// <summary>The value as written beside the unit: three significant digits, or "dropped".</summary>
        internal string Label(int layer, int unit) =>
            IsDropped(layer, unit) ? "dropped" : values[layer][unit] == 0 ? "0" // not "-0"
                : values[layer][unit].ToString("G3", CultureInfo.InvariantCulture);
    }
}
