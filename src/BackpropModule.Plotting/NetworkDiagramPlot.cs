using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using BackpropModule.Engine;
using BackpropModule.Engine.Tensors;
using ScottPlot;

namespace BackpropModule.Plotting
{
    /// <summary>
    /// A small network drawn as TensorFlow Playground draws it: one column of units per layer, an
    /// edge per weight, red for positive and blue for negative, thicker and darker with |value|
    /// (weights, or gradients for a Gradients object); each unit is filled with the colour of its
    /// bias (or bias gradient) on the same diverging scale — for a hidden layer with BatchNorm, of β (its
    /// bias is cancelled by the normalisation). A hidden layer with BatchNorm sits on a shaded band labelled
    /// "BN"; one with Dropout has a grey ring around each unit and its rate under the layer's name.
    /// </summary>
    internal static class NetworkDiagramPlot
    {
        /// <summary>The most units a layer may have and still be drawn unit by unit.</summary>
        internal const int MaxUnits = 64;
        internal static readonly Color Positive = Color.FromHex("#d62728");
        internal static readonly Color Negative = Color.FromHex("#1f77b4");

        internal static void Check(Network network)
        {
            int widest = network.LayerSizes.Max();
            if (widest > MaxUnits)
                throw new BackpropException(ErrorIds.PlotNetworkTooLarge, ErrorKind.InvalidArgument, network,
                    $"A diagram draws every unit; {network.Architecture} has a layer of {widest} units (at most {MaxUnits}). Try -Kind ParameterHeatmaps.");
        }

        /// <param name="network">The network whose shape is drawn.</param>
        /// <param name="values">The parameters in network order (W1, b1, [gamma1, beta1,] W2, …), or their gradients.</param>
        /// <param name="what">"weight" or "gradient", for the title and legend.</param>
        /// <param name="options">Size and title.</param>
        /// <param name="units">For one sample of a forward pass: what each unit passes on (its fill, and a label when the
        /// layers are short) and which units the pass's dropout mask dropped (greyed, crossed, their edges grey).</param>
        internal static byte[] Render(Network network, IReadOnlyList<Tensor> values, string what, PlotOptions options, PassUnits units = null)
        {
            Check(network);
            int[] sizes = network.LayerSizes;
            int tallest = sizes.Max();
            // Narrow layers are spread out (up to a third of the height between units) instead of huddling in the middle.
            Func<int, double> spacing = layer => sizes[layer] == tallest ? 1.0 : Math.Min((double)tallest / sizes[layer], tallest / 3.0);
            Func<int, int, (double X, double Y)> at = (layer, unit) => (layer, ((sizes[layer] - 1) / 2.0 - unit) * spacing(layer));
            // Per layer l ≥ 1: its weights come from block l, its fill from β when the block normalises, else from b.
            var blocks = network.Blocks;
            Func<int, Tensor> weights = l => values[blocks[l].FirstParameter];
            Func<int, Tensor> fills = l => values[blocks[l - 1].FirstParameter + (blocks[l - 1].HasBatchNorm ? 3 : 1)];
            double maxEdge = Enumerable.Range(0, blocks.Count).Select(l => weights(l).MaxAbs()).DefaultIfEmpty(0).Max();
            double maxBias = Enumerable.Range(1, blocks.Count).Select(l => fills(l).MaxAbs()).DefaultIfEmpty(0).Max();
            if (maxEdge == 0) maxEdge = 1;
            if (maxBias == 0) maxBias = 1;
            var plot = PlotCanvas.NewPlot();
            // Faint edges first, strong ones last, so the strong ones stay visible on top.
            var edges = new List<(double Strength, int Layer, int From, int To, double Value)>();
            for (int l = 0; l + 1 < sizes.Length; l++)
            {
                var w = weights(l);
                for (int i = 0; i < sizes[l]; i++)
                    for (int j = 0; j < sizes[l + 1]; j++) edges.Add((Math.Abs(w[i, j]) / maxEdge, l, i, j, w[i, j]));
            }
            float widthScale = edges.Count > 400 ? 2.5f : 5f;
            foreach (var e in edges.OrderBy(e => e.Strength))
            {
                var (x1, y1) = at(e.Layer, e.From);
                var (x2, y2) = at(e.Layer + 1, e.To);
                var line = plot.Add.Line(x1, y1, x2, y2);
                line.LineColor = (e.Value >= 0 ? Positive : Negative).WithAlpha(0.15 + 0.85 * e.Strength);
                line.LineWidth = (float)(0.3 + widthScale * e.Strength);
                // A dropped unit sends nothing on: its edges carry no signal in this pass.
                if (units != null && units.IsDropped(e.Layer, e.From))
                {
                    line.LineColor = Dropped.WithAlpha(0.25);
                    line.LineWidth = 0.5f;
                }
                line.MarkerSize = 0;
            }
            float marker = (float)Math.Max(6, Math.Min(30, 0.6 * (options.Height - 120) / tallest));
            DrawBatchNormBands(plot, network, sizes, spacing, tallest);
            var balance = PlotCanvas.Diverging();
            for (int l = 0; l < sizes.Length; l++)
                for (int u = 0; u < sizes[l]; u++)
                {
                    var (x, y) = at(l, u);
                    Color fill = units != null ? balance.GetColor(0.5 + 0.5 * units.Scaled(l, u))
                        : l == 0 ? Color.FromHex("#dddddd") : balance.GetColor(0.5 + 0.5 * fills(l)[0, u] / maxBias);
                    bool dropout = l > 0 && l < sizes.Length - 1 && blocks[l - 1].HasDropout;
                    // A unit that may drop out gets a second, grey ring (a dashed outline would be lost in SVG:
                    // Skia's SVG canvas does not support path effects).
                    if (dropout)
                    {
                        var ring = plot.Add.Marker(x, y, MarkerShape.OpenCircle, marker + 8, Color.FromHex("#888888"));
                        ring.MarkerStyle.LineWidth = 1.5f;
                    }
                    bool dropped = units != null && units.IsDropped(l, u);
                    var m = plot.Add.Marker(x, y, MarkerShape.FilledCircle, marker, dropped ? Color.FromHex("#f0f0f0") : fill);
                    m.MarkerStyle.OutlineColor = dropped ? Dropped : Colors.Black;
                    m.MarkerStyle.OutlineWidth = 1;
                    if (dropped)
                    {
                        var cross = plot.Add.Marker(x, y, MarkerShape.Eks, marker * 0.7f, Dropped);
                        cross.MarkerStyle.LineWidth = 2;
                    }
                    // Inputs and outputs carry their value in their name label (below); hidden units get one beside them.
                    if (units != null && units.Labelled && l > 0 && l < sizes.Length - 1) LabelUnit(plot, units, l, u, x + 0.15, y);
                }
            // Name the inputs and outputs when there is room for a label per unit.
            foreach (var (layer, prefix, align, dx) in new[] { (0, "x", Alignment.MiddleRight, -0.1), (sizes.Length - 1, "y", Alignment.MiddleLeft, 0.1) })
            {
                if (sizes[layer] > 20) continue;
                for (int u = 0; u < sizes[layer]; u++)
                {
                    var (x, y) = at(layer, u);
                    string text = prefix + (u + 1).ToString(CultureInfo.InvariantCulture);
                    if (units != null && units.Labelled) text += " = " + units.Label(layer, u);
                    var t = plot.Add.Text(text, x + dx, y);
                    t.Alignment = align;
                    t.LabelFontSize = 12;
                }
            }
            for (int l = 0; l < sizes.Length; l++)
            {
                string name = l == 0 ? "input" : l == sizes.Length - 1 ? "output · " + network.Output : "hidden " + l.ToString(CultureInfo.InvariantCulture) + " · " + network.Activation;
                var label = plot.Add.Text(name + " (" + sizes[l].ToString(CultureInfo.InvariantCulture) + ")", l, -tallest / 2.0 - 0.3);
                label.Alignment = Alignment.UpperCenter;
                label.LabelFontSize = 13;
                string steps = l > 0 && l < sizes.Length - 1 ? LayerSteps(blocks[l - 1]) : "";
                if (steps.Length == 0) continue;
                var extra = plot.Add.Text(steps, l, -tallest / 2.0 - 0.3 - 0.07 * tallest);
                extra.Alignment = Alignment.UpperCenter;
                extra.LabelFontSize = 12;
                extra.LabelFontColor = Color.FromHex("#444444");
            }
            double labelRoom = units != null && units.Labelled ? 0.3 : 0; // "x1 = -0.000123" left of the inputs, "y1 = 0.333" right of the outputs
            plot.Axes.SetLimits(-0.5 - labelRoom, sizes.Length - 0.5 + labelRoom, -tallest / 2.0 - 1.2 - (network.HasModes ? 0.12 * tallest : 0),
                tallest / 2.0 + 0.2 + (network.HasBatchNorm ? 0.06 * tallest + 0.3 : 0));
            plot.HideAxesAndGrid();
            plot.Title(options.TitleOr(units != null
                ? $"{network.Architecture}\n{units.Caption}\nfill = value passed on (red +, blue −, per layer) · edges = weights{(units.AnyDropped ? " · × = dropped" : "")}"
                : $"{network.Architecture}: {what}s\nred positive, blue negative, thicker = larger |{what}|; unit fill = {(network.HasBatchNorm ? "bias or β" : "bias")}{(what == "gradient" ? " gradient" : "")}{(network.HasDropout ? "; grey ring = dropout" : "")}"));
            plot.Axes.Title.Label.FontSize = 14;
            return PlotCanvas.Render(plot, options);
        }

        private static readonly Color Dropped = Color.FromHex("#9a9a9a");

        // The value beside its unit, on a white ground so the edges behind it do not hide it.
        private static void LabelUnit(Plot plot, PassUnits units, int layer, int unit, double x, double y)
        {
            var t = plot.Add.Text(units.Label(layer, unit), x, y);
            t.Alignment = Alignment.MiddleLeft;
            t.LabelFontSize = 11;
            t.LabelBackgroundColor = Colors.White.WithAlpha(0.8);
            t.LabelFontColor = units.IsDropped(layer, unit) ? Dropped : Colors.Black;
        }

        /// <summary>What a hidden block adds to Affine → activation, e.g. "BatchNorm · Dropout 0.2", or "".</summary>
        internal static string LayerSteps(Engine.Layers.NetworkBlock block)
        {
            var parts = new List<string>();
            if (block.HasBatchNorm) parts.Add("BatchNorm");
            if (block.HasDropout) parts.Add("Dropout " + block.DropoutRate.ToString("0.###", CultureInfo.InvariantCulture));
            return string.Join(" · ", parts);
        }

        // A shaded band behind each hidden layer that normalises, from its top unit to its bottom one, labelled at the top.
        private static void DrawBatchNormBands(Plot plot, Network network, int[] sizes, Func<int, double> spacing, int tallest)
        {
            for (int l = 1; l < sizes.Length - 1; l++)
            {
                if (!network.Blocks[l - 1].HasBatchNorm) continue;
                double half = (sizes[l] - 1) / 2.0 * spacing(l) + 0.5;
                var band = plot.Add.Rectangle(l - 0.16, l + 0.16, -half, half);
                band.FillColor = Color.FromHex("#f2d16b").WithAlpha(0.35);
                band.LineColor = Color.FromHex("#c9a227");
                band.LineWidth = 1;
                var tag = plot.Add.Text("BN", l, half + 0.05);
                tag.Alignment = Alignment.LowerCenter;
                tag.LabelFontSize = 12;
                tag.LabelBold = true;
                tag.LabelFontColor = Color.FromHex("#8a6d00");
            }
        }
    }
}
