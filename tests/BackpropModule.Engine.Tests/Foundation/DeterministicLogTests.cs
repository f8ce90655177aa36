using System;
using BackpropModule.Engine.Randomness;
using Xunit;

namespace BackpropModule.Engine.Tests.Foundation
{
    /// <summary>DeterministicMath.Log against Math.Log: within 2 ulp over the whole positive range.</summary>
    public class DeterministicLogTests
    {
        private static long UlpDistance(double a, double b)
        {
            if (a == b) return 0;
            long ia = BitConverter.DoubleToInt64Bits(a), ib = BitConverter.DoubleToInt64Bits(b);
            // Map to a monotonic integer line so values of opposite sign (ln x near x = 1) compare correctly.
            if (ia < 0) ia = long.MinValue - ia;
            if (ib < 0) ib = long.MinValue - ib;
            return Math.Abs(ia - ib);
        }

        private static void AssertWithin2Ulp(double x)
        {
            double got = DeterministicMath.Log(x), want = Math.Log(x);
            long d = UlpDistance(got, want);
            Assert.True(d <= 2, $"Log({x:R}) = {got:R}, Math.Log = {want:R}: {d} ulp apart");
        }

        [Fact]
        public void MatchesMathLogOverRandomBitPatterns()
        {
            var rng = new SeededRandom(12);
            for (int i = 0; i < 200_000; i++)
            {
                // Every positive finite double, normal or subnormal, is a bit pattern below 0x7FF0….
                long bits = (long)(rng.NextUInt64() % 0x7FF0000000000000UL);
                if (bits == 0) continue;
                AssertWithin2Ulp(BitConverter.Int64BitsToDouble(bits));
            }
        }

        [Fact]
        public void MatchesMathLogOnTheRangeThePolarMethodUses()
        {
            // Marsaglia's polar method takes the log of s = u² + v² in (0, 1).
            var rng = new SeededRandom(13);
            for (int i = 0; i < 200_000; i++) AssertWithin2Ulp(rng.NextDouble() + 1e-300);
        }

        [Theory]
        [InlineData(double.Epsilon)]          // smallest subnormal
        [InlineData(2.2250738585072009e-308)] // largest subnormal
        [InlineData(2.2250738585072014e-308)] // smallest normal
        [InlineData(1e-320)]
        [InlineData(0.5)]
        [InlineData(0.7071067811865476)]
        [InlineData(1.0)]
        [InlineData(1.0000000000000002)]
        [InlineData(0.9999999999999999)]
        [InlineData(1.4142135623730951)]
        [InlineData(2.0)]
        [InlineData(Math.E)]
        [InlineData(1e300)]
        [InlineData(double.MaxValue)]
        public void MatchesMathLogAtEdges(double x) => AssertWithin2Ulp(x);

        [Theory]
        [InlineData(0.0)]
        [InlineData(-1.0)]
        [InlineData(double.NaN)]
        [InlineData(double.PositiveInfinity)]
        public void IsNaNOutsideTheDomain(double x) => Assert.True(double.IsNaN(DeterministicMath.Log(x)));
    }
}
