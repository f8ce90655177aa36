using System;
using System.IO;
using System.Linq;
using BackpropModule.Engine.IO;
using BackpropModule.Engine.Layers;
using BackpropModule.Engine.Losses;
using Xunit;

namespace BackpropModule.Engine.Tests.Files
{
    /// <summary>
    /// The writers' file rules (issue 10: D7, D14, D16, D21; issue 15: the file-size limit):
    /// only regular files are replaced, a link is written through, permissions are kept, a
    /// read-only file needs force, and a failed write closes and deletes its temporary file.
    /// </summary>
    public sealed class FileWriteTests : IDisposable
    {
        private static readonly bool Unix = Environment.OSVersion.Platform == PlatformID.Unix;
        private readonly string dir = Path.Combine(Path.GetTempPath(), "file-write-" + Guid.NewGuid().ToString("N"));
        private readonly Network net = new Network(new[] { 3, 4, 2 }, ActivationKind.ReLU, OutputKind.Softmax, seed: 5);

        public FileWriteTests() => Directory.CreateDirectory(dir);

        public void Dispose()
        {
            foreach (var f in Directory.GetFiles(dir)) File.SetAttributes(f, FileAttributes.Normal);
            Directory.Delete(dir, true);
        }

        private static BackpropException Refused(Action write) => Assert.Throws<BackpropException>(write);

#if NET8_0_OR_GREATER
        [Fact]
        public void An_existing_file_keeps_its_permission_bits_D7()
        {
            if (OperatingSystem.IsWindows()) return; // Unix permission bits (the analyzer reads this guard)
            string path = Path.Combine(dir, "private.json");
            File.WriteAllText(path, "old");
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            NetworkFile.Save(net, path);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            OnnxExporter.Save(net, path);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }

        [Fact]
        public void A_read_only_file_needs_force_and_stays_read_only_D7()
        {
            if (OperatingSystem.IsWindows()) return;
            string path = Path.Combine(dir, "ro.json");
            File.WriteAllText(path, "old");
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.GroupRead);
            Assert.Equal(ErrorIds.OutputFileReadOnly, Refused(() => NetworkFile.Save(net, path)).ErrorId);
            Assert.Equal("old", File.ReadAllText(path));
            NetworkFile.Save(net, path, force: true);
            Assert.Equal(net.LayerSizes, NetworkFile.Load(path).LayerSizes);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.GroupRead, File.GetUnixFileMode(path));
        }

        [Fact]
        public void A_symbolic_link_is_written_through_and_stays_a_link_D7()
        {
            if (!Unix) return;
            string target = Path.Combine(dir, "real.onnx"), link = Path.Combine(dir, "link.onnx");
            File.WriteAllText(target, "old");
            File.CreateSymbolicLink(link, "real.onnx");
            OnnxExporter.Save(net, link);
            Assert.NotNull(new FileInfo(link).LinkTarget);
            Assert.Equal(OnnxExporter.ToBytes(net), File.ReadAllBytes(target));
            // A dangling link creates its target.
            string dangling = Path.Combine(dir, "dangling.json");
            File.CreateSymbolicLink(dangling, "created.json");
            NetworkFile.Save(net, dangling);
            Assert.True(File.Exists(Path.Combine(dir, "created.json")));
            Assert.NotNull(new FileInfo(dangling).LinkTarget);
        }
#endif

        [Theory]
        [InlineData("/dev/null")]
        [InlineData("/dev/zero")]
        public void A_device_is_never_replaced_D7(string device)
        {
            if (!File.Exists(device)) return;
            Assert.Equal(ErrorIds.PathNotFile, Refused(() => NetworkFile.Save(net, device)).ErrorId);
            Assert.Equal(ErrorIds.PathNotFile, Refused(() => OnnxExporter.Save(net, device)).ErrorId);
            Assert.Equal(ErrorIds.PathNotFile, Refused(() => WorkbookWriter.Write(device, new[] { WorkbookSheet.ForTensor("W1", net.Parameters[0].Value) })).ErrorId);
        }

        [Fact]
        public void A_folder_is_refused_as_a_target_D7()
        {
            var e = Refused(() => NetworkFile.Save(net, dir));
            Assert.Equal(ErrorIds.PathNotFile, e.ErrorId);
            Assert.True(Directory.Exists(dir));
        }

        [Fact]
        public void A_nul_in_the_path_is_PathInvalid_D14()
        {
            Assert.Equal(ErrorIds.PathInvalid, Refused(() => NetworkFile.Save(net, Path.Combine(dir, "a\0b.json"))).ErrorId);
            Assert.Equal(ErrorIds.PathInvalid, Refused(() => NetworkFile.Load(Path.Combine(dir, "a\0b.json"))).ErrorId);
        }

        /// <summary>A stream that fails like a full disk: on writing past a limit, and again on flush and close.</summary>
        private sealed class FullDisk : Stream
        {
            private readonly Stream inner;
            private long written;
            public readonly Microsoft.Win32.SafeHandles.SafeFileHandle Handle;
            public Func<Exception> Failure = () => new IOException("No space left on device : 'x'");

            public FullDisk(Stream inner) { this.inner = inner; Handle = ((FileStream)inner).SafeFileHandle; }

            public override void Write(byte[] buffer, int offset, int count)
            {
                if (written + count > 4096) throw Failure();
                written += count;
                inner.Write(buffer, offset, count);
            }

            public override void Flush() { if (written > 4096) throw Failure(); }
            protected override void Dispose(bool disposing) => throw Failure();
            public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
            public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);
            public override void SetLength(long value) => inner.SetLength(value);
            public override bool CanRead => true;
            public override bool CanSeek => true;
            public override bool CanWrite => true;
            public override long Length => inner.Length;
            public override long Position { get => inner.Position; set => inner.Position = value; }
        }

        private BackpropException FailWith(string path, Func<Exception> failure, Action write)
        {
            FullDisk disk = null;
            string token = Path.GetFileName(path);
            var previous = AtomicFile.WrapStream;
            AtomicFile.WrapStream = (target, s) => target.EndsWith(token, StringComparison.Ordinal) ? disk = new FullDisk(s) { Failure = failure } : previous?.Invoke(target, s);
            try
            {
                var e = Refused(write);
                Assert.NotNull(disk);
                // D16: the temporary file is closed at once (not left to the finalizer) and deleted.
                Assert.True(disk.Handle.IsClosed);
                return e;
            }
            finally { AtomicFile.WrapStream = previous; }
        }

        [Fact]
        public void A_full_disk_closes_and_deletes_the_temporary_file_and_keeps_the_old_workbook_D16_D21()
        {
            string path = Path.Combine(dir, "full.xlsx");
            WorkbookWriter.Write(path, new[] { WorkbookSheet.ForTensor("W1", net.Parameters[0].Value) });
            byte[] old = File.ReadAllBytes(path);
            var big = new Tensors.Tensor(200, 50);
            var e = FailWith(path, () => new IOException("No space left on device : 'x'"),
                () => WorkbookWriter.Write(path, new[] { WorkbookSheet.ForTensor("Big", big) }, append: true));
            Assert.Equal(ErrorIds.OutputFileWriteFailed, e.ErrorId);
            // D21: two sentences, not run together.
            Assert.Contains("device : 'x'. Any existing file was left unchanged.", e.Message);
            Assert.Equal(old, File.ReadAllBytes(path));
            Assert.Equal(new[] { path }, Directory.GetFiles(dir));
        }

        [Fact]
        public void The_file_size_limit_gives_the_same_clean_error_as_a_full_disk_in_every_writer()
        {
            // .NET reports EFBIG (ulimit -f) as ArgumentOutOfRangeException("value").
            Func<Exception> efbig = () => new ArgumentOutOfRangeException("value", "Specified file length was too large for the file system.");
            string json = Path.Combine(dir, "n.json"), onnx = Path.Combine(dir, "n.onnx"), xlsx = Path.Combine(dir, "n.xlsx");
            var big = new Network(new[] { 40, 60, 2 }, ActivationKind.ReLU, OutputKind.Softmax, seed: 1);
            foreach (var e in new[]
            {
                FailWith(json, efbig, () => NetworkFile.Save(big, json)),
                FailWith(onnx, efbig, () => OnnxExporter.Save(big, onnx)),
                FailWith(xlsx, efbig, () => WorkbookWriter.Write(xlsx, new[] { WorkbookSheet.ForTensor("W1", big.Parameters[0].Value) })),
            })
            {
                Assert.Equal(ErrorIds.OutputFileWriteFailed, e.ErrorId);
                Assert.Contains("ulimit -f", e.Message);
            }
            Assert.Empty(Directory.GetFiles(dir));
        }

        [Fact]
        public void Sentence_ends_a_message_once()
        {
            Assert.Equal("No space left on device : 'x'.", FileChecks.Sentence("No space left on device : 'x'"));
            Assert.Equal("Done.", FileChecks.Sentence("Done. "));
        }
    }
}
