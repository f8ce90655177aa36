using System;
using System.IO;
using System.Linq;
using System.Threading;
using BackpropModule.Engine.Data;
using BackpropModule.Engine.IO;
using BackpropModule.Engine.Layers;
using BackpropModule.Engine.Losses;
using BackpropModule.Engine.Tensors;
using BackpropModule.Engine.Training;
using Xunit;

namespace BackpropModule.Engine.Tests.Persist
{
    /// <summary>Network files of networks with BatchNorm and Dropout (format version 3): round trips, resuming, hostile files.</summary>
    public sealed class LayeredNetworkFileTests : IDisposable
    {
        private static readonly Dataset Data = BuiltInDatasets.Create(BuiltInDatasetKind.Spiral, count: 50, seed: 5);
        private readonly string folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "persist-layers-" + Guid.NewGuid().ToString("N"))).FullName;

        public void Dispose() => Directory.Delete(folder, true);

        // BatchNorm in the first hidden block only and different rates: the mixed case the file must describe.
        private static Network Net(int seed = 1) =>
            new Network(new[] { 2, 12, 8, 3 }, ActivationKind.ReLU, OutputKind.Softmax, seed: seed,
                hiddenLayers: new HiddenLayerOptions(new[] { true, false }, new[] { 0.3, 0.1 }));

        private static Network Trained()
        {
            var net = Net();
            new Trainer(net, Data, new TrainingOptions { Epochs = 2, BatchSize = 16, OptimizerName = "Adam", Seed = 3 }).Run();
            return net;
        }

        private static readonly Dataset Head = Data.Slice(0, 20);
        private static Tensor X => Head.FeaturesTensor();

        private static void AssertSame(Network a, Network b)
        {
            Assert.Equal(a.Parameters.Select(p => p.Name), b.Parameters.Select(p => p.Name));
            for (int i = 0; i < a.Parameters.Count; i++) Assert.True(a.Parameters[i].Value.BitwiseEquals(b.Parameters[i].Value), a.Parameters[i].Name);
            var sa = a.SnapshotStatistics(); var sb = b.SnapshotStatistics();
            Assert.Equal(sa.Length, sb.Length);
            for (int k = 0; k < sa.Length; k++) Assert.True(sa[k].BitwiseEquals(sb[k]), "running statistics " + k);
            Assert.Equal(a.DropoutRates, b.DropoutRates);
            Assert.Equal(a.Chain, b.Chain);
            Assert.Equal(a.Architecture, b.Architecture);
        }

        [Fact]
        public void A_trained_network_round_trips_bit_for_bit_in_both_modes()
        {
            var net = Trained();
            Assert.Contains(net.BatchNorm[0].RunningMean.Data, v => v != 0);
            string path = Path.Combine(folder, "net.json");
            NetworkFile.Save(net, path);
            Assert.Contains("\"formatVersion\": 3", File.ReadAllText(path));
            var back = NetworkFile.Load(path);
            AssertSame(net, back);
            Assert.True(net.Predict(X).Output.BitwiseEquals(back.Predict(X).Output));
            var t = Head.TargetsTensor();
            var a = net.Forward(X, t, ForwardMode.Training, 77);
            var b = back.Forward(X, t, ForwardMode.Training, 77);
            Assert.True(a.Output.BitwiseEquals(b.Output));
            Assert.True(net.Backward(a)["dgamma1"].BitwiseEquals(back.Backward(b)["dgamma1"]));
        }

        [Fact]
        public void Plain_networks_are_still_written_as_version_2_and_bias_init_is_kept()
        {
            var plain = new Network(new[] { 2, 4, 3 }, ActivationKind.ReLU, OutputKind.Softmax, seed: 1);
            Assert.Contains("\"formatVersion\": 2", NetworkFile.Serialize(plain));
            Assert.DoesNotContain("hiddenLayers", NetworkFile.Serialize(plain));
            var normal = new Network(new[] { 2, 4, 3 }, ActivationKind.ReLU, OutputKind.Softmax, seed: 1, biasInit: BiasInitKind.Normal, biasScale: 0.05);
            string text = NetworkFile.Serialize(normal);
            Assert.Contains("\"formatVersion\": 3", text);
            var back = NetworkFile.Deserialize(text, "t");
            Assert.Equal(BiasInitKind.Normal, back.BiasInit);
            Assert.Equal(0.05, back.BiasScale);
            Assert.False(back.HasModes);
        }

        [Theory]
        [InlineData(3)]
        [InlineData(5)]
        public void A_stopped_run_saved_and_loaded_resumes_bit_identically(int stopAfter)
        {
            var options = new TrainingOptions { Epochs = 3, BatchSize = 16, OptimizerName = "Adam", Seed = 21, Shuffle = true };
            var whole = Net();
            new Trainer(whole, Data, options).Run();
            var split = Net();
            using var cts = new CancellationTokenSource();
            int batches = 0;
            new Trainer(split, Data, options) { BatchCompleted = _ => { if (++batches == stopAfter) cts.Cancel(); } }.Run(cts.Token);
            string path = Path.Combine(folder, "stopped.json");
            NetworkFile.Save(split, path);
            var loaded = NetworkFile.Load(path);
            Assert.Contains(loaded.Checkpoint.OptimizerState, kv => kv.Key.Contains("gamma1"));
            new Trainer(loaded, Data, new TrainingOptions { Epochs = 3 - loaded.Checkpoint.EpochsCompleted, Resume = true }).Run();
            AssertSame(whole, loaded);
        }

        [Fact]
        public void Older_files_without_the_new_members_load_as_plain_networks()
        {
            var plain = new Network(new[] { 3, 4, 2 }, ActivationKind.Sigmoid, OutputKind.Softmax, seed: 2);
            string v2 = NetworkFile.Serialize(plain);
            var back = NetworkFile.Deserialize(v2, "t");
            Assert.False(back.HasModes);
            Assert.Equal(BiasInitKind.Zero, back.BiasInit);
            // A version 2 file may not use the version 3 members.
            var e = Assert.Throws<BackpropException>(() => NetworkFile.Deserialize(NetworkFileTests.WithPayload(v2, p => p.Replace("\"seed\": 2", "\"seed\": 2, \"biasInit\": \"Zero\"")), "t"));
            Assert.Equal(ErrorIds.NetworkFileInvalid, e.ErrorId);
        }

        public static TheoryData<string, string> Hostile => new TheoryData<string, string>
        {
            { "\"dropout\": 0.3", "\"dropout\": 1" },
            { "\"dropout\": 0.3", "\"dropout\": -0.1" },
            { "\"dropout\": 0.3", "\"dropout\": \"NaN\"" },
            { "\"dropout\": 0.3", "\"dropout\": \"0.3\"" },
            { "\"batchNorm\": true", "\"batchNorm\": 1" },
            { "\"batchNorm\": false", "\"batchNorm\": true" },             // a BatchNorm flag without its parameters
            { "\"batchNorm\": true", "\"batchNorm\": false" },             // parameters without their flag
            { "},\n      { \"batchNorm\": false, \"dropout\": 0.1 }", "}" }, // one block missing
            { "\"name\": \"gamma1\", \"rows\": 1, \"columns\": 12", "\"name\": \"gamma1\", \"rows\": 1, \"columns\": 11" },
            { "\"name\": \"gamma1\"", "\"name\": \"beta1\"" },
            { "\"name\": \"RunningMean1\", \"rows\": 1, \"columns\": 12", "\"name\": \"RunningMean1\", \"rows\": 12, \"columns\": 1" },
            { "\"name\": \"RunningVariance1\"", "\"name\": \"RunningVariance2\"" },
            { "\"biasInit\": \"Zero\"", "\"biasInit\": \"Uniform\"" },
            { "\"biasScale\": 0.01", "\"biasScale\": -1" },
        };

        [Theory]
        [MemberData(nameof(Hostile))]
        public void Hostile_layer_descriptions_are_refused(string from, string to)
        {
            string text = NetworkFile.Serialize(Trained(), includeCheckpoint: false);
            Assert.Contains(from, text);
            string edited = NetworkFileTests.WithPayload(text, p => p.Replace(from, to)).Replace("\"formatVersion\": 2", "\"formatVersion\": 3");
            var e = Assert.Throws<BackpropException>(() => NetworkFile.Deserialize(edited, "hostile.json"));
            Assert.Equal(ErrorIds.NetworkFileInvalid, e.ErrorId);
            Assert.Equal("hostile.json", e.TargetObject);
        }

        [Theory]
        [InlineData(0, double.NaN)]
        [InlineData(1, -0.5)]
        [InlineData(1, double.PositiveInfinity)]
        public void Bad_running_statistics_are_refused(int which, double value)
        {
            var net = Trained();
            var bn = net.BatchNorm[0];
            (which == 0 ? bn.RunningMean : bn.RunningVariance).Data[3] = value;
            string text = NetworkFile.Serialize(net, includeCheckpoint: false);
            var e = Assert.Throws<BackpropException>(() => NetworkFile.Deserialize(text, "bad.json"));
            Assert.Equal(ErrorIds.NetworkFileInvalid, e.ErrorId);
            Assert.Contains(which == 0 ? "RunningMean1" : "RunningVariance1", e.Message);
        }

        [Fact]
        public void Missing_running_statistics_are_refused()
        {
            string text = NetworkFile.Serialize(Trained(), includeCheckpoint: false);
            int start = text.IndexOf(",\n    \"runningStatistics\"", StringComparison.Ordinal);
            int end = text.IndexOf(']', start) + 1;
            string edited = NetworkFileTests.WithPayload(text.Remove(start, end - start), p => p).Replace("\"formatVersion\": 2", "\"formatVersion\": 3");
            var e = Assert.Throws<BackpropException>(() => NetworkFile.Deserialize(edited, "t"));
            Assert.Equal(ErrorIds.NetworkFileInvalid, e.ErrorId);
            Assert.Contains("runningStatistics", e.Message);
        }
    }
}
