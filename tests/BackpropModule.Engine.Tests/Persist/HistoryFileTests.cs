using System;
using System.Collections.Generic;
using System.Linq;
using BackpropModule.Engine;
using BackpropModule.Engine.IO;
using BackpropModule.Engine.Layers;
using BackpropModule.Engine.Losses;
using BackpropModule.Engine.Training;
using Xunit;

namespace BackpropModule.Engine.Tests.Persist
{
    /// <summary>
    /// A network's training history in its file: stored by column, so any length round-trips bit for
    /// bit within the reader's value budget (a 17,600-epoch history used to exceed it), and damaged
    /// columns are refused with NetworkFileInvalid.
    /// </summary>
    public sealed class HistoryFileTests
    {
        private static Network WithHistory(int epochs)
        {
            var net = new Network(new[] { 3, 4, 2 }, ActivationKind.ReLU, OutputKind.Softmax, seed: 9);
            var rng = new Random(7);
            net.SetHistory(Enumerable.Range(1, epochs).Select(e => new EpochRecord
            {
                Epoch = e, LastEpoch = epochs, TrainingLoss = rng.NextDouble(), TrainingAccuracy = e % 3 == 0 ? (double?)null : rng.NextDouble(),
                ValidationLoss = e % 2 == 0 ? (double?)null : rng.NextDouble() * 1e-300, ValidationAccuracy = rng.NextDouble(),
                LearningRate = 0.1 / e, Optimizer = e % 2 == 0 ? "SGD" : "Adam", Duration = TimeSpan.FromTicks(rng.Next()),
                SamplesPerSecond = rng.NextDouble() * 1e6, Batches = e % 7, Samples = e * 3, IsBest = e % 5 == 0, BestEpoch = e - e % 5,
            }));
            return net;
        }

        [Theory]
        [InlineData(1)]
        [InlineData(17_600)]
        [InlineData(300_000)]
        public void AHistoryOfAnyLengthRoundTripsBitForBit(int epochs)
        {
            var net = WithHistory(epochs);
            var back = NetworkFile.Deserialize(NetworkFile.Serialize(net), "test");
            IReadOnlyList<EpochRecord> written = net.History, read = back.History;
            Assert.Equal(written.Count, read.Count);
            for (int i = 0; i < epochs; i++)
            {
                EpochRecord a = written[i], b = read[i];
                Assert.Equal((a.Epoch, a.LastEpoch, a.Optimizer, a.Duration, a.Batches, a.Samples, a.IsBest, a.BestEpoch),
                             (b.Epoch, b.LastEpoch, b.Optimizer, b.Duration, b.Batches, b.Samples, b.IsBest, b.BestEpoch));
                Assert.Equal(BitConverter.DoubleToInt64Bits(a.TrainingLoss), BitConverter.DoubleToInt64Bits(b.TrainingLoss));
                Assert.Equal(a.TrainingAccuracy, b.TrainingAccuracy);
                Assert.Equal(a.ValidationLoss, b.ValidationLoss);
                Assert.Equal(a.ValidationAccuracy, b.ValidationAccuracy);
                Assert.Equal(BitConverter.DoubleToInt64Bits(a.LearningRate), BitConverter.DoubleToInt64Bits(b.LearningRate));
                Assert.Equal(BitConverter.DoubleToInt64Bits(a.SamplesPerSecond), BitConverter.DoubleToInt64Bits(b.SamplesPerSecond));
            }
        }

        [Theory]
        [InlineData("\"count\": 3", "\"count\": 4")]
        [InlineData("\"optimizers\": [\"Adam\", \"SGD\"]", "\"optimizers\": [\"Adam\"]")]
        [InlineData("\"count\": 3", "\"count\": 2147483647")]
        public void ADamagedHistoryIsRefused(string from, string to)
        {
            string text = NetworkFile.Serialize(WithHistory(3));
            Assert.Contains(from, text);
            string damaged = NetworkFileTests.WithPayload(text, p => p.Replace(from, to));
            var e = Assert.Throws<BackpropException>(() => NetworkFile.Deserialize(damaged, "test"));
            Assert.Equal(ErrorIds.NetworkFileInvalid, e.ErrorId);
        }
    }
}
