using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using BackpropModule.Engine;
using BackpropModule.Engine.Data;
using BackpropModule.Engine.Layers;
using BackpropModule.Engine.Losses;
using BackpropModule.Engine.Tensors;
using ScottPlot;
using SkiaSharp;
using Xunit;

namespace BackpropModule.Plotting.Tests
{
    /// <summary>The data is drawn where it belongs: pixels of the series colour along the curve, cells of the right colour, text in the SVG.</summary>
    public sealed class PlottedDataTests
    {
        private static readonly PlotOptions Png = new PlotOptions { Width = 640, Height = 480 };

        private static bool Near(SKColor c, Color want, int tolerance = 40) =>
            Math.Abs(c.Red - want.R) <= tolerance && Math.Abs(c.Green - want.G) <= tolerance && Math.Abs(c.Blue - want.B) <= tolerance;

        /// <summary>True when a pixel within <paramref name="radius"/> of p has (about) the colour.</summary>
        private static bool ColourAround(SKBitmap bitmap, Pixel p, Color want, int radius = 2)
        {
            for (int dy = -radius; dy <= radius; dy++)
                for (int dx = -radius; dx <= radius; dx++)
                {
                    int x = (int)Math.Round(p.X) + dx, y = (int)Math.Round(p.Y) + dy;
                    if (x >= 0 && y >= 0 && x < bitmap.Width && y < bitmap.Height && Near(bitmap.GetPixel(x, y), want)) return true;
                }
            return false;
        }

        [Fact]
        public void TheFitCurveIsDrawnThroughTheNetworksOutput()
        {
            var data = BuiltInDatasets.Create(BuiltInDatasetKind.Sine);
            var net = PictureTests.Sine(5);
            using var bitmap = SKBitmap.Decode(Plotter.RegressionFit(data, new[] { new KeyValuePair<string, Network>("net", net) }, Png));
            var plot = PlotCanvas.LastPlots[0];
            var curve = RegressionFitPlot.SnapshotColors(1)[0];
            int hits = 0, tries = 0;
            for (double x = -0.9; x <= 0.9; x += 0.1)
            {
                double y = net.Forward(Tensor.FromRow(new[] { x })).Output[0, 0];
                tries++;
                if (ColourAround(bitmap, plot.GetPixel(new Coordinates(x, y)), curve)) hits++;
            }
            Assert.True(hits >= tries - 1, $"the curve's colour was found at {hits} of {tries} points along it");
            // And not where the curve is not: far above it, in the middle of the plot.
            Assert.False(ColourAround(bitmap, plot.GetPixel(new Coordinates(0, 1.1)), curve, 0));
        }

        [Fact]
        public void TheLossCurveIsDrawnAtEveryEpochsValue()
        {
            var history = PictureTests.History(30, validation: false, accuracy: false);
            using var bitmap = SKBitmap.Decode(Plotter.TrainingCurves(history, Png));
            var plot = PlotCanvas.LastPlots[0];
            var (x, y) = history.Points("TrainingLoss");
            int hits = Enumerable.Range(0, x.Length).Count(i => ColourAround(bitmap, plot.GetPixel(new Coordinates(x[i], y[i])), TrainingCurvesPlot.TrainingColor));
            Assert.True(hits >= x.Length - 1, $"{hits} of {x.Length} epochs found");
        }

        [Fact]
        public void AHeatMapPutsRowZeroAtTheTopRedForPositiveBlueForNegative()
        {
            var t = Tensor.FromRows(new[] { new[] { 1.0, 1.0 }, new[] { -1.0, -1.0 } });
            using var bitmap = SKBitmap.Decode(Plotter.Heatmap(t, "T", Png));
            var plot = PlotCanvas.LastPlots[0];
            var top = bitmap.GetPixel((int)plot.GetPixel(new Coordinates(0, 0)).X, (int)plot.GetPixel(new Coordinates(0, 0)).Y);
            var bottom = bitmap.GetPixel((int)plot.GetPixel(new Coordinates(0, 1)).X, (int)plot.GetPixel(new Coordinates(0, 1)).Y);
            Assert.True(plot.GetPixel(new Coordinates(0, 0)).Y < plot.GetPixel(new Coordinates(0, 1)).Y, "row 0 is above row 1");
            Assert.True(top.Red > top.Blue + 60 && top.Red > top.Green + 60, $"row 0 (+1) should be red, is {top}");
            Assert.True(bottom.Blue > bottom.Red + 60, $"row 1 (−1) should be blue, is {bottom}");
        }

        [Fact]
        public void DecisionRegionsColourEachPointsNeighbourhoodByThePredictedClass()
        {
            var data = BuiltInDatasets.Create(BuiltInDatasetKind.Spiral, 20, 1);
            var net = PictureTests.Spiral();
            using var bitmap = SKBitmap.Decode(Plotter.DecisionRegions(net, data, Png));
            var plot = PlotCanvas.LastPlots[0];
            // Just off the plot's corner points, away from markers: the region colour of the predicted class.
            int checkedPoints = 0, agree = 0;
            foreach (var (x, y) in new[] { (-0.95, 0.95), (0.95, 0.95), (-0.95, -0.95), (0.95, -0.95) })
            {
                int k = DecisionRegionsPlot.PredictedClass(net.Forward(Tensor.FromRow(new[] { x, y })).Output, 0);
                var want = ClassColormap.Blend(DecisionRegionsPlot.ClassColors[k], Colors.White, 0.6);
                checkedPoints++;
                if (ColourAround(bitmap, plot.GetPixel(new Coordinates(x, y)), want, 1)) agree++;
            }
            Assert.True(agree >= checkedPoints - 1, $"{agree} of {checkedPoints} corners have their predicted class's colour");
        }

        [Fact]
        public void TheSvgOfTrainingCurvesNamesItsAxesAndLegend()
        {
            var svg = Encoding.UTF8.GetString(Plotter.TrainingCurves(PictureTests.History(10, true, true),
                new PlotOptions { Format = PlotFormat.Svg }));
            foreach (string text in new[] { "Epoch", "Loss", "Accuracy", "training", "validation" })
                Assert.Contains(">" + text + "<", svg.Replace("\n", "").Replace("\t", ""));
        }

        [Fact]
        public void ThreeInputDataIsRefusedForDecisionRegions()
        {
            var net = new Network(new[] { 3, 4, 2 }, ActivationKind.ReLU, OutputKind.Softmax, seed: 1);
            var data = new Dataset("three", new double[] { 1, 2, 3, 4, 5, 6 }, 3, new double[] { 1, 0, 0, 1 }, 2, new[] { 0, 1 });
            var e = Assert.Throws<BackpropException>(() => Plotter.DecisionRegions(net, data, Png));
            Assert.Equal(ErrorIds.PlotKindMismatch, e.ErrorId);
        }

        [Fact]
        public void EmptyRecordsAreRefused()
        {
            var e = Assert.Throws<BackpropException>(() => Plotter.TrainingCurves(new TrainingHistory(new[] { "Epoch" }, new double?[0][]), Png));
            Assert.Equal(ErrorIds.PlotInputEmpty, e.ErrorId);
        }

        [Fact]
        public void ALayerTooWideForADiagramIsRefused()
        {
            var net = new Network(new[] { 784, 100, 10 }, ActivationKind.ReLU, OutputKind.Softmax, seed: 1);
            Assert.Equal(ErrorIds.PlotNetworkTooLarge, Assert.Throws<BackpropException>(() => Plotter.NetworkDiagram(net, null, Png)).ErrorId);
            Assert.Equal(ErrorIds.PlotKindMismatch, Assert.Throws<BackpropException>(() => Plotter.WeightTiles(PictureTests.Spiral(), Png)).ErrorId);
        }

        [Fact]
        public void TheBrailleChartDrawsADescendingLineFromTopLeftToBottomRight()
        {
            var lines = TextChart.Render(new[] { new TextSeries("loss", new double[] { 1, 2, 3, 4 }, new double[] { 4, 3, 2, 1 }) }, 40, 6, "t", "epoch", false, false);
            Assert.Equal("t", lines[0]);
            string first = lines[1], last = lines[6];
            int Braille(string s, bool fromLeft) => fromLeft
                ? s.IndexOf(s.Skip(12).First(ch => ch > '\u2800' && ch <= '\u28FF'))
                : s.LastIndexOf(s.Reverse().First(ch => ch > '\u2800' && ch <= '\u28FF'));
            Assert.True(Braille(first, true) < Braille(last, false), "the line starts high on the left and ends low on the right");
            Assert.All(lines, l => Assert.True(l.Length <= 40, $"'{l}' is wider than 40"));
            Assert.Contains(lines, l => l.Contains("loss"));
        }
    }
}
