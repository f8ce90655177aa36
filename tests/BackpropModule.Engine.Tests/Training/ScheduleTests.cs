using System;
using System.Linq;
using System.Threading;
using BackpropModule.Engine.Data;
using BackpropModule.Engine.IO;
using BackpropModule.Engine.Layers;
using BackpropModule.Engine.Losses;
using BackpropModule.Engine.Training;
using Xunit;

namespace BackpropModule.Engine.Tests.Training
{
    /// <summary>Learning-rate schedules: the rate of every epoch, in the records, and across stop and resume.</summary>
    public class ScheduleTests
    {
        private static readonly Dataset Data = BuiltInDatasets.Create(BuiltInDatasetKind.Spiral, count: 30, seed: 3);
        private static Network Net() => new Network(new[] { 2, 16, 3 }, ActivationKind.ReLU, OutputKind.Softmax, seed: 2);

        private static double[] Rates(LearningRateSchedule schedule, int epochs)
        {
            var net = Net();
            new Trainer(net, Data, new TrainingOptions { Epochs = epochs, BatchSize = 30, LearningRate = 0.1, Seed = 1, Schedule = schedule }).Run();
            return net.History.Select(r => r.LearningRate).ToArray();
        }

        [Fact]
        public void StepHalvesEveryStepSizeEpochs() =>
            Assert.Equal(new[] { 0.1, 0.1, 0.05, 0.05, 0.025 }, Rates(new LearningRateSchedule { Kind = ScheduleKind.Step, StepSize = 2, Gamma = 0.5 }, 5));

        [Fact]
        public void ExponentialMultipliesEveryEpoch() =>
            Assert.Equal(new[] { 0.1, 0.05, 0.025, 0.0125 }, Rates(new LearningRateSchedule { Kind = ScheduleKind.Exponential, Gamma = 0.5 }, 4));

        [Fact]
        public void CosineFallsFromTheBaseRateOverTheRunsEpochs()
        {
            var rates = Rates(new LearningRateSchedule { Kind = ScheduleKind.Cosine, MinRate = 0.01 }, 4);
            for (int t = 0; t < 4; t++) Assert.Equal(0.01 + 0.5 * 0.09 * (1 + Math.Cos(Math.PI * t / 4)), rates[t], 15);
        }

        [Fact]
        public void ReduceOnPlateauCutsTheRateAfterPatienceEpochsWithoutImprovementAndNotBelowTheFloor()
        {
            var s = new LearningRateSchedule { Kind = ScheduleKind.ReduceOnPlateau, Patience = 2, Gamma = 0.5, MinRate = 0.03, BaseRate = 0.1 };
            var seen = new[] { 1.0, 0.9, 0.95, 0.92, 0.91, 0.8, 0.85, 0.86, 0.87, 0.88 }.Select(loss => { s.EpochEnded(loss, 0); return s.RateFor(0); }).ToArray();
            Assert.Equal(new[] { 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05, 0.03, 0.03, 0.03 }, seen);
        }

        [Theory]
        [InlineData(ScheduleKind.ReduceOnPlateau, 7)]
        [InlineData(ScheduleKind.Cosine, 11)]
        [InlineData(ScheduleKind.Step, 4)]
        public void AScheduleContinuesExactlyAfterAStopInsideAnEpochAndAFile(ScheduleKind kind, int stopAfter)
        {
            var schedule = new LearningRateSchedule { Kind = kind, StepSize = 2, Gamma = 0.5, Patience = 1 };
            var options = new TrainingOptions { Epochs = 8, BatchSize = 40, OptimizerName = "Momentum", Seed = 6, Schedule = schedule };
            var whole = Net();
            new Trainer(whole, Data, options).Run();
            var split = Net();
            using var cts = new CancellationTokenSource();
            int n = 0;
            new Trainer(split, Data, options) { BatchCompleted = _ => { if (++n == stopAfter) cts.Cancel(); } }.Run(cts.Token);
            Assert.True(split.Checkpoint.IsMidEpoch);
            split = NetworkFile.Deserialize(NetworkFile.Serialize(split), "memory");
            new Trainer(split, Data, new TrainingOptions { Epochs = 8 - split.Checkpoint.EpochsCompleted, Resume = true }).Run();
            Assert.Equal(whole.History.Select(r => r.LearningRate), split.History.Select(r => r.LearningRate));
            for (int p = 0; p < whole.Parameters.Count; p++) Assert.True(whole.Parameters[p].Value.BitwiseEquals(split.Parameters[p].Value));
        }

        [Fact]
        public void BadScheduleSettingsAreRefused()
        {
            var e = Assert.Throws<BackpropException>(() => Rates(new LearningRateSchedule { Kind = ScheduleKind.Step, Gamma = 1.5 }, 1));
            Assert.Equal(ErrorIds.TrainingOptionInvalid, e.ErrorId);
            e = Assert.Throws<BackpropException>(() => Rates(new LearningRateSchedule { Kind = ScheduleKind.Cosine, MinRate = 0.2 }, 1));
            Assert.Equal(ErrorIds.TrainingOptionInvalid, e.ErrorId);
        }
    }
}
