using System;
using System.IO;
using System.Linq;
using System.Text;
using BackpropModule.Engine.Data;
using Xunit;

namespace BackpropModule.Engine.Tests.Files
{
    /// <summary>
    /// Gzip IDX files are checked as strictly as raw ones (issue 10: D4, D9, D19, D24): the CRC-32
    /// and length trailer must be there, must match and must end the file, and a header's sizes
    /// are budgets, never allocations.
    /// </summary>
    public sealed class GzipIdxTests : IDisposable
    {
        private readonly string dir = Path.Combine(Path.GetTempPath(), "gzip-idx-" + Guid.NewGuid().ToString("N"));

        public GzipIdxTests() => Directory.CreateDirectory(dir);

        public void Dispose() => Directory.Delete(dir, true);

        private (string Images, string Labels, byte[] Pixels) Write(int count = 20, int seed = 1)
        {
            var rng = new Random(seed);
            var px = new byte[count * 28 * 28];
            rng.NextBytes(px);
            var labels = Enumerable.Range(0, count).Select(i => (byte)(i % 10)).ToArray();
            string i = Path.Combine(dir, "train-images-idx3-ubyte.gz"), l = Path.Combine(dir, "train-labels-idx1-ubyte.gz");
            IdxWriter.WriteImages(i, px, 28, 28, true);
            IdxWriter.WriteLabels(l, labels, true);
            return (i, l, px);
        }

        private static BackpropException Refused(string images, string labels) =>
            Assert.Throws<BackpropException>(() => IdxReader.Load(images, labels));

        [Fact]
        public void Crc32_matches_the_standard_check_value()
        {
            byte[] text = Encoding.ASCII.GetBytes("123456789");
            Assert.Equal(0xCBF43926u, Crc32.Final(Crc32.Update(Crc32.Initial, text, 0, text.Length)));
            // Slicing by 8 and byte by byte agree at every split.
            var data = new byte[1000];
            new Random(3).NextBytes(data);
            uint whole = Crc32.Final(Crc32.Update(Crc32.Initial, data, 0, data.Length));
            for (int cut = 0; cut < 20; cut++)
                Assert.Equal(whole, Crc32.Final(Crc32.Update(Crc32.Update(Crc32.Initial, data, 0, cut), data, cut, data.Length - cut)));
        }

        [Fact]
        public void An_intact_gzip_file_loads_the_exact_pixels()
        {
            var f = Write();
            var d = IdxReader.Load(f.Images, f.Labels, new IdxLoadOptions { Scale = false });
            Assert.Equal(f.Pixels.Select(b => (double)b), d.Features);
        }

#if NET
        [Fact]
        public void The_trailers_size_lets_a_large_file_load_without_growing_its_buffer()
        {
            // Random pixels do not compress, so the file is as large as its data and the hint is believed.
            var f = Write(count: 3000);
            IdxReader.Load(f.Images, f.Labels);   // warm up: the first load also JIT-compiles
            long before = GC.GetAllocatedBytesForCurrentThread();
            var d = IdxReader.Load(f.Images, f.Labels, new IdxLoadOptions { Scale = false });
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Equal(f.Pixels.Length, d.Count * d.FeatureCount);
            // Pixels once, plus the one-hot targets (8 bytes × 10 per image) and small change; a buffer
            // that doubles from 64 KiB would add about as much again as the pixels.
            Assert.InRange(allocated, f.Pixels.Length, f.Pixels.Length + 3000 * 90 + 400_000);
        }

        [Fact]
        public void A_small_file_whose_trailer_claims_gigabytes_allocates_little_and_is_refused()
        {
            // Header: 60,000 images of 28×28; data: 10 images; trailer size field: 4 GiB − 1.
            var pixels = new byte[10 * 784];
            string images = Path.Combine(dir, "lying-images.gz");
            IdxWriter.Write(images, new[] { 60000, 28, 28 }, pixels, true);
            byte[] b = File.ReadAllBytes(images);
            for (int i = 1; i <= 4; i++) b[b.Length - i] = 0xFF;
            File.WriteAllBytes(images, b);
            string labels = Path.Combine(dir, "lying-labels.gz");
            IdxWriter.Write(labels, new[] { 60000 }, new byte[60000], true);
            long before = GC.GetAllocatedBytesForCurrentThread();
            var e = Refused(images, labels);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Contains(e.ErrorId, new[] { ErrorIds.IdxTruncated, ErrorIds.IdxGzipInvalid });
            Assert.True(allocated < 8_000_000, $"{allocated:N0} bytes were allocated for a {b.Length}-byte file.");
        }
#endif

        [Theory]
        [InlineData(8)]
        [InlineData(4)]
        [InlineData(1)]
        public void A_cut_off_trailer_is_refused_D4(int cut)
        {
            var f = Write();
            byte[] b = File.ReadAllBytes(f.Images);
            File.WriteAllBytes(f.Images, b.Take(b.Length - cut).ToArray());
            var e = Refused(f.Images, f.Labels);
            Assert.Contains(e.ErrorId, new[] { ErrorIds.IdxTruncated, ErrorIds.IdxGzipInvalid });
        }

        [Fact]
        public void A_cut_off_trailer_with_a_flipped_data_byte_is_refused_not_loaded_D4()
        {
            var f = Write();
            byte[] b = File.ReadAllBytes(f.Images);
            b = b.Take(b.Length - 8).ToArray();
            b[b.Length / 2] ^= 0x10;
            File.WriteAllBytes(f.Images, b);
            Assert.Contains(Refused(f.Images, f.Labels).ErrorId, new[] { ErrorIds.IdxTruncated, ErrorIds.IdxGzipInvalid });
        }

        [Fact]
        public void A_wrong_crc_is_reported_as_a_crc_mismatch_D19()
        {
            var f = Write();
            byte[] b = File.ReadAllBytes(f.Images);
            b[b.Length - 8] ^= 0xFF;
            File.WriteAllBytes(f.Images, b);
            var e = Refused(f.Images, f.Labels);
            Assert.Equal(ErrorIds.IdxGzipInvalid, e.ErrorId);
            Assert.Contains("CRC-32", e.Message);
            Assert.DoesNotContain("compression method", e.Message);
        }

        [Theory]
        [InlineData(1)]
        [InlineData(100)]
        [InlineData(100000)]
        public void Junk_after_the_gzip_stream_is_refused_like_extra_bytes_in_a_raw_file_D24(int junk)
        {
            var f = Write();
            using (var s = new FileStream(f.Images, FileMode.Append)) s.Write(new byte[junk], 0, junk);
            Assert.Equal(ErrorIds.IdxTrailingData, Refused(f.Images, f.Labels).ErrorId);
        }

        [Fact]
        public void A_header_with_a_file_name_and_comment_is_read()
        {
            var f = Write();
            byte[] b = File.ReadAllBytes(f.Images);
            // FNAME | FCOMMENT, then the two zero-terminated fields after the 10-byte header.
            var withNames = b.Take(10).Concat(Encoding.ASCII.GetBytes("train-images\0a comment\0")).Concat(b.Skip(10)).ToArray();
            withNames[3] |= 8 | 16;
            File.WriteAllBytes(f.Images, withNames);
            Assert.Equal(20, IdxReader.Load(f.Images, f.Labels).Count);
        }

        [Fact]
        public void Reserved_flags_and_other_methods_are_refused()
        {
            var f = Write();
            byte[] b = File.ReadAllBytes(f.Images);
            b[3] = 0x80;
            File.WriteAllBytes(f.Images, b);
            Assert.Equal(ErrorIds.IdxGzipInvalid, Refused(f.Images, f.Labels).ErrorId);
            b[3] = 0;
            b[2] = 7;
            File.WriteAllBytes(f.Images, b);
            Assert.Equal(ErrorIds.IdxGzipInvalid, Refused(f.Images, f.Labels).ErrorId);
        }

        /// <summary>D9: a 33-byte gzip file declaring 2,000,000 images of 28x28 used to ask for 12.5 GB.</summary>
        [Theory]
        [InlineData(2000000)]
        [InlineData(int.MaxValue / 784)]
        public void A_small_gzip_file_declaring_millions_of_images_allocates_almost_nothing_D9(int declared)
        {
            var f = Write(count: 2);
            IdxWriter.Write(f.Images, new[] { declared, 28, 28 }, new byte[0], true);
            Assert.True(new FileInfo(f.Images).Length < 64);
            IdxWriter.Write(f.Labels, new[] { declared }, new byte[0], true);
            long before = GC.GetAllocatedBytesForCurrentThread();
            var e = Refused(f.Images, f.Labels);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Equal(ErrorIds.IdxTruncated, e.ErrorId);
            Assert.True(allocated < 4 << 20, $"allocated {allocated} bytes");
        }

        [Fact]
        public void A_folder_given_as_the_image_file_is_named_a_folder_D18()
        {
            var f = Write();
            var e = Refused(dir, f.Labels);
            Assert.Equal(ErrorIds.PathNotFile, e.ErrorId);
            Assert.Contains("is a folder", e.Message);
            Assert.DoesNotContain("does not exist", e.Message);
        }

        [Fact]
        public void A_device_is_refused_by_type_before_reading()
        {
            if (!File.Exists("/dev/zero")) return;
            var f = Write();
            Assert.Equal(ErrorIds.PathNotFile, Refused("/dev/zero", f.Labels).ErrorId);
        }
    }
}
