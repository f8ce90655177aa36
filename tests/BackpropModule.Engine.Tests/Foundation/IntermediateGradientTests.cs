using System;
using BackpropModule.Engine.Layers;
using BackpropModule.Engine.Losses;
using BackpropModule.Engine.Tensors;
using Xunit;

namespace BackpropModule.Engine.Tests.Foundation
{
    /// <summary>The per-layer dL/dx, dL/da, dL/dz tutorials print, against their definitions.</summary>
    public class IntermediateGradientTests
    {
        private static (Network, ForwardPass, Gradients) Run(OutputKind output)
        {
            var net = new Network(new[] { 3, 4, 5, 3 }, ActivationKind.Sigmoid, output, seed: 9);
            var x = Tensor.FromRows(new[] { new[] { 0.3, -0.2, 0.9 }, new[] { -1.0, 0.4, 0.1 } });
            var t = output == OutputKind.Softmax ? Tensor.FromRows(new[] { new[] { 1.0, 0, 0 }, new[] { 0, 0, 1.0 } })
                : Tensor.FromRows(new[] { new[] { 0.2, 0.7, 1.0 }, new[] { 0.0, 1.0, 0.5 } });
            var pass = net.Forward(x, t);
            return (net, pass, net.Backward(pass));
        }

        [Theory]
        [InlineData(OutputKind.Softmax)]
        [InlineData(OutputKind.Identity)]
        [InlineData(OutputKind.Sigmoid)]
        public void EveryLayerHasDxDaDzThatFitTheChainRule(OutputKind output)
        {
            var (net, pass, g) = Run(output);
            Assert.Equal(3, g.Layers.Count);
            for (int i = 0; i < 3; i++)
            {
                var l = g.Layers[i];
                Assert.Same(g.Deltas[i], l.PreActivation);
                Assert.Same(l, g.Layers[i]);
                // dx = da · Wᵀ
                var w = net.Parameters[2 * i].Value;
                for (int r = 0; r < 2; r++)
                    for (int c = 0; c < w.Rows; c++)
                    {
                        double s = 0;
                        for (int k = 0; k < w.Columns; k++) s += l.PreActivation[r, k] * w[c, k];
                        Assert.Equal(s, l.Input[r, c], 12);
                    }
                if (i < 2)
                {
                    Assert.Same(g.Layers[i + 1].Input, l.Output);
                    // sigmoid: da = dz · z(1 − z)
                    var z = pass.Layers[i].Output;
                    for (int r = 0; r < 2; r++)
                        for (int c = 0; c < z.Columns; c++)
                            Assert.Equal(l.Output[r, c] * z[r, c] * (1 - z[r, c]), l.PreActivation[r, c], 14);
                }
            }
            Assert.Same(g.Layers[0].Input, g["dx1"]);
            Assert.Same(g.Layers[1].Output, g["dz2"]);
            Assert.Same(g.Layers[2].PreActivation, g["da3"]);
            Assert.Null(g["dx4"]);
        }

        [Fact]
        public void TheLastLayersDzThroughTheSoftmaxJacobianIsTheDelta()
        {
            var (_, pass, g) = Run(OutputKind.Softmax);
            var y = pass.Output; var dz = g.Layers[2].Output; var da = g.Layers[2].PreActivation;
            for (int r = 0; r < 2; r++)
            {
                double dot = 0;
                for (int c = 0; c < 3; c++) dot += dz[r, c] * y[r, c];
                for (int c = 0; c < 3; c++) Assert.Equal(da[r, c], y[r, c] * (dz[r, c] - dot), 14);
            }
        }

        [Fact]
        public void ThePassNamesItsValuesAsTutorialsDo()
        {
            var (_, pass, _) = Run(OutputKind.Identity);
            Assert.Same(pass.Layers[0].Input, pass["x1"]);
            Assert.Same(pass.Layers[1].Input, pass["x2"]);
            Assert.Same(pass.Layers[0].PreActivation, pass["a1"]);
            Assert.Same(pass.Layers[2].Output, pass["z3"]);
            Assert.Same(pass.Output, pass["y"]);
            Assert.Same(pass.Target, pass["t"]);
            Assert.Null(pass["q1"]);
        }

        [Fact]
        public void ClonesCopyTheIntermediates()
        {
            var (_, _, g) = Run(OutputKind.Identity);
            var c = g.Clone();
            Assert.NotSame(g["dx1"], c["dx1"]);
            Assert.True(g["dx1"].BitwiseEquals(c["dx1"]));
            Assert.Same(c.Layers[0].Output, c.Layers[1].Input);
        }
    }
}
