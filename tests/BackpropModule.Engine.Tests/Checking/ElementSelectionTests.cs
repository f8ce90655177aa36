using System.Linq;
using BackpropModule.Engine.Checking;
using BackpropModule.Engine.Layers;
using BackpropModule.Engine.Losses;
using BackpropModule.Engine.Tensors;
using FsCheck;
using FsCheck.Xunit;
using Xunit;
using static BackpropModule.Engine.Tests.Checking.CheckingFixtures;

namespace BackpropModule.Engine.Tests.Checking
{
    public class ElementSelectionTests
    {
        private static Tensor Ramp(int rows, int columns, int peak)
        {
            var t = new Tensor(rows, columns);
            for (int i = 0; i < t.Count; i++) t[i % rows, i / rows] = 0.001 * (i % 7);
            t[peak % rows, peak / rows] = -5;
            return t;
        }

        [Property(MaxTest = 50)]
        public bool ASampleHasTheRightSizeIsDistinctSortedAndHoldsTheLargestGradient(PositiveInt rows, PositiveInt columns, PositiveInt sample, int seed, NonNegativeInt peak)
        {
            int r = rows.Get % 40 + 1, c = columns.Get % 40 + 1, n = sample.Get % 60 + 1;
            int p = peak.Get % (r * c);
            var chosen = GradientChecker.SelectElements(Ramp(r, c, p), n, seed, 2);
            return chosen.Length == System.Math.Min(n, r * c)
                && chosen.Distinct().Count() == chosen.Length
                && chosen.SequenceEqual(chosen.OrderBy(i => i))
                && chosen.Contains(p)
                && chosen.All(i => i >= 0 && i < r * c);
        }

        [Fact]
        public void TheSameSeedPicksTheSameElementsAndAnotherSeedOthers()
        {
            var g = Ramp(30, 20, 77);
            var a = GradientChecker.SelectElements(g, 25, 9, 0);
            Assert.Equal(a, GradientChecker.SelectElements(g, 25, 9, 0));
            Assert.NotEqual(a, GradientChecker.SelectElements(g, 25, 10, 0));
            Assert.NotEqual(a, GradientChecker.SelectElements(g, 25, 9, 1));
        }

        [Fact]
        public void SampledCheckCountsOnlyTheSample()
        {
            var (net, x, t) = Problem(new[] { 20, 10, 3 }, ActivationKind.Sigmoid, OutputKind.Softmax, 2, 6);
            var results = new GradientChecker(net, x, t, new GradientCheckOptions { Sample = 12, Seed = 3 }).CheckAll().Results;
            Assert.Equal(new[] { 12, 10, 12, 3 }, results.Select(r => r.Checked));
            Assert.All(results, r => Assert.True(r.Passed, r.Describe()));
        }

        [Fact]
        public void ASampledCheckStillFindsACorruptedLargestGradient()
        {
            var (net, x, t) = Problem(new[] { 20, 10, 3 }, ActivationKind.Tanh, OutputKind.Softmax, 2, 6);
            var checker = new GradientChecker(net, x, t, new GradientCheckOptions { Sample = 2, Seed = 1 });
            var g = checker.ComputeAnalytic();
            var dW1 = g["dW1"];
            int best = Enumerable.Range(0, dW1.Count).OrderByDescending(i => System.Math.Abs(dW1[i % 20, i / 20])).First();
            dW1[best % 20, best / 20] *= 1.01;
            var w1 = checker.CheckAll(g).Results[0];
            Assert.False(w1.Passed);
            Assert.Equal(best % 20, w1.WorstRow);
            Assert.Equal(best / 20, w1.WorstColumn);
        }
    }

    public class VerdictAndErrorTests
    {
        [Theory]
        [InlineData(0.0, GradientVerdict.Good)]
        [InlineData(1e-7, GradientVerdict.Good)]
        [InlineData(1.01e-7, GradientVerdict.Acceptable)]
        [InlineData(1e-4, GradientVerdict.Acceptable)]
        [InlineData(2e-4, GradientVerdict.Suspect)]
        [InlineData(1e-2, GradientVerdict.Suspect)]
        [InlineData(0.5, GradientVerdict.Wrong)]
        [InlineData(double.PositiveInfinity, GradientVerdict.Wrong)]
        [InlineData(double.NaN, GradientVerdict.Wrong)]
        public void BandsFollowTheRuleOfThumb(double relativeError, GradientVerdict expected) =>
            Assert.Equal(expected, GradientVerdicts.FromRelativeError(relativeError));

        [Theory]
        [InlineData(0.0, 0.0, 0.0)]
        [InlineData(1.0, 0.0, 1.0)]
        [InlineData(0.0, -2.0, 1.0)]
        [InlineData(2.0, 1.0, 0.5)]
        [InlineData(-1.0, 1.0, 2.0)]
        public void RelativeErrorIsTheDifferenceOverTheLargerMagnitude(double a, double n, double expected) =>
            Assert.Equal(expected, ErrorTally.RelativeError(a, n));

        [Fact]
        public void ExcessRelativeErrorSubtractsTheNoiseFloor()
        {
            Assert.Equal(0.0, ErrorTally.ExcessRelativeError(1e-7, 1e-7 + 1e-12, 2e-12));
            Assert.Equal(0.5, ErrorTally.ExcessRelativeError(2.0, 1.0, 0.0));
            Assert.Equal(0.25, ErrorTally.ExcessRelativeError(2.0, 1.0, 0.5), 12);
            Assert.Equal(double.PositiveInfinity, ErrorTally.ExcessRelativeError(double.NaN, 1.0, 0.5));
        }
    }
}
