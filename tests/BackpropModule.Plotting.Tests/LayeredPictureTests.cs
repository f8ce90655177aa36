using System;
using System.Linq;
using System.Text;
using BackpropModule.Engine;
using BackpropModule.Engine.Data;
using BackpropModule.Engine.Layers;
using BackpropModule.Engine.Losses;
using SkiaSharp;
using Xunit;

namespace BackpropModule.Plotting.Tests
{
    /// <summary>The network diagram of networks with BatchNorm and Dropout: the bands, labels and values are drawn where they belong.</summary>
    public sealed class LayeredPictureTests
    {
        private static readonly PlotOptions Png = new PlotOptions { Width = 800, Height = 600 };
        private static readonly PlotOptions Svg = new PlotOptions { Width = 800, Height = 600, Format = PlotFormat.Svg };

        private static Network Net(bool batchNorm, double dropout) =>
            new Network(new[] { 2, 8, 6, 3 }, ActivationKind.ReLU, OutputKind.Softmax, seed: 1,
                hiddenLayers: HiddenLayerOptions.Create(2, batchNorm, dropout > 0 ? new[] { dropout } : null));

        // The BN band: #f2d16b at alpha 0.35 over white is about (250, 239, 203).
        private static int BandPixels(byte[] png)
        {
            using var bitmap = SKBitmap.Decode(png);
            int count = 0;
            for (int y = 0; y < bitmap.Height; y++)
                for (int x = 0; x < bitmap.Width; x++)
                {
                    var c = bitmap.GetPixel(x, y);
                    if (Math.Abs(c.Red - 250) <= 3 && Math.Abs(c.Green - 239) <= 3 && Math.Abs(c.Blue - 203) <= 4) count++;
                }
            return count;
        }

        [Fact]
        public void BatchNormLayersSitOnABandAndPlainLayersDoNot()
        {
            int withBand = BandPixels(Plotter.NetworkDiagram(Net(true, 0.2), null, Png));
            int without = BandPixels(Plotter.NetworkDiagram(Net(false, 0.2), null, Png));
            Assert.True(withBand > 2000, $"{withBand} band pixels");
            Assert.True(without < 50, $"{without} band-coloured pixels without BatchNorm");
        }

        [Fact]
        public void TheLabelsNameBatchNormAndTheDropoutRate()
        {
            string svg = Encoding.UTF8.GetString(Plotter.NetworkDiagram(Net(true, 0.25), null, Svg));
            Assert.Contains("BatchNorm · Dropout 0.25", svg);
            Assert.Contains("\tBN\n", svg);
            string plain = Encoding.UTF8.GetString(Plotter.NetworkDiagram(Net(false, 0), null, Svg));
            Assert.DoesNotContain("Dropout", plain);
            Assert.DoesNotContain("\tBN\n", plain);
        }

        [Fact]
        public void GradientsOfABatchNormPassAreDrawnByBlock()
        {
            var net = Net(true, 0.2);
            var d = BuiltInDatasets.Create(BuiltInDatasetKind.Spiral, 10, 1);
            var g = net.Backward(net.Forward(d.FeaturesTensor(), d.TargetsTensor(), ForwardMode.Training, 3));
            byte[] png = Plotter.NetworkDiagram(net, g, Png);
            using var bitmap = SKBitmap.Decode(png);
            Assert.Equal(800, bitmap.Width);
            // Deterministic for the same gradients.
            Assert.Equal(png, Plotter.NetworkDiagram(net, g, Png));
        }

        [Fact]
        public void OneSampleOfAPassShowsItsValuesAndExactlyTheUnitsItsMaskDropped()
        {
            var net = Net(true, 0.5);
            var d = BuiltInDatasets.Create(BuiltInDatasetKind.Spiral, 10, 1);
            var pass = net.Forward(d.FeaturesTensor(), d.TargetsTensor(), ForwardMode.Training, 7);
            const int sample = 5;
            int dropped = pass.Layers.Where(l => l.DropoutMask != null)
                .Sum(l => Enumerable.Range(0, l.DropoutMask.Columns).Count(c => l.DropoutMask[sample, c] == 0));
            Assert.True(dropped > 0, "the seed must drop something, or this test shows nothing");
            string svg = Encoding.UTF8.GetString(Plotter.PassDiagram(pass, sample, Svg));
            Assert.Equal(dropped, CountOf(svg, "\tdropped\n"));
            Assert.Contains("sample 5 of 30, training pass, dropout seed 7", svg);
            Assert.Contains("y1 = " + pass.Output[sample, 0].ToString("G3", System.Globalization.CultureInfo.InvariantCulture), svg);
            Assert.Contains("x2 = " + pass.Input[sample, 1].ToString("G3", System.Globalization.CultureInfo.InvariantCulture), svg);

            var inference = net.Forward(d.FeaturesTensor(), d.TargetsTensor(), ForwardMode.Inference, null);
            string kept = Encoding.UTF8.GetString(Plotter.PassDiagram(inference, sample, Svg));
            Assert.Equal(0, CountOf(kept, "\tdropped\n"));
            Assert.Contains("sample 5 of 30, inference pass\n", kept);
            Assert.Equal(Plotter.PassDiagram(pass, sample, Png), Plotter.PassDiagram(pass, sample, Png));
            Assert.Equal(ErrorIds.PlotSampleOutOfRange, Assert.Throws<BackpropException>(() => Plotter.PassDiagram(pass, 30, Png)).ErrorId);
        }

        private static int CountOf(string text, string what)
        {
            int count = 0;
            for (int at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, at + 1, StringComparison.Ordinal)) count++;
            return count;
        }
    }
}
