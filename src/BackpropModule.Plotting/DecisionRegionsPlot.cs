using System;
using System.Linq;
using BackpropModule.Engine;
using BackpropModule.Engine.Data;
using BackpropModule.Engine.Tensors;
using ScottPlot;

namespace BackpropModule.Plotting
{
    /// <summary>
    /// The class a 2-input classifier predicts at every point of the input plane (a light colour
    /// per class), with the dataset's points on top in the strong colour of their true class.
    /// </summary>
    internal static class DecisionRegionsPlot
    {
        private const int GridSize = 240;

        /// <summary>Colours of classes 0, 1, 2, … (Tableau 10).</summary>
        internal static readonly Color[] ClassColors =
            new[] { "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf" }
                .Select(Color.FromHex).ToArray();

        internal static void Check(Network network, Dataset data)
        {
            if (data == null || data.Count == 0)
                throw new BackpropException(ErrorIds.PlotInputEmpty, ErrorKind.InvalidArgument, data, "Decision regions need a dataset (-Data) with samples.");
            if (data.FeatureCount != 2 || network.InputSize != 2)
                throw new BackpropException(ErrorIds.PlotKindMismatch, ErrorKind.InvalidArgument, data,
                    $"Decision regions are drawn over a plane: they need 2 inputs; the dataset '{data.Name}' has {data.FeatureCount} and the network {network.Architecture} takes {network.InputSize}.");
            if (!data.IsClassification || !network.IsClassifier)
                throw new BackpropException(ErrorIds.PlotKindMismatch, ErrorKind.InvalidArgument, data,
                    $"Decision regions need a classifier and a classification dataset; '{data.Name}' has {(data.IsClassification ? "classes" : "no classes")} and the network ends in {network.Output}.");
        }

        internal static byte[] Render(Network network, Dataset data, PlotOptions options)
        {
            Check(network, data);
            var xs = Enumerable.Range(0, data.Count).Select(i => data.Features[2 * i]).ToArray();
            var ys = Enumerable.Range(0, data.Count).Select(i => data.Features[2 * i + 1]).ToArray();
            double padX = 0.1 * (xs.Max() - xs.Min()) + 1e-9, padY = 0.1 * (ys.Max() - ys.Min()) + 1e-9;
            double x0 = xs.Min() - padX, x1 = xs.Max() + padX, y0 = ys.Min() - padY, y1 = ys.Max() + padY;

            int classes = Math.Max(2, data.ClassCount);
            var predicted = PredictGrid(network, x0, x1, y0, y1);
            var plot = PlotCanvas.NewPlot();
            var map = plot.Add.Heatmap(predicted);
            map.Colormap = new ClassColormap(classes, ClassColors, lighten: 0.6);
            map.ManualRange = new ScottPlot.Range(0, classes - 1);
            map.Extent = new CoordinateRect(x0, x1, y0, y1);
            // NOTE: ScottPlot puts row 0 of a heat map at the top; the grid's row 0 is the lowest y.
            map.FlipVertically = true;
            for (int k = 0; k < data.ClassCount; k++)
            {
                int[] members = Enumerable.Range(0, data.Count).Where(i => data.Labels[i] == k).ToArray();
                if (members.Length == 0) continue;
                var m = plot.Add.Markers(members.Select(i => xs[i]).ToArray(), members.Select(i => ys[i]).ToArray(), MarkerShape.FilledCircle, 7, ClassColors[k % ClassColors.Length]);
                m.MarkerStyle.OutlineColor = Colors.Black;
                m.MarkerStyle.OutlineWidth = 0.8f;
                string name = data.ClassNames != null && k < data.ClassNames.Length ? data.ClassNames[k] : null;
                m.LegendText = string.IsNullOrEmpty(name) || char.IsDigit(name[0]) ? "class " + (name ?? k.ToString(System.Globalization.CultureInfo.InvariantCulture)) : name;
            }
            plot.Axes.SetLimits(x0, x1, y0, y1);
            plot.Title(options.TitleOr($"Decision regions of {network.Architecture} on {data.Name}"));
            plot.XLabel("x1");
            plot.YLabel("x2");
            plot.ShowLegend(Alignment.UpperRight);
            return PlotCanvas.Render(plot, options);
        }

        /// <summary>The predicted class over a GridSize² grid; row r is y = y0 + r·Δy.</summary>
        private static double[,] PredictGrid(Network network, double x0, double x1, double y0, double y1)
        {
            var rows = new double[GridSize * GridSize][];
            for (int r = 0; r < GridSize; r++)
                for (int c = 0; c < GridSize; c++)
                    rows[r * GridSize + c] = new[] { x0 + (x1 - x0) * (c + 0.5) / GridSize, y0 + (y1 - y0) * (r + 0.5) / GridSize };
            var output = network.Predict(Tensor.FromRows(rows)).Output;
            var classes = new double[GridSize, GridSize];
            for (int i = 0; i < rows.Length; i++)
                classes[i / GridSize, i % GridSize] = PredictedClass(output, i);
            return classes;
        }

        /// <summary>Argmax of a softmax row; for a single sigmoid output, class 1 when y ≥ 0.5.</summary>
        internal static int PredictedClass(Tensor output, int row)
        {
            if (output.Columns == 1) return output[row, 0] >= 0.5 ? 1 : 0;
            int best = 0;
            for (int k = 1; k < output.Columns; k++) if (output[row, k] > output[row, best]) best = k;
            return best;
        }
    }

    /// <summary>A colormap of discrete classes: value k (scaled to 0…1 over k = 0…count−1) gets class k's colour.</summary>
    internal sealed class ClassColormap : IColormap
    {
        private readonly int count;
        private readonly Color[] colors;

        public ClassColormap(int count, Color[] palette, double lighten)
        {
            this.count = count;
            colors = palette.Select(c => Blend(c, Colors.White, lighten)).ToArray();
        }

        public string Name => "Classes";

        public Color GetColor(double normalized)
        {
            if (double.IsNaN(normalized)) return Colors.White;
            int k = (int)Math.Round(Math.Max(0, Math.Min(1, normalized)) * (count - 1));
            return colors[k % colors.Length];
        }

        internal static Color Blend(Color a, Color b, double t) =>
            new Color((byte)(a.R + (b.R - a.R) * t), (byte)(a.G + (b.G - a.G) * t), (byte)(a.B + (b.B - a.B) * t));
    }
}
