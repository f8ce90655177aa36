using System.Linq;
using BackpropModule.Engine;
using BackpropModule.Engine.Data;
using Xunit;

namespace BackpropModule.Engine.Tests.Data
{
    /// <summary>Splits and subsets: sizes, disjointness, determinism, stratification.</summary>
    public sealed class DatasetSamplingTests
    {
        /// <summary>Sample i has the single feature i, so a subset shows which samples it took.</summary>
        private static Dataset Numbered(int n, int classes)
        {
            var x = Enumerable.Range(0, n).Select(i => (double)i).ToArray();
            var labels = Enumerable.Range(0, n).Select(i => i % classes).ToArray();
            var t = new double[n * classes];
            for (int i = 0; i < n; i++) t[i * classes + labels[i]] = 1;
            return new Dataset("n", x, 1, t, classes, labels);
        }

        [Theory]
        [InlineData(100, 0.1, false)]
        [InlineData(101, 0.25, false)]
        [InlineData(100, 0.2, true)]
        [InlineData(97, 0.3, true)]
        public void SplitPartitionsTheSamples(int n, double fraction, bool stratify)
        {
            var d = Numbered(n, 4);
            int v = DatasetSampling.CountForFraction(d, fraction);
            var s = DatasetSampling.Split(d, v, 7, stratify);
            Assert.Equal(v, s.Validation.Count);
            Assert.Equal(n - v, s.Training.Count);
            var all = s.Training.Features.Concat(s.Validation.Features).OrderBy(z => z);
            Assert.Equal(Enumerable.Range(0, n).Select(i => (double)i), all);
            for (int i = 0; i < s.Training.Count; i++) Assert.Equal((int)s.Training.Features[i] % 4, s.Training.Labels[i]);
        }

        [Fact]
        public void SameSeedSameSplitOtherSeedOtherSplit()
        {
            var d = Numbered(200, 3);
            var a = DatasetSampling.Split(d, 20, 5, false);
            var b = DatasetSampling.Split(d, 20, 5, false);
            var c = DatasetSampling.Split(d, 20, 6, false);
            Assert.Equal(a.Validation.Features, b.Validation.Features);
            Assert.NotEqual(a.Validation.Features, c.Validation.Features);
        }

        [Fact]
        public void UnstratifiedSplitEqualsDatasetSplit()
        {
            var d = Numbered(150, 3);
            var mine = DatasetSampling.Split(d, DatasetSampling.CountForFraction(d, 0.2), 11, false);
            var theirs = d.Split(0.2, 11);
            Assert.Equal(theirs.Training.Features, mine.Training.Features);
            Assert.Equal(theirs.Validation.Features, mine.Validation.Features);
        }

        [Fact]
        public void StratifiedSplitKeepsClassShares()
        {
            var d = Numbered(1000, 10);
            var s = DatasetSampling.Split(d, 100, 3, true);
            for (int c = 0; c < 10; c++) Assert.Equal(10, s.Validation.Labels.Count(l => l == c));
        }

        [Theory]
        [InlineData(0)]
        [InlineData(10)]
        public void SplitLeavingAPartEmptyIsRejected(int v) =>
            Assert.Equal(ErrorIds.DatasetSplitInvalid, Assert.Throws<BackpropException>(() => DatasetSampling.Split(Numbered(10, 2), v, 1, false)).ErrorId);

        [Fact]
        public void RangeIndexAndRandomSubsets()
        {
            var d = Numbered(10, 2);
            Assert.Equal(new double[] { 3, 4 }, DatasetSampling.Range(d, 3, 2).Features);
            Assert.Equal(new double[] { 8, 9 }, DatasetSampling.Range(d, 8, 5).Features);
            Assert.Equal(new double[] { 9, 0, 2 }, DatasetSampling.ByIndex(d, new[] { -1, 0, 2 }).Features);
            var r = DatasetSampling.Random(d, 5, 4);
            Assert.Equal(5, r.Features.Distinct().Count());
            Assert.Equal(r.Features, DatasetSampling.Random(d, 5, 4).Features);
            Assert.Equal(ErrorIds.DatasetSampleOutOfRange, Assert.Throws<BackpropException>(() => DatasetSampling.ByIndex(d, new[] { 10 })).ErrorId);
            Assert.Equal(ErrorIds.DatasetSampleOutOfRange, Assert.Throws<BackpropException>(() => DatasetSampling.Range(d, 10, null)).ErrorId);
        }
    }
}
