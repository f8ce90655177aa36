using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using BackpropModule.Engine;
using BackpropModule.Engine.IO;
using BackpropModule.Engine.Layers;
using BackpropModule.Engine.Losses;
using BackpropModule.Engine.Randomness;
using BackpropModule.Engine.Tensors;
using BackpropModule.Engine.Training;
using Xunit;

namespace BackpropModule.Engine.Tests.Persist
{
    public sealed class NetworkFileTests : IDisposable
    {
        private readonly string folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "persist-nf-" + Guid.NewGuid().ToString("N"))).FullName;

        public void Dispose() => Directory.Delete(folder, true);

        public static IEnumerable<object[]> Kinds() =>
            from a in Enum.GetValues(typeof(ActivationKind)).Cast<ActivationKind>()
            from o in Enum.GetValues(typeof(OutputKind)).Cast<OutputKind>()
            select new object[] { a, o };

        private static void AssertSameNetwork(Network expected, Network actual)
        {
            Assert.Equal(expected.LayerSizes, actual.LayerSizes);
            Assert.Equal(expected.Activation, actual.Activation);
            Assert.Equal(expected.Output, actual.Output);
            Assert.Equal(expected.WeightInit, actual.WeightInit);
            Assert.Equal(expected.Seed, actual.Seed);
            for (int i = 0; i < expected.Parameters.Count; i++)
            {
                Assert.Equal(expected.Parameters[i].Name, actual.Parameters[i].Name);
                Assert.True(expected.Parameters[i].Value.BitwiseEquals(actual.Parameters[i].Value), expected.Parameters[i].Name + " differs");
            }
        }

        [Theory]
        [MemberData(nameof(Kinds))]
        public void Save_then_load_is_bit_exact_for_every_activation_and_output(ActivationKind activation, OutputKind output)
        {
            var net = new Network(new[] { 4, 5, 3 }, activation, output, seed: 11);
            // Awkward values: -0, subnormal, extremes, a value with no short decimal form.
            net.Parameters[1].Value[0, 0] = -0.0;
            net.Parameters[1].Value[0, 1] = double.Epsilon;
            net.Parameters[1].Value[0, 2] = double.MaxValue;
            net.Parameters[0].Value[0, 0] = 0.1 + 0.2;
            string path = Path.Combine(folder, "net.json");
            NetworkFile.Save(net, path);
            var back = NetworkFile.Load(path);
            AssertSameNetwork(net, back);
            Assert.Null(back.Checkpoint);
            var x = Tensor.FromRows(new[] { new[] { 0.5, -1.0, 2.0, 0.25 } });
            Assert.True(net.Forward(x).Output.BitwiseEquals(back.Forward(x).Output));
        }

        [Fact]
        public void A_deep_network_round_trips()
        {
            var net = new Network(new[] { 7, 16, 12, 9, 8, 6, 2 }, ActivationKind.Tanh, OutputKind.Softmax, seed: 3);
            var back = NetworkFile.Deserialize(NetworkFile.Serialize(net), "mem");
            AssertSameNetwork(net, back);
        }

        private static TrainingCheckpoint SampleCheckpoint(Network net)
        {
            var rng = new SeededRandom(5);
            rng.NextNormal();
            return new TrainingCheckpoint
            {
                EpochsCompleted = 7,
                RandomState = rng.GetState(),
                OptimizerName = "Adam",
                OptimizerSettings = new Dictionary<string, double> { ["LearningRate"] = 0.001, ["Beta1"] = 0.9, ["Epsilon"] = 1e-8, ["Odd"] = 1.0 / 3 },
                OptimizerState = net.Parameters.Select(p => new KeyValuePair<string, Tensor>("m." + p.Name, p.Value.Clone()))
                    .Concat(new[] { new KeyValuePair<string, Tensor>("t", Tensor.FromRow(new[] { 42.0 })) }).ToList(),
            };
        }

        [Fact]
        public void The_checkpoint_round_trips_field_by_field()
        {
            var net = new Network(new[] { 3, 4, 2 }, ActivationKind.ReLU, OutputKind.Softmax, seed: 9);
            var cp = SampleCheckpoint(net);
            net.Checkpoint = cp;
            var back = NetworkFile.Deserialize(NetworkFile.Serialize(net), "mem").Checkpoint;
            Assert.NotNull(back);
            Assert.Equal(cp.EpochsCompleted, back.EpochsCompleted);
            Assert.Equal(cp.RandomState, back.RandomState);
            Assert.Equal(cp.OptimizerName, back.OptimizerName);
            Assert.Equal(cp.OptimizerSettings.Keys, back.OptimizerSettings.Keys);
            foreach (var kv in cp.OptimizerSettings)
                Assert.Equal(BitConverter.DoubleToInt64Bits(kv.Value), BitConverter.DoubleToInt64Bits(back.OptimizerSettings[kv.Key]));
            Assert.Equal(cp.OptimizerState.Select(s => s.Key), back.OptimizerState.Select(s => s.Key));
            for (int i = 0; i < cp.OptimizerState.Count; i++) Assert.True(cp.OptimizerState[i].Value.BitwiseEquals(back.OptimizerState[i].Value));
            var restored = new SeededRandom(1);
            restored.SetState(back.RandomState.Take(6).ToArray());
            var original = new SeededRandom(5); original.NextNormal();
            Assert.Equal(original.NextNormal(), restored.NextNormal());
        }

        [Fact]
        public void The_checkpoint_can_be_left_out_and_a_checkpoint_with_nulls_round_trips()
        {
            var net = new Network(new[] { 3, 2 }, ActivationKind.ReLU, OutputKind.Identity, seed: 1) { Checkpoint = new TrainingCheckpoint { EpochsCompleted = 2 } };
            Assert.Null(NetworkFile.Deserialize(NetworkFile.Serialize(net, includeCheckpoint: false), "mem").Checkpoint);
            var back = NetworkFile.Deserialize(NetworkFile.Serialize(net), "mem").Checkpoint;
            Assert.Equal(2, back.EpochsCompleted);
            Assert.Null(back.RandomState);
            Assert.Null(back.OptimizerState);
        }

        private static BackpropException Refused(string text) =>
            Assert.Throws<BackpropException>(() => NetworkFile.Deserialize(text, "target"));

        private static string Text(int seed = 2) =>
            NetworkFile.Serialize(new Network(new[] { 3, 4, 2 }, ActivationKind.Sigmoid, OutputKind.Sigmoid, seed: seed));

        [Fact]
        public void A_truncated_file_is_refused_at_every_length()
        {
            string text = Text();
            for (int n = 0; n < text.Length - 2; n += 7)
            {
                var e = Refused(text.Substring(0, n));
                Assert.Equal(ErrorIds.NetworkFileInvalid, e.ErrorId);
                Assert.Equal("target", e.TargetObject);
            }
        }

        [Fact]
        public void A_changed_value_fails_the_checksum()
        {
            string text = Text();
            int at = text.IndexOf("\"data\": \"", StringComparison.Ordinal) + 12;
            char swapped = text[at] == 'A' ? 'B' : 'A';
            var e = Refused(text.Substring(0, at) + swapped + text.Substring(at + 1));
            Assert.Equal(ErrorIds.NetworkFileChecksumMismatch, e.ErrorId);
            Assert.Equal(ErrorKind.InvalidData, e.Kind);
        }

        /// <summary>Replaces the payload and recomputes the checksum, as a hostile writer would.</summary>
        internal static string WithPayload(string text, Func<string, string> edit)
        {
            int start = text.IndexOf("\"payload\": ", StringComparison.Ordinal) + 11;
            int end = text.LastIndexOf('}');
            string payload = edit(text.Substring(start, end - start).TrimEnd());
            using var sha = System.Security.Cryptography.SHA256.Create();
            string hash = string.Concat(sha.ComputeHash(Encoding.UTF8.GetBytes(payload)).Select(b => b.ToString("x2")));
            return "{\"format\": \"BackpropModule.Network\", \"formatVersion\": 2, \"sha256\": \"" + hash + "\", \"payload\": " + payload + "}";
        }

        [Fact]
        public void A_file_converted_to_CRLF_line_endings_still_loads()
        {
            string text = Text();
            Assert.DoesNotContain("\r", text);
            Assert.Equal(new[] { 3, 4, 2 }, NetworkFile.Deserialize(text.Replace("\n", "\r\n"), "t").LayerSizes);
        }

        [Fact]
        public void The_same_payload_with_a_correct_checksum_loads()
        {
            Assert.Equal(new[] { 3, 4, 2 }, NetworkFile.Deserialize(WithPayload(Text(), p => p), "t").LayerSizes);
        }

        [Theory]
        [InlineData("\"layerSizes\": [3, 4, 2]", "\"layerSizes\": [3, 2000000000, 2]")]
        [InlineData("\"rows\": 3", "\"rows\": 2147483647")]
        [InlineData("\"seed\": 2", "\"seed\": \"2\"")]
        [InlineData("\"activation\": \"Sigmoid\"", "\"activation\": \"System.Diagnostics.Process\"")]
        [InlineData("\"activation\": \"Sigmoid\"", "\"activation\": \"1\"")]
        [InlineData("\"seed\": 2", "\"seed\": 2, \"$type\": \"System.IO.FileInfo\"")]
        [InlineData("\"layerSizes\": [3, 4, 2]", "\"layerSizes\": [3, -4, 2]")]
        [InlineData("\"layerSizes\": [3, 4, 2]", "\"layerSizes\": [3, 4.5, 2]")]
        [InlineData("\"name\": \"W1\"", "\"name\": \"W9\"")]
        public void Hostile_or_mistyped_payloads_are_refused_before_allocating(string from, string to)
        {
            var e = Refused(WithPayload(Text(), p => { Assert.Contains(from, p); return p.Replace(from, to); }));
            Assert.Equal(ErrorIds.NetworkFileInvalid, e.ErrorId);
            Assert.StartsWith("The network file is invalid", e.Message);
        }

        [Theory]
        [InlineData("\"formatVersion\": 2", "\"formatVersion\": 4", "NetworkFileVersionUnsupported")]
        [InlineData("\"formatVersion\": 2", "\"formatVersion\": 0", "NetworkFileVersionUnsupported")]
        [InlineData("\"format\": \"BackpropModule.Network\"", "\"format\": \"Other\"", "NetworkFileInvalid")]
        [InlineData("\"formatVersion\": 2", "\"formatVersion\": 2, \"extra\": 1", "NetworkFileInvalid")]
        public void The_envelope_is_checked(string from, string to, string errorId)
        {
            string text = Text();
            Assert.Contains(from, text);
            Assert.Equal(errorId, Refused(text.Replace(from, to)).ErrorId);
        }

        [Fact]
        public void Deep_nesting_and_garbage_are_refused()
        {
            Assert.Equal(ErrorIds.NetworkFileInvalid, Refused(new string('[', 100000)).ErrorId);
            Assert.Equal(ErrorIds.NetworkFileInvalid, Refused("\u0000\u0001PK").ErrorId);
            Assert.Equal(ErrorIds.NetworkFileInvalid, Refused("").ErrorId);
        }

        [Fact]
        public void Load_reports_a_missing_file_and_save_leaves_the_old_file_when_it_fails()
        {
            string missing = Path.Combine(folder, "missing.json");
            var e = Assert.Throws<BackpropException>(() => NetworkFile.Load(missing));
            Assert.Equal(ErrorIds.NetworkFileNotFound, e.ErrorId);
            Assert.Equal(missing, e.TargetObject);

            string path = Path.Combine(folder, "keep.json");
            File.WriteAllText(path, "old");
            var net = new Network(new[] { 2, 2 }, ActivationKind.ReLU, OutputKind.Softmax, seed: 1);
            Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, t => { File.WriteAllText(t, "half"); throw new InvalidOperationException("fault"); }));
            Assert.Equal("old", File.ReadAllText(path));
            Assert.Single(Directory.GetFiles(folder));
            NetworkFile.Save(net, path);
            Assert.Equal(net.LayerSizes, NetworkFile.Load(path).LayerSizes);
            Assert.Single(Directory.GetFiles(folder));
        }
    }
}
