using System.Globalization;
using System.Threading;
using BackpropModule.Engine;
using BackpropModule.Engine.Data;
using Xunit;

namespace BackpropModule.Engine.Tests.Data
{
    /// <summary>Rows of loosely typed values become a dataset; culture-proof parsing; label mapping; row errors.</summary>
    public sealed class DatasetBuilderTests
    {
        private static DatasetBuilder Classifier() => new DatasetBuilder(new[] { "a", "b" }, new[] { "y" }, classification: true);

        [Fact]
        public void StringNumbersParseInvariantWhateverTheCulture()
        {
            var saved = Thread.CurrentThread.CurrentCulture;
            try
            {
                Thread.CurrentThread.CurrentCulture = new CultureInfo("de-DE");
                var b = Classifier();
                b.AddRow(new object[] { "0.5", "1e-3" }, new object[] { "1" }, null);
                b.AddRow(new object[] { 2, 3.25m }, new object[] { 0 }, null);
                var d = b.Build("d");
                Assert.Equal(new[] { 0.5, 0.001, 2, 3.25 }, d.Features);
                Assert.Equal(new[] { 1, 0 }, d.Labels);
                Assert.Null(d.ClassNames);
                Assert.Equal(2, d.ClassCount);
            }
            finally { Thread.CurrentThread.CurrentCulture = saved; }
        }

        [Fact]
        public void NameLabelsAreNumberedInSortedOrder()
        {
            var b = Classifier();
            foreach (var s in new[] { "virginica", "setosa", "versicolor", "setosa" }) b.AddRow(new object[] { 1, 2 }, new object[] { s }, null);
            var d = b.Build("iris");
            Assert.Equal(new[] { "setosa", "versicolor", "virginica" }, d.ClassNames);
            Assert.Equal(new[] { 2, 0, 1, 0 }, d.Labels);
            Assert.Equal(new double[] { 0, 0, 1, 1, 0, 0, 0, 1, 0, 1, 0, 0 }, d.Targets);
        }

        [Fact]
        public void ClassNamesFixTheOrderAndAcceptIndices()
        {
            var b = Classifier();
            b.ClassNames = new[] { "no", "yes" };
            b.AddRow(new object[] { 1, 2 }, new object[] { "yes" }, null);
            b.AddRow(new object[] { 1, 2 }, new object[] { 0.0 }, null);
            b.AddRow(new object[] { 1, 2 }, new object[] { "NO" }, null);
            Assert.Equal(new[] { 1, 0, 0 }, b.Build("d").Labels);
            b.AddRow(new object[] { 1, 2 }, new object[] { "maybe" }, "row4");
            var e = Assert.Throws<BackpropException>(() => b.Build("d"));
            Assert.Equal(ErrorIds.DatasetLabelInvalid, e.ErrorId);
            Assert.Equal("row4", e.TargetObject);
            Assert.Contains("Row 4", e.Message);
        }

        [Fact]
        public void ClassCountWidensIntegerLabelsAndRejectsLargerOnes()
        {
            var b = Classifier();
            b.ClassCount = 5;
            b.AddRow(new object[] { 1, 2 }, new object[] { 1 }, null);
            Assert.Equal(5, b.Build("d").ClassCount);
            b.AddRow(new object[] { 1, 2 }, new object[] { 5 }, null);
            Assert.Equal(ErrorIds.DatasetLabelInvalid, Assert.Throws<BackpropException>(() => b.Build("d")).ErrorId);
        }

        [Theory]
        [InlineData("abc")]
        [InlineData("")]
        [InlineData(null)]
        [InlineData("NaN")]
        public void NonNumericFeatureNamesRowAndProperty(string bad)
        {
            var b = Classifier();
            b.AddRow(new object[] { 1, 2 }, new object[] { 0 }, null);
            var e = Assert.Throws<BackpropException>(() => b.AddRow(new object[] { 1, bad }, new object[] { 0 }, "r2"));
            Assert.Equal(ErrorIds.DatasetRowValueInvalid, e.ErrorId);
            Assert.Equal(ErrorKind.InvalidData, e.Kind);
            Assert.Equal("r2", e.TargetObject);
            Assert.Contains("Row 2", e.Message);
            Assert.Contains("'b'", e.Message);
        }

        [Fact]
        public void RegressionKeepsNumericTargetsAndNoLabels()
        {
            var b = new DatasetBuilder(new[] { "x" }, new[] { "y1", "y2" }, classification: false);
            b.AddRow(new object[] { "1" }, new object[] { "2.5", -1 }, null);
            var d = b.Build("r");
            Assert.False(d.IsClassification);
            Assert.Equal(2, d.TargetWidth);
            Assert.Equal(new[] { 2.5, -1 }, d.Targets);
        }

        [Fact]
        public void EmptyInputIsAnError() =>
            Assert.Equal(ErrorIds.DatasetEmpty, Assert.Throws<BackpropException>(() => Classifier().Build("d")).ErrorId);
    }
}
