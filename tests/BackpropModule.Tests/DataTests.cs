using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Management.Automation;
using System.Text.RegularExpressions;
using BackpropModule.Tests.Infrastructure;
using Xunit;

namespace BackpropModule.Tests
{
    /// <summary>
    /// Import-IdxDataset, Split-Dataset and Select-DatasetSample through PowerShell. The IDX files
    /// are written here byte by byte (independently of the module's own writer) into a temp folder.
    /// </summary>
    public sealed class DataTests : IClassFixture<PowerShellSession>, IDisposable
    {
        private const string DatasetType = "BackpropModule.Engine.Data.Dataset";
        private readonly PowerShellSession ps;
        private readonly string dir = Path.Combine(Path.GetTempPath(), "idx-hosted-" + Guid.NewGuid().ToString("N"));

        public DataTests(PowerShellSession session)
        {
            ps = session;
            Directory.CreateDirectory(dir);
        }

        public void Dispose() => Directory.Delete(dir, true);

        /// <summary>An IDX file: 00 00 08 &lt;dims&gt;, big-endian sizes, then the bytes; optionally gzipped.</summary>
        internal static void WriteIdx(string path, int[] dims, byte[] data, bool gzip)
        {
            using var ms = new MemoryStream();
            ms.Write(new byte[] { 0, 0, 8, (byte)dims.Length });
            foreach (int d in dims) ms.Write(new[] { (byte)(d >> 24), (byte)(d >> 16), (byte)(d >> 8), (byte)d });
            ms.Write(data);
            if (!gzip) { File.WriteAllBytes(path, ms.ToArray()); return; }
            using var f = File.Create(path);
            using var gz = new GZipStream(f, CompressionLevel.Fastest);
            gz.Write(ms.ToArray());
        }

        private static byte[] Pixels(int n, int seed)
        {
            var p = new byte[n];
            new Random(seed).NextBytes(p);
            p[0] = 255; p[1] = 0;
            return p;
        }

        /// <summary>Writes &lt;name&gt;-images-idx3-ubyte[.gz] (count × 2 × 3) and the labels into a folder.</summary>
        private (string Images, string Labels, byte[] Pixels) WriteSet(string folder, string name, byte[] labels, bool gzip, int seed = 1)
        {
            Directory.CreateDirectory(folder);
            string ext = gzip ? ".gz" : "";
            byte[] px = Pixels(labels.Length * 6, seed);
            string i = Path.Combine(folder, $"{name}-images-idx3-ubyte{ext}"), l = Path.Combine(folder, $"{name}-labels-idx1-ubyte{ext}");
            WriteIdx(i, new[] { labels.Length, 2, 3 }, px, gzip);
            WriteIdx(l, new[] { labels.Length }, labels, gzip);
            return (i, l, px);
        }

        private static readonly byte[] FiveLabels = { 3, 0, 9, 3, 1 };

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void ImportsScaledPixelsAndOneHotTargets(bool gzip)
        {
            var set = WriteSet(dir, "train", FiveLabels, gzip);
            var r = ps.Run("$d = Import-IdxDataset -Path $args[0] -Name train; $d; ,$d.Features; ,$d.Targets; ,$d.Labels", dir).AssertNoErrors();
            object d = r.Objects[0];
            Assert.Equal(DatasetType, PS.TypeName(d));
            Assert.Equal(5, PS.Num(d, "Count"));
            Assert.Equal(6, PS.Num(d, "FeatureCount"));
            Assert.Equal(10, PS.Num(d, "ClassCount"));
            var x = (double[])r.Objects[1];
            for (int k = 0; k < x.Length; k++) Assert.Equal(set.Pixels[k] / 255.0, x[k]);
            Assert.Equal(1.0, x.Max());
            Assert.Equal(0.0, x.Min());
            var t = (double[])r.Objects[2];
            for (int s = 0; s < 5; s++)
                for (int c = 0; c < 10; c++) Assert.Equal(c == FiveLabels[s] ? 1.0 : 0.0, t[s * 10 + c]);
            Assert.Equal(FiveLabels.Select(b => (int)b), (int[])r.Objects[3]);
        }

        [Fact]
        public void ImportReportsProgressAndCompletesIt()
        {
            WriteSet(dir, "train", FiveLabels, true);
            var r = ps.Run("$null = Import-IdxDataset $args[0]", dir).AssertNoErrors();
            var mine = r.Progress.Where(p => p.Activity == "Import-IdxDataset").ToList();
            Assert.Contains(mine, p => p.RecordType == ProgressRecordType.Processing && p.PercentComplete == 100);
            Assert.Equal(ProgressRecordType.Completed, mine.Last().RecordType);
        }

        [Fact]
        public void RelativePathsResolveAgainstTheCurrentLocation()
        {
            WriteSet(dir, "train", FiveLabels, false);
            var r = ps.Run(@"
                $here = $ExecutionContext.SessionState.Path.CurrentLocation
                $null = $ExecutionContext.SessionState.Path.SetLocation($args[0])
                try { (Import-IdxDataset . ).Count; (Import-IdxDataset -ImagePath ./train-images-idx3-ubyte -LabelPath train-labels-idx1-ubyte).Count }
                finally { $null = $ExecutionContext.SessionState.Path.SetLocation($here) }", dir).AssertNoErrors();
            Assert.Equal(new object[] { 5, 5 }, r.Objects);
        }

        [Fact]
        public void ExampleFallsBackToASyntheticSetWhenFashionMnistIsMissing()
        {
            string script = Path.Combine(ps.RepositoryRoot, "examples", "05-LoadFashionMnist.ps1");
            var r = ps.Run("& $args[0] -Path $args[1] -Quick | Out-Default", script, Path.Combine(dir, "absent")).AssertNoErrors();
            string text = Regex.Replace(r.HostText, @"\x1b\[[0-9;]*m", "");
            Assert.Matches(@"train\s+1000\s+\d+\s+True", text);
            Assert.Matches(@"t10k\s+500\s+\d+\s+True", text);
            Assert.Contains("Ankle boot", text);
        }

        [Fact]
        public void NoScaleKeepsByteValues()
        {
            var set = WriteSet(dir, "train", FiveLabels, false);
            var r = ps.Run("(Import-IdxDataset $args[0] -NoScale).Features", dir).AssertNoErrors();
            Assert.Equal(set.Pixels.Select(b => (double)b), r.Objects.Cast<double>());
        }

        [Fact]
        public void ExplicitPathsDetectGzipByContent()
        {
            string i = Path.Combine(dir, "imgs.bin"), l = Path.Combine(dir, "labels.gz");
            WriteIdx(i, new[] { 2, 1, 2 }, new byte[] { 0, 51, 102, 255 }, gzip: true);
            WriteIdx(l, new[] { 2 }, new byte[] { 1, 0 }, gzip: false);
            var r = ps.Run("$d = Import-IdxDataset -ImagePath $args[0] -LabelPath $args[1]; $d.Features; $d.Labels", i, l).AssertNoErrors();
            Assert.Equal(new object[] { 0.0, 0.2, 0.4, 1.0, 1, 0 }, r.Objects);
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void FirstLoadsTheLeadingSamples(bool gzip)
        {
            var set = WriteSet(dir, "t10k", FiveLabels, gzip);
            var r = ps.Run("$d = Import-IdxDataset $args[0] -Name t10k -First 2; $d.Count; $d.Labels; $d.Features[11]", dir).AssertNoErrors();
            Assert.Equal(new object[] { 2, 3, 0, set.Pixels[11] / 255.0 }, r.Objects);
        }

        [Fact]
        public void SeveralNamesGiveSeveralDatasetsAndFolderCanBePiped()
        {
            WriteSet(dir, "train", FiveLabels, true);
            WriteSet(dir, "t10k", new byte[] { 1, 2 }, false);
            var r = ps.Run("Import-IdxDataset $args[0] -Name train, t10k | ForEach-Object Count; [pscustomobject]@{ FullName = $args[0] } | Import-IdxDataset -Name t10k | ForEach-Object Count", dir).AssertNoErrors();
            Assert.Equal(new object[] { 5, 2, 2 }, r.Objects);
        }

        [Fact]
        public void FashionFolderGetsFashionClassNamesAndClassNamesOverride()
        {
            string fashion = Path.Combine(dir, "my-fashion-mnist");
            WriteSet(fashion, "train", FiveLabels, true);
            var r = ps.Run("$d = Import-IdxDataset $args[0]; $d.ClassNames[$d.Labels[0]]; (Import-IdxDataset $args[0] -ClassNames (0..9 | ForEach-Object { \"c$_\" })).ClassNames[9]", fashion).AssertNoErrors();
            Assert.Equal(new object[] { "Dress", "c9" }, r.Objects);
            WriteSet(dir, "train", FiveLabels, true);
            Assert.Equal(true, ps.Run("$null -eq (Import-IdxDataset $args[0]).ClassNames", dir).AssertNoErrors().Objects.Single());
            var e = ps.Run("Import-IdxDataset $args[0] -ClassNames a,b", dir).SingleError();
            Assert.StartsWith("ClassNamesCountInvalid", e.FullyQualifiedErrorId);
        }

        private void AssertError(RunResult r, string id, ErrorCategory category, string target)
        {
            var e = r.SingleError();
            Assert.StartsWith(id + ",", e.FullyQualifiedErrorId);
            Assert.Equal(category, e.CategoryInfo.Category);
            Assert.Equal(target, e.TargetObject);
            Assert.Contains(target, e.Exception.Message);
        }

        [Fact]
        public void MissingFolderOrFileIsObjectNotFound()
        {
            string nowhere = Path.Combine(dir, "nowhere");
            AssertError(ps.Run("Import-IdxDataset $args[0]", nowhere), "IdxFileNotFound", ErrorCategory.ObjectNotFound, nowhere);
            var set = WriteSet(dir, "train", FiveLabels, false);
            File.Delete(set.Labels);
            AssertError(ps.Run("Import-IdxDataset $args[0]", dir), "IdxFileNotFound", ErrorCategory.ObjectNotFound, set.Labels);
            AssertError(ps.Run("Import-IdxDataset -ImagePath $args[0] -LabelPath $args[1]", set.Images, set.Labels), "IdxFileNotFound", ErrorCategory.ObjectNotFound, set.Labels);
        }

        [Fact]
        public void WrongMagicIsInvalidData()
        {
            var set = WriteSet(dir, "train", FiveLabels, false);
            // The label file where the images belong: magic 0x00000801 instead of 0x00000803.
            AssertError(ps.Run("Import-IdxDataset -ImagePath $args[0] -LabelPath $args[0]", set.Labels), "IdxMagicInvalid", ErrorCategory.InvalidData, set.Labels);
            string text = Path.Combine(dir, "notes-images-idx3-ubyte.gz");
            File.WriteAllText(text, "this is not gzip and not IDX");
            AssertError(ps.Run("Import-IdxDataset -ImagePath $args[0] -LabelPath $args[1]", text, set.Labels), "IdxMagicInvalid", ErrorCategory.InvalidData, text);
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void TruncatedImagesAreInvalidData(bool gzip)
        {
            string i = Path.Combine(dir, "i"), l = Path.Combine(dir, "l");
            WriteIdx(i, new[] { 4, 2, 3 }, new byte[4 * 6 - 1], gzip);
            WriteIdx(l, new[] { 4 }, new byte[4], gzip);
            AssertError(ps.Run("Import-IdxDataset -ImagePath $args[0] -LabelPath $args[1]", i, l), "IdxTruncated", ErrorCategory.InvalidData, i);
        }

        [Fact]
        public void CountMismatchAndLabelOutOfRangeNameTheLabelFile()
        {
            string i = Path.Combine(dir, "i"), l = Path.Combine(dir, "l");
            WriteIdx(i, new[] { 3, 2, 3 }, new byte[18], true);
            WriteIdx(l, new[] { 2 }, new byte[] { 0, 1 }, true);
            AssertError(ps.Run("Import-IdxDataset -ImagePath $args[0] -LabelPath $args[1]", i, l), "IdxCountMismatch", ErrorCategory.InvalidData, l);
            WriteIdx(l, new[] { 3 }, new byte[] { 0, 1, 2 }, true);
            AssertError(ps.Run("Import-IdxDataset -ImagePath $args[0] -LabelPath $args[1] -ClassCount 2", i, l), "IdxLabelOutOfRange", ErrorCategory.InvalidData, l);
            Assert.Equal(3, PS.Num(ps.Run("Import-IdxDataset -ImagePath $args[0] -LabelPath $args[1] -ClassCount 3", i, l).AssertNoErrors().Objects[0], "ClassCount"));
        }

        [Fact]
        public void DamagedGzipIsInvalidData()
        {
            var set = WriteSet(dir, "train", FiveLabels, true);
            byte[] b = File.ReadAllBytes(set.Images);
            b[10] = 0xFF; // first deflate block header: a reserved block type
            File.WriteAllBytes(set.Images, b);
            AssertError(ps.Run("Import-IdxDataset $args[0]", dir), "IdxGzipInvalid", ErrorCategory.InvalidData, set.Images);
        }
    }
}
