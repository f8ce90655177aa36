using System;
using System.Linq;
using BackpropModule.Engine.Randomness;
using Xunit;

namespace BackpropModule.Engine.Tests.Foundation
{
    /// <summary>The generator against the published xoshiro256** and SplitMix64 sequences, and its distributions.</summary>
    public class SeededRandomTests
    {
        [Fact]
        public void Xoshiro256StarStarMatchesThePublishedSequence()
        {
            // State (1, 2, 3, 4): the sequence the reference C implementation (Blackman & Vigna) produces.
            var rng = new SeededRandom(0);
            rng.SetState(new ulong[] { 1, 2, 3, 4, 0, 0 });
            ulong[] expected =
            {
                11520UL, 0UL, 1509978240UL, 1215971899390074240UL, 1216172134540287360UL,
                607988272756665600UL, 16172922978634559625UL, 8476171486693032832UL,
                10595114339597558777UL, 2904607092377533576UL,
            };
            foreach (ulong e in expected) Assert.Equal(e, rng.NextUInt64());
        }

        [Fact]
        public void SeedingExpandsTheSeedWithSplitMix64()
        {
            // SplitMix64 from 0 yields 0xE220A8397B1DCDAF, 0x6E789E6AA1B965F4, 0x06C45D188009454F, 0xF88BB8A8724C81EC.
            var rng = new SeededRandom(0);
            ulong[] state = rng.GetState();
            Assert.Equal(new[] { 0xE220A8397B1DCDAFUL, 0x6E789E6AA1B965F4UL, 0x06C45D188009454FUL, 0xF88BB8A8724C81ECUL }, state.Take(4));
        }

        [Fact]
        public void StateRoundTripsIncludingTheSpareNormal()
        {
            var a = new SeededRandom(99);
            a.NextNormal();
            ulong[] state = a.GetState();
            var b = new SeededRandom(1);
            b.SetState(state);
            for (int i = 0; i < 10; i++) Assert.Equal(BitConverter.DoubleToInt64Bits(a.NextNormal()), BitConverter.DoubleToInt64Bits(b.NextNormal()));
            Assert.Throws<ArgumentException>(() => b.SetState(new ulong[4]));
        }

        [Fact]
        public void UniformDoublesLieInTheUnitIntervalWithTheRightMoments()
        {
            var rng = new SeededRandom(3);
            double[] u = Enumerable.Range(0, 100_000).Select(_ => rng.NextDouble()).ToArray();
            Assert.All(u, v => Assert.InRange(v, 0.0, 0.9999999999999999));
            Assert.InRange(u.Average(), 0.5 - 0.005, 0.5 + 0.005);
            Assert.InRange(u.Select(v => (v - 0.5) * (v - 0.5)).Average(), 1 / 12.0 * 0.98, 1 / 12.0 * 1.02);
        }

        [Fact]
        public void NormalDeviatesHaveMeanZeroAndVarianceOne()
        {
            var rng = new SeededRandom(4);
            double[] z = Enumerable.Range(0, 200_000).Select(_ => rng.NextNormal()).ToArray();
            double mean = z.Average();
            double var = z.Select(v => (v - mean) * (v - mean)).Sum() / (z.Length - 1);
            Assert.InRange(mean, -0.01, 0.01);
            Assert.InRange(var, 0.98, 1.02);
            // About 68.27 % within one standard deviation.
            Assert.InRange(z.Count(v => Math.Abs(v) < 1) / (double)z.Length, 0.677, 0.688);
        }

        [Fact]
        public void NextIntCoversTheRangeEvenly()
        {
            var rng = new SeededRandom(5);
            var counts = new int[7];
            for (int i = 0; i < 70_000; i++) counts[rng.NextInt(7)]++;
            Assert.All(counts, c => Assert.InRange(c, 9_500, 10_500));
            Assert.Throws<ArgumentOutOfRangeException>(() => rng.NextInt(0));
        }

        [Fact]
        public void ShuffleIsADeterministicPermutation()
        {
            int[] a = Enumerable.Range(0, 50).ToArray(), b = Enumerable.Range(0, 50).ToArray();
            new SeededRandom(6).Shuffle(a);
            new SeededRandom(6).Shuffle(b);
            Assert.Equal(a, b);
            Assert.Equal(Enumerable.Range(0, 50), a.OrderBy(v => v));
            Assert.NotEqual(Enumerable.Range(0, 50), a);
        }
    }
}
