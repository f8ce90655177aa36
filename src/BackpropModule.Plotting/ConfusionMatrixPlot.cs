using System;
using System.Globalization;
using System.Linq;
using BackpropModule.Engine;
using BackpropModule.Engine.Training;
using ScottPlot;

namespace BackpropModule.Plotting
{
    /// <summary>A confusion matrix (rows actual, columns predicted) as a heat map with the count in every cell.</summary>
    internal static class ConfusionMatrixPlot
    {
        internal static byte[] Render(ConfusionMatrix matrix, string title, PlotOptions options)
        {
            if (matrix == null || matrix.ClassCount == 0)
                throw new BackpropException(ErrorIds.PlotInputEmpty, ErrorKind.InvalidData, matrix, "There is nothing to draw: the evaluation has no confusion matrix (a regression network?).");
            int k = matrix.ClassCount;
            // Colour by the share of each actual class, so that small classes show their mistakes too.
            var shares = new double[k, k];
            for (int a = 0; a < k; a++)
            {
                double total = Enumerable.Range(0, k).Sum(p => (double)matrix[a, p]);
                for (int p = 0; p < k; p++) shares[a, p] = total > 0 ? matrix[a, p] / total : 0;
            }
            var plot = PlotCanvas.NewPlot();
            var map = plot.Add.Heatmap(shares);
            map.Colormap = new ScottPlot.Colormaps.Blues().Reversed();
            map.ManualRange = new ScottPlot.Range(0, 1);
            var bar = plot.Add.ColorBar(map, Edge.Right);
            bar.Label = "share of the actual class";
            float fontSize = k <= 5 ? 16 : k <= 10 ? 12 : 9;
            for (int a = 0; a < k; a++)
                for (int p = 0; p < k; p++)
                {
                    var text = plot.Add.Text(matrix[a, p].ToString(CultureInfo.InvariantCulture), p, a);
                    text.Alignment = Alignment.MiddleCenter;
                    text.LabelFontSize = fontSize;
                    text.LabelFontColor = shares[a, p] > 0.5 ? Colors.White : Colors.Black;
                }
            string[] names = Enumerable.Range(0, k).Select(i => i < matrix.ClassNames.Count && !string.IsNullOrEmpty(matrix.ClassNames[i]) ? matrix.ClassNames[i] : i.ToString(CultureInfo.InvariantCulture)).ToArray();
            double[] positions = Enumerable.Range(0, k).Select(i => (double)i).ToArray();
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(positions, names);
            plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(positions, names);
            int longest = names.Max(n => n.Length);
            if (longest > 3)
            {
                // Long class names slant down to the right from their tick, with room kept below for them.
                plot.Axes.Bottom.TickLabelStyle.Rotation = 40;
                plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
                plot.Axes.Bottom.TickLabelStyle.OffsetY = 6;
                plot.Axes.Bottom.MinimumSize = 30 + 5.5f * longest;
            }
            plot.Axes.SetLimits(-0.5, k - 0.5, k - 0.5, -0.5);
            plot.Grid.IsVisible = false;
            plot.Title(options.TitleOr(title ?? "Confusion matrix"));
            plot.XLabel("Predicted class");
            plot.YLabel("Actual class");
            return PlotCanvas.Render(plot, options);
        }
    }
}
