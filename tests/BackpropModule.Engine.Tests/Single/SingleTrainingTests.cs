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
    /// <summary>Start-Training in single precision: close to a double run, resumable bit for bit, and it keeps what it learned when stopped.</summary>
    public class SingleTrainingTests
    {
        // 150 samples in batches of 32: five batches per epoch, the last one short.
        private static readonly Dataset Data = BuiltInDatasets.Create(BuiltInDatasetKind.Spiral, count: 50, seed: 5);

        private static Network Net(ActivationKind activation = ActivationKind.ReLU, OutputKind output = OutputKind.Softmax) =>
            new Network(new[] { 2, 30, 3 }, activation, output, seed: 1);

        private static bool AllFloats(Network net) =>
            net.Parameters.All(p => p.Value.Data.All(x => (double)(float)x == x));

        private static void AssertSameWeights(Network a, Network b)
        {
            for (int p = 0; p < a.Parameters.Count; p++)
                Assert.True(a.Parameters[p].Value.BitwiseEquals(b.Parameters[p].Value), "parameter " + a.Parameters[p].Name + " differs");
        }

        [Theory]
        [InlineData("SGD", ActivationKind.ReLU)]
        [InlineData("Momentum", ActivationKind.Tanh)]
        [InlineData("AdaGrad", ActivationKind.Sigmoid)]
        [InlineData("RMSProp", ActivationKind.ReLU)]
        [InlineData("Adam", ActivationKind.Tanh)]
        public void ASingleEpochIsCloseToADoubleEpochButNotEqual(string optimizer, ActivationKind activation)
        {
            var dbl = Net(activation);
            dbl.SetPrecision(NumericPrecision.Single); // both start from the same float-valued weights
            var sgl = Net(activation);
            sgl.SetPrecision(NumericPrecision.Single);
            var options = new TrainingOptions { Epochs = 2, BatchSize = 32, OptimizerName = optimizer, Seed = 9 };
            new Trainer(dbl, Data, new TrainingOptions { Epochs = 2, BatchSize = 32, OptimizerName = optimizer, Seed = 9, Precision = NumericPrecision.Double }).Run();
            var summary = new Trainer(sgl, Data, options).Run();
            Assert.Equal(NumericPrecision.Single, summary.Precision);
            for (int e = 0; e < 2; e++)
            {
                double ld = dbl.History[e].TrainingLoss, ls = sgl.History[e].TrainingLoss;
                Assert.True(Math.Abs(ld - ls) <= 1e-4 * Math.Abs(ld), $"epoch {e + 1}: double loss {ld:R}, single {ls:R}");
            }
            Assert.NotEqual(dbl.History[1].TrainingLoss, sgl.History[1].TrainingLoss);
            for (int p = 0; p < dbl.Parameters.Count; p++)
            {
                double[] d = dbl.Parameters[p].Value.Data, s = sgl.Parameters[p].Value.Data;
                double scale = d.Max(Math.Abs) + 1e-12;
                Assert.True(d.Zip(s, (x, y) => Math.Abs(x - y)).Max() <= 1e-4 * scale, $"{dbl.Parameters[p].Name} drifted from the double run");
            }
            Assert.True(AllFloats(sgl));
        }

        [Fact]
        public void WeightDecayAndAScheduleApplyInFloatAsInDouble()
        {
            Network Run(NumericPrecision precision)
            {
                var net = Net();
                net.SetPrecision(NumericPrecision.Single);
                var schedule = new LearningRateSchedule { Kind = ScheduleKind.Step, StepSize = 1, Gamma = 0.5 };
                new Trainer(net, Data, new TrainingOptions
                {
                    Epochs = 3, BatchSize = 32, Seed = 6, Precision = precision, Schedule = schedule,
                    Optimizer = new Engine.Training.Optimizers.MomentumOptimizer(0.05, 0.9, weightDecay: 0.01),
                }).Run();
                return net;
            }
            Network dbl = Run(NumericPrecision.Double), sgl = Run(NumericPrecision.Single);
            Assert.Equal(dbl.History.Select(r => r.LearningRate), sgl.History.Select(r => r.LearningRate));
            for (int e = 0; e < 3; e++)
                Assert.True(Math.Abs(dbl.History[e].TrainingLoss - sgl.History[e].TrainingLoss) <= 1e-4 * dbl.History[e].TrainingLoss, $"epoch {e + 1}");
            for (int p = 0; p < dbl.Parameters.Count; p++)
            {
                double[] d = dbl.Parameters[p].Value.Data, s = sgl.Parameters[p].Value.Data;
                Assert.True(d.Zip(s, (x, y) => Math.Abs(x - y)).Max() <= 1e-4 * (d.Max(Math.Abs) + 1e-12), dbl.Parameters[p].Name);
            }
        }

        [Theory]
        [InlineData(OutputKind.Identity)]
        [InlineData(OutputKind.Sigmoid)]
        public void EveryOutputTrainsCloseToDouble(OutputKind output)
        {
            var targets = new double[Data.Count * 3];
            for (int i = 0; i < Data.Count; i++) targets[i * 3 + Data.Labels[i]] = 1;
            var data = new Dataset("spiral", Enumerable.Range(0, Data.Count * 2).Select(i => Data.Features[i]).ToArray(), 2, targets, 3, null);
            var dbl = Net(output: output); dbl.SetPrecision(NumericPrecision.Single);
            var sgl = Net(output: output); sgl.SetPrecision(NumericPrecision.Single);
            new Trainer(dbl, data, new TrainingOptions { Epochs = 3, BatchSize = 32, Seed = 2, Precision = NumericPrecision.Double }).Run();
            new Trainer(sgl, data, new TrainingOptions { Epochs = 3, BatchSize = 32, Seed = 2 }).Run();
            for (int e = 0; e < 3; e++)
                Assert.True(Math.Abs(dbl.History[e].TrainingLoss - sgl.History[e].TrainingLoss) <= 1e-4 * dbl.History[e].TrainingLoss, $"epoch {e + 1}");
        }

        [Theory]
        [InlineData(new[] { 2, 3 })]             // one Affine layer: no hidden activation
        [InlineData(new[] { 2, 16, 9, 3 })]      // three layers: dx and the activation backward of two
        [InlineData(new[] { 2, 8, 8, 8, 3 })]
        public void EveryDepthTrainsCloseToDouble(int[] sizes)
        {
            var dbl = new Network(sizes, ActivationKind.Tanh, OutputKind.Softmax, seed: 3);
            dbl.SetPrecision(NumericPrecision.Single);
            var sgl = new Network(sizes, ActivationKind.Tanh, OutputKind.Softmax, seed: 3);
            new Trainer(dbl, Data, new TrainingOptions { Epochs = 3, BatchSize = 32, OptimizerName = "Adam", Seed = 2, Precision = NumericPrecision.Double }).Run();
            new Trainer(sgl, Data, new TrainingOptions { Epochs = 3, BatchSize = 32, OptimizerName = "Adam", Seed = 2, Precision = NumericPrecision.Single }).Run();
            for (int e = 0; e < 3; e++)
                Assert.True(Math.Abs(dbl.History[e].TrainingLoss - sgl.History[e].TrainingLoss) <= 1e-4 * dbl.History[e].TrainingLoss, $"epoch {e + 1}");
            Assert.True(sgl.History[2].TrainingLoss < sgl.History[0].TrainingLoss, "the loss fell");
        }

        [Theory]
        [InlineData("SGD", 3, false)]
        [InlineData("Adam", 7, true)]       // through a saved file
        [InlineData("Momentum", 5, true)]   // the stop lands on the epoch boundary
        [InlineData("RMSProp", 11, false)]
        public void AStoppedSingleRunResumesBitForBit(string optimizer, int stopAfter, bool throughFile)
        {
            var (whole, split) = SingleResume.Run(() => Net(), Data, optimizer, stopAfter, throughFile);
            AssertSameWeights(whole, split);
            Assert.Equal(whole.History.Select(r => r.TrainingLoss), split.History.Select(r => r.TrainingLoss));
        }

        [Fact]
        public void StopMidEpochKeepsWhatWasLearnedAndTheOptimizerStateAgrees()
        {
            var net = Net();
            net.SetPrecision(NumericPrecision.Single);
            var start = net.SnapshotParameters();
            using var cts = new CancellationTokenSource();
            int batches = 0;
            var adam = new Engine.Training.Optimizers.AdamOptimizer(0.01);
            new Trainer(net, Data, new TrainingOptions { Epochs = 3, BatchSize = 32, Optimizer = adam, Seed = 4 })
            { BatchCompleted = _ => { if (++batches == 3) cts.Cancel(); } }.Run(cts.Token);
            Assert.Equal(96, net.Checkpoint.SamplesCompleted);
            Assert.Contains(Enumerable.Range(0, start.Length), p => !start[p].BitwiseEquals(net.Parameters[p].Value));
            Assert.True(AllFloats(net));
            Assert.Equal(3, adam.Steps);
            // The written-back moments are non-zero floats.
            var m = adam.SaveState().First(kv => kv.Key == "M.W1").Value.Data;
            Assert.Contains(m, x => x != 0);
            Assert.All(m, x => Assert.Equal(x, (double)(float)x));
        }

        [Fact]
        public void TheNetworksPrecisionIsTheDefaultAndTheOptionOverridesIt()
        {
            var net = Net();
            net.SetPrecision(NumericPrecision.Single);
            Assert.Equal(NumericPrecision.Single, new Trainer(net, Data, new TrainingOptions { Epochs = 1 }).Run().Precision);
            Assert.Equal(NumericPrecision.Double, new Trainer(net, Data, new TrainingOptions { Epochs = 1, Precision = NumericPrecision.Double }).Run().Precision);
            var dbl = Net();
            Assert.Equal(NumericPrecision.Double, new Trainer(dbl, Data, new TrainingOptions { Epochs = 1 }).Run().Precision);
            Assert.False(AllFloats(dbl));
            var once = Net();
            new Trainer(once, Data, new TrainingOptions { Epochs = 1, Precision = NumericPrecision.Single }).Run();
            Assert.True(AllFloats(once));
            Assert.Equal(NumericPrecision.Double, once.Precision); // the option is for the run; the network keeps its own
        }

        [Fact]
        public void ACopyKeepsThePrecisionAndTheValuesAsTheyAre()
        {
            var net = Net();
            net.SetPrecision(NumericPrecision.Single);
            net.Parameters[0].Value[0, 0] = 0.1; // Update-Network and Set-NetworkParameter may store non-floats
            var copy = net.Copy();
            Assert.Equal(NumericPrecision.Single, copy.Precision);
            for (int p = 0; p < net.Parameters.Count; p++) Assert.True(net.Parameters[p].Value.BitwiseEquals(copy.Parameters[p].Value));
        }

        [Fact]
        public void AnOptimizerWithoutAFloatVersionIsRefusedAndNothingChanges()
        {
            var net = Net();
            var before = net.SnapshotParameters();
            var e = Assert.Throws<BackpropException>(() =>
                new Trainer(net, Data, new TrainingOptions { Epochs = 1, Optimizer = new PlainOptimizer(), Precision = NumericPrecision.Single }).Run());
            Assert.Equal(ErrorIds.PrecisionNotSupported, e.ErrorId);
            for (int p = 0; p < before.Length; p++) Assert.True(before[p].BitwiseEquals(net.Parameters[p].Value));
            Assert.False(net.IsTraining);
        }

        [Fact]
        public void AParameterBeyondFloatRangeIsRefusedAndNothingChanges()
        {
            var net = Net();
            net.Parameters[0].Value[0, 0] = 1e39;
            var before = net.SnapshotParameters();
            var e = Assert.Throws<BackpropException>(() => new Trainer(net, Data, new TrainingOptions { Epochs = 1, Precision = NumericPrecision.Single }).Run());
            Assert.Equal(ErrorIds.PrecisionRangeExceeded, e.ErrorId);
            for (int p = 0; p < before.Length; p++) Assert.True(before[p].BitwiseEquals(net.Parameters[p].Value));
        }

        [Fact]
        public void PrecisionRoundTripsThroughTheFileAndDoubleFilesDoNotMentionIt()
        {
            var net = Net();
            Assert.DoesNotContain("precision", NetworkFile.Serialize(net));
            Assert.Equal(NumericPrecision.Double, NetworkFile.Deserialize(NetworkFile.Serialize(net), "m").Precision);
            net.SetPrecision(NumericPrecision.Single);
            var back = NetworkFile.Deserialize(NetworkFile.Serialize(net), "m");
            Assert.Equal(NumericPrecision.Single, back.Precision);
            AssertSameWeights(net, back);
            Assert.Contains("(Single)", back.ToString());
        }

        [Fact]
        public void SetPrecisionRoundsToTheNearestFloatAndCountsAsAnUpdateOnlyWhenAValueChanged()
        {
            var net = Net();
            double w = net.Parameters[0].Value[0, 0];
            long v = net.Version;
            net.SetPrecision(NumericPrecision.Single);
            Assert.Equal((double)(float)w, net.Parameters[0].Value[0, 0]);
            Assert.Equal(v + 1, net.Version);
            net.SetPrecision(NumericPrecision.Single);
            Assert.Equal(v + 1, net.Version);
        }

        [Fact]
        public void SteadyStateSingleBatchesAllocateNothing()
        {
            var net = Net();
            var values = net.Parameters.Select(p => p.Value.Data.Select(x => (float)x).ToArray()).ToArray();
            var ws = new BatchWorkspaceSingle(net, values, 32);
            var order = Enumerable.Range(0, Data.Count).ToArray();
            for (int s = 0; s < Data.Count; s += 32) ws.TrainBatch(Data, order, s, Math.Min(32, Data.Count - s));
            Assert.Equal(0, SteadyState.Allocated(() =>
            {
                for (int s = 0; s < Data.Count; s += 32) ws.TrainBatch(Data, order, s, Math.Min(32, Data.Count - s));
            }));
        }

        [Fact]
        public void ADivergingSingleRunPutsBackTheLastCheckpointsFloats()
        {
            var net = Net();
            var e = Assert.Throws<BackpropException>(() =>
                new Trainer(net, Data, new TrainingOptions { Epochs = 5, BatchSize = 32, OptimizerName = "SGD", LearningRate = 1e30, Seed = 1, Precision = NumericPrecision.Single }).Run());
            Assert.Equal(ErrorIds.TrainingDiverged, e.ErrorId);
            var start = Net();
            start.SetPrecision(NumericPrecision.Single);
            AssertSameWeights(start, net);
            Assert.False(net.IsTraining);
        }

        [Fact]
        public void BytesAndDoublesOfTheSameValuesGiveTheSameFloatGradients()
        {
            var rng = new Random(3);
            int count = 40, width = 12;
            var codes = new byte[count * width];
            rng.NextBytes(codes);
            var table = Enumerable.Range(0, 256).Select(v => v / 255.0).ToArray();
            var targets = new double[count * 3];
            var labels = Enumerable.Range(0, count).Select(i => i % 3).ToArray();
            for (int i = 0; i < count; i++) targets[i * 3 + labels[i]] = 1;
            var compact = new Dataset("bytes", codes, table, width, targets, 3, labels);
            var plain = new Dataset("doubles", codes.Select(c => table[c]).ToArray(), width, targets, 3, labels);
            var net = new Network(new[] { width, 7, 3 }, ActivationKind.ReLU, OutputKind.Softmax, seed: 2);
            float[][] Values() => net.Parameters.Select(p => p.Value.Data.Select(x => (float)x).ToArray()).ToArray();
            var a = new BatchWorkspaceSingle(net, Values(), 16);
            var b = new BatchWorkspaceSingle(net, Values(), 16);
            var order = Enumerable.Range(0, count).Reverse().ToArray();
            var ra = a.TrainBatch(compact, order, 5, 16);
            var rb = b.TrainBatch(plain, order, 5, 16);
            Assert.Equal(rb.Loss, ra.Loss);
            for (int p = 0; p < a.Gradients.Length; p++) Assert.Equal(b.Gradients[p], a.Gradients[p]);
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
