using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using BackpropModule.Engine.IO;
using BackpropModule.Engine.Layers;
using BackpropModule.Engine.Losses;
using Xunit;

namespace BackpropModule.Engine.Tests.Files
{
    /// <summary>
    /// The network-file reader's limits (issue 10: D10, D11, D18) and the workbook writer's
    /// refusals of text it cannot store (D13).
    /// </summary>
    public sealed class FileReadTests : IDisposable
    {
        private readonly string dir = Path.Combine(Path.GetTempPath(), "file-read-" + Guid.NewGuid().ToString("N"));
        private readonly Network net = new Network(new[] { 3, 4, 2 }, ActivationKind.ReLU, OutputKind.Softmax, seed: 5);

        public FileReadTests() => Directory.CreateDirectory(dir);

        public void Dispose() => Directory.Delete(dir, true);

        private static BackpropException Refused(Action read) => Assert.Throws<BackpropException>(read);

        [Fact]
        public void A_30_MB_array_of_zeros_is_refused_within_a_small_multiple_of_its_size_D10()
        {
            string path = Path.Combine(dir, "zeros.json");
            var sb = new StringBuilder(30 << 20);
            sb.Append('[');
            while (sb.Length < 30 << 20) sb.Append("0,");
            sb.Append("0]");
            File.WriteAllText(path, sb.ToString());
            sb = null;
            long length = new FileInfo(path).Length;
            long before = GC.GetAllocatedBytesForCurrentThread();
            var e = Refused(() => NetworkFile.Load(path));
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Equal(ErrorIds.NetworkFileInvalid, e.ErrorId);
            // Was 1.67 GB; the documented budget is about 7 bytes per byte of file plus a fixed parse-tree cap.
            Assert.True(allocated < 7 * length + (32 << 20), $"allocated {allocated} bytes for {length}");
        }

        [Fact]
        public void A_file_over_the_cap_is_refused_before_it_is_read_D10()
        {
            string path = Path.Combine(dir, "huge.json");
            using (var s = new FileStream(path, FileMode.Create)) s.SetLength(NetworkFile.MaxFileBytes + 1);
            long before = GC.GetAllocatedBytesForCurrentThread();
            Assert.Equal(ErrorIds.NetworkFileInvalid, Refused(() => NetworkFile.Load(path)).ErrorId);
            Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20);
        }

        [Fact]
        public void Devices_and_folders_are_refused_by_type_D10_D18()
        {
            if (File.Exists("/dev/zero")) Assert.Equal(ErrorIds.PathNotFile, Refused(() => NetworkFile.Load("/dev/zero")).ErrorId);
            var e = Refused(() => NetworkFile.Load(dir));
            Assert.Equal(ErrorIds.PathNotFile, e.ErrorId);
            Assert.Contains("is a folder", e.Message);
        }

        [Fact]
        public void An_unreadable_file_is_NetworkFileReadFailed_PermissionDenied_D11()
        {
            // Root reads a chmod 000 file, so the access failure is injected at the one place files are opened.
            string path = Path.Combine(dir, "secret.json");
            NetworkFile.Save(net, path);
            var previous = FileChecks.OpenForReading;
            FileChecks.OpenForReading = p => p == path ? throw new UnauthorizedAccessException($"Access to the path '{p}' is denied.") : previous(p);
            try
            {
                var e = Refused(() => NetworkFile.Load(path));
                Assert.Equal(ErrorIds.NetworkFileReadFailed, e.ErrorId);
                Assert.Equal(ErrorKind.PermissionDenied, e.Kind);   // ErrorCategory.PermissionDenied in PowerShell
                Assert.Equal(path, e.TargetObject);
            }
            finally { FileChecks.OpenForReading = previous; }
        }

        [Fact]
        public void The_payload_hash_reads_CRLF_as_LF_across_piece_boundaries()
        {
            // Long text with CRLFs and surrogate pairs placed around the 64 K-character pieces.
            var sb = new StringBuilder();
            var rng = new Random(4);
            while (sb.Length < 200000)
            {
                sb.Append((char)('a' + rng.Next(26)));
                if (rng.Next(50) == 0) sb.Append("\r\n");
                if (rng.Next(70) == 0) sb.Append("\U0001F600é");
            }
            foreach (int edge in new[] { 65535, 65536, 131071 }) { sb.Insert(edge, "\r\n"); }
            string text = sb.ToString();
            using (var sha = SHA256.Create())
            {
                string expected = string.Concat(sha.ComputeHash(Encoding.UTF8.GetBytes(text.Replace("\r\n", "\n"))).Select(b => b.ToString("x2")));
                Assert.Equal(expected, NetworkFileText.PayloadSha256(text, 0, text.Length));
            }
        }

        [Fact]
        public void A_byte_order_mark_and_a_plain_file_both_load()
        {
            string path = Path.Combine(dir, "bom.json");
            File.WriteAllText(path, NetworkFile.Serialize(net), new UTF8Encoding(true));
            Assert.Equal(net.LayerSizes, NetworkFile.Load(path).LayerSizes);
        }

        [Theory]
        [InlineData("a\vb")]
        [InlineData("a\u0001")]
        [InlineData("\0")]
        public void A_control_character_in_a_sheet_name_is_WorksheetNameInvalid_D13(string name)
        {
            string path = Path.Combine(dir, "ctrl.xlsx");
            var e = Refused(() => WorkbookWriter.Write(path, new[] { WorkbookSheet.ForTensor(name, net.Parameters[0].Value) }));
            Assert.Equal(ErrorIds.WorksheetNameInvalid, e.ErrorId);
            Assert.False(File.Exists(path));
        }

        [Fact]
        public void A_control_character_in_a_column_name_is_WorkbookInputUnsupported_D13()
        {
            string path = Path.Combine(dir, "col.xlsx");
            var sheet = WorkbookSheet.ForTable("TrainingHistory", new[] { "Epoch", "lo\vss" }, new[] { new double?[] { 1, 2 } }, null);
            Assert.Equal(ErrorIds.WorkbookInputUnsupported, Refused(() => WorkbookWriter.Write(path, new[] { sheet })).ErrorId);
        }

        [Theory]
        [InlineData("xl/workbook.xml")]
        [InlineData("xl/styles.xml")]
        public void Appending_to_a_workbook_with_a_malformed_part_is_WorkbookInvalid_D13(string part)
        {
            string path = Path.Combine(dir, "bad.xlsx");
            WorkbookWriter.Write(path, new[] { WorkbookSheet.ForTensor("W1", net.Parameters[0].Value) });
            using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
            {
                zip.GetEntry(part).Delete();
                using (var w = new StreamWriter(zip.CreateEntry(part).Open())) w.Write("<workbook><oops");
            }
            byte[] before = File.ReadAllBytes(path);
            var e = Refused(() => WorkbookWriter.Write(path, new[] { WorkbookSheet.ForTensor("b1", net.Parameters[1].Value) }, append: true));
            Assert.Equal(ErrorIds.WorkbookInvalid, e.ErrorId);
            Assert.Equal(before, File.ReadAllBytes(path));
        }
    }
}
