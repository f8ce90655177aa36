using BackpropModule.Engine.Layers;
using BackpropModule.Engine.Losses;
using BackpropModule.Engine.Tensors;
using Xunit;

namespace BackpropModule.Engine.Tests.Foundation
{
    /// <summary>Class indices becoming one-hot rows, and every way a target or input can be refused.</summary>
    public class TargetTests
    {
        private static Network Classifier() => new Network(new[] { 3, 4, 3 }, ActivationKind.ReLU, OutputKind.Softmax, seed: 1);

        private static Tensor Column(params double[] v)
        {
            var t = new Tensor(v.Length, 1);
            for (int i = 0; i < v.Length; i++) t[i, 0] = v[i];
            return t;
        }

        [Fact]
        public void ClassIndicesBecomeOneHotRows()
        {
            Tensor hot = Classifier().PrepareTarget(Column(2, 0, 1, 2), 4);
            Assert.Equal("4x3", hot.Shape);
            Assert.Equal(new[] { 0.0, 0, 1 }, hot.GetRow(0));
            Assert.Equal(new[] { 1.0, 0, 0 }, hot.GetRow(1));
            Assert.Equal(new[] { 0.0, 1, 0 }, hot.GetRow(2));
            Assert.Equal(new[] { 0.0, 0, 1 }, hot.GetRow(3));
        }

        [Fact]
        public void OneHotRowsAreTakenAsTheyAre()
        {
            var t = Tensor.FromRows(new[] { new[] { 0.2, 0.3, 0.5 } });
            Assert.Same(t, Classifier().PrepareTarget(t, 1));
        }

        [Theory]
        [InlineData(3.0)]
        [InlineData(-1.0)]
        [InlineData(1.5)]
        public void ClassIndexOutOfRangeIsRefused(double bad)
        {
            var t = Column(0, bad);
            var e = Assert.Throws<BackpropException>(() => Classifier().PrepareTarget(t, 2));
            Assert.Equal(ErrorIds.TargetClassOutOfRange, e.ErrorId);
            Assert.Equal(ErrorKind.InvalidData, e.Kind);
            Assert.Same(t, e.TargetObject);
            Assert.Contains("row 1", e.Message);
        }

        [Theory]
        [InlineData(double.NaN)]
        [InlineData(double.PositiveInfinity)]
        public void NonFiniteTargetIsRefused(double bad)
        {
            var e = Assert.Throws<BackpropException>(() => Classifier().PrepareTarget(Column(0, bad), 2));
            Assert.Equal(ErrorIds.TargetNotFinite, e.ErrorId);
        }

        [Fact]
        public void WrongTargetShapeIsRefused()
        {
            var e = Assert.Throws<BackpropException>(() => Classifier().PrepareTarget(new Tensor(2, 4), 2));
            Assert.Equal(ErrorIds.TargetShapeMismatch, e.ErrorId);
            Assert.Contains("2x3", e.Message);
        }

        [Fact]
        public void RegressionNetworksDoNotTakeClassIndices()
        {
            var net = new Network(new[] { 3, 4, 3 }, ActivationKind.ReLU, OutputKind.Identity, seed: 1);
            var e = Assert.Throws<BackpropException>(() => net.PrepareTarget(Column(0, 1), 2));
            Assert.Equal(ErrorIds.TargetShapeMismatch, e.ErrorId);
        }

        [Fact]
        public void InputsAreChecked()
        {
            var net = Classifier();
            Assert.Equal(ErrorIds.InputEmpty, Assert.Throws<BackpropException>(() => net.CheckInput(new Tensor(0, 3))).ErrorId);
            Assert.Equal(ErrorIds.InputShapeMismatch, Assert.Throws<BackpropException>(() => net.CheckInput(new Tensor(2, 4))).ErrorId);
            var x = new Tensor(2, 3);
            x[1, 2] = double.NaN;
            var e = Assert.Throws<BackpropException>(() => net.CheckInput(x));
            Assert.Equal(ErrorIds.InputNotFinite, e.ErrorId);
            Assert.Contains("row 1, column 2", e.Message);
        }

        [Theory]
        [InlineData(new[] { 5 }, "LayerSizesTooFew")]
        [InlineData(new int[0], "LayerSizesTooFew")]
        [InlineData(new[] { 5, 0, 3 }, "LayerSizeInvalid")]
        [InlineData(new[] { 5, -2 }, "LayerSizeInvalid")]
        public void BadLayerSizesAreRefused(int[] sizes, string errorId)
        {
            var e = Assert.Throws<BackpropException>(() => new Network(sizes, ActivationKind.ReLU, OutputKind.Softmax, seed: 1));
            Assert.Equal(errorId, e.ErrorId);
            Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        }
    }
}
