using System;
using System.Collections.Generic;
using System.Linq;
using BackpropModule.Engine;
using BackpropModule.Engine.Data;
using BackpropModule.Engine.Tensors;
using ScottPlot;

namespace BackpropModule.Plotting
{
    /// <summary>
    /// A 1-input regression dataset as points and each network's output as a curve over the
    /// input's range: one snapshot, or several overlaid from light (early) to dark (late).
    /// </summary>
    internal static class RegressionFitPlot
    {
        internal static readonly Color DataColor = Color.FromHex("#222222");
        private const int CurvePoints = 400;

        /// <summary>Refuses a dataset or network that is not 1 input → 1 output.</summary>
        internal static void Check(Dataset data, IReadOnlyList<KeyValuePair<string, Network>> networks)
        {
            if (networks == null || networks.Count == 0)
                throw new BackpropException(ErrorIds.PlotInputEmpty, ErrorKind.InvalidArgument, data, "A fit picture needs at least one network piped in.");
            if (data == null || data.Count == 0)
                throw new BackpropException(ErrorIds.PlotInputEmpty, ErrorKind.InvalidArgument, data, "A fit picture needs a dataset (-Data) with samples.");
            if (data.FeatureCount != 1 || data.TargetWidth != 1 || data.IsClassification)
                throw new BackpropException(ErrorIds.PlotKindMismatch, ErrorKind.InvalidArgument, data,
                    $"A fit picture draws a 1-input regression dataset; '{data.Name}' has {data.FeatureCount} input(s) and {data.TargetWidth} target(s){(data.IsClassification ? " (classification)" : "")}.");
            foreach (var n in networks)
                if (n.Value.InputSize != 1 || n.Value.OutputSize != 1)
                    throw new BackpropException(ErrorIds.PlotKindMismatch, ErrorKind.InvalidArgument, n.Value,
                        $"A fit picture draws networks with 1 input and 1 output; got {n.Value.Architecture}.");
        }

        internal static byte[] Render(Dataset data, IReadOnlyList<KeyValuePair<string, Network>> networks, PlotOptions options)
        {
            Check(data, networks);
            var plot = PlotCanvas.NewPlot();
            double lo = data.Features.Min(), hi = data.Features.Max();
            double pad = (hi - lo) * 0.02;
            double[] xs = Enumerable.Range(0, CurvePoints).Select(i => lo - pad + (hi - lo + 2 * pad) * i / (CurvePoints - 1)).ToArray();
            var grid = Tensor.FromRows(xs.Select(x => new[] { x }).ToArray());

            var colors = SnapshotColors(networks.Count);
            for (int i = 0; i < networks.Count; i++)
            {
                var output = networks[i].Value.Predict(grid).Output;
                double[] ys = Enumerable.Range(0, CurvePoints).Select(r => output[r, 0]).ToArray();
                var line = plot.Add.ScatterLine(xs, ys, colors[i]);
                line.LineWidth = 2.5f;
                line.LegendText = networks[i].Key;
            }
            // The data goes on top of the curves, in a colour none of them has.
            var points = plot.Add.Markers(data.Features, data.Targets, MarkerShape.FilledCircle, 5, networks.Count == 1 ? DataColor : Color.FromHex("#d62728"));
            points.LegendText = "data (" + data.Name + ")";
            plot.Title(options.TitleOr(networks.Count == 1 ? "Network fit to " + data.Name : "Network fit to " + data.Name + " as training goes on"));
            plot.XLabel("input x");
            plot.YLabel("target / network output");
            plot.ShowLegend(Alignment.UpperRight);
            return PlotCanvas.Render(plot, options);
        }

        /// <summary>Colours for snapshots: one strong colour for a single curve, light to dark viridis for several.</summary>
        internal static Color[] SnapshotColors(int count)
        {
            if (count == 1) return new[] { Color.FromHex("#d62728") };
            var map = new ScottPlot.Colormaps.Viridis();
            // NOTE: viridis' last tenth is a pale yellow that vanishes on white; stop at 0.85.
            return Enumerable.Range(0, count).Select(i => map.GetColor(0.85 * i / (count - 1))).Reverse().ToArray();
        }
    }
}
