using BackpropModule.Engine;
using BackpropModule.Engine.Layers;
using BackpropModule.Engine.Losses;
using BackpropModule.Engine.Tensors;
using Xunit;

namespace BackpropModule.Engine.Tests
{
    public class SmokeTests
    {
        [Fact]
        public void OneStepOfGradientDescentLowersTheLoss()
        {
            var net = new Network(new[] { 4, 5, 3 }, ActivationKind.Sigmoid, OutputKind.Softmax, seed: 7);
            var x = Tensor.FromRows(new[] { new[] { 0.1, 0.2, 0.3, 0.4 }, new[] { -0.5, 0.5, 1.0, 0.0 } });
            var t = Tensor.FromRows(new[] { new[] { 2.0 }, new[] { 0.0 } });
            var pass = net.Forward(x, t);
            var g = net.Backward(pass);
            net.ApplyGradientDescent(g, 0.5);
            Assert.True(net.Forward(x, t).Loss < pass.Loss);
        }
    }
}
