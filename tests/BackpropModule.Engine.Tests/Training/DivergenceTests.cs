using System.Collections.Generic;
using System.IO;
using System.Linq;
using BackpropModule.Engine.Data;
using BackpropModule.Engine.Layers;
using BackpropModule.Engine.Losses;
using BackpropModule.Engine.Tensors;
using BackpropModule.Engine.Training;
using BackpropModule.Engine.Training.Optimizers;
using Xunit;
using Xunit.Abstractions;

namespace BackpropModule.Engine.Tests.Training
{
    /// <summary>The divergence rule (DivergenceGuard): early on explosions, silent on every example at default settings.</summary>
    public class DivergenceTests
    {
        private readonly ITestOutputHelper output;
        public DivergenceTests(ITestOutputHelper output) => this.output = output;

        private const string FashionFolder = "/usr/share/datasets/fashion-mnist";

        /// <summary>The examples' networks and data: (name, network, data, batch size).</summary>
        public static IEnumerable<object[]> Examples()
        {
            foreach (string optimizer in OptimizerFactory.Names)
            {
                yield return new object[] { "spiral", optimizer };
                yield return new object[] { "sine", optimizer };
                yield return new object[] { "xor", optimizer };
                yield return new object[] { "fashion", optimizer };
            }
        }

        private static (Network Net, Dataset Data, int BatchSize, int Epochs) Example(string name)
        {
            switch (name)
            {
                case "spiral":
                    return (new Network(new[] { 2, 50, 3 }, ActivationKind.ReLU, OutputKind.Softmax, seed: 1),
                        BuiltInDatasets.Create(BuiltInDatasetKind.Spiral, count: 100, seed: 1), 30, 60);
                case "sine":
                    return (new Network(new[] { 1, 3, 1 }, ActivationKind.Sigmoid, OutputKind.Identity, WeightInitKind.Normal, 0.01, seed: 1),
                        BuiltInDatasets.Create(BuiltInDatasetKind.Sine), 1, 60);
                case "xor":
                    return (new Network(new[] { 2, 4, 2 }, ActivationKind.Tanh, OutputKind.Softmax, seed: 1),
                        BuiltInDatasets.Create(BuiltInDatasetKind.Xor), 4, 300);
                default:
                    var (images, labels) = IdxReader.FindFiles(FashionFolder, "train");
                    return (new Network(new[] { 784, 100, 10 }, ActivationKind.ReLU, OutputKind.Softmax, seed: 1),
                        IdxReader.Load(images, labels, new IdxLoadOptions { First = 3000 }), 100, 3);
            }
        }

        [Theory]
        [MemberData(nameof(Examples))]
        public void TheRuleStaysSilentOnEveryExampleAndOptimizerAtDefaultSettings(string example, string optimizer)
        {
            if (example == "fashion" && !Directory.Exists(FashionFolder)) return;
            var (net, data, batch, epochs) = Example(example);
            var summary = new Trainer(net, data, new TrainingOptions { Epochs = epochs, BatchSize = batch, OptimizerName = optimizer, Seed = 1 }).Run();
            Assert.Equal(TrainingStopReason.Completed, summary.StopReason);
            output.WriteLine($"{example} {optimizer}: peak smoothed loss / reference = {summary.PeakLossRatio:G4}");
            Assert.True(summary.PeakLossRatio < DivergenceGuard.Factor / 10, $"{example} {optimizer} came within 10x of the limit: {summary.PeakLossRatio}");
        }

        public static IEnumerable<object[]> Explosions()
        {
            foreach (string optimizer in new[] { "SGD", "Momentum", "Adam" })
            {
                yield return new object[] { "spiral", optimizer, false };
                yield return new object[] { "sine", optimizer, false };
                yield return new object[] { "spiral", optimizer, true };
            }
            yield return new object[] { "fashion", "SGD", false };
            yield return new object[] { "fashion", "Adam", true };
        }

        [Theory]
        [MemberData(nameof(Explosions))]
        public void AHugeLearningRateRaisesTrainingDivergedWithinAFewStepsAndPutsTheStartBack(string example, string optimizer, bool earlyStopping)
        {
            if (example == "fashion" && !Directory.Exists(FashionFolder)) return;
            var (net, data, batch, _) = Example(example);
            var start = net.SnapshotParameters();
            int steps = 0;
            var trainer = new Trainer(net, data, new TrainingOptions
            {
                Epochs = 20, BatchSize = batch, OptimizerName = optimizer, LearningRate = 1e6, Seed = 1, EarlyStopping = earlyStopping,
                Validation = earlyStopping ? data : null,
            })
            { BatchCompleted = _ => steps++ };
            var e = Assert.Throws<BackpropException>(() => trainer.Run());
            output.WriteLine($"{example} {optimizer}: {steps} steps; {e.Message}");
            Assert.Equal(ErrorIds.TrainingDiverged, e.ErrorId);
            Assert.True(steps <= 10, $"diverged after {steps} steps");
            Assert.Contains("the start of training", e.Message);
            for (int p = 0; p < start.Length; p++) Assert.True(start[p].BitwiseEquals(net.Parameters[p].Value));
            Assert.Equal(0, net.Checkpoint.EpochsCompleted);
            Assert.False(net.Checkpoint.IsMidEpoch);
            Assert.Empty(net.History);
            Assert.False(net.IsTraining);
        }

        [Fact]
        public void DivergenceInALaterEpochPutsBackTheLastEpochsWeightsAndOptimizerState()
        {
            var data = BuiltInDatasets.Create(BuiltInDatasetKind.Spiral, count: 60, seed: 2);
            var net = new Network(new[] { 2, 20, 3 }, ActivationKind.ReLU, OutputKind.Softmax, seed: 2);
            var adam = OptimizerFactory.Create("Adam");
            new Trainer(net, data, new TrainingOptions { Epochs = 2, BatchSize = 20, Optimizer = adam, Seed = 4 }).Run();
            var after2 = net.SnapshotParameters();
            var state2 = adam.SaveState();
            var e = Assert.Throws<BackpropException>(() =>
                new Trainer(net, data, new TrainingOptions { Epochs = 5, Resume = true, Optimizer = adam, LearningRate = 1e7 }).Run());
            Assert.Equal(ErrorIds.TrainingDiverged, e.ErrorId);
            Assert.Contains("epoch 3", e.Message);
            for (int p = 0; p < after2.Length; p++) Assert.True(after2[p].BitwiseEquals(net.Parameters[p].Value));
            var state = adam.SaveState();
            Assert.Equal(state2.Select(kv => kv.Key), state.Select(kv => kv.Key));
            for (int i = 0; i < state.Count; i++) Assert.True(state2[i].Value.BitwiseEquals(state[i].Value));
            Assert.Equal(2, net.Checkpoint.EpochsCompleted);
            Assert.Equal(2, net.History.Count);
        }

        [Fact]
        public void ANetworkThatIsAlreadyNotFiniteIsRefusedWithNetworkNotFinite()
        {
            var data = BuiltInDatasets.Create(BuiltInDatasetKind.Spiral, count: 30, seed: 2);
            var net = new Network(new[] { 2, 5, 3 }, ActivationKind.ReLU, OutputKind.Softmax, seed: 2);
            net.Parameters[2].Value[1, 2] = double.PositiveInfinity;
            var before = net.SnapshotParameters();
            long version = net.Version;
            var e = Assert.Throws<BackpropException>(() => new Trainer(net, data, new TrainingOptions { Epochs = 1 }).Run());
            Assert.Equal(ErrorIds.NetworkNotFinite, e.ErrorId);
            Assert.Equal(ErrorKind.InvalidData, e.Kind);
            Assert.Contains("W2", e.Message);
            Assert.DoesNotContain("overflow", e.Message);
            Assert.Equal(version, net.Version);
            for (int p = 0; p < before.Length; p++) Assert.True(before[p].BitwiseEquals(net.Parameters[p].Value));
            Assert.Null(net.Checkpoint);
        }

        [Theory]
        [InlineData(OutputKind.Softmax, 0.6931471805599453)]   // two balanced classes: ln 2
        [InlineData(OutputKind.Identity, 0.25)]                 // two columns of 0, 1: variance 1/4 each, summed and halved
        public void TheBaselineIsTheLossOfTheBestConstantPrediction(OutputKind output, double expected)
        {
            var net = new Network(new[] { 1, 2 }, ActivationKind.ReLU, output, seed: 1);
            var data = output == OutputKind.Softmax
                ? new Dataset("d", new[] { 0.0, 1, 2, 3 }, 1, new[] { 1.0, 0, 0, 1, 1, 0, 0, 1 }, 2, new[] { 0, 1, 0, 1 })
                : new Dataset("d", new[] { 0.0, 1 }, 1, new[] { 0.0, 0, 1, 1 }, 2, null);
            Assert.Equal(expected, DivergenceGuard.BaselineLoss(net, data), 12);
        }
    }
}
