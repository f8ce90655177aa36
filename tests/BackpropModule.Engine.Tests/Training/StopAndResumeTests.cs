using System.Collections.Generic;
using System.Linq;
using System.Threading;
using BackpropModule.Engine.Data;
using BackpropModule.Engine.IO;
using BackpropModule.Engine.Layers;
using BackpropModule.Engine.Losses;
using BackpropModule.Engine.Randomness;
using BackpropModule.Engine.Training;
using Xunit;

namespace BackpropModule.Engine.Tests.Training
{
    /// <summary>Stop (cancellation) at any batch, then resume: the same as never stopping, bit for bit (D5), and resume's checks.</summary>
    public class StopAndResumeTests
    {
        // 150 samples in batches of 32: five batches per epoch, the last one short.
        private static readonly Dataset Data = BuiltInDatasets.Create(BuiltInDatasetKind.Spiral, count: 50, seed: 5);
        private static readonly Dataset Valid = BuiltInDatasets.Create(BuiltInDatasetKind.Spiral, count: 10, seed: 6);

        private static Network Net() => new Network(new[] { 2, 30, 3 }, ActivationKind.ReLU, OutputKind.Softmax, seed: 1);

        private static void AssertSameWeights(Network a, Network b)
        {
            for (int p = 0; p < a.Parameters.Count; p++)
                Assert.True(a.Parameters[p].Value.BitwiseEquals(b.Parameters[p].Value), "parameter " + a.Parameters[p].Name + " differs");
        }

        [Theory]
        [InlineData("SGD", 1, true, false)]
        [InlineData("Adam", 3, true, false)]
        [InlineData("Momentum", 5, true, true)]    // the last batch of epoch 1: the stop lands on the epoch boundary
        [InlineData("Adam", 7, false, true)]      // -NoShuffle
        [InlineData("RMSProp", 11, true, true)]
        [InlineData("AdaGrad", 19, true, false)]  // the short last batch of epoch 4 is still to come
        public void StoppedAtAnyBatchThenResumedEqualsAnUninterruptedRun(string optimizer, int stopAfter, bool shuffle, bool throughFile)
        {
            var options = new TrainingOptions { Epochs = 4, BatchSize = 32, OptimizerName = optimizer, Seed = 21, Shuffle = shuffle, Validation = Valid };
            var whole = Net();
            new Trainer(whole, Data, options).Run();

            var split = Net();
            using var cts = new CancellationTokenSource();
            int batches = 0;
            var summary = new Trainer(split, Data, options) { BatchCompleted = _ => { if (++batches == stopAfter) cts.Cancel(); } }.Run(cts.Token);
            Assert.Equal(TrainingStopReason.Cancelled, summary.StopReason);
            var cp = split.Checkpoint;
            Assert.Equal(stopAfter / 5, cp.EpochsCompleted);
            Assert.Equal(stopAfter % 5 == 0 ? 0 : (stopAfter % 5) * 32, cp.SamplesCompleted);
            if (throughFile) split = NetworkFile.Deserialize(NetworkFile.Serialize(split), "memory");

            // No batch size, shuffling or optimizer given: the checkpoint's are used.
            new Trainer(split, Data, new TrainingOptions { Epochs = 4 - cp.EpochsCompleted, Resume = true, Validation = Valid }).Run();
            AssertSameWeights(whole, split);
            Assert.Equal(whole.History.Select(r => r.Epoch), split.History.Select(r => r.Epoch));
            Assert.Equal(whole.History.Select(r => r.TrainingLoss), split.History.Select(r => r.TrainingLoss));
            Assert.Equal(whole.History.Select(r => r.TrainingAccuracy), split.History.Select(r => r.TrainingAccuracy));
            Assert.Equal(whole.History.Select(r => r.ValidationLoss), split.History.Select(r => r.ValidationLoss));
            Assert.Equal(whole.Checkpoint.RandomState, split.Checkpoint.RandomState);
        }

        [Fact]
        public void ACancellationBeforeTheRunStartsChangesNoWeightsAndNeedsNoShuffle()
        {
            var net = Net();
            var before = net.SnapshotParameters();
            using var cts = new CancellationTokenSource();
            cts.Cancel();
            var summary = new Trainer(net, Data, new TrainingOptions { Epochs = 3, Seed = 4 }).Run(cts.Token);
            Assert.Equal(TrainingStopReason.Cancelled, summary.StopReason);
            for (int p = 0; p < before.Length; p++) Assert.True(before[p].BitwiseEquals(net.Parameters[p].Value));
            Assert.Equal(new SeededRandom(4).GetState(), net.Checkpoint.RandomState);
            Assert.False(net.IsTraining);
        }

        private static Network Trained(int epochs = 1)
        {
            var net = Net();
            new Trainer(net, Data, new TrainingOptions { Epochs = epochs, BatchSize = 32, Seed = 3 }).Run();
            return net;
        }

        [Fact]
        public void AnAllZeroGeneratorStateCannotBeSetAndIsRefusedBeforeAnyShuffle()
        {
            Assert.Throws<System.ArgumentException>(() => new SeededRandom(1).SetState(new ulong[6]));
            var net = Trained();
            net.Checkpoint.RandomState = new ulong[6];
            var before = net.SnapshotParameters();
            var e = Assert.Throws<BackpropException>(() => new Trainer(net, Data, new TrainingOptions { Epochs = 1, Resume = true }).Run());
            Assert.Equal(ErrorIds.TrainingCheckpointInvalid, e.ErrorId);
            Assert.Contains("all zeros", e.Message);
            for (int p = 0; p < before.Length; p++) Assert.True(before[p].BitwiseEquals(net.Parameters[p].Value));
            Assert.False(net.IsTraining);
        }

        [Theory]
        [InlineData(5)]
        [InlineData(7)]
        [InlineData(0)]
        public void AGeneratorStateThatIsNotSixWordsIsRefusedWithAnErrorId(int words)
        {
            var net = Trained();
            net.Checkpoint.RandomState = Enumerable.Range(1, words).Select(i => (ulong)i).ToArray();
            var e = Assert.Throws<BackpropException>(() => new Trainer(net, Data, new TrainingOptions { Epochs = 1, Resume = true }).Run());
            Assert.Equal(ErrorIds.TrainingCheckpointInvalid, e.ErrorId);
            Assert.Contains("6", e.Message);
        }

        [Theory]
        [InlineData(int.MaxValue - 1, 1, true)]
        [InlineData(int.MaxValue - 1, 2, false)]
        [InlineData(3, int.MaxValue, false)]
        public void EpochNumbersThatWouldOverflowAreRefused(int completed, int epochs, bool fits)
        {
            var net = Trained();
            net.Checkpoint.EpochsCompleted = completed;
            var trainer = new Trainer(net, Data, new TrainingOptions { Epochs = epochs, Resume = true });
            if (fits)
            {
                var records = new List<EpochRecord>();
                trainer.EpochCompleted = records.Add;
                trainer.Run();
                Assert.Equal(int.MaxValue, records.Single().Epoch);
                var e2 = Assert.Throws<BackpropException>(() => NetworkFile.Deserialize(NetworkFile.Serialize(net), "f"));
                Assert.Equal(ErrorIds.NetworkFileInvalid, e2.ErrorId); // nothing can follow the last epoch number
                return;
            }
            var e = Assert.Throws<BackpropException>(() => trainer.Run());
            Assert.Equal(ErrorIds.TrainingOptionInvalid, e.ErrorId);
            Assert.Contains(int.MaxValue.ToString(), e.Message);
            Assert.Equal(completed, net.Checkpoint.EpochsCompleted);
        }

        [Fact]
        public void AnotherBatchSizeShufflingOrDatasetIsRefusedNamingWhatDiffersUnlessForced()
        {
            var net = Trained();
            var other = BuiltInDatasets.Create(BuiltInDatasetKind.Spiral, count: 50, seed: 99);
            var fewer = Data.Slice(0, 120);
            var cases = new (TrainingOptions Options, Dataset Data, string Says)[]
            {
                (new TrainingOptions { BatchSize = 16 }, Data, "batch size is 16, the checkpoint's is 32"),
                (new TrainingOptions { Shuffle = false }, Data, "does not shuffle"),
                (new TrainingOptions(), other, "other values"),
                (new TrainingOptions(), fewer, "120 samples"),
            };
            foreach (var (options, data, says) in cases)
            {
                options.Resume = true; options.Epochs = 1;
                long version = net.Version;
                var e = Assert.Throws<BackpropException>(() => new Trainer(net, data, options).Run());
                Assert.Equal(ErrorIds.TrainingResumeMismatch, e.ErrorId);
                Assert.Contains(says, e.Message);
                Assert.Contains("-Force", e.Message);
                Assert.Equal(version, net.Version);
                Assert.Equal(1, net.Checkpoint.EpochsCompleted);
            }
            var forced = new TrainingOptions { Resume = true, Epochs = 1, BatchSize = 16, Force = true };
            new Trainer(net, other, forced).Run();
            Assert.Equal(2, net.Checkpoint.EpochsCompleted);
            Assert.Equal(16, net.Checkpoint.BatchSize);
        }

        [Fact]
        public void AFormatVersion1CheckpointStillLoadsAndResumesWithoutTheNewChecks()
        {
            var net = Trained();
            string v2 = NetworkFile.Serialize(net);
            // What version 1 wrote: no history, and only the five first checkpoint members.
            var old = NetworkFile.Deserialize(v2, "f");
            old.ClearHistory();
            old.Checkpoint.BatchSize = 0; old.Checkpoint.Shuffle = null; old.Checkpoint.Data = null;
            string text = NetworkFile.Serialize(old);
            foreach (string member in new[] { "samplesCompleted", "epochLossSum", "epochCorrect", "batchSize", "shuffle", "clipNorm", "schedule", "data" })
                text = System.Text.RegularExpressions.Regex.Replace(text, ",\\n\\s*\"" + member + "\": [^,\\n]*", "");
            text = Rehash(text.Replace("\"formatVersion\": 2", "\"formatVersion\": 1"));
            var back = NetworkFile.Deserialize(text, "old");
            Assert.Equal(1, back.Checkpoint.EpochsCompleted);
            Assert.Null(back.Checkpoint.Data);
            new Trainer(back, BuiltInDatasets.Create(BuiltInDatasetKind.Spiral, count: 40, seed: 2), new TrainingOptions { Resume = true, Epochs = 1, BatchSize = 8 }).Run();
            Assert.Equal(2, back.Checkpoint.EpochsCompleted);
        }

        private static string Rehash(string text)
        {
            int start = text.IndexOf("\"payload\": ", System.StringComparison.Ordinal) + 11;
            int end = text.LastIndexOf('}');
            string payload = text.Substring(start, end - start).TrimEnd();
            using var sha = System.Security.Cryptography.SHA256.Create();
            string hash = string.Concat(sha.ComputeHash(System.Text.Encoding.UTF8.GetBytes(payload)).Select(b => b.ToString("x2")));
            return System.Text.RegularExpressions.Regex.Replace(text, "\"sha256\": \"[0-9a-f]+\"", "\"sha256\": \"" + hash + "\"");
        }

        [Fact]
        public void ImportRefusesACheckpointThatCouldNotBeResumed()
        {
            var net = Trained();
            string text = NetworkFile.Serialize(net);
            string State(string words) => System.Text.RegularExpressions.Regex.Replace(text, "\"randomState\": \\[[^\\]]*\\]", "\"randomState\": [" + words + "]");
            foreach (var (edited, says) in new[]
            {
                (State("\"0\", \"0\", \"0\", \"0\", \"0\", \"0\""), "all zeros"),                        // D1
                (State("\"1\", \"2\", \"3\", \"4\", \"0\", \"0\", \"7\""), "6"),                          // D12
                (State("\"1\", \"2\", \"3\", \"4\", \"0\""), "6"),
                (text.Replace("\"epochsCompleted\": 1", "\"epochsCompleted\": 2147483647"), "largest epoch"), // D6
                (text.Replace("\"samplesCompleted\": 0", "\"samplesCompleted\": 150"), "samplesCompleted"),
            })
            {
                Assert.NotEqual(text, edited);
                var e = Assert.Throws<BackpropException>(() => NetworkFile.Deserialize(Rehash(edited), "f"));
                Assert.Equal(ErrorIds.NetworkFileInvalid, e.ErrorId);
                Assert.Contains(says, e.Message);
            }
        }
    }
}
