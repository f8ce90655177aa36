using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using BackpropModule.Engine;
using BackpropModule.Engine.Data;
using Xunit;

namespace BackpropModule.Engine.Tests.Data
{
    /// <summary>IDX reading: values, scaling, one-hot targets, gzip detection and every malformed-file error.</summary>
    public sealed class IdxReaderTests : IDisposable
    {
        private readonly string dir = Path.Combine(Path.GetTempPath(), "idx-engine-" + Guid.NewGuid().ToString("N"));

        public IdxReaderTests() => Directory.CreateDirectory(dir);

        public void Dispose() => Directory.Delete(dir, true);

        private static byte[] Pixels(int count, int rows, int cols, int seed)
        {
            var rng = new Random(seed);
            var p = new byte[count * rows * cols];
            rng.NextBytes(p);
            return p;
        }

        private (string Images, string Labels) WriteSet(string name, byte[] pixels, byte[] labels, int rows, int cols, bool gzip)
        {
            string ext = gzip ? ".gz" : "";
            string i = Path.Combine(dir, name + "-images-idx3-ubyte" + ext), l = Path.Combine(dir, name + "-labels-idx1-ubyte" + ext);
            IdxWriter.WriteImages(i, pixels, rows, cols, gzip);
            IdxWriter.WriteLabels(l, labels, gzip);
            return (i, l);
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void LoadsPixelsScaledAndLabelsOneHot(bool gzip)
        {
            byte[] px = Pixels(7, 3, 4, 1);
            byte[] lab = { 0, 9, 3, 3, 5, 1, 2 };
            var f = WriteSet("train", px, lab, 3, 4, gzip);
            var d = IdxReader.Load(f.Images, f.Labels);
            Assert.Equal(7, d.Count);
            Assert.Equal(12, d.FeatureCount);
            Assert.Equal(10, d.ClassCount);
            for (int k = 0; k < px.Length; k++) Assert.Equal(px[k] / 255.0, d.Features[k]);
            Assert.Equal(lab.Select(b => (int)b), d.Labels);
            for (int s = 0; s < 7; s++)
                for (int c = 0; c < 10; c++) Assert.Equal(c == lab[s] ? 1.0 : 0.0, d.Targets[s * 10 + c]);
        }

        /// <summary>More than one 4 MiB read block, so blocks are converted while later ones are read.</summary>
        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void LargeFilesConvertEveryBlock(bool gzip)
        {
            byte[] px = Pixels(700, 100, 100, 9);
            var f = WriteSet("big", px, new byte[700], 100, 100, gzip);
            var d = IdxReader.Load(f.Images, f.Labels);
            Assert.Equal(px.Length, d.Features.Length);
            for (int k = 0; k < px.Length; k++)
                if (d.Features[k] != px[k] / 255.0) Assert.Fail($"Pixel {k}: {d.Features[k]} != {px[k]} / 255");
        }

        [Fact]
        public void NoScaleKeepsByteValues()
        {
            byte[] px = { 0, 1, 128, 255 };
            var f = WriteSet("t", px, new byte[] { 1 }, 2, 2, false);
            var d = IdxReader.Load(f.Images, f.Labels, new IdxLoadOptions { Scale = false });
            Assert.Equal(new double[] { 0, 1, 128, 255 }, d.Features);
        }

        [Fact]
        public void GzipIsDetectedByContentNotName()
        {
            byte[] px = Pixels(2, 2, 2, 3);
            string i = Path.Combine(dir, "a.bin"), l = Path.Combine(dir, "b.gz");
            IdxWriter.WriteImages(i, px, 2, 2, gzip: true);
            IdxWriter.WriteLabels(l, new byte[] { 4, 2 }, gzip: false);
            var d = IdxReader.Load(i, l);
            Assert.Equal(px[5] / 255.0, d.Features[5]);
            Assert.Equal(new[] { 4, 2 }, d.Labels);
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void FirstLoadsOnlyTheLeadingSamples(bool gzip)
        {
            byte[] px = Pixels(10, 2, 3, 5);
            byte[] lab = Enumerable.Range(0, 10).Select(v => (byte)v).ToArray();
            var f = WriteSet("x", px, lab, 2, 3, gzip);
            var d = IdxReader.Load(f.Images, f.Labels, new IdxLoadOptions { First = 4 });
            Assert.Equal(4, d.Count);
            Assert.Equal(new[] { 0, 1, 2, 3 }, d.Labels);
            Assert.Equal(px[23] / 255.0, d.Features[23]);
            Assert.Equal(10, IdxReader.Load(f.Images, f.Labels, new IdxLoadOptions { First = 50 }).Count);
        }

        [Fact]
        public void FindFilesPrefersGzipAndAcceptsDottedNames()
        {
            File.WriteAllBytes(Path.Combine(dir, "t10k-images.idx3-ubyte"), new byte[1]);
            File.WriteAllBytes(Path.Combine(dir, "t10k-labels-idx1-ubyte.gz"), new byte[1]);
            var f = IdxReader.FindFiles(dir, "t10k");
            Assert.EndsWith("t10k-images.idx3-ubyte", f.ImagePath);
            Assert.EndsWith("t10k-labels-idx1-ubyte.gz", f.LabelPath);
            var e = Assert.Throws<BackpropException>(() => IdxReader.FindFiles(dir, "train"));
            Assert.Equal(ErrorIds.IdxFileNotFound, e.ErrorId);
            Assert.Equal(ErrorKind.ObjectNotFound, e.Kind);
        }

        private BackpropException LoadError(string images, string labels, IdxLoadOptions o = null) =>
            Assert.Throws<BackpropException>(() => IdxReader.Load(images, labels, o));

        [Fact]
        public void MissingFileIsObjectNotFound()
        {
            var f = WriteSet("m", Pixels(1, 2, 2, 1), new byte[] { 0 }, 2, 2, false);
            string missing = Path.Combine(dir, "nope");
            var e = LoadError(f.Images, missing);
            Assert.Equal(ErrorIds.IdxFileNotFound, e.ErrorId);
            Assert.Equal(missing, e.TargetObject);
        }

        [Theory]
        [InlineData(new byte[] { 0, 0, 8, 1 }, "image")]       // a label file given as images
        [InlineData(new byte[] { 0, 0, 0x0D, 3 }, "image")]    // float elements
        [InlineData(new byte[] { 0x50, 0x4B, 3, 4 }, "image")] // a zip file
        public void WrongMagicIsRejected(byte[] header, string which)
        {
            var f = WriteSet("w", Pixels(1, 2, 2, 1), new byte[] { 0 }, 2, 2, false);
            string target = which == "image" ? f.Images : f.Labels;
            byte[] bytes = File.ReadAllBytes(target);
            Array.Copy(header, bytes, 4);
            File.WriteAllBytes(target, bytes);
            var e = LoadError(f.Images, f.Labels);
            Assert.Equal(ErrorIds.IdxMagicInvalid, e.ErrorId);
            Assert.Equal(ErrorKind.InvalidData, e.Kind);
            Assert.Equal(target, e.TargetObject);
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void TruncatedFileIsRejected(bool gzip)
        {
            string i = Path.Combine(dir, "i"), l = Path.Combine(dir, "l");
            // The header declares 3 images of 2×2 but only 2.5 images follow.
            IdxWriter.Write(i, new[] { 3, 2, 2 }, new byte[10], gzip);
            IdxWriter.WriteLabels(l, new byte[3], gzip);
            var e = LoadError(i, l);
            Assert.Equal(ErrorIds.IdxTruncated, e.ErrorId);
            Assert.Equal(i, e.TargetObject);
            Assert.Contains(i, e.Message);
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void TrailingBytesAreRejected(bool gzip)
        {
            string i = Path.Combine(dir, "i"), l = Path.Combine(dir, "l");
            IdxWriter.Write(i, new[] { 2, 2, 2 }, new byte[9], gzip);
            IdxWriter.WriteLabels(l, new byte[2], gzip);
            Assert.Equal(ErrorIds.IdxTrailingData, LoadError(i, l).ErrorId);
        }

        [Fact]
        public void CountMismatchNamesTheLabelFile()
        {
            var f = WriteSet("c", Pixels(3, 2, 2, 1), new byte[] { 0, 1 }, 2, 2, true);
            var e = LoadError(f.Images, f.Labels);
            Assert.Equal(ErrorIds.IdxCountMismatch, e.ErrorId);
            Assert.Equal(f.Labels, e.TargetObject);
        }

        [Fact]
        public void LabelAtOrAboveClassCountIsRejected()
        {
            var f = WriteSet("o", Pixels(3, 2, 2, 1), new byte[] { 0, 3, 1 }, 2, 2, false);
            var e = LoadError(f.Images, f.Labels, new IdxLoadOptions { ClassCount = 3 });
            Assert.Equal(ErrorIds.IdxLabelOutOfRange, e.ErrorId);
            Assert.Equal(f.Labels, e.TargetObject);
            Assert.Equal(4, IdxReader.Load(f.Images, f.Labels, new IdxLoadOptions { ClassCount = 4 }).ClassCount);
        }

        [Fact]
        public void DamagedGzipIsRejected()
        {
            var f = WriteSet("g", Pixels(50, 8, 8, 1), new byte[50], 8, 8, true);
            byte[] bytes = File.ReadAllBytes(f.Images);
            bytes[10] = 0xFF; // first deflate block: BFINAL=1, BTYPE=11, a reserved (invalid) block type
            File.WriteAllBytes(f.Images, bytes);
            var e = LoadError(f.Images, f.Labels);
            Assert.Equal(ErrorIds.IdxGzipInvalid, e.ErrorId);
            Assert.Equal(f.Images, e.TargetObject);
        }

        [Fact]
        public void ZeroDimensionIsRejected()
        {
            string i = Path.Combine(dir, "i"), l = Path.Combine(dir, "l");
            IdxWriter.Write(i, new[] { 1, 0, 2 }, new byte[0], false);
            IdxWriter.WriteLabels(l, new byte[1], false);
            Assert.Equal(ErrorIds.IdxDimensionInvalid, LoadError(i, l).ErrorId);
        }

        [Fact]
        public void WriterOutputMatchesTheIdxLayout()
        {
            string i = Path.Combine(dir, "i.gz");
            IdxWriter.WriteImages(i, new byte[] { 7, 8 }, 1, 2, gzip: true);
            using var gz = new GZipStream(File.OpenRead(i), CompressionMode.Decompress);
            using var ms = new MemoryStream();
            gz.CopyTo(ms);
            Assert.Equal(new byte[] { 0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 2, 7, 8 }, ms.ToArray());
        }
    }
}
