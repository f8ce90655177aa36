using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using BackpropModule.Engine.Data;
using BackpropModule.Engine.Layers;
using BackpropModule.Engine.Losses;
using BackpropModule.Engine.Tensors;
using BackpropModule.Engine.Training;
using Xunit;

namespace BackpropModule.Engine.Tests.Training
{
    public class TrainerTests
    {
        private static Network Spiral(int seed = 1) => new Network(new[] { 2, 50, 3 }, ActivationKind.ReLU, OutputKind.Softmax, seed: seed);

        private static List<EpochRecord> Train(Network net, Dataset data, TrainingOptions options, CancellationToken token = default)
        {
            var records = new List<EpochRecord>();
            new Trainer(net, data, options) { EpochCompleted = records.Add }.Run(token);
            return records;
        }

        private static void AssertSameWeights(Network a, Network b)
        {
            for (int p = 0; p < a.Parameters.Count; p++)
                Assert.True(a.Parameters[p].Value.BitwiseEquals(b.Parameters[p].Value), "parameter " + a.Parameters[p].Name + " differs");
        }

        private static void AssertSameWeights(IReadOnlyList<Tensor> snapshot, Network net)
        {
            for (int p = 0; p < snapshot.Count; p++)
                Assert.True(snapshot[p].BitwiseEquals(net.Parameters[p].Value), "parameter " + net.Parameters[p].Name + " differs from the snapshot");
        }

        [Fact]
        public void AdamLearnsTheSpiral()
        {
            var data = BuiltInDatasets.Create(BuiltInDatasetKind.Spiral, seed: 7);
            var net = Spiral();
            var records = Train(net, data, new TrainingOptions { Epochs = 200, BatchSize = 30, OptimizerName = "Adam", LearningRate = 0.01, Seed = 3 });
            Assert.Equal(200, records.Count);
            Assert.True(records[^1].TrainingLoss < records[0].TrainingLoss / 3, $"loss {records[0].TrainingLoss} → {records[^1].TrainingLoss}");
            var eval = Evaluator.Evaluate(net, data);
            Assert.True(eval.Accuracy >= 0.9, "spiral accuracy " + eval.Accuracy);
            Assert.Equal(Enumerable.Range(1, 200), records.Select(r => r.Epoch));
        }

        [Fact]
        public void FullBatchSgdLearnsXor()
        {
            var data = BuiltInDatasets.Create(BuiltInDatasetKind.Xor);
            var net = new Network(new[] { 2, 8, 2 }, ActivationKind.Tanh, OutputKind.Softmax, seed: 4);
            var records = Train(net, data, new TrainingOptions { Epochs = 2000, BatchSize = 4, LearningRate = 0.5, Seed = 1 });
            Assert.Equal(1, records[0].Batches);
            Assert.Equal(1.0, Evaluator.Evaluate(net, data).Accuracy);
        }

        [Fact]
        public void TheSineTutorialFitsBelowItsTarget()
        {
            // The classic tutorial: 1-3-1 sigmoid/identity, 0.01·randn weights, online SGD at 0.1, 2001 epochs,
            // reporting the epoch's mean over samples of ½(y − t)², which is TrainingLoss with batch size 1.
            var data = BuiltInDatasets.Create(BuiltInDatasetKind.Sine);
            var net = new Network(new[] { 1, 3, 1 }, ActivationKind.Sigmoid, OutputKind.Identity, WeightInitKind.Normal, 0.01, seed: 2);
            var records = Train(net, data, new TrainingOptions { Epochs = 2001, BatchSize = 1, LearningRate = 0.1, Shuffle = false });
            Assert.Null(records[0].TrainingAccuracy);
            Assert.True(records[^1].TrainingLoss <= 1e-4, "mean error " + records[^1].TrainingLoss);
            Assert.True(records[^1].TrainingLoss < records[199].TrainingLoss);
        }

        [Fact]
        public void TheSameSeedGivesABitIdenticalRunAndAnotherSeedDoesNot()
        {
            var data = BuiltInDatasets.Create(BuiltInDatasetKind.Spiral, count: 40, seed: 2);
            Network a = Spiral(), b = Spiral(), c = Spiral();
            var ra = Train(a, data, new TrainingOptions { Epochs = 3, BatchSize = 16, OptimizerName = "Adam", Seed = 11 });
            var rb = Train(b, data, new TrainingOptions { Epochs = 3, BatchSize = 16, OptimizerName = "Adam", Seed = 11 });
            Train(c, data, new TrainingOptions { Epochs = 3, BatchSize = 16, OptimizerName = "Adam", Seed = 12 });
            AssertSameWeights(a, b);
            Assert.Equal(ra.Select(r => r.TrainingLoss), rb.Select(r => r.TrainingLoss));
            Assert.False(a.Parameters[0].Value.BitwiseEquals(c.Parameters[0].Value));
        }

        [Theory]
        [InlineData("SGD")]
        [InlineData("Momentum")]
        [InlineData("Adam")]
        public void TwoEpochsThenTwoResumedEqualFourInOneRun(string optimizer)
        {
            var data = BuiltInDatasets.Create(BuiltInDatasetKind.Spiral, count: 50, seed: 5);
            var valid = BuiltInDatasets.Create(BuiltInDatasetKind.Spiral, count: 10, seed: 6);
            Network whole = Spiral(), split = Spiral();
            var all = Train(whole, data, new TrainingOptions { Epochs = 4, BatchSize = 32, OptimizerName = optimizer, Seed = 21, Validation = valid });
            Train(split, data, new TrainingOptions { Epochs = 2, BatchSize = 32, OptimizerName = optimizer, Seed = 21, Validation = valid });
            Assert.Equal(2, split.Checkpoint.EpochsCompleted);
            var rest = Train(split, data, new TrainingOptions { Epochs = 2, BatchSize = 32, Resume = true, Validation = valid });
            AssertSameWeights(whole, split);
            Assert.Equal(new[] { 3, 4 }, rest.Select(r => r.Epoch));
            Assert.Equal(all.Skip(2).Select(r => r.TrainingLoss), rest.Select(r => r.TrainingLoss));
            Assert.Equal(4, split.Checkpoint.EpochsCompleted);
        }

        [Fact]
        public void EarlyStoppingRestoresTheBestEpochsWeights()
        {
            // Overfit a tiny training set so the validation loss turns up, then compare with the weights seen at the best epoch.
            var train = BuiltInDatasets.Create(BuiltInDatasetKind.Spiral, count: 8, seed: 1, noise: 0.6);
            var valid = BuiltInDatasets.Create(BuiltInDatasetKind.Spiral, count: 60, seed: 2, noise: 0.6);
            var net = new Network(new[] { 2, 100, 3 }, ActivationKind.ReLU, OutputKind.Softmax, seed: 3);
            var snapshots = new Dictionary<int, Tensor[]>();
            var records = new List<EpochRecord>();
            var trainer = new Trainer(net, train, new TrainingOptions { Epochs = 400, BatchSize = 24, OptimizerName = "Adam", LearningRate = 0.05, Seed = 1, Validation = valid, EarlyStopping = true, Patience = 10 })
            {
                EpochCompleted = r => { records.Add(r); if (r.IsBest) snapshots[r.Epoch] = net.SnapshotParameters(); },
            };
            var summary = trainer.Run();
            Assert.Equal(TrainingStopReason.EarlyStopped, summary.StopReason);
            Assert.True(records.Count < 400);
            int best = records[^1].BestEpoch;
            Assert.Equal(best + 10, records[^1].Epoch);
            Assert.True(summary.RestoredBest);
            Assert.Equal(records.Min(r => r.ValidationLoss.Value), records[best - 1].ValidationLoss.Value);
            AssertSameWeights(snapshots[best], net);
        }

        [Fact]
        public void AHugeLearningRateStopsWithTrainingDivergedAndPutsBackTheStateTheCheckpointDescribes()
        {
            var data = BuiltInDatasets.Create(BuiltInDatasetKind.Sine);
            var net = new Network(new[] { 1, 3, 1 }, ActivationKind.Sigmoid, OutputKind.Identity, seed: 1);
            Tensor[] start = net.SnapshotParameters();
            var trainer = new Trainer(net, data, new TrainingOptions { Epochs = 50, BatchSize = 1, LearningRate = 1e6, Shuffle = false });
            var e = Assert.Throws<BackpropException>(() => trainer.Run());
            Assert.Equal(ErrorIds.TrainingDiverged, e.ErrorId);
            Assert.Equal(ErrorKind.InvalidResult, e.Kind);
            Assert.Contains("epoch", e.Message);
            Assert.Contains("batch", e.Message);
            Assert.Same(net, e.TargetObject);
            Assert.True(net.Parameters.All(p => p.Value.FindNonFinite() == null));
            AssertSameWeights(start, net);
            Assert.Equal(0, net.Checkpoint.EpochsCompleted);
        }

        /// <summary>Plain SGD that writes +∞ into W1 on one chosen step, to reach the overflow guard.</summary>
        private sealed class OverflowingOptimizer : IOptimizer
        {
            private readonly int badStep; private int steps;
            public OverflowingOptimizer(int badStep) => this.badStep = badStep;
            public string Name => "SGD";
            public double LearningRate { get; set; } = 0.01;
            public IReadOnlyDictionary<string, double> Settings => new Dictionary<string, double> { ["LearningRate"] = LearningRate };
            public void Step(Network network, IReadOnlyList<Tensor> gradients)
            {
                steps++;
                for (int p = 0; p < gradients.Count; p++)
                    for (int r = 0; r < gradients[p].Rows; r++)
                        for (int c = 0; c < gradients[p].Columns; c++) network.Parameters[p].Value[r, c] -= LearningRate * gradients[p][r, c];
                if (steps == badStep) network.Parameters[0].Value[0, 0] = double.PositiveInfinity;
                network.MarkUpdated();
            }
            public IReadOnlyList<KeyValuePair<string, Tensor>> SaveState() => new KeyValuePair<string, Tensor>[0];
            public void LoadState(IReadOnlyList<KeyValuePair<string, Tensor>> state) { }
        }

        [Theory]
        [InlineData(7)]   // mid-epoch: the next batch sees the non-finite loss
        [InlineData(10)]  // the last step of epoch 2: the end-of-epoch scan catches it
        public void AStepThatOverflowsAWeightPutsBackTheStartOfTheEpoch(int badStep)
        {
            var data = BuiltInDatasets.Create(BuiltInDatasetKind.Spiral, count: 10, seed: 3);
            var net = Spiral();
            Tensor[] startOfEpoch2 = null;
            var records = new List<EpochRecord>();
            var trainer = new Trainer(net, data, new TrainingOptions { Epochs = 5, BatchSize = 6, Optimizer = new OverflowingOptimizer(badStep), Seed = 1 })
            {
                EpochCompleted = r => { records.Add(r); if (r.Epoch == 1) startOfEpoch2 = net.SnapshotParameters(); },
            };
            var e = Assert.Throws<BackpropException>(() => trainer.Run());
            Assert.Equal(ErrorIds.TrainingDiverged, e.ErrorId);
            Assert.Contains("epoch 2", e.Message);
            Assert.Single(records);
            AssertSameWeights(startOfEpoch2, net);
            Assert.Equal(1, net.Checkpoint.EpochsCompleted);
        }

        [Fact]
        public void CancellationStopsAtABatchBoundaryAndKeepsTheCompletedSteps()
        {
            var data = BuiltInDatasets.Create(BuiltInDatasetKind.Spiral, count: 50, seed: 3);
            var net = Spiral();
            using var cts = new CancellationTokenSource();
            Tensor[] afterFirst = null;
            var records = new List<EpochRecord>();
            var trainer = new Trainer(net, data, new TrainingOptions { Epochs = 100, BatchSize = 10, Seed = 1 })
            {
                EpochCompleted = r => { records.Add(r); afterFirst = net.SnapshotParameters(); cts.Cancel(); },
            };
            var summary = trainer.Run(cts.Token);
            Assert.Equal(TrainingStopReason.Cancelled, summary.StopReason);
            Assert.Single(records);
            AssertSameWeights(afterFirst, net);
            Assert.Equal(1, net.Checkpoint.EpochsCompleted);
        }

        [Fact]
        public void DataThatDoesNotFitIsRejectedAndTheNetworkIsUnchanged()
        {
            var net = Spiral();
            var before = net.SnapshotParameters();
            long version = net.Version;
            var sine = BuiltInDatasets.Create(BuiltInDatasetKind.Sine);
            var e = Assert.Throws<BackpropException>(() => new Trainer(net, sine).Run());
            Assert.Equal(ErrorIds.DatasetFeatureMismatch, e.ErrorId);
            Assert.Equal(ErrorKind.InvalidData, e.Kind);
            Assert.Same(sine, e.TargetObject);
            var xor = BuiltInDatasets.Create(BuiltInDatasetKind.Xor);
            Assert.Equal(ErrorIds.DatasetTargetMismatch, Assert.Throws<BackpropException>(() => new Trainer(net, xor).Run()).ErrorId);
            var spiral = BuiltInDatasets.Create(BuiltInDatasetKind.Spiral, count: 5, seed: 1);
            var nan = new Dataset("nan", spiral.Features.Select((v, i) => i == 3 ? double.NaN : v).ToArray(), 2, spiral.Targets, 3, spiral.Labels);
            Assert.Equal(ErrorIds.DatasetNotFinite, Assert.Throws<BackpropException>(() => new Trainer(net, nan).Run()).ErrorId);
            Assert.Equal(ErrorIds.DatasetFeatureMismatch, Assert.Throws<BackpropException>(() => new Trainer(net, spiral, new TrainingOptions { Validation = sine }).Run()).ErrorId);
            Assert.Equal(ErrorIds.TrainingOptionInvalid, Assert.Throws<BackpropException>(() => new Trainer(net, spiral, new TrainingOptions { BatchSize = 0 }).Run()).ErrorId);
            Assert.Equal(ErrorIds.TrainingCheckpointMissing, Assert.Throws<BackpropException>(() => new Trainer(net, spiral, new TrainingOptions { Resume = true }).Run()).ErrorId);
            AssertSameWeights(before, net);
            Assert.Equal(version, net.Version);
        }

        [Fact]
        public void ResumingWithAnotherOptimizerIsRejected()
        {
            var data = BuiltInDatasets.Create(BuiltInDatasetKind.Spiral, count: 10, seed: 3);
            var net = Spiral();
            Train(net, data, new TrainingOptions { Epochs = 1, OptimizerName = "Adam", Seed = 1 });
            var e = Assert.Throws<BackpropException>(() => new Trainer(net, data, new TrainingOptions { Resume = true, OptimizerName = "SGD" }).Run());
            Assert.Equal(ErrorIds.TrainingResumeMismatch, e.ErrorId);
        }

        [Fact]
        public void SteadyStateTrainingAllocatesNothingPerBatch()
        {
            // 1500 batches of one sample per epoch: one allocation per batch would cost at least 36 kB an epoch,
            // while the per-epoch objects (record, checkpoint, snapshots of a 2-8-3 network) stay far below that.
            var data = BuiltInDatasets.Create(BuiltInDatasetKind.Spiral, count: 500, seed: 3);
            var net = new Network(new[] { 2, 8, 3 }, ActivationKind.ReLU, OutputKind.Softmax, seed: 1);
            var allocated = new List<long>();
            new Trainer(net, data, new TrainingOptions { Epochs = 4, BatchSize = 1, OptimizerName = "Adam", Seed = 1 })
            {
                BatchCompleted = p => { },
                EpochCompleted = r => allocated.Add(GC.GetAllocatedBytesForCurrentThread()),
            }.Run();
            long perEpoch = allocated[3] - allocated[2];
            Assert.True(perEpoch < 1500 * 24, $"{perEpoch} bytes allocated in one epoch of 1500 batches");
        }

        [Fact]
        public void ProgressReportsEveryBatchWithAnEstimate()
        {
            var data = BuiltInDatasets.Create(BuiltInDatasetKind.Spiral, count: 20, seed: 3);
            var seen = new List<(int Epoch, int Batch, bool End, double Fraction)>();
            new Trainer(Spiral(), data, new TrainingOptions { Epochs = 2, BatchSize = 25, Seed = 1 })
            {
                BatchCompleted = p => seen.Add((p.Epoch, p.Batch, p.EpochEnd, p.Fraction)),
            }.Run();
            Assert.Equal(6, seen.Count);
            Assert.Equal(2, seen.Count(s => s.End));
            Assert.Equal(1.0, seen[^1].Fraction);
        }
    }
}
