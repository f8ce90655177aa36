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
    }
}
