using System;
using BackpropModule.Engine;
using BackpropModule.Engine.Tensors;
using ScottPlot;

namespace BackpropModule.Plotting
{
    /// <summary>
    /// The classic picture of a first layer on images: the weights into each hidden unit laid out as
    /// a side×side tile (row-major pixels, as IDX images are stored), one tile per unit, each on
    /// its own diverging scale so that weak units still show their pattern.
    /// </summary>
    internal static class WeightTilesPlot
    {
        /// <summary>The side of a square image with this many pixels, or 0 when it is not a square.</summary>
        internal static int ImageSide(int inputs)
        {
            int side = (int)Math.Round(Math.Sqrt(inputs));
            return side > 1 && side * side == inputs ? side : 0;
        }

        internal static void Check(Network network)
        {
            if (ImageSide(network.InputSize) == 0)
                throw new BackpropException(ErrorIds.PlotKindMismatch, ErrorKind.InvalidArgument, network,
                    $"Weight tiles need inputs that are square images (784 = 28×28 pixels); {network.Architecture} takes {network.InputSize} inputs.");
        }

        internal static byte[] Render(Network network, PlotOptions options)
        {
            Check(network);
            var w = network.Layers[0].W.Value;
            int side = ImageSide(network.InputSize), units = w.Columns;
            int cols = PlotCanvas.GridColumns(units), rows = (units + cols - 1) / cols;
            const int gap = 2;
            int stride = side + gap;
            var mosaic = new double[rows * stride - gap, cols * stride - gap];
            for (int r = 0; r < mosaic.GetLength(0); r++)
                for (int c = 0; c < mosaic.GetLength(1); c++) mosaic[r, c] = double.NaN;
            for (int u = 0; u < units; u++)
            {
                double m = 0;
                for (int p = 0; p < w.Rows; p++) m = Math.Max(m, Math.Abs(w[p, u]));
                if (m == 0) m = 1;
                int top = (u / cols) * stride, left = (u % cols) * stride;
                for (int p = 0; p < w.Rows; p++) mosaic[top + p / side, left + p % side] = w[p, u] / m;
            }
            var plot = PlotCanvas.NewPlot();
            var map = plot.Add.Heatmap(mosaic);
            map.Colormap = PlotCanvas.Diverging();
            map.ManualRange = new ScottPlot.Range(-1, 1);
            map.NaNCellColor = Colors.White;
            var bar = plot.Add.ColorBar(map, Edge.Right);
            bar.Label = "weight / max |weight| of the unit";
            // Square pixels: a fixed layout gives a known data area, and the limits are widened
            // along the longer side so the whole mosaic fits (ScottPlot's SquareUnits cut off a column).
            const float padLeft = 10, padRight = 120, padTop = 44, padBottom = 10;
            plot.Layout.Fixed(new PixelPadding(padLeft, padRight, padBottom, padTop));
            double areaW = options.Width - padLeft - padRight, areaH = options.Height - padTop - padBottom;
            int mw = mosaic.GetLength(1), mh = mosaic.GetLength(0);
            double scale = Math.Min(areaW / mw, areaH / mh);
            double halfW = areaW / scale / 2, halfH = areaH / scale / 2;
            double cx = (mw - 1) / 2.0, cy = (mh - 1) / 2.0;
            plot.Axes.SetLimits(cx - halfW, cx + halfW, cy - halfH, cy + halfH);
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.EmptyTickGenerator();
            plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.EmptyTickGenerator();
            plot.Grid.IsVisible = false;
            plot.Axes.Frameless();
            plot.Title(options.TitleOr($"First-layer weights: one {side}×{side} tile per hidden unit ({units} units)"));
            return PlotCanvas.Render(plot, options);
        }
    }
}
