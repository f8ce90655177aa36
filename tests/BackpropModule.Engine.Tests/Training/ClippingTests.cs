using System;
using System.Linq;
using System.Threading;
using BackpropModule.Engine.Data;
using BackpropModule.Engine.IO;
using BackpropModule.Engine.Layers;
using BackpropModule.Engine.Losses;
using BackpropModule.Engine.Tensors;
using BackpropModule.Engine.Training;
using Xunit;

namespace BackpropModule.Engine.Tests.Training
{
    /// <summary>Gradient clipping by global norm (Start-Training -ClipGradientNorm).</summary>
    public class ClippingTests
    {
        private static readonly Dataset Data = BuiltInDatasets.Create(BuiltInDatasetKind.Spiral, count: 40, seed: 3);
        private static Network Net() => new Network(new[] { 2, 30, 3 }, ActivationKind.ReLU, OutputKind.Softmax, seed: 2);

        [Fact]
        public void ClippingScalesTheGlobalNormDownToTheLimitAndLeavesSmallerGradientsAlone()
        {
            var g = new[] { Tensor.FromRow(new[] { 3.0, 0 }), Tensor.FromRow(new[] { 4.0 }) };   // ‖g‖ = 5
            Assert.Equal(5, Trainer.ClipByGlobalNorm(g, 10));
            Assert.Equal(3.0, g[0][0, 0]);
            Assert.Equal(5, Trainer.ClipByGlobalNorm(g, 1));
            Assert.Equal(0.6, g[0][0, 0], 15);
            Assert.Equal(0.8, g[1][0, 0], 15);
        }

        [Fact]
        public void EverySgdStepIsAtMostTheRateTimesTheLimit()
        {
            var net = Net();
            double rate = 0.5, limit = 0.05, largest = 0;
            var previous = net.SnapshotParameters();
            var trainer = new Trainer(net, Data, new TrainingOptions { Epochs = 3, BatchSize = 10, LearningRate = rate, ClipNorm = limit, Seed = 1 })
            {
                BatchCompleted = _ =>
                {
                    double sum = 0;
                    for (int p = 0; p < previous.Length; p++)
                        for (int r = 0; r < previous[p].Rows; r++)
                            for (int c = 0; c < previous[p].Columns; c++) { double d = net.Parameters[p].Value[r, c] - previous[p][r, c]; sum += d * d; }
                    largest = Math.Max(largest, Math.Sqrt(sum));
                    previous = net.SnapshotParameters();
                },
            };
            trainer.Run();
            Assert.InRange(largest, rate * limit * 0.5, rate * limit * (1 + 1e-12)); // clipped, and the limit was reached
        }

        [Fact]
        public void ALimitNeverReachedChangesNothingAndTheLimitTravelsWithTheCheckpoint()
        {
            Network plain = Net(), clipped = Net();
            new Trainer(plain, Data, new TrainingOptions { Epochs = 2, BatchSize = 10, Seed = 1 }).Run();
            new Trainer(clipped, Data, new TrainingOptions { Epochs = 2, BatchSize = 10, Seed = 1, ClipNorm = 1e300 }).Run();
            for (int p = 0; p < plain.Parameters.Count; p++) Assert.True(plain.Parameters[p].Value.BitwiseEquals(clipped.Parameters[p].Value));

            // Stop inside epoch 2 with clipping, go through a file, resume without repeating the limit: the uninterrupted run.
            var whole = Net();
            var options = new TrainingOptions { Epochs = 3, BatchSize = 10, Seed = 4, ClipNorm = 0.1, LearningRate = 0.5 };
            new Trainer(whole, Data, options).Run();
            var split = Net();
            using var cts = new CancellationTokenSource();
            int n = 0;
            new Trainer(split, Data, options) { BatchCompleted = _ => { if (++n == 17) cts.Cancel(); } }.Run(cts.Token);
            Assert.Equal(0.1, split.Checkpoint.ClipNorm);
            split = NetworkFile.Deserialize(NetworkFile.Serialize(split), "memory");
            new Trainer(split, Data, new TrainingOptions { Epochs = 2, Resume = true }).Run();
            for (int p = 0; p < whole.Parameters.Count; p++) Assert.True(whole.Parameters[p].Value.BitwiseEquals(split.Parameters[p].Value));
        }

        [Fact]
        public void ALimitThatIsNotPositiveIsRefused()
        {
            var e = Assert.Throws<BackpropException>(() => new Trainer(Net(), Data, new TrainingOptions { ClipNorm = 0 }).Run());
            Assert.Equal(ErrorIds.TrainingOptionInvalid, e.ErrorId);
        }
    }
}
