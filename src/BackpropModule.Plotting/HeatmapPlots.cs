using System;
using System.Collections.Generic;
using System.Linq;
using BackpropModule.Engine;
using BackpropModule.Engine.Tensors;
using ScottPlot;

namespace BackpropModule.Plotting
{
    /// <summary>
    /// Matrices as heat maps on a diverging scale centred on zero (blue negative, white zero, red
    /// positive) with a colour bar: one tensor, or one panel per named tensor (small multiples).
    /// </summary>
    internal static class HeatmapPlots
    {
        internal static byte[] Render(Tensor tensor, string name, PlotOptions options)
        {
            if (tensor == null || tensor.Count == 0)
                throw new BackpropException(ErrorIds.PlotInputEmpty, ErrorKind.InvalidData, tensor, "There is nothing to draw: the tensor is empty.");
            var plot = Panel(tensor, options.TitleOr((name ?? "Tensor") + " (" + tensor.Shape + ")"));
            return PlotCanvas.Render(plot, options);
        }

        /// <summary>One panel per tensor, each with its own colour bar (parameters differ in scale by orders of magnitude).</summary>
        internal static byte[] Render(IReadOnlyList<KeyValuePair<string, Tensor>> tensors, string title, PlotOptions options)
        {
            if (tensors == null || tensors.Count == 0)
                throw new BackpropException(ErrorIds.PlotInputEmpty, ErrorKind.InvalidData, tensors, "There is nothing to draw: no parameters or gradients.");
            int[] slots = HeatmapLayout.Slots(tensors.Select(t => t.Key).ToList(), out int columns, out int rows, options.Width);
            // Cells a block does not use stay empty (null), so each kind of parameter keeps its column.
            var plots = new Plot[columns * rows];
            for (int i = 0; i < tensors.Count; i++)
                plots[slots[i]] = Panel(tensors[i].Value, tensors[i].Key + " (" + tensors[i].Value.Shape + ")");
            return PlotCanvas.Render(plots, columns, options.TitleOr(title), options);
        }

        /// <summary>A heat map of one matrix: row 0 at the top, as the matrix is printed.</summary>
        internal static Plot Panel(Tensor tensor, string title)
        {
            double[,] values = tensor.To2DArray();
            double m = PlotCanvas.MaxAbs(values);
            var plot = PlotCanvas.NewPlot();
            var map = plot.Add.Heatmap(values);
            map.Colormap = PlotCanvas.Diverging();
            map.ManualRange = new ScottPlot.Range(-m, m);
            // NOTE: without an Extent ScottPlot centres cell (r, c) on (c, r); an Extent would put cell centres on its edges.
            var bar = plot.Add.ColorBar(map, Edge.Right);
            bar.Label = "value";
            plot.Title(title);
            // Long names (RunningVariance1 (1x128)) would be clipped by the panels of small multiples
            // (at least 250 px wide unless a size was asked for).
            if (title.Length > 20) plot.Axes.Title.Label.FontSize = Math.Max(10f, plot.Axes.Title.Label.FontSize * 20f / title.Length);
            plot.XLabel("column");
            plot.YLabel("row");
            // Rows grow downwards, as in the printed matrix.
            plot.Axes.SetLimits(-0.5, tensor.Columns - 0.5, tensor.Rows - 0.5, -0.5);
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
            plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
            plot.Grid.IsVisible = false;
            return plot;
        }
    }
}
