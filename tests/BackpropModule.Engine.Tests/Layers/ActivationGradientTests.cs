using System.Collections.Generic;
using System.Linq;
using BackpropModule.Engine.Layers;
using BackpropModule.Engine.Randomness;
using BackpropModule.Engine.Tensors;
using BackpropModule.Engine.Tests.Foundation;
using Xunit;

namespace BackpropModule.Engine.Tests.Layers
{
    /// <summary>
    /// The hidden activations (ReLU, Sigmoid, Tanh): backward against a central difference of
    /// L = Σ dout ⊙ f(a), over a batch of one, a tall and a wide shape, plus the invariants.
    /// </summary>
    public class ActivationGradientTests
    {
        public static IEnumerable<object[]> Cases() =>
            from kind in new[] { ActivationKind.ReLU, ActivationKind.Sigmoid, ActivationKind.Tanh }
            from shape in NumericGradient.Shapes
            select new object[] { kind, shape.Name };

        private static (int Rows, int Columns) ShapeOf(string name) =>
            NumericGradient.Shapes.Where(s => s.Name == name).Select(s => (s.Rows, s.Columns)).Single();

        [Theory]
        [MemberData(nameof(Cases))]
        public void BackwardMatchesCentralDifference(ActivationKind kind, string shapeName)
        {
            var (rows, cols) = ShapeOf(shapeName);
            var rng = new SeededRandom(11 + (int)kind * 100 + rows);
            IActivation f = Activations.Create(kind);
            // |a| in [0.1, 2.5]: far from the ReLU kink (the step is 1e-3) and where σ′, tanh′ are not tiny.
            Tensor a = NumericGradient.AwayFromZero(rng, rows, cols, 0.1, 2.5);
            Tensor dout = NumericGradient.AwayFromZero(rng, rows, cols, 0.5, 1.5);
            var z = new Tensor(rows, cols);
            f.Forward(a, z);
            var da = new Tensor(rows, cols);
            f.Backward(a, z, dout, da);

            Tensor numeric = NumericGradient.Of(() =>
            {
                var y = new Tensor(rows, cols);
                f.Forward(a, y);
                return NumericGradient.Dot(y, dout);
            }, a);

            NumericGradient.AssertClose(da, numeric, $"{kind} {shapeName} ({rows}x{cols})");
        }

        [Theory]
        [InlineData(ActivationKind.ReLU)]
        [InlineData(ActivationKind.Sigmoid)]
        [InlineData(ActivationKind.Tanh)]
        public void BackwardNeverMutatesItsInputs(ActivationKind kind)
        {
            var rng = new SeededRandom(5);
            IActivation f = Activations.Create(kind);
            Tensor a = NumericGradient.AwayFromZero(rng, 6, 4, 0.1, 2.0);
            var z = new Tensor(6, 4);
            f.Forward(a, z);
            Tensor dout = NumericGradient.AwayFromZero(rng, 6, 4, 0.5, 1.5);
            Tensor a0 = a.Clone(), z0 = z.Clone(), dout0 = dout.Clone();

            f.Backward(a, z, dout, new Tensor(6, 4));

            Assert.True(a.BitwiseEquals(a0), "backward changed a");
            Assert.True(z.BitwiseEquals(z0), "backward changed z");
            Assert.True(dout.BitwiseEquals(dout0), "backward changed dout");
        }

        [Fact]
        public void ReluPassesGradientOnlyWherePositive()
        {
            var a = Tensor.FromRows(new[] { new[] { -2.0, 0.0, 3.0 } });
            var z = new Tensor(1, 3);
            var relu = new ReLU();
            relu.Forward(a, z);
            var da = new Tensor(1, 3);
            relu.Backward(a, z, Tensor.FromRows(new[] { new[] { 5.0, 5.0, 5.0 } }), da);
            Assert.Equal(new[] { 0.0, 0.0, 3.0 }, z.GetRow(0));
            Assert.Equal(new[] { 0.0, 0.0, 5.0 }, da.GetRow(0));
        }

        [Theory]
        [InlineData(800.0)]
        [InlineData(-800.0)]
        [InlineData(1e308)]
        [InlineData(-1e308)]
        public void SigmoidIsFiniteAtExtremes(double a)
        {
            var z = new Tensor(1, 1);
            new Sigmoid().Forward(Tensor.FromRow(new[] { a }), z);
            double y = z[0, 0];
            Assert.False(double.IsNaN(y) || double.IsInfinity(y), $"σ({a}) = {y}");
            Assert.InRange(y, 0.0, 1.0);
            var da = new Tensor(1, 1);
            new Sigmoid().Backward(Tensor.FromRow(new[] { a }), z, Tensor.FromRow(new[] { 1.0 }), da);
            Assert.False(double.IsNaN(da[0, 0]) || double.IsInfinity(da[0, 0]));
        }

        [Theory]
        [InlineData(ActivationKind.ReLU)]
        [InlineData(ActivationKind.Sigmoid)]
        [InlineData(ActivationKind.Tanh)]
        public void ShapeMismatchIsRefused(ActivationKind kind)
        {
            IActivation f = Activations.Create(kind);
            Assert.Throws<System.ArgumentException>(() => f.Forward(new Tensor(2, 3), new Tensor(3, 2)));
        }
    }
}
