using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using BackpropModule.Engine.Data;
using BackpropModule.Engine.IO;
using BackpropModule.Engine.Layers;
using BackpropModule.Engine.Losses;
using BackpropModule.Engine.Tensors;
using BackpropModule.Engine.Training;
using BackpropModule.Engine.Tests.Foundation;
using Xunit;

namespace BackpropModule.Engine.Tests.Single
{
    /// <summary>Single-precision training of networks with BatchNorm and Dropout: close to double, the same masks, resumable bit for bit.</summary>
    public class SingleBlockTrainingTests
    {
        // 150 samples in batches of 32: five batches per epoch, the last one short.
        private static readonly Dataset Data = BuiltInDatasets.Create(BuiltInDatasetKind.Spiral, count: 50, seed: 5);
        private static readonly Dataset Validation = BuiltInDatasets.Create(BuiltInDatasetKind.Spiral, count: 20, seed: 6);

        private static Network Net(bool[] batchNorm = null, double[] dropout = null, ActivationKind activation = ActivationKind.ReLU) =>
            new Network(new[] { 2, 16, 16, 3 }, activation, OutputKind.Softmax, seed: 1,
                hiddenLayers: new HiddenLayerOptions(batchNorm ?? new[] { true, true }, dropout ?? new[] { 0.1, 0.1 }));

        private static void AssertSameState(Network a, Network b)
        {
            for (int p = 0; p < a.Parameters.Count; p++)
                Assert.True(a.Parameters[p].Value.BitwiseEquals(b.Parameters[p].Value), "parameter " + a.Parameters[p].Name + " differs");
            Tensor[] sa = a.SnapshotStatistics(), sb = b.SnapshotStatistics();
            for (int k = 0; k < sa.Length; k++) Assert.True(sa[k].BitwiseEquals(sb[k]), "running statistic " + k + " differs");
        }

        private static double RelativeDistance(double[] expected, double[] actual) =>
            expected.Zip(actual, (x, y) => Math.Abs(x - y)).Max() / (expected.Max(Math.Abs) + 1e-12);

        [Theory]
        [InlineData("SGD", ActivationKind.ReLU, true, true, 0.1, 0.1)]
        [InlineData("Adam", ActivationKind.ReLU, true, true, 0.1, 0.1)]
        [InlineData("Momentum", ActivationKind.Tanh, true, false, 0.0, 0.3)]   // BatchNorm in block 1, dropout in block 2
        [InlineData("RMSProp", ActivationKind.Sigmoid, false, true, 0.2, 0.0)] // the reverse
        [InlineData("AdaGrad", ActivationKind.ReLU, false, false, 0.5, 0.25)] // dropout only
        public void ASingleRunStaysCloseToADoubleRunOfTheSameSeeds(string optimizer, ActivationKind activation, bool bn1, bool bn2, double p1, double p2)
        {
            Network Run(NumericPrecision precision)
            {
                var net = Net(new[] { bn1, bn2 }, new[] { p1, p2 }, activation);
                net.SetPrecision(NumericPrecision.Single); // both start from the same float-valued weights
                new Trainer(net, Data, new TrainingOptions { Epochs = 3, BatchSize = 32, OptimizerName = optimizer, Seed = 9, Precision = precision }).Run();
                return net;
            }
            Network dbl = Run(NumericPrecision.Double), sgl = Run(NumericPrecision.Single);
            for (int e = 0; e < 3; e++)
            {
                double ld = dbl.History[e].TrainingLoss, ls = sgl.History[e].TrainingLoss;
                // NOTE: a dropout mask that differed in one unit would move the loss by far more than 1e-4.
                Assert.True(Math.Abs(ld - ls) <= 1e-4 * Math.Abs(ld), $"epoch {e + 1}: double loss {ld:R}, single {ls:R}");
            }
            Assert.NotEqual(dbl.History[2].TrainingLoss, sgl.History[2].TrainingLoss);
            // NOTE: the bias of a block with BatchNorm has no effect on the loss (its column is normalised again); its
            // gradient is rounding noise in either precision (and Adam scales noise to full steps), so it is not compared.
            var biasBeforeNorm = new HashSet<string>(dbl.Blocks.Where(b => b.HasBatchNorm).Select(b => b.Affine.B.Name));
            for (int p = 0; p < dbl.Parameters.Count; p++)
                if (!biasBeforeNorm.Contains(dbl.Parameters[p].Name))
                    Assert.True(RelativeDistance(dbl.Parameters[p].Value.Data, sgl.Parameters[p].Value.Data) <= 1e-4, dbl.Parameters[p].Name + " drifted from the double run");
            Tensor[] sd = dbl.SnapshotStatistics(), ss = sgl.SnapshotStatistics();
            Assert.Equal(2 * ((bn1 ? 1 : 0) + (bn2 ? 1 : 0)), sd.Length);
            // The running mean follows that wandering bias too (the mean of a = x·W + b), under Adam and RMSProp by up to a
            // learning rate per step; the running variance does not (a shift leaves every batch variance as it is).
            bool biasWanders = optimizer == "Adam" || optimizer == "RMSProp";
            for (int k = 0; k < sd.Length; k++)
            {
                if (k % 2 == 1 || !biasWanders)
                    Assert.True(RelativeDistance(sd[k].Data, ss[k].Data) <= 1e-4, "running statistic " + k + " drifted from the double run");
                Assert.False(sd[k].BitwiseEquals(Net(new[] { bn1, bn2 }, new[] { p1, p2 }).SnapshotStatistics()[k]), "the statistics moved");
            }
            Assert.All(sgl.Parameters, p => Assert.All(p.Value.Data, x => Assert.Equal(x, (double)(float)x)));
        }

        [Theory]
        [InlineData("SGD", 3, false)]
        [InlineData("Adam", 7, true)]       // through a saved file
        [InlineData("Momentum", 5, true)]   // the stop lands on the epoch boundary
        [InlineData("RMSProp", 11, false)]
        public void AStoppedSingleRunWithBatchNormAndDropoutResumesBitForBit(string optimizer, int stopAfter, bool throughFile)
        {
            var (whole, split) = SingleResume.Run(() => Net(), Data, optimizer, stopAfter, throughFile);
            AssertSameState(whole, split);
            Assert.Equal(whole.History.Select(r => r.TrainingLoss), split.History.Select(r => r.TrainingLoss));
        }

        [Fact]
        public void ADivergingSingleRunPutsBackTheWeightsAndTheRunningStatistics()
        {
            var net = Net();
            var e = Assert.Throws<BackpropException>(() =>
                new Trainer(net, Data, new TrainingOptions { Epochs = 5, BatchSize = 32, OptimizerName = "SGD", LearningRate = 1e30, Seed = 1, Precision = NumericPrecision.Single }).Run());
            Assert.Equal(ErrorIds.TrainingDiverged, e.ErrorId);
            var start = Net();
            start.SetPrecision(NumericPrecision.Single);
            AssertSameState(start, net);
            Assert.False(net.IsTraining);
        }

        [Fact]
        public void EarlyStoppingRestoresTheBestEpochsRunningStatisticsWithItsWeights()
        {
            var net = Net();
            Tensor[] bestWeights = null, bestStatistics = null;
            int bestEpoch = 0;
            var summary = new Trainer(net, Data, new TrainingOptions
            {
                Epochs = 40, BatchSize = 32, OptimizerName = "Adam", LearningRate = 0.05, Seed = 3, Precision = NumericPrecision.Single,
                Validation = Validation, EarlyStopping = true, Patience = 2,
            })
            {
                EpochCompleted = r => { if (r.IsBest) { bestEpoch = r.Epoch; bestWeights = net.SnapshotParameters(); bestStatistics = net.SnapshotStatistics(); } },
            }.Run();
            Assert.True(summary.RestoredBest, "the run went past its best epoch");
            Assert.Equal(bestEpoch, summary.BestEpoch);
            for (int p = 0; p < bestWeights.Length; p++) Assert.True(bestWeights[p].BitwiseEquals(net.Parameters[p].Value));
            var stats = net.SnapshotStatistics();
            for (int k = 0; k < stats.Length; k++) Assert.True(bestStatistics[k].BitwiseEquals(stats[k]), "running statistic " + k);
        }

        [Fact]
        public void SteadyStateSingleBatchesWithBatchNormAndDropoutAllocateNothing()
        {
            var net = Net();
            var values = net.Parameters.Select(p => p.Value.Data.Select(x => (float)x).ToArray()).ToArray();
            var ws = new BatchWorkspaceSingle(net, values, 32);
            var order = Enumerable.Range(0, Data.Count).ToArray();
            void Epoch()
            {
                for (int s = 0; s < Data.Count; s += 32)
                {
                    ws.TrainBatch(Data, order, s, Math.Min(32, Data.Count - s), s + 1);
                    ws.FoldStatistics();
                }
            }
            Epoch();
            Assert.Equal(0, SteadyState.Allocated(Epoch));
        }

        [Fact]
        public void FloatInferenceEvaluationMatchesTheDoubleOne()
        {
            var net = Net();
            new Trainer(net, Data, new TrainingOptions { Epochs = 3, BatchSize = 32, OptimizerName = "Adam", Seed = 2, Precision = NumericPrecision.Single }).Run();
            var values = net.Parameters.Select(p => p.Value.Data.Select(x => (float)x).ToArray()).ToArray();
            var single = new BatchWorkspaceSingle(net, values, 50).EvaluateBatch(Data, 10, 50);
            var dbl = new BatchWorkspace(net, 50).EvaluateBatch(Data, 10, 50);
            Assert.True(Math.Abs(dbl.Loss - single.Loss) <= 1e-5 * dbl.Loss, $"double {dbl.Loss:R}, single {single.Loss:R}");
            Assert.Equal(dbl.Correct, single.Correct);
        }

        [Fact]
        public void AnOptimizerWithoutAFloatVersionIsStillRefusedAndNothingChanges()
        {
            var net = Net();
            var before = net.SnapshotParameters();
            var e = Assert.Throws<BackpropException>(() =>
                new Trainer(net, Data, new TrainingOptions { Epochs = 1, Optimizer = new PlainOptimizer(), Precision = NumericPrecision.Single }).Run());
            Assert.Equal(ErrorIds.PrecisionNotSupported, e.ErrorId);
            for (int p = 0; p < before.Length; p++) Assert.True(before[p].BitwiseEquals(net.Parameters[p].Value));
            Assert.Equal(new[] { 0.0 }, net.BatchNorm[0].RunningMean.Data.Distinct());
            Assert.Null(net.Checkpoint);
            Assert.False(net.IsTraining);
        }

        /// <summary>A rule defined outside the module: it has no float version.</summary>
        private sealed class PlainOptimizer : IOptimizer
        {
            public string Name => "Plain";
            public double LearningRate { get; set; } = 0.01;
            public IReadOnlyDictionary<string, double> Settings => new Dictionary<string, double> { ["LearningRate"] = LearningRate };
            public void Step(Network network, IReadOnlyList<Tensor> gradients) => network.MarkUpdated();
            public IReadOnlyList<KeyValuePair<string, Tensor>> SaveState() => new KeyValuePair<string, Tensor>[0];
            public void LoadState(IReadOnlyList<KeyValuePair<string, Tensor>> state) { }
        }
    }
}
