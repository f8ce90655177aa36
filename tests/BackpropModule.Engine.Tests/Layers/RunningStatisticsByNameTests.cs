using System.Collections.Generic;
using System.Linq;
using BackpropModule.Engine.Data;
using BackpropModule.Engine.Layers;
using BackpropModule.Engine.Losses;
using BackpropModule.Engine.Tensors;
using BackpropModule.Engine.Training;
using Xunit;

namespace BackpropModule.Engine.Tests.Layers
{
    /// <summary>
    /// RunningMeanK and RunningVarianceK by name in <see cref="Network.FromValues"/> and <see cref="Network.SetParameters"/>:
    /// a trained BatchNorm network rebuilt from named parts predicts the same bits; bad values change nothing.
    /// </summary>
    public class RunningStatisticsByNameTests
    {
        private static readonly Dataset Data = BuiltInDatasets.Create(BuiltInDatasetKind.Spiral, count: 40, seed: 2);

        private static Network Trained()
        {
            var net = new Network(new[] { 2, 6, 5, 3 }, ActivationKind.ReLU, OutputKind.Softmax, seed: 3,
                hiddenLayers: HiddenLayerOptions.Create(2, true, new[] { 0.1 }));
            new Trainer(net, Data, new TrainingOptions { Epochs = 2, BatchSize = 8, Seed = 1 }).Run();
            return net;
        }

        private static KeyValuePair<string, Tensor> Named(string name, Tensor t) => new KeyValuePair<string, Tensor>(name, t);

        private static List<KeyValuePair<string, Tensor>> PartsOf(Network net, bool statistics) =>
            net.Parameters.Select(p => Named(p.Name, p.Value.Clone()))
                .Concat(statistics ? net.BatchNorm.SelectMany(b => new[] { Named(b.RunningMeanName, b.RunningMean), Named(b.RunningVarianceName, b.RunningVariance) })
                                   : Enumerable.Empty<KeyValuePair<string, Tensor>>())
                .ToList();

        private static Tensor Row(params double[] v) => Tensor.FromRows(new[] { v });

        [Fact]
        public void ANetworkBuiltFromNamedPartsWithItsStatisticsPredictsTheSameBits()
        {
            var net = Trained();
            var rebuilt = Network.FromValues(PartsOf(net, statistics: true), net.Activation, net.Output, dropout: net.DropoutRates);
            Tensor x = Data.FeaturesTensor();
            Assert.True(net.Predict(x).Output.BitwiseEquals(rebuilt.Predict(x).Output));
            var withoutStatistics = Network.FromValues(PartsOf(net, statistics: false), net.Activation, net.Output, dropout: net.DropoutRates);
            Assert.False(net.Predict(x).Output.BitwiseEquals(withoutStatistics.Predict(x).Output), "the statistics must matter, or this test shows nothing");
        }

        [Fact]
        public void OneStatisticAloneLeavesTheOtherAtItsStart()
        {
            var net = Trained();
            var parts = PartsOf(net, statistics: false);
            parts.Add(Named("runningmean2", Row(1, 2, 3, 4, 5)));
            var rebuilt = Network.FromValues(parts, net.Activation, net.Output);
            Assert.Equal(new double[] { 1, 2, 3, 4, 5 }, rebuilt.BatchNorm[1].RunningMean.Data);
            Assert.All(rebuilt.BatchNorm[1].RunningVariance.Data, v => Assert.Equal(1.0, v));
            Assert.All(rebuilt.BatchNorm[0].RunningMean.Data, v => Assert.Equal(0.0, v));
        }

        [Theory]
        [InlineData("RunningMean3", "RunningStatisticsInvalid")]   // block 3 is the output block
        [InlineData("RunningVariance1", "RunningStatisticsInvalid")] // a negative variance
        [InlineData("RunningMean01", "ParameterNotFound")]          // not a name
        public void BadStatisticsAreRefusedByName(string name, string errorId)
        {
            var parts = PartsOf(Trained(), statistics: false);
            parts.Add(Named(name, name == "RunningMean3" ? Row(0, 0, 0) : Row(1, -1e-300, 1, 1, 1, 1)));
            var e = Assert.Throws<BackpropException>(() => Network.FromValues(parts, ActivationKind.ReLU, OutputKind.Softmax));
            Assert.Equal(errorId, e.ErrorId);
        }

        [Fact]
        public void SetParametersChangesNothingWhenOneStatisticIsBad()
        {
            var net = Trained();
            var before = net.Copy();
            long version = net.Version;
            var values = new[] { Named("W1", new Tensor(2, 6)), Named("RunningMean1", Row(1, 2, 3, 4, 5, 6)), Named("RunningVariance2", Row(1, 1, double.NaN, 1, 1)) };
            Assert.Equal(ErrorIds.RunningStatisticsInvalid, Assert.Throws<BackpropException>(() => net.SetParameters(values)).ErrorId);
            Assert.Equal(version, net.Version);
            Assert.True(net.Parameters.Zip(before.Parameters, (p, q) => p.Value.BitwiseEquals(q.Value)).All(s => s));
            Assert.True(net.SnapshotStatistics().Zip(before.SnapshotStatistics(), (p, q) => p.BitwiseEquals(q)).All(s => s));
        }

        [Fact]
        public void SetParametersSetsStatisticsAndMakesOlderPassesStale()
        {
            var net = Trained();
            var pass = net.Predict(Data.FeaturesTensor());
            net.SetParameters(new[] { Named("RunningVariance1", Row(4, 4, 4, 4, 4, 4)), Named("RunningMean1", Row(1, 1, 1, 1, 1, 1)) });
            Assert.All(net.BatchNorm[0].RunningVariance.Data, v => Assert.Equal(4.0, v));
            Assert.All(net.BatchNorm[0].RunningMean.Data, v => Assert.Equal(1.0, v));
            Assert.True(pass.IsStale);
            Assert.Equal(ErrorIds.ParameterDuplicate, Assert.Throws<BackpropException>(() =>
                net.SetParameters(new[] { Named("RunningMean1", Row(0, 0, 0, 0, 0, 0)), Named("RUNNINGMEAN1", Row(0, 0, 0, 0, 0, 0)) })).ErrorId);
        }
    }
}
