using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using BackpropModule.Engine.Data;
using Xunit;
using Xunit.Abstractions;

namespace BackpropModule.Engine.Tests.Fuzz
{
    /// <summary>
    /// Fuzzes <see cref="IdxReader.Load"/> with mutated raw and gzipped IDX files (byte mutations
    /// and header edits, recompressed so the gzip layer is valid) and compares every load with a
    /// strict reference reader written from the IDX and gzip specifications. Bounded run: fixed
    /// seeds, 8,000 cases; BACKPROP_FUZZ_CASES runs more.
    /// </summary>
    public sealed class IdxFuzzTests : IDisposable
    {
        private const int Classes = 10;
        private readonly string dir = Path.Combine(Path.GetTempPath(), "idx-fuzz-" + Guid.NewGuid().ToString("N"));
        private readonly ITestOutputHelper output;

        public IdxFuzzTests(ITestOutputHelper output)
        {
            this.output = output;
            Directory.CreateDirectory(dir);
        }

        public void Dispose() => Directory.Delete(dir, true);

        private sealed class BaseSet
        {
            public byte[] Images, Labels;
            public bool Gzip;
        }

        private static BaseSet Make(int count, int rows, int cols, bool gzip, int seed)
        {
            var rng = new Random(seed);
            var px = new byte[count * rows * cols];
            rng.NextBytes(px);
            var labels = Enumerable.Range(0, count).Select(_ => (byte)rng.Next(Classes)).ToArray();
            return new BaseSet { Images = Encode(new[] { count, rows, cols }, px, gzip), Labels = Encode(new[] { count }, labels, gzip), Gzip = gzip };
        }

        private static byte[] Encode(int[] dims, byte[] data, bool gzip)
        {
            var raw = new byte[4 + 4 * dims.Length + data.Length];
            raw[2] = 8;
            raw[3] = (byte)dims.Length;
            for (int d = 0; d < dims.Length; d++) for (int k = 0; k < 4; k++) raw[4 + 4 * d + k] = (byte)(dims[d] >> (24 - 8 * k));
            Buffer.BlockCopy(data, 0, raw, raw.Length - data.Length, data.Length);
            return gzip ? Gzip(raw) : raw;
        }

        private static byte[] Gzip(byte[] raw)
        {
            var m = new MemoryStream();
            using (var z = new GZipStream(m, CompressionLevel.Optimal, true)) z.Write(raw, 0, raw.Length);
            return m.ToArray();
        }

        [Fact]
        public void Mutated_idx_files_give_a_clean_error_or_exactly_the_reference_data()
        {
            var bases = new[] { Make(12, 6, 5, false, 1), Make(12, 6, 5, true, 2), Make(3, 28, 28, true, 3), Make(1, 1, 1, false, 4) };
            var results = new List<FuzzResult>();
            int cases = FuzzHarness.Cases(8000);
            for (int seed = FuzzHarness.FirstSeed; seed < FuzzHarness.FirstSeed + cases; seed++)
                results.Add(RunCase(seed, bases));
            output.WriteLine("IDX fuzz: " + FuzzHarness.Summary(results));
            FuzzHarness.AssertNoBadOutcome(results, "IDX");
            Assert.Contains(results, r => r.Outcome == FuzzOutcome.Loaded);
            Assert.Contains(results, r => r.Outcome == FuzzOutcome.Refused);
        }

        private FuzzResult RunCase(int seed, BaseSet[] bases)
        {
            var rng = new Random(seed);
            var b = bases[rng.Next(bases.Length)];
            bool labelsToo = rng.Next(5) == 0;
            byte[] images = b.Images, labels = b.Labels;
            string what;
            if (rng.Next(3) == 0) images = EditHeader(rng, images, b.Gzip, 3, out what);
            else images = FuzzHarness.Mutate(rng, images, out what);
            if (labelsToo)
            {
                labels = rng.Next(2) == 0 ? EditHeader(rng, labels, b.Gzip, 1, out string lw) : FuzzHarness.Mutate(rng, labels, out lw);
                what += "; labels " + lw;
            }
            what = (b.Gzip ? "gz " : "raw ") + what;
            string i = Path.Combine(dir, "images"), l = Path.Combine(dir, "labels");
            File.WriteAllBytes(i, images);
            File.WriteAllBytes(l, labels);
            var reference = Reference.Read(images, labels);
            long budget = 12 * (images.LongLength + labels.LongLength + reference.Decompressed) + (2 << 20);
            return FuzzHarness.Run(seed, what, () => Compare(IdxReader.Load(i, l, new IdxLoadOptions { ClassCount = Classes }), reference),
                budget, reference.Valid, TimeSpan.FromSeconds(20));
        }

        /// <summary>Sets one header field to a value chosen to probe limits (recompressing a gzip file, so only the header changes).</summary>
        private static byte[] EditHeader(Random rng, byte[] file, bool gzip, int dims, out string what)
        {
            byte[] raw = gzip ? Gunzip(file, 1 << 24, out _) : (byte[])file.Clone();
            int field = rng.Next(dims + 1);
            int[] specials = { 0, 1, 2, 11, 13, 28, 255, 256, 65536, 2000000, 0x7FFFFFFF, unchecked((int)0x80000000), -1, 1 << 24, (1 << 24) + 1 };
            int v = specials[rng.Next(specials.Length)];
            if (field == 0) { raw[rng.Next(4)] = (byte)v; what = $"magic byte {v & 0xFF:X2}"; }
            else { for (int k = 0; k < 4; k++) raw[4 * field + k] = (byte)(v >> (24 - 8 * k)); what = $"dim {field - 1} = {v}"; }
            return gzip ? Gzip(raw) : raw;
        }

        private static byte[] Gunzip(byte[] file, int cap, out bool ok)
        {
            var m = new MemoryStream();
            ok = true;
            try
            {
                using (var z = new GZipStream(new MemoryStream(file), CompressionMode.Decompress))
                {
                    var buf = new byte[8192];
                    for (int n; m.Length < cap && (n = z.Read(buf, 0, buf.Length)) > 0;) m.Write(buf, 0, n);
                }
            }
            catch (InvalidDataException) { ok = false; }
            return m.ToArray();
        }

        private static string Compare(Dataset d, Reference r)
        {
            if (!r.Valid) return "loaded a pair the reference refuses: " + r.Why;
            if (d.Count != r.Labels.Length) return $"count {d.Count}, reference {r.Labels.Length}";
            if (d.FeatureCount != r.Features) return $"features {d.FeatureCount}, reference {r.Features}";
            for (int k = 0; k < r.Pixels.Length; k++)
                if (d.Features[k] != r.Pixels[k] / 255.0) return $"pixel {k} is {d.Features[k] * 255}, reference {r.Pixels[k]}";
            for (int s = 0; s < r.Labels.Length; s++)
                if (d.Labels[s] != r.Labels[s]) return $"label {s} is {d.Labels[s]}, reference {r.Labels[s]}";
            return null;
        }

        /// <summary>
        /// The strict reference: a file is valid when (gzip) .NET inflates it, its last 8 bytes are
        /// the CRC-32 and length of what came out, and (both) the header is an unsigned-byte IDX
        /// header of the right rank whose sizes account for every byte. Then the pair must agree on
        /// the count and every label must be below the class count.
        /// </summary>
        private sealed class Reference
        {
            public bool Valid;
            public string Why;
            public long Decompressed;
            public byte[] Pixels, Labels;
            public int Features;

            public static Reference Read(byte[] images, byte[] labels)
            {
                var r = new Reference();
                var px = r.Body(images, 3, out int[] pd);
                var lb = r.Body(labels, 1, out int[] ld);
                if (px == null || lb == null) return r;
                if (pd[0] != ld[0]) return r.No("counts differ");
                if (pd[0] == 0) return r.No("no images");
                if (lb.Any(x => x >= Classes)) return r.No("label out of range");
                r.Valid = true;
                r.Pixels = px;
                r.Labels = lb;
                r.Features = pd[1] * pd[2];
                return r;
            }

            private Reference No(string why) { Valid = false; Why = Why ?? why; return this; }

            private byte[] Body(byte[] file, int rank, out int[] dims)
            {
                dims = null;
                byte[] raw = file;
                if (file.Length >= 2 && file[0] == 0x1F && file[1] == 0x8B)
                {
                    raw = Gunzip(file, 1 << 26, out bool ok);
                    Decompressed += raw.Length;
                    if (!ok) { No("gzip does not inflate"); return null; }
                    if (file.Length < 18 || ReadLe(file, file.Length - 8) != BitwiseCrc(raw) || ReadLe(file, file.Length - 4) != (uint)raw.Length)
                    { No("gzip trailer missing or wrong"); return null; }
                }
                if (raw.Length < 4 + 4 * rank || raw[0] != 0 || raw[1] != 0 || raw[2] != 8 || raw[3] != rank) { No("bad header"); return null; }
                dims = new int[rank];
                long item = 1;
                for (int d = 0; d < rank; d++)
                {
                    dims[d] = (raw[4 + 4 * d] << 24) | (raw[5 + 4 * d] << 16) | (raw[6 + 4 * d] << 8) | raw[7 + 4 * d];
                    if (dims[d] < (d == 0 ? 0 : 1)) { No("bad size"); return null; }
                    if (d > 0) item *= dims[d];
                }
                if (item > 1 << 24) { No("item too large"); return null; }
                long header = 4 + 4 * rank;
                if (raw.Length != header + dims[0] * item) { No("length does not match the header"); return null; }
                return raw.Skip((int)header).ToArray();
            }

            private static uint ReadLe(byte[] b, int at) => (uint)(b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24));

            private static uint BitwiseCrc(byte[] data)
            {
                uint c = 0xFFFFFFFF;
                foreach (byte x in data)
                {
                    c ^= x;
                    for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
                }
                return ~c;
            }
        }
    }
}
