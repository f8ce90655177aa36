using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BackpropModule.Engine.IO;
using BackpropModule.Engine.Layers;
using BackpropModule.Engine.Losses;
using BackpropModule.Engine.Tensors;
using BackpropModule.Engine.Training;
using Xunit;
using Xunit.Abstractions;

namespace BackpropModule.Engine.Tests.Fuzz
{
    /// <summary>
    /// Fuzzes <see cref="NetworkFile.Load"/> with mutated saved networks: byte mutations (which
    /// the checksum mostly catches) and, more usefully, edits of payload fields — numbers, strings,
    /// members — with the SHA-256 recomputed, as a crafted file would have. A load is compared with
    /// an independent reading of the same file through System.Text.Json.
    /// </summary>
    public sealed class NetworkFileFuzzTests : IDisposable
    {
        private readonly string dir = Path.Combine(Path.GetTempPath(), "net-fuzz-" + Guid.NewGuid().ToString("N"));
        private readonly ITestOutputHelper output;

        public NetworkFileFuzzTests(ITestOutputHelper output)
        {
            this.output = output;
            Directory.CreateDirectory(dir);
        }

        public void Dispose() => Directory.Delete(dir, true);

        private static string[] Bases()
        {
            var plain = new Network(new[] { 3, 4, 2 }, ActivationKind.ReLU, OutputKind.Softmax, seed: 1);
            var deep = new Network(new[] { 2, 5, 3, 1 }, ActivationKind.Tanh, OutputKind.Identity, seed: -7);
            var trained = new Network(new[] { 4, 3, 3 }, ActivationKind.Sigmoid, OutputKind.Sigmoid, seed: 3);
            trained.Checkpoint = new TrainingCheckpoint
            {
                EpochsCompleted = 5,
                RandomState = new ulong[] { 1, 2, ulong.MaxValue, 12345, 1, (ulong)BitConverter.DoubleToInt64Bits(0.5) },
                OptimizerName = "Adam",
                OptimizerSettings = new Dictionary<string, double> { ["LearningRate"] = 0.001, ["Beta1"] = 0.9 },
                OptimizerState = new[] { new KeyValuePair<string, Tensor>("m.W1", new Tensor(4, 3)), new KeyValuePair<string, Tensor>("t", new Tensor(1, 1)) },
            };
            return new[] { NetworkFile.Serialize(plain), NetworkFile.Serialize(deep), NetworkFile.Serialize(trained) };
        }

        [Fact]
        public void Mutated_network_files_give_a_clean_error_or_exactly_what_the_file_says()
        {
            var bases = Bases();
            var results = new List<FuzzResult>();
            int cases = FuzzHarness.Cases(10000);
            string path = Path.Combine(dir, "net.json");
            for (int seed = FuzzHarness.FirstSeed; seed < FuzzHarness.FirstSeed + cases; seed++)
            {
                var rng = new Random(seed);
                string text = bases[rng.Next(bases.Length)];
                byte[] bytes;
                string what;
                if (rng.Next(4) == 0) bytes = FuzzHarness.Mutate(rng, Encoding.UTF8.GetBytes(text), out what);
                else bytes = Encoding.UTF8.GetBytes(Resign(EditPayload(rng, Payload(text), out what), text));
                File.WriteAllBytes(path, bytes);
                string reference = ReferenceText(bytes);
                results.Add(FuzzHarness.Run(seed, what, () => Compare(NetworkFile.Load(path), reference),
                    8L * bytes.Length + (4 << 20), null, TimeSpan.FromSeconds(20)));
            }
            output.WriteLine("Network-file fuzz: " + FuzzHarness.Summary(results));
            FuzzHarness.AssertNoBadOutcome(results, "network-file");
            Assert.Contains(results, r => r.Outcome == FuzzOutcome.Loaded);
            Assert.Contains(results, r => r.Outcome == FuzzOutcome.Refused);
        }

        private static int PayloadStart(string text) => text.IndexOf("\"payload\": ", StringComparison.Ordinal) + 11;

        private static int PayloadEnd(string text) => text.LastIndexOf("\n}", StringComparison.Ordinal);

        private static string Payload(string text) => text.Substring(PayloadStart(text), PayloadEnd(text) - PayloadStart(text));

        /// <summary>Puts a (changed) payload back in the envelope with its SHA-256 recomputed, as an attacker can.</summary>
        private static string Resign(string payload, string original)
        {
            int sha = original.IndexOf("\"sha256\": \"", StringComparison.Ordinal) + 11;
            string hex;
            using (var h = SHA256.Create()) hex = string.Concat(h.ComputeHash(Encoding.UTF8.GetBytes(payload.Replace("\r\n", "\n"))).Select(b => b.ToString("x2")));
            return original.Substring(0, sha) + hex + original.Substring(sha + 64, PayloadStart(original) - sha - 64) + payload + original.Substring(PayloadEnd(original));
        }

        private static readonly string[] Numbers =
        {
            "0", "-1", "1", "2", "3", "4", "2147483647", "2147483648", "-2147483648", "9223372036854775807", "9223372036854775808",
            "1e308", "-0", "1.5", "1e2", "4294967296", "00", "\"0\"", "null", "true", "[]", "{}", "1024", "1025",
        };

        private static readonly string[] Strings =
        {
            "", "W1", "b1", "W2", "b2", "ReLU", "Tanh", "Sigmoid", "Identity", "Softmax", "He", "Xavier", "Normal", "NaN", "Infinity", "-Infinity",
            "0", "18446744073709551615", "18446744073709551616", "-1", "AAAA", "AAAAAAAAAAA=", "AAAAAAAAAAAAAAA=", "Adam", "Sgd", "\\u0000", "é",
        };

        /// <summary>One field edit: a number or string replaced by a probing value, a member dropped or duplicated, an array grown or shrunk.</summary>
        private static string EditPayload(Random rng, string p, out string what)
        {
            var tokens = Tokens(p);
            int kind = rng.Next(6);
            var numbers = tokens.Where(t => !t.IsString).ToList();
            var strings = tokens.Where(t => t.IsString).ToList();
            if (kind <= 1 && numbers.Count > 0)
            {
                var t = numbers[rng.Next(numbers.Count)];
                string v = Numbers[rng.Next(Numbers.Length)];
                what = $"number '{p.Substring(t.Start, t.Length)}' at {t.Start} -> {v}";
                return p.Substring(0, t.Start) + v + p.Substring(t.Start + t.Length);
            }
            if (kind <= 3 && strings.Count > 0)
            {
                var t = strings[rng.Next(strings.Count)];
                string old = p.Substring(t.Start + 1, t.Length - 2);
                string v = old.Length > 16 && rng.Next(2) == 0 ? ChangeBase64(rng, old) : Strings[rng.Next(Strings.Length)];
                what = $"string at {t.Start} ({Short(old)}) -> {Short(v)}";
                return p.Substring(0, t.Start + 1) + v + p.Substring(t.Start + t.Length - 1);
            }
            if (kind == 4)
            {
                // Duplicate or drop a line of the pretty-printed payload (a member or an array item).
                var lines = p.Split('\n').ToList();
                int at = 1 + rng.Next(Math.Max(1, lines.Count - 2));
                bool drop = rng.Next(2) == 0;
                if (drop) lines.RemoveAt(at); else lines.Insert(at, lines[at]);
                what = (drop ? "drop" : "duplicate") + $" line {at}";
                return string.Join("\n", lines);
            }
            int comma = p.IndexOf("layerSizes", StringComparison.Ordinal);
            int open = p.IndexOf('[', comma);
            string extra = new[] { "1, ", "0, ", "2147483647, ", "-3, ", "5, 5, " }[rng.Next(5)];
            what = "layerSizes starts with " + extra;
            return p.Substring(0, open + 1) + extra + p.Substring(open + 1);
        }

        private static string ChangeBase64(Random rng, string s)
        {
            const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
            var c = s.ToCharArray();
            int at = rng.Next(c.Length);
            switch (rng.Next(4))
            {
                case 0: c[at] = alphabet[rng.Next(64)]; return new string(c);
                case 1: c[at] = " =-_*"[rng.Next(5)]; return new string(c);
                case 2: return s.Substring(0, s.Length - 4);
                default: return s + "AAAA";
            }
        }

        private static string Short(string s) => s.Length > 24 ? s.Substring(0, 10) + "…" + s.Length : s;

        private struct Token { public int Start, Length; public bool IsString; }

        /// <summary>Value tokens of JSON text: strings (with quotes) after a ':' or in an array, and numbers.</summary>
        private static List<Token> Tokens(string p)
        {
            var list = new List<Token>();
            for (int i = 0; i < p.Length; i++)
            {
                if (p[i] == '"')
                {
                    int start = i;
                    for (i++; i < p.Length && p[i] != '"'; i++) if (p[i] == '\\') i++;
                    int next = i + 1;
                    while (next < p.Length && p[next] == ' ') next++;
                    bool isKey = next < p.Length && p[next] == ':';
                    if (!isKey) list.Add(new Token { Start = start, Length = i - start + 1, IsString = true });
                }
                else if (p[i] == '-' || char.IsDigit(p[i]))
                {
                    int start = i;
                    while (i + 1 < p.Length && "+-.eE0123456789".IndexOf(p[i + 1]) >= 0) i++;
                    list.Add(new Token { Start = start, Length = i - start + 1 });
                }
            }
            return list;
        }

        /// <summary>The file as text if it is strict UTF-8 (else null: a load must then fail).</summary>
        private static string ReferenceText(byte[] bytes)
        {
            try { return new UTF8Encoding(false, true).GetString(bytes).TrimStart('\uFEFF'); }
            catch (DecoderFallbackException) { return null; }
        }

        /// <summary>Reads the payload again with System.Text.Json and checks the loaded network holds exactly that.</summary>
        private static string Compare(Network n, string text)
        {
            if (text == null) return "loaded a file that is not UTF-8";
            try
            {
                using (var doc = JsonDocument.Parse(text))
                {
                    var p = doc.RootElement.GetProperty("payload");
                    var sizes = p.GetProperty("layerSizes").EnumerateArray().Select(e => e.GetInt64()).ToArray();
                    if (!sizes.SequenceEqual(n.LayerSizes.Select(s => (long)s))) return "layer sizes differ";
                    if (p.GetProperty("activation").GetString() != n.Activation.ToString()) return "activation differs";
                    if (p.GetProperty("output").GetString() != n.Output.ToString()) return "output differs";
                    if (p.GetProperty("weightInit").GetString() != n.WeightInit.ToString()) return "weightInit differs";
                    if (p.GetProperty("seed").GetInt64() != n.Seed) return "seed differs";
                    string t = Tensors(p.GetProperty("parameters"), n.Parameters.Select(x => new KeyValuePair<string, Tensor>(x.Name, x.Value)).ToList());
                    if (t != null) return "parameters: " + t;
                    bool has = p.TryGetProperty("checkpoint", out var cp) && cp.ValueKind != JsonValueKind.Null;
                    if (has != (n.Checkpoint != null)) return "checkpoint presence differs";
                    string c = has ? Checkpoint(cp, n.Checkpoint) : null;
                    if (c != null) return c;
                    // Every other field too, including ones added later: the network written back
                    // must say what the file said (members the writer adds with defaults aside).
                    using (var back = JsonDocument.Parse(NetworkFile.Serialize(n)))
                        return Same(p, back.RootElement.GetProperty("payload"), "payload");
                }
            }
            catch (Exception e) when (e is JsonException || e is KeyNotFoundException || e is InvalidOperationException || e is FormatException)
            {
                return "loaded a file the reference cannot read: " + e.Message;
            }
        }

        /// <summary>Structural comparison: numbers by value, base64 "data" by bytes, a member only in the written-back payload allowed.</summary>
        private static string Same(JsonElement file, JsonElement back, string at)
        {
            if (file.ValueKind == JsonValueKind.Object && back.ValueKind == JsonValueKind.Object)
            {
                foreach (var m in file.EnumerateObject())
                {
                    // null means "absent" in the format: the reader uses the member's default.
                    if (m.Value.ValueKind == JsonValueKind.Null) continue;
                    if (!back.TryGetProperty(m.Name, out var other)) return $"{at}.{m.Name} was dropped";
                    string d = m.Name == "data" && m.Value.ValueKind == JsonValueKind.String && other.ValueKind == JsonValueKind.String
                        ? (Convert.FromBase64String(m.Value.GetString()).SequenceEqual(Convert.FromBase64String(other.GetString())) ? null : $"{at}.data differs")
                        : Same(m.Value, other, at + "." + m.Name);
                    if (d != null) return d;
                }
                return null;
            }
            if (file.ValueKind == JsonValueKind.Array && back.ValueKind == JsonValueKind.Array)
            {
                var a = file.EnumerateArray().ToList();
                var b = back.EnumerateArray().ToList();
                if (a.Count != b.Count) return $"{at} has {a.Count} items, read back {b.Count}";
                for (int i = 0; i < a.Count; i++) { string d = Same(a[i], b[i], $"{at}[{i}]"); if (d != null) return d; }
                return null;
            }
            if (file.ValueKind == JsonValueKind.Number && back.ValueKind == JsonValueKind.Number)
            {
                // Integers exactly; anything else as the double it rounds to (a double field given as
                // 9223372036854775808 is read as the nearest double, which is what the file means).
                if (file.TryGetInt64(out long x) && back.TryGetInt64(out long y)) return x == y ? null : $"{at} is {file}, read back {back}";
                return BitConverter.DoubleToInt64Bits(file.GetDouble()) == BitConverter.DoubleToInt64Bits(back.GetDouble()) ? null : $"{at} is {file}, read back {back}";
            }
            if (file.ValueKind != back.ValueKind) return $"{at} is a {file.ValueKind}, read back a {back.ValueKind}";
            return file.ValueKind == JsonValueKind.String && file.GetString() != back.GetString() ? $"{at} is '{file.GetString()}', read back '{back.GetString()}'" : null;
        }

        private static string Checkpoint(JsonElement cp, TrainingCheckpoint c)
        {
            if (cp.GetProperty("epochsCompleted").GetInt64() != c.EpochsCompleted) return "epochsCompleted differs";
            if (cp.TryGetProperty("randomState", out var rs) && rs.ValueKind != JsonValueKind.Null
                && !rs.EnumerateArray().Select(e => ulong.Parse(e.GetString())).SequenceEqual(c.RandomState ?? new ulong[0])) return "randomState differs";
            if (cp.TryGetProperty("optimizerName", out var on) && on.ValueKind != JsonValueKind.Null && on.GetString() != c.OptimizerName) return "optimizerName differs";
            if (cp.TryGetProperty("optimizerSettings", out var os) && os.ValueKind != JsonValueKind.Null)
                foreach (var m in os.EnumerateObject())
                {
                    double v = m.Value.ValueKind == JsonValueKind.String ? double.Parse(m.Value.GetString(), System.Globalization.CultureInfo.InvariantCulture) : m.Value.GetDouble();
                    if (!c.OptimizerSettings.TryGetValue(m.Name, out double got) || BitConverter.DoubleToInt64Bits(got) != BitConverter.DoubleToInt64Bits(v) && !(double.IsNaN(got) && double.IsNaN(v)))
                        return $"optimizerSettings.{m.Name} differs";
                }
            if (cp.TryGetProperty("optimizerState", out var st) && st.ValueKind != JsonValueKind.Null)
                return Tensors(st, c.OptimizerState);
            return null;
        }

        private static string Tensors(JsonElement array, IReadOnlyList<KeyValuePair<string, Tensor>> loaded)
        {
            var items = array.EnumerateArray().ToList();
            if (items.Count != (loaded?.Count ?? 0)) return "tensor count differs";
            for (int i = 0; i < items.Count; i++)
            {
                var t = loaded[i].Value;
                if (items[i].GetProperty("name").GetString() != loaded[i].Key) return $"tensor {i} name differs";
                if (items[i].GetProperty("rows").GetInt64() != t.Rows || items[i].GetProperty("columns").GetInt64() != t.Columns) return $"tensor {i} shape differs";
                byte[] b = Convert.FromBase64String(items[i].GetProperty("data").GetString());
                if (b.Length != 8L * t.Rows * t.Columns) return $"tensor {i} length differs";
                for (int r = 0, k = 0; r < t.Rows; r++)
                    for (int c = 0; c < t.Columns; c++, k += 8)
                        if (BitConverter.ToInt64(b, k) != BitConverter.DoubleToInt64Bits(t[r, c])) return $"tensor {i} value [{r},{c}] differs";
            }
            return null;
        }
    }
}
