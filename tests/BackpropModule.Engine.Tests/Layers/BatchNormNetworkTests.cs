using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using BackpropModule.Engine.Data;
using BackpropModule.Engine.Layers;
using BackpropModule.Engine.Losses;
using BackpropModule.Engine.Randomness;
using BackpropModule.Engine.Tensors;
using BackpropModule.Engine.Tests.Foundation;
using BackpropModule.Engine.Training;
using Xunit;

namespace BackpropModule.Engine.Tests.Layers
{
    /// <summary>Networks with BatchNorm and Dropout: structure, modes, running statistics, rebuilding, the training workspace and the trainer.</summary>
    public class BatchNormNetworkTests
    {
        private static readonly Dataset Data = BuiltInDatasets.Create(BuiltInDatasetKind.Spiral, count: 50, seed: 5);

        private static Network Net(bool bn = true, double dropout = 0.2, int seed = 1) =>
            new Network(new[] { 2, 12, 8, 3 }, ActivationKind.ReLU, OutputKind.Softmax, seed: seed,
                hiddenLayers: HiddenLayerOptions.Create(2, bn, new[] { dropout }));

        [Fact]
        public void ParametersComeInBlockOrderAndBatchNormDrawsNoRandomNumbers()
        {
            var plain = new Network(new[] { 2, 12, 8, 3 }, ActivationKind.ReLU, OutputKind.Softmax, seed: 1);
            var net = Net();
            Assert.Equal(new[] { "W1", "b1", "gamma1", "beta1", "W2", "b2", "gamma2", "beta2", "W3", "b3" }, net.Parameters.Select(p => p.Name));
            foreach (var p in plain.Parameters) Assert.True(p.Value.BitwiseEquals(net.FindParameter(p.Name).Value), p.Name);
            Assert.All(net.BatchNorm, b => Assert.True(b.Gamma.Value.Data.All(v => v == 1) && b.Beta.Value.Data.All(v => v == 0)));
            Assert.All(net.BatchNorm, b => Assert.True(b.RunningMean.Data.All(v => v == 0) && b.RunningVariance.Data.All(v => v == 1)));
            Assert.Equal(new[] { 0.2, 0.2 }, net.DropoutRates);
            Assert.Equal("2-12-8-3 BatchNorm ReLU Dropout 0.2 → Softmax/CrossEntropy", net.Architecture);
            Assert.Equal("2 → Affine 12 → BatchNorm → ReLU → Dropout 0.2 → Affine 8 → BatchNorm → ReLU → Dropout 0.2 → Affine 3 → Softmax", net.Chain);
            Assert.Equal(plain.Architecture, new Network(new[] { 2, 12, 8, 3 }, ActivationKind.ReLU, OutputKind.Softmax, seed: 1, hiddenLayers: HiddenLayerOptions.None(2)).Architecture);
            Assert.Equal(new[] { 0, 4, 8 }, net.Blocks.Select(b => b.FirstParameter));
        }

        [Theory]
        [InlineData(1.0)]
        [InlineData(-0.1)]
        [InlineData(double.NaN)]
        public void DropoutRatesOutsideZeroToOneAreRefused(double p)
        {
            var e = Assert.Throws<BackpropException>(() => HiddenLayerOptions.Create(2, false, new[] { p }));
            Assert.Equal(ErrorIds.DropoutRateInvalid, e.ErrorId);
        }

        [Fact]
        public void OptionsThatDoNotFitTheNetworkAreRefused()
        {
            Assert.Equal(ErrorIds.LayerOptionsMismatch, Assert.Throws<BackpropException>(() => HiddenLayerOptions.Create(2, false, new[] { 0.1, 0.2, 0.3 })).ErrorId);
            Assert.Equal(ErrorIds.LayerOptionsMismatch, Assert.Throws<BackpropException>(() => HiddenLayerOptions.Create(0, true, null)).ErrorId);
            Assert.Equal(ErrorIds.LayerOptionsMismatch, Assert.Throws<BackpropException>(() =>
                new Network(new[] { 2, 4, 3 }, ActivationKind.ReLU, OutputKind.Softmax, seed: 1, hiddenLayers: HiddenLayerOptions.None(2))).ErrorId);
            var net = Net();
            Assert.Equal(ErrorIds.RunningStatisticsInvalid, Assert.Throws<BackpropException>(() => net.SetRunningStatistics(3, new Tensor(1, 3), new Tensor(1, 3))).ErrorId);
            var negative = new Tensor(1, 12); negative.Data[4] = -1;
            Assert.Equal(ErrorIds.RunningStatisticsInvalid, Assert.Throws<BackpropException>(() => net.SetRunningStatistics(1, new Tensor(1, 12), negative)).ErrorId);
            Assert.Equal(ErrorIds.RunningStatisticsInvalid, Assert.Throws<BackpropException>(() => net.SetRunningStatistics(1, new Tensor(1, 11), new Tensor(1, 12))).ErrorId);
        }

        [Fact]
        public void TheSameDropoutSeedGivesTheSameMasksAndInverted()
        {
            var net = new Network(new[] { 2, 400, 3 }, ActivationKind.Tanh, OutputKind.Softmax, seed: 1, hiddenLayers: HiddenLayerOptions.Create(1, false, new[] { 0.3 }));
            Tensor x = Data.FeaturesTensor();
            var a = net.Forward(x, null, ForwardMode.Training, 7);
            var b = net.Forward(x, null, ForwardMode.Training, 7);
            var c = net.Forward(x, null, ForwardMode.Training, 8);
            Assert.True(a["mask1"].BitwiseEquals(b["mask1"]));
            Assert.False(a["mask1"].BitwiseEquals(c["mask1"]));
            double keep = 1 / 0.7;
            Assert.All(a["mask1"].Data, v => Assert.True(v == 0 || v == keep));
            double dropped = a["mask1"].Data.Count(v => v == 0) / (double)a["mask1"].Count;
            Assert.InRange(dropped, 0.28, 0.32); // 60,000 draws: σ ≈ 0.002
            for (int i = 0; i < a["z1"].Count; i++) Assert.Equal(a["z1"].Data[i] * a["mask1"].Data[i], a["drop1"].Data[i]);
            Assert.True(a["drop1"].BitwiseEquals(a["x2"]));
            var fresh = net.Forward(x);
            Assert.NotNull(fresh.DropoutSeed);
            Assert.True(net.Forward(x, null, ForwardMode.Training, fresh.DropoutSeed).Output.BitwiseEquals(fresh.Output));
        }

        [Fact]
        public void InferenceUsesTheRunningStatisticsAndKeepsEveryUnit()
        {
            var net = Net();
            var rng = new SeededRandom(2);
            Tensor mean = NumericGradient.Uniform(rng, 1, 12, -1, 1), variance = NumericGradient.Uniform(rng, 1, 12, 0.5, 2);
            net.SetRunningStatistics(1, mean, variance);
            Tensor x = Data.FeaturesTensor();
            var pass = net.Forward(x, null, ForwardMode.Inference);
            Assert.Equal(ForwardMode.Inference, pass.Mode);
            Assert.Null(pass["mask1"]);
            Assert.True(pass["z1"].BitwiseEquals(pass["x2"]));
            for (int r = 0; r < 5; r++)
                for (int j = 0; j < 12; j++)
                    Assert.Equal((pass["a1"][r, j] - mean[0, j]) / Math.Sqrt(variance[0, j] + 1e-5), pass["xhat1"][r, j], 12);
            Assert.True(net.Predict(x).Output.BitwiseEquals(pass.Output));
        }

        [Fact]
        public void RunningStatisticsMoveOnlyWhenAStepIsTaken()
        {
            var net = Net();
            Tensor x = Data.FeaturesTensor(), t = Data.TargetsTensor();
            var before = net.SnapshotStatistics();
            var pass = net.Forward(x, t, ForwardMode.Training, 3);
            var g = net.Backward(pass);
            Assert.True(before.Zip(net.SnapshotStatistics(), (p, q) => p.BitwiseEquals(q)).All(s => s), "a pass moved the statistics");

            NetworkUpdate.Apply(net, g, learningRate: 0.1);
            int n = x.Rows;
            for (int j = 0; j < 12; j++)
            {
                Assert.Equal(0.9 * 0 + 0.1 * pass["mean1"][0, j], net.BatchNorm[0].RunningMean[0, j], 15);
                Assert.Equal(0.9 * 1 + 0.1 * pass["var1"][0, j] * n / (n - 1), net.BatchNorm[0].RunningVariance[0, j], 15);
            }
            var after = net.SnapshotStatistics();
            Assert.Equal(ErrorIds.GradientStale, Assert.Throws<BackpropException>(() => NetworkUpdate.Apply(net, g, learningRate: 0.1)).ErrorId);
            Assert.True(after.Zip(net.SnapshotStatistics(), (p, q) => p.BitwiseEquals(q)).All(s => s), "a refused update folded statistics");

            NetworkUpdate.Apply(net, net.Backward(net.Forward(x, t, ForwardMode.Inference)), learningRate: 0.1);
            Assert.True(after.Zip(net.SnapshotStatistics(), (p, q) => p.BitwiseEquals(q)).All(s => s), "an inference pass carries no batch statistics");
        }

        [Fact]
        public void BatchStatisticsThatOverflowAreRefusedNotFoldedIntoTheNetwork()
        {
            // |a| ≈ 1e200: the batch variance overflows to ∞; folding it would leave RunningVariance = ∞ (every unit
            // normalised to 0 in inference mode, and a file Import-Network refuses).
            var big = new Dataset("big", Data.Features.Select(v => v * 1e200).ToArray(), Data.FeatureCount, Data.Targets, Data.TargetWidth, Data.Labels);
            var net = Net(dropout: 0);
            var stats = net.SnapshotStatistics();
            var weights = net.SnapshotParameters();
            var g = net.Backward(net.Forward(big.FeaturesTensor(), big.TargetsTensor(), ForwardMode.Training, 1));
            Assert.Equal(ErrorIds.BatchStatisticsNotFinite, Assert.Throws<BackpropException>(() => NetworkUpdate.Apply(net, g, learningRate: 0.1)).ErrorId);
            Assert.Equal(0, net.Version);
            var e = Assert.Throws<BackpropException>(() => new Trainer(net, big, new TrainingOptions { Epochs = 1, BatchSize = 10, Seed = 1 }).Run());
            Assert.Equal(ErrorIds.TrainingDiverged, e.ErrorId);
            Assert.Contains("BatchNorm 1", e.Message);
            var back = net.SnapshotStatistics();
            for (int k = 0; k < stats.Length; k++) Assert.True(stats[k].BitwiseEquals(back[k]), "running statistics " + k);
            for (int p = 0; p < weights.Length; p++) Assert.True(weights[p].BitwiseEquals(net.Parameters[p].Value), net.Parameters[p].Name);
        }

        [Fact]
        public void ANetworkRebuiltFromItsPartsPredictsTheSameBits()
        {
            var net = Net(dropout: 0.3);
            new Trainer(net, Data, new TrainingOptions { Epochs = 2, BatchSize = 16, OptimizerName = "Adam", Seed = 4 }).Run();
            var rebuilt = new Network(net.LayerSizes, net.Activation, net.Output, net.Parameters.Select(p => p.Value).ToArray(), net.WeightInit, net.Seed, net.HiddenLayers);
            foreach (var bn in net.BatchNorm) rebuilt.SetRunningStatistics(bn.Block, bn.RunningMean, bn.RunningVariance);
            Tensor x = Data.FeaturesTensor();
            Assert.True(net.Predict(x).Output.BitwiseEquals(rebuilt.Predict(x).Output));
            Assert.True(net.Predict(x).Output.BitwiseEquals(net.Copy().Predict(x).Output));
            Assert.Equal(net.Chain, rebuilt.Chain);
        }

        [Fact]
        public void TheWorkspaceComputesWhatForwardAndBackwardCompute()
        {
            var net = Net(dropout: 0.25);
            var rng = new SeededRandom(9);
            foreach (var bn in net.BatchNorm)
                for (int j = 0; j < bn.Units; j++) { bn.Gamma.Value.Data[j] = 0.5 + rng.NextDouble(); bn.Beta.Value.Data[j] = rng.NextDouble() - 0.5; }
            int n = 20;
            var ws = new BatchWorkspace(net, n);
            var result = ws.TrainBatch(Data, null, 0, n, dropoutSeed: 42);
            var sub = Data.Slice(0, n);
            var g = net.Backward(net.Forward(sub.FeaturesTensor(), sub.TargetsTensor(), ForwardMode.Training, 42));
            Assert.Equal(g.Loss, result.Loss, 12);
            for (int p = 0; p < net.Parameters.Count; p++)
            {
                double scale = Math.Max(1e-12, g.GetByIndex(p).MaxAbs());
                for (int i = 0; i < ws.Gradients[p].Count; i++)
                    Assert.True(Math.Abs(ws.Gradients[p].Data[i] - g.GetByIndex(p).Data[i]) <= 1e-12 * scale + 1e-15, net.Parameters[p].Name);
            }
            var stats = net.SnapshotStatistics();
            ws.FoldStatistics();
            NetworkUpdateFold(net, g, stats);
        }

        // The workspace's fold and the gradients' fold give the same running statistics.
        private static void NetworkUpdateFold(Network net, Gradients g, Tensor[] before)
        {
            var viaWorkspace = net.SnapshotStatistics();
            net.RestoreStatistics(before);
            net.FoldStatistics(g);
            var viaGradients = net.SnapshotStatistics();
            for (int k = 0; k < viaWorkspace.Length; k++)
                for (int j = 0; j < viaWorkspace[k].Count; j++) Assert.Equal(viaGradients[k].Data[j], viaWorkspace[k].Data[j], 12);
        }

        [Theory]
        [InlineData(3, true)]
        [InlineData(7, false)]
        public void StoppedThenResumedEqualsAnUninterruptedRun(int stopAfter, bool shuffle)
        {
            var options = new TrainingOptions { Epochs = 3, BatchSize = 32, OptimizerName = "Adam", Seed = 21, Shuffle = shuffle };
            var whole = Net(dropout: 0.3);
            new Trainer(whole, Data, options).Run();
            var split = Net(dropout: 0.3);
            using var cts = new CancellationTokenSource();
            int batches = 0;
            new Trainer(split, Data, options) { BatchCompleted = _ => { if (++batches == stopAfter) cts.Cancel(); } }.Run(cts.Token);
            new Trainer(split, Data, new TrainingOptions { Epochs = 3 - split.Checkpoint.EpochsCompleted, Resume = true }).Run();
            for (int p = 0; p < whole.Parameters.Count; p++) Assert.True(whole.Parameters[p].Value.BitwiseEquals(split.Parameters[p].Value), whole.Parameters[p].Name);
            var a = whole.SnapshotStatistics(); var b = split.SnapshotStatistics();
            for (int k = 0; k < a.Length; k++) Assert.True(a[k].BitwiseEquals(b[k]), "running statistics " + k);
            Assert.Equal(whole.History.Select(r => r.TrainingLoss), split.History.Select(r => r.TrainingLoss));
        }

        [Fact]
        public void DivergencePutsTheRunningStatisticsBackWithTheWeights()
        {
            var data = BuiltInDatasets.Create(BuiltInDatasetKind.Spiral, count: 60, seed: 2);
            var net = Net(dropout: 0.1, seed: 2);
            new Trainer(net, data, new TrainingOptions { Epochs = 2, BatchSize = 20, OptimizerName = "SGD", Seed = 4 }).Run();
            var weights = net.SnapshotParameters();
            var stats = net.SnapshotStatistics();
            var e = Assert.Throws<BackpropException>(() =>
                new Trainer(net, data, new TrainingOptions { Epochs = 5, Resume = true, LearningRate = 1e7 }).Run());
            Assert.Equal(ErrorIds.TrainingDiverged, e.ErrorId);
            Assert.Contains("epoch 3", e.Message);
            for (int p = 0; p < weights.Length; p++) Assert.True(weights[p].BitwiseEquals(net.Parameters[p].Value), net.Parameters[p].Name);
            var back = net.SnapshotStatistics();
            for (int k = 0; k < stats.Length; k++) Assert.True(stats[k].BitwiseEquals(back[k]), "running statistics " + k);
        }

        [Fact]
        public void EarlyStoppingRestoresTheBestEpochsRunningStatisticsWithItsWeights()
        {
            var train = BuiltInDatasets.Create(BuiltInDatasetKind.Spiral, count: 40, seed: 7);
            var valid = BuiltInDatasets.Create(BuiltInDatasetKind.Spiral, count: 15, seed: 8);
            var net = Net(dropout: 0.3, seed: 3);
            var summary = new Trainer(net, train, new TrainingOptions
            {
                Epochs = 60, BatchSize = 10, OptimizerName = "Adam", LearningRate = 0.05, Seed = 2,
                Validation = valid, EarlyStopping = true, Patience = 2,
            }).Run();
            Assert.True(summary.RestoredBest, "the run should end past its best epoch");
            var best = net.History.Single(r => r.Epoch == summary.BestEpoch);
            // The validation loss of the restored network, in inference mode, is the best epoch's: weights and statistics both back.
            double loss = net.Forward(valid.FeaturesTensor(), valid.TargetsTensor(), ForwardMode.Inference).Loss.Value;
            Assert.Equal(best.ValidationLoss.Value, loss, 12);
        }

        [Fact]
        public void SteadyStateTrainingWithBatchNormAndDropoutAllocatesNothingPerBatch()
        {
            var data = BuiltInDatasets.Create(BuiltInDatasetKind.Spiral, count: 500, seed: 3);
            var net = new Network(new[] { 2, 8, 6, 3 }, ActivationKind.ReLU, OutputKind.Softmax, seed: 1, hiddenLayers: HiddenLayerOptions.Create(2, true, new[] { 0.2 }));
            var allocated = new List<long>();
            new Trainer(net, data, new TrainingOptions { Epochs = 4, BatchSize = 2, OptimizerName = "Adam", Seed = 1 })
            {
                BatchCompleted = p => { },
                EpochCompleted = r => allocated.Add(GC.GetAllocatedBytesForCurrentThread()),
            }.Run();
            long perEpoch = allocated[3] - allocated[2];
            Assert.True(perEpoch < 750 * 24, $"{perEpoch} bytes allocated in one epoch of 750 batches");
        }

        [Fact]
        public void TrainingWithBatchNormAndDropoutLearnsTheSpiralAndEvaluatesInInferenceMode()
        {
            var train = BuiltInDatasets.Create(BuiltInDatasetKind.Spiral, count: 100, seed: 1);
            var net = new Network(new[] { 2, 32, 32, 3 }, ActivationKind.ReLU, OutputKind.Softmax, seed: 2, hiddenLayers: HiddenLayerOptions.Create(2, true, new[] { 0.1 }));
            new Trainer(net, train, new TrainingOptions { Epochs = 60, BatchSize = 30, OptimizerName = "Adam", LearningRate = 0.01, Seed = 1 }).Run();
            var result = Evaluator.Evaluate(net, train);
            Assert.True(result.Accuracy >= 0.9, $"accuracy {result.Accuracy}");
            Assert.Equal(net.Forward(train.FeaturesTensor(), train.TargetsTensor(), ForwardMode.Inference).Loss.Value, result.Loss, 9);
        }
    }
}
