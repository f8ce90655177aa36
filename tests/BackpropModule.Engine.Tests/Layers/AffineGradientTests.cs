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
    /// Affine y = x·W + b against a central difference of L = Σ dout ⊙ y:
    /// dx = dout·Wᵀ, dW = xᵀ·dout, db = Σ rows of dout.
    /// </summary>
    public class AffineGradientTests
    {
        private const int Outputs = 4;

        public static IEnumerable<object[]> Shapes() => NumericGradient.Shapes.Select(s => new object[] { s.Name, s.Rows, s.Columns });

        private static (AffineLayer Layer, Tensor X, Tensor Dout) Make(int rows, int inputs, int seed)
        {
            var rng = new SeededRandom(seed);
            var w = NumericGradient.AwayFromZero(rng, inputs, Outputs, 0.1, 1.0);
            var b = NumericGradient.AwayFromZero(rng, 1, Outputs, 0.1, 1.0);
            var x = NumericGradient.AwayFromZero(rng, rows, inputs, 0.1, 1.0);
            var dout = NumericGradient.AwayFromZero(rng, rows, Outputs, 0.5, 1.5);
            return (new AffineLayer(1, w, b), x, dout);
        }

        private static double Objective(AffineLayer layer, Tensor x, Tensor dout)
        {
            var y = new Tensor(x.Rows, layer.Outputs);
            layer.Forward(x, y);
            return NumericGradient.Dot(y, dout);
        }

        [Theory]
        [MemberData(nameof(Shapes))]
        public void BackwardMatchesCentralDifference(string name, int rows, int inputs)
        {
            var (layer, x, dout) = Make(rows, inputs, 21 + rows * 7 + inputs);
            var dW = new Tensor(inputs, Outputs);
            var db = new Tensor(1, Outputs);
            var dx = new Tensor(rows, inputs);
            layer.Backward(x, dout, dW, db, dx);

            NumericGradient.AssertClose(dx, NumericGradient.Of(() => Objective(layer, x, dout), x), $"Affine dx {name}");
            NumericGradient.AssertClose(dW, NumericGradient.Of(() => Objective(layer, x, dout), layer.W.Value), $"Affine dW {name}");
            NumericGradient.AssertClose(db, NumericGradient.Of(() => Objective(layer, x, dout), layer.B.Value), $"Affine db {name}");
        }

        [Theory]
        [MemberData(nameof(Shapes))]
        public void GradientShapesEqualParameterShapes(string name, int rows, int inputs)
        {
            var (layer, x, dout) = Make(rows, inputs, 3);
            var dW = new Tensor(inputs, Outputs);
            var db = new Tensor(1, Outputs);
            var dx = new Tensor(rows, inputs);
            layer.Backward(x, dout, dW, db, dx);
            Assert.True(layer.W.Value.Shape == dW.Shape, name);
            Assert.Equal(layer.B.Value.Shape, db.Shape);
            Assert.Equal(x.Shape, dx.Shape);
        }

        [Fact]
        public void BackwardNeverMutatesItsInputsOrParameters()
        {
            var (layer, x, dout) = Make(5, 6, 9);
            Tensor x0 = x.Clone(), dout0 = dout.Clone(), w0 = layer.W.Value.Clone(), b0 = layer.B.Value.Clone();
            layer.Backward(x, dout, new Tensor(6, Outputs), new Tensor(1, Outputs), new Tensor(5, 6));
            Assert.True(x.BitwiseEquals(x0), "backward changed x");
            Assert.True(dout.BitwiseEquals(dout0), "backward changed dout");
            Assert.True(layer.W.Value.BitwiseEquals(w0), "backward changed W");
            Assert.True(layer.B.Value.BitwiseEquals(b0), "backward changed b");
        }

        [Fact]
        public void BiasGradientIsTheColumnSumOfDout()
        {
            var (layer, x, dout) = Make(17, 3, 4);
            var db = new Tensor(1, Outputs);
            layer.Backward(x, dout, new Tensor(3, Outputs), db, null);
            for (int c = 0; c < Outputs; c++)
            {
                double s = 0;
                for (int r = 0; r < 17; r++) s += dout[r, c];
                Assert.Equal(s, db[0, c], 12);
            }
        }
    }
}
