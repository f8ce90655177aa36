using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Management.Automation;
using BackpropModule.Tests.Infrastructure;
using Xunit;

namespace BackpropModule.Tests
{
    /// <summary>
    /// Import-IdxDataset's progress records and the ErrorRecords of its refusals (category, the
    /// offending file as TargetObject): what only in-process hosting shows. The IDX files are written
    /// here byte by byte, independently of the module's own writer. What users type: tests/Data.Tests.ps1.
    /// </summary>
    public sealed class DataTests : IClassFixture<PowerShellSession>, IDisposable
    {
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

        [Fact]
        public void ImportReportsProgressAndCompletesIt()
        {
            WriteSet(dir, "train", FiveLabels, true);
            var r = ps.Run("$null = Import-IdxDataset $args[0]", dir).AssertNoErrors();
            var mine = r.Progress.Where(p => p.Activity == "Import-IdxDataset").ToList();
            Assert.Contains(mine, p => p.RecordType == ProgressRecordType.Processing && p.PercentComplete == 100);
            Assert.Equal(ProgressRecordType.Completed, mine.Last().RecordType);
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
