using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text.RegularExpressions;
using BackpropModule.Tests.Infrastructure;
using Xunit;

namespace BackpropModule.Tests
{
    /// <summary>Split-Dataset and Select-DatasetSample through PowerShell, and the data cmdlets' help.</summary>
    public sealed class DatasetSubsetTests : IClassFixture<PowerShellSession>, IDisposable
    {
        private const string DatasetType = "BackpropModule.Engine.Data.Dataset";
        private static readonly byte[] FiveLabels = { 3, 0, 9, 3, 1 };
        private readonly PowerShellSession ps;
        private readonly string dir = Path.Combine(Path.GetTempPath(), "idx-subset-" + Guid.NewGuid().ToString("N"));

        public DatasetSubsetTests(PowerShellSession session)
        {
            ps = session;
            Directory.CreateDirectory(dir);
        }

        public void Dispose() => Directory.Delete(dir, true);

        /// <summary>train-images-idx3-ubyte (count × 2 × 3 random pixels) and train-labels-idx1-ubyte.</summary>
        private void WriteSet(string folder, string name, byte[] labels, bool gzip)
        {
            var px = new byte[labels.Length * 6];
            new Random(1).NextBytes(px);
            DataTests.WriteIdx(Path.Combine(folder, name + "-images-idx3-ubyte"), new[] { labels.Length, 2, 3 }, px, gzip);
            DataTests.WriteIdx(Path.Combine(folder, name + "-labels-idx1-ubyte"), new[] { labels.Length }, labels, gzip);
        }

        [Fact]
        public void SplitDatasetGivesDisjointDeterministicParts()
        {
            var labels = Enumerable.Range(0, 50).Select(k => (byte)(k % 5)).ToArray();
            WriteSet(dir, "train", labels, false);
            var r = ps.Run(@"
                $d = Import-IdxDataset $args[0]
                $a = $d | Split-Dataset -ValidationFraction 0.2 -Seed 4
                $b = Split-Dataset -InputObject $d -ValidationFraction 0.2 -Seed 4
                $c = $d | Split-Dataset -ValidationCount 10 -Seed 5 -Stratify
                $a; $a.Training.Count; $a.Validation.Count; $a.Seed
                ($a.Validation.Features -join ',') -eq ($b.Validation.Features -join ',')
                ($a.Validation.Features -join ',') -eq ($c.Validation.Features -join ',')
                0..4 | ForEach-Object { $k = $_; @($c.Validation.Labels | Where-Object { $_ -eq $k }).Count }", dir).AssertNoErrors();
            var o = r.Objects;
            Assert.Equal("BackpropModule.Engine.Data.DatasetSplit", PS.TypeName(o[0]));
            Assert.Equal(DatasetType, PS.TypeName(PS.Prop(o[0], "Training")));
            Assert.Equal(new object[] { 40, 10, 4L, true, false, 2, 2, 2, 2, 2 }, o.Skip(1));
        }

        [Fact]
        public void SplitWithoutSeedRecordsTheSeedItUsed()
        {
            WriteSet(dir, "train", FiveLabels, false);
            var r = ps.Run("$d = Import-IdxDataset $args[0]; $s = $d | Split-Dataset 0.4; $t = $d | Split-Dataset 0.4 -Seed $s.Seed; ($s.Validation.Features -join ',') -eq ($t.Validation.Features -join ',')", dir).AssertNoErrors();
            Assert.Equal(true, r.Objects.Single());
        }

        [Theory]
        [InlineData("-ValidationFraction 1")]
        [InlineData("-ValidationFraction 0.01")]
        [InlineData("-ValidationCount 5")]
        public void SplitLeavingAPartEmptyIsAnError(string args)
        {
            WriteSet(dir, "train", FiveLabels, false);
            var e = ps.Run($"Import-IdxDataset $args[0] | Split-Dataset {args} -Seed 1", dir).SingleError();
            Assert.StartsWith("DatasetSplitInvalid,", e.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, e.CategoryInfo.Category);
        }

        [Fact]
        public void SplitRendersAsATable()
        {
            WriteSet(dir, "train", FiveLabels, false);
            string text = Regex.Replace(ps.Render($"Import-IdxDataset '{dir}' | Split-Dataset -ValidationCount 2 -Seed 9"), @"\x1b\[[0-9;]*m", "");
            Assert.Matches(@"Training\s+Validation\s+Fraction\s+Seed", text);
            Assert.Matches(@"\s3\s+2\s+0\.4\s+9\s", text);
        }

        [Fact]
        public void SelectDatasetSampleTakesRangesIndicesAndRandomDraws()
        {
            WriteSet(dir, "train", FiveLabels, false);
            var r = ps.Run(@"
                $d = Import-IdxDataset $args[0]
                ,($d | Select-DatasetSample -First 2 -Skip 1).Labels
                ,($d | Select-DatasetSample -Index 4, 0, -1).Labels
                $x = $d | Select-DatasetSample -Random 3 -Seed 2; $y = $d | Select-DatasetSample -Random 3 -Seed 2
                $x.Count; ($x.Features -join ',') -eq ($y.Features -join ',')", dir).AssertNoErrors();
            Assert.Equal(new[] { 0, 9 }, (int[])r.Objects[0]);
            Assert.Equal(new[] { 1, 3, 1 }, (int[])r.Objects[1]);
            Assert.Equal(new object[] { 3, true }, r.Objects.Skip(2));
            var e = ps.Run("Import-IdxDataset $args[0] | Select-DatasetSample -Index 5", dir).SingleError();
            Assert.StartsWith("DatasetSampleOutOfRange,", e.FullyQualifiedErrorId);
        }

        [Theory]
        [InlineData("Import-IdxDataset")]
        [InlineData("ConvertTo-Dataset")]
        [InlineData("Split-Dataset")]
        [InlineData("Select-DatasetSample")]
        public void HelpHasSynopsisAndExamples(string name)
        {
            var r = ps.Run($"$h = Get-Help {name} -Full; $h.Synopsis; @($h.examples.example).Count; @($h.parameters.parameter).Count", name).AssertNoErrors();
            Assert.False(string.IsNullOrWhiteSpace((string)r.Objects[0]));
            Assert.DoesNotContain(name + " ", (string)r.Objects[0] + " "); // a real synopsis, not the generated syntax line
            Assert.True((int)r.Objects[1] >= 2, name + " has fewer than two examples.");
            string text = ps.Render($"Get-Help {name} -Examples");
            Assert.Contains("Example 1", text);
        }
    }
}
