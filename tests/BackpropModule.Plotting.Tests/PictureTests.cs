using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Xml.Linq;
using BackpropModule.Engine;
using BackpropModule.Engine.Data;
using BackpropModule.Engine.Layers;
using BackpropModule.Engine.Losses;
using BackpropModule.Engine.Tensors;
using BackpropModule.Engine.Training;
using SkiaSharp;
using Xunit;

namespace BackpropModule.Plotting.Tests
{
    /// <summary>Every kind renders to a valid PNG and SVG of the requested size, deterministically, with the data where it belongs.</summary>
    public sealed class PictureTests
    {
        private static readonly PlotOptions Png = new PlotOptions { Width = 640, Height = 480 };
        private static readonly PlotOptions Svg = new PlotOptions { Width = 640, Height = 480, Format = PlotFormat.Svg };

        /// <summary>Set BACKPROP_PLOT_LOOK to a folder to keep every picture for a person to look at.</summary>
        private static byte[] Keep(string name, byte[] bytes)
        {
            string folder = Environment.GetEnvironmentVariable("BACKPROP_PLOT_LOOK");
            if (!string.IsNullOrEmpty(folder)) File.WriteAllBytes(Path.Combine(Directory.CreateDirectory(folder).FullName, name), bytes);
            return bytes;
        }

        internal static Network Sine(long seed = 3) => new Network(new[] { 1, 3, 1 }, ActivationKind.Sigmoid, OutputKind.Identity, WeightInitKind.Normal, 1.0, seed);
        internal static Network Spiral(long seed = 1) => new Network(new[] { 2, 12, 3 }, ActivationKind.ReLU, OutputKind.Softmax, seed: seed);

        internal static TrainingHistory History(int epochs, bool validation, bool accuracy)
        {
            var names = new List<string> { "Epoch", "TrainingLoss" };
            if (validation) names.Add("ValidationLoss");
            if (accuracy) { names.Add("TrainingAccuracy"); if (validation) names.Add("ValidationAccuracy"); }
            var rows = Enumerable.Range(1, epochs).Select(e => names.Select(n => (double?)(n == "Epoch" ? e
                : n.EndsWith("Loss") ? 2.0 * Math.Exp(-0.1 * e) + (n.StartsWith("V") ? 0.1 : 0)
                : 1 - 0.9 * Math.Exp(-0.1 * e) - (n.StartsWith("V") ? 0.05 : 0))).ToArray()).ToList();
            return new TrainingHistory(names, rows);
        }

        public static IEnumerable<object[]> Kinds() => new[]
        {
            new object[] { "TrainingCurves" }, new object[] { "TrainingCurvesLog" }, new object[] { "Heatmap" }, new object[] { "ParameterHeatmaps" },
            new object[] { "RegressionFit" }, new object[] { "DecisionRegions" }, new object[] { "WeightTiles" },
            new object[] { "ConfusionMatrix" }, new object[] { "NetworkDiagram" }, new object[] { "GradientDiagram" },
        };

        internal static byte[] Draw(string kind, PlotOptions o)
        {
            switch (kind)
            {
                case "TrainingCurves": return Plotter.TrainingCurves(History(40, true, true), o);
                case "TrainingCurvesLog": return Plotter.TrainingCurves(History(40, true, false), new PlotOptions { Width = o.Width, Height = o.Height, Format = o.Format, LogScale = true });
                case "Heatmap": return Plotter.Heatmap(Spiral().Parameters[0].Value, "W1", o);
                case "ParameterHeatmaps": return Plotter.ParameterHeatmaps(Spiral().Parameters.Select(p => new KeyValuePair<string, Tensor>(p.Name, p.Value)).ToList(), "Parameters", o);
                case "RegressionFit":
                    return Plotter.RegressionFit(BuiltInDatasets.Create(BuiltInDatasetKind.Sine),
                        new[] { new KeyValuePair<string, Network>("seed 3", Sine(3)), new KeyValuePair<string, Network>("seed 4", Sine(4)) }, o);
                case "DecisionRegions": return Plotter.DecisionRegions(Spiral(), BuiltInDatasets.Create(BuiltInDatasetKind.Spiral, 30, 1), o);
                case "WeightTiles": return Plotter.WeightTiles(new Network(new[] { 784, 16, 10 }, ActivationKind.ReLU, OutputKind.Softmax, seed: 1), o);
                case "ConfusionMatrix":
                    var data = BuiltInDatasets.Create(BuiltInDatasetKind.Spiral, 30, 1);
                    return Plotter.ConfusionMatrix(Evaluator.Evaluate(Spiral(), data).ConfusionMatrix, null, o);
                case "NetworkDiagram": return Plotter.NetworkDiagram(Spiral(), null, o);
                case "GradientDiagram":
                    var net = Spiral();
                    var d = BuiltInDatasets.Create(BuiltInDatasetKind.Spiral, 10, 1);
                    return Plotter.NetworkDiagram(net, net.Backward(net.Forward(d.FeaturesTensor(), d.TargetsTensor())), o);
                default: throw new ArgumentOutOfRangeException(nameof(kind));
            }
        }

        [Theory, MemberData(nameof(Kinds))]
        public void EachKindIsAValidPngOfTheRequestedSize(string kind)
        {
            byte[] png = Keep(kind + ".png", Draw(kind, Png));
            Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png.Take(8).ToArray());
            using var bitmap = SKBitmap.Decode(png);
            Assert.Equal(640, bitmap.Width);
            Assert.Equal(480, bitmap.Height);
            // Not a blank page: at least a few hundred pixels that are neither white nor grey.
            int coloured = 0;
            for (int y = 0; y < bitmap.Height; y += 2)
                for (int x = 0; x < bitmap.Width; x += 2)
                {
                    var c = bitmap.GetPixel(x, y);
                    if (Math.Max(c.Red, Math.Max(c.Green, c.Blue)) - Math.Min(c.Red, Math.Min(c.Green, c.Blue)) > 40) coloured++;
                }
            Assert.True(coloured > 100, $"{kind}: only {coloured} coloured pixels");
        }

        [Theory, MemberData(nameof(Kinds))]
        public void EachKindIsAValidSvgWithTextOfTheRequestedSize(string kind)
        {
            byte[] svg = Keep(kind + ".svg", Draw(kind, Svg));
            var doc = XDocument.Parse(Encoding.UTF8.GetString(svg));
            XNamespace ns = "http://www.w3.org/2000/svg";
            Assert.Equal(ns + "svg", doc.Root.Name);
            Assert.Equal("640", (string)doc.Root.Attribute("width"));
            Assert.Equal("480", (string)doc.Root.Attribute("height"));
            // The title and axis labels are text elements, so a reader (or a screen reader) finds them.
            Assert.Contains(doc.Descendants(ns + "text"), t => t.Value.Trim().Length > 3);
            // Each element once: ScottPlot's layout-settling first drawing must not reach the file.
            var texts = doc.Descendants(ns + "text").Select(t => t.Value.Trim() + "@" + (string)t.Attribute("transform")).ToList();
            Assert.Equal(texts.Count, texts.Distinct().Count());
        }

        [Fact]
        public void AConfusionMatrixWithLongClassNamesRenders()
        {
            var names = new[] { "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot" };
            var rng = new Random(5);
            var data = new Dataset("ten", Enumerable.Range(0, 200).Select(_ => rng.NextDouble()).ToArray(), 2,
                Enumerable.Range(0, 100).SelectMany(i => Enumerable.Range(0, 10).Select(k => k == i % 10 ? 1.0 : 0.0)).ToArray(), 10,
                Enumerable.Range(0, 100).Select(i => i % 10).ToArray(), names);
            var net = new Network(new[] { 2, 8, 10 }, ActivationKind.ReLU, OutputKind.Softmax, seed: 1);
            byte[] png = Keep("ConfusionMatrixNamed.png", Plotter.ConfusionMatrix(Evaluator.Evaluate(net, data).ConfusionMatrix, "Ten named classes", new PlotOptions { Width = 800, Height = 700 }));
            using var bitmap = SKBitmap.Decode(png);
            Assert.Equal(800, bitmap.Width);
        }

        [Theory, MemberData(nameof(Kinds))]
        public void TheSameInputGivesTheSameBytes(string kind)
        {
            Assert.Equal(Draw(kind, Png), Draw(kind, Png));
            Assert.Equal(Draw(kind, Svg), Draw(kind, Svg));
        }
    }
}
