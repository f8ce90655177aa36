using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using BackpropModule.Engine.Data;
using BackpropModule.Engine.Layers;
using BackpropModule.Engine.Losses;
using BackpropModule.Engine.Tensors;
using BackpropModule.Engine.Training;
using BackpropModule.Engine.Training.Optimizers;
using Xunit;

namespace BackpropModule.Engine.Tests.Training
{
    /// <summary>Update-Network's step: all or nothing (D3, D22) and serialised per network (D15).</summary>
    public class NetworkUpdateTests
    {
        private static (Network Net, Gradients Grad) Setup(int seed = 1)
        {
            var net = new Network(new[] { 4, 8, 3 }, ActivationKind.ReLU, OutputKind.Softmax, seed: seed);
            var data = BuiltInDatasets.Create(BuiltInDatasetKind.Spiral, count: 4, seed: seed);
            var x = new Tensor(12, 4);
            for (int r = 0; r < 12; r++) for (int c = 0; c < 4; c++) x[r, c] = data.Features[r * 2 + c % 2] * 1000 * (c + 1); // large inputs: |dW| > 1, so 1.7e308·dW overflows
            var t = new Tensor(12, 3);
            for (int r = 0; r < 12; r++) t[r, r % 3] = 1;
            return (net, net.Backward(net.Forward(x, t)));
        }

        private static void AssertUnchanged(Tensor[] before, long version, Network net)
        {
            Assert.Equal(version, net.Version);
            for (int p = 0; p < before.Length; p++) Assert.True(before[p].BitwiseEquals(net.Parameters[p].Value), net.Parameters[p].Name + " changed");
        }

        [Fact]
        public void AGradientDescentStepThatWouldOverflowIsRefusedAndChangesNothing()
        {
            var (net, grad) = Setup();
            var before = net.SnapshotParameters();
            var e = Assert.Throws<BackpropException>(() => NetworkUpdate.Apply(net, grad, null, 1.7e308));
            Assert.Equal(ErrorIds.UpdateNotFinite, e.ErrorId);
            Assert.Equal(ErrorKind.InvalidResult, e.Kind);
            Assert.Contains("nothing was changed", e.Message);
            AssertUnchanged(before, grad.ParameterVersion, net);
        }

        [Theory]
        [InlineData("SGD")]
        [InlineData("Momentum")]
        [InlineData("RMSProp")] // (Adam's first step is about η·sign(g), which 1.7e308 does not overflow)
        public void AnOptimizerStepThatWouldOverflowIsUndoneWithItsStateAndRate(string name)
        {
            var (net, grad) = Setup();
            var optimizer = OptimizerFactory.Create(name);
            NetworkUpdate.Apply(net, grad, optimizer);                  // some state to keep
            var state = optimizer.SaveState();
            var before = net.SnapshotParameters();
            long version = net.Version;
            var e = Assert.Throws<BackpropException>(() => NetworkUpdate.Apply(net, grad, optimizer, 1.7e308, force: true));
            Assert.Equal(ErrorIds.UpdateNotFinite, e.ErrorId);
            AssertUnchanged(before, version, net);
            Assert.Equal(OptimizerFactory.DefaultLearningRate(name), optimizer.LearningRate);
            var after = optimizer.SaveState();
            Assert.Equal(state.Select(s => s.Key), after.Select(s => s.Key));
            for (int i = 0; i < state.Count; i++) Assert.True(state[i].Value.BitwiseEquals(after[i].Value));
        }

        [Fact]
        public void ARefusedStepLeavesTheOptimizersLearningRate()
        {
            var (net, grad) = Setup();
            var optimizer = OptimizerFactory.Create("Momentum");
            NetworkUpdate.Apply(net, grad, optimizer);
            var wide = new Network(new[] { 4, 5, 3 }, ActivationKind.ReLU, OutputKind.Softmax, seed: 3);
            var wideGrad = wide.Backward(wide.Forward(new Tensor(2, 4), new Tensor(2, 3)));
            var e = Assert.Throws<BackpropException>(() => NetworkUpdate.Apply(wide, wideGrad, optimizer, 0.5));
            Assert.Equal(ErrorIds.OptimizerNetworkMismatch, e.ErrorId);
            Assert.Equal(0.01, optimizer.LearningRate);
        }

        [Fact]
        public void StaleGradientsAreRefusedInsideTheLock()
        {
            var (net, grad) = Setup();
            NetworkUpdate.Apply(net, grad, null, 0.1);
            var e = Assert.Throws<BackpropException>(() => NetworkUpdate.Apply(net, grad, null, 0.1));
            Assert.Equal(ErrorIds.GradientStale, e.ErrorId);
        }

        [Fact]
        public async Task ConcurrentUpdatesOfOneNetworkAreAllApplied()
        {
            // Four threads each apply the same gradients 500 times with force: every step subtracts the same η·dW,
            // so whatever the interleaving the result must equal 2,000 steps in a row, bit for bit.
            var (net, grad) = Setup();
            var (sequential, sequentialGrad) = Setup();
            for (int i = 0; i < 2000; i++) NetworkUpdate.Apply(sequential, sequentialGrad, null, 1e-4, force: true);
            long start = net.Version;
            using var go = new ManualResetEventSlim();
            var tasks = Enumerable.Range(0, 4).Select(_ => Task.Factory.StartNew(() =>
            {
                go.Wait();
                for (int i = 0; i < 500; i++) NetworkUpdate.Apply(net, grad, null, 1e-4, force: true);
            }, TaskCreationOptions.LongRunning)).ToArray();
            go.Set();
            await Task.WhenAll(tasks);
            Assert.Equal(start + 2000, net.Version);
            for (int p = 0; p < net.Parameters.Count; p++) Assert.True(sequential.Parameters[p].Value.BitwiseEquals(net.Parameters[p].Value));
        }

        [Fact]
        public void ANetworkBeingTrainedRefusesUpdatesAndASecondTrainingWithNetworkBusy()
        {
            var (net, grad) = Setup();
            var data = new Dataset("d", new double[4 * 40], 4, Enumerable.Range(0, 40).SelectMany(i => new double[] { i % 3 == 0 ? 1 : 0, i % 3 == 1 ? 1 : 0, i % 3 == 2 ? 1 : 0 }).ToArray(), 3, Enumerable.Range(0, 40).Select(i => i % 3).ToArray());
            BackpropException update = null, train = null;
            var trainer = new Trainer(net, data, new TrainingOptions { Epochs = 1, BatchSize = 10, Seed = 1 })
            {
                BatchCompleted = p =>
                {
                    if (p.Batch != 1) return;
                    update = Assert.Throws<BackpropException>(() => NetworkUpdate.Apply(net, grad, null, 0.1, force: true));
                    train = Assert.Throws<BackpropException>(() => new Trainer(net, data, new TrainingOptions { Epochs = 1 }).Run());
                },
            };
            trainer.Run();
            Assert.Equal(ErrorIds.NetworkBusy, update.ErrorId);
            Assert.Equal(ErrorIds.NetworkBusy, train.ErrorId);
            Assert.False(net.IsTraining);
            NetworkUpdate.Apply(net, grad, null, 0.1, force: true); // free again
        }
    }
}
