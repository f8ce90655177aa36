using System;
using BackpropModule.Engine.Layers;
using BackpropModule.Engine.Losses;
using BackpropModule.Engine.Tensors;
using Xunit;

namespace BackpropModule.Engine.Tests.Foundation
{
    /// <summary>Every public way to change a parameter counts as a change (issue 10, D25).</summary>
    public class ParameterVersionTests
    {
        private static Network Net() => new Network(new[] { 3, 4, 3 }, ActivationKind.ReLU, OutputKind.Softmax, seed: 5);
        private static Tensor X() => Tensor.FromRows(new[] { new[] { 0.3, -0.2, 0.9 } });
        private static Tensor T() => Tensor.FromRows(new[] { new[] { 1.0, 0, 0 } });

        [Fact]
        public void WritingThroughTheIndexerBumpsTheVersionAndMakesThePassStale()
        {
            var net = Net();
            var pass = net.Forward(X(), T());
            long before = net.Version;
            net.Parameters[0].Value[0, 0] = 42;
            Assert.True(net.Version > before);
            Assert.True(pass.IsStale);
            var e = Assert.Throws<BackpropException>(() => net.Backward(pass));
            Assert.Equal(ErrorIds.ForwardPassStale, e.ErrorId);
        }

        [Fact]
        public void CopyToAParameterBumpsTheVersion()
        {
            var net = Net();
            var g = net.Backward(net.Forward(X(), T()));
            new Tensor(1, 4).CopyTo(net.Parameters[1].Value);
            Assert.True(g.IsStale);
        }

        [Fact]
        public void TheMatrixOfAParameterIsACopySoItCannotChangeTheNetworkBehindItsBack()
        {
            var net = Net();
            var w = net.Parameters[0].Value;
            Assert.True(w.IsParameter);
            double old = w[0, 0];
            long v = net.Version;
            w.Matrix[0, 0] = 42;
            Assert.Equal(old, w[0, 0]);
            Assert.Equal(v, net.Version);
        }

        [Fact]
        public void ParametersGivenToTheConstructorAreCopied()
        {
            var w1 = new Tensor(3, 4); var b1 = new Tensor(1, 4); var w2 = new Tensor(4, 3); var b2 = new Tensor(1, 3);
            var net = new Network(new[] { 3, 4, 3 }, ActivationKind.ReLU, OutputKind.Softmax, new[] { w1, b1, w2, b2 });
            long v = net.Version;
            w1[0, 0] = 5;
            Assert.Equal(0.0, net.Parameters[0].Value[0, 0]);
            Assert.Equal(v, net.Version);
            Assert.False(w1.IsParameter);
        }

        [Fact]
        public void RestoringASnapshotIsOneChange()
        {
            var net = Net();
            var snap = net.SnapshotParameters();
            long v = net.Version;
            net.RestoreParameters(snap);
            Assert.Equal(v + 1, net.Version);
        }
    }
}
