using System;
using BackpropModule.Engine.Tensors;
using Xunit;

namespace BackpropModule.Engine.Tests.Foundation
{
    /// <summary>Display precision and ArgMaxAbs.</summary>
    public class TensorDisplayTests
    {
        private static Tensor Sample() => Tensor.FromRows(new[] { new[] { 0.1, -2.0 / 3, 3 }, new[] { 4.0, -5.25, 1e-300 } });

        [Fact]
        public void SeventeenDigitsReadBackAsTheSameDoubles()
        {
            string grid = Sample().Format(17);
            Assert.Contains("-0.6666666666666666", grid);
            Assert.Contains("0.1 ", grid + " ");
            Assert.DoesNotContain("0.10000000000000001", grid);
            Assert.Contains("-0.666667", Sample().ToString());
        }

        [Fact]
        public void AnyNumericFormatWorksAndABadOneFailsUpFront()
        {
            Assert.Contains("-0.667", Sample().ToString("F3"));
            Assert.Throws<FormatException>(() => Sample().ToString("X"));
            Assert.Throws<ArgumentOutOfRangeException>(() => Sample().Format(18));
            Assert.Throws<ArgumentOutOfRangeException>(() => Sample().Format(0));
        }

        [Fact]
        public void ArgMaxAbsGivesRowColumnAndSignedValue()
        {
            var m = Sample().ArgMaxAbs();
            Assert.Equal(1, m.Row);
            Assert.Equal(1, m.Column);
            Assert.Equal(-5.25, m.Value);
            Assert.Null(new Tensor(0, 3).ArgMaxAbs());
        }

        [Fact]
        public void ArgMaxAbsPointsAtANaNAndTakesTheFirstOnTies()
        {
            var t = Tensor.FromRows(new[] { new[] { 1.0, -3 }, new[] { 3.0, double.NaN } });
            var m = t.ArgMaxAbs();
            Assert.Equal((1, 1), (m.Row, m.Column));
            t = Tensor.FromRows(new[] { new[] { 1.0, -3 }, new[] { 3.0, 0 } });
            Assert.Equal((0, 1), (t.ArgMaxAbs().Row, t.ArgMaxAbs().Column));
        }
    }
}
