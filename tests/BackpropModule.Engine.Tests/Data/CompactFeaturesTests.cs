using System;
using System.IO;
using System.Linq;
using BackpropModule.Engine.Data;
using BackpropModule.Engine.Kernels;
using BackpropModule.Engine.Layers;
using BackpropModule.Engine.Losses;
using BackpropModule.Engine.Training;
using FsCheck;
using FsCheck.Xunit;
using Xunit;

namespace BackpropModule.Engine.Tests.Data
{
    /// <summary>
    /// Datasets whose features are byte codes plus a 256-entry table (IDX pixels): they must read,
    /// gather, train and evaluate exactly like the same values stored as doubles.
    /// </summary>
    public class CompactFeaturesTests
    {
        private static double[] Table() => Enumerable.Range(0, 256).Select(v => v / 255.0).ToArray();

        /// <summary>The same samples twice: as byte codes and as the doubles they stand for.</summary>
        private static (Dataset Compact, Dataset Doubles) Pair(int count, int width, int classes, int seed)
        {
            var rng = new Random(seed);
            var codes = new byte[count * width];
            rng.NextBytes(codes);
            var labels = Enumerable.Range(0, count).Select(_ => rng.Next(classes)).ToArray();
            var t = new double[count * classes];
            for (int s = 0; s < count; s++) t[s * classes + labels[s]] = 1;
            double[] table = Table();
            var compact = new Dataset("bytes", codes, table, width, t, classes, labels);
            var doubles = new Dataset("doubles", codes.Select(c => table[c]).ToArray(), width, (double[])t.Clone(), classes, (int[])labels.Clone());
            return (compact, doubles);
        }

        [Property(MaxTest = 100)]
        public bool DecodeGathersTheSameRowsAsTheNaiveLoop(PositiveInt rows, PositiveInt width, PositiveInt batch, int seed, bool shuffled)
        {
            int r = rows.Get % 50 + 1, w = width.Get % 40 + 1, n = batch.Get % r + 1;
            var rng = new Random(seed);
            var codes = new byte[r * w];
            rng.NextBytes(codes);
            var table = Enumerable.Range(0, 256).Select(_ => rng.NextDouble() * 10 - 5).ToArray();
            int[] order = shuffled ? Enumerable.Range(0, r).OrderBy(_ => rng.Next()).ToArray() : null;
            int start = rng.Next(r - n + 1);
            var dst = new double[n * w + 3];
            RowGather.Decode(codes, table, order, start, n, w, dst);
            for (int i = 0; i < n; i++)
            {
                int s = order == null ? start + i : order[start + i];
                for (int c = 0; c < w; c++)
                    if (BitConverter.DoubleToInt64Bits(dst[i * w + c]) != BitConverter.DoubleToInt64Bits(table[codes[s * w + c]])) return false;
            }
            return dst[n * w] == 0;
        }

        [Fact]
        public void DecodeRefusesARowOutsideTheData()
        {
            var codes = new byte[12];
            Assert.Throws<ArgumentOutOfRangeException>(() => RowGather.Decode(codes, Table(), new[] { 0, 3 }, 0, 2, 4, new double[8]));
            Assert.Throws<ArgumentOutOfRangeException>(() => RowGather.Decode(codes, Table(), null, 0, 3, 4, new double[8]));
        }

        [Fact]
        public void SelectSliceAndSplitStayCompactAndKeepTheValues()
        {
            var (c, d) = Pair(40, 7, 3, 1);
            int[] pick = { 39, 0, 17, 17, 5 };
            Assert.True(c.Select(pick).Store.IsCompact);
            Assert.True(c.Slice(3, 9).Store.IsCompact);
            var (train, val) = c.Split(0.25, 4);
            Assert.True(train.Store.IsCompact && val.Store.IsCompact);
            Assert.Equal(d.Select(pick).Features, c.Select(pick).Features);
            Assert.Equal(d.Slice(3, 9).Features, c.Slice(3, 9).Features);
            Assert.Equal(d.Split(0.25, 4).Validation.Features, val.Features);
            Assert.Equal(d.FeaturesTensor().ToArray(), c.FeaturesTensor().ToArray());
            Assert.True(c.Store.IsCompact, "FeaturesTensor must not convert the store for good");
        }

        [Fact]
        public void ReadingFeaturesConvertsOnceAndWritesAreSeenByTraining()
        {
            var (c, d) = Pair(10, 5, 2, 2);
            Assert.True(c.Store.IsCompact);
            double[] f = c.Features;
            Assert.False(c.Store.IsCompact);
            Assert.Same(f, c.Features);
            Assert.Equal(d.Features, f);
            f[0] = 42;
            var net = new Network(new[] { 5, 3, 2 }, ActivationKind.Tanh, OutputKind.Softmax, seed: 3);
            var ws = new BatchWorkspace(net, 1);
            double fromStore = ws.EvaluateBatch(c, 0, 1).Loss;
            d.Features[0] = 42;
            Assert.Equal(ws.EvaluateBatch(d, 0, 1).Loss, fromStore);
        }

        [Theory]
        [InlineData(ActivationKind.ReLU, 32)]
        [InlineData(ActivationKind.Sigmoid, 7)]
        public void TrainingAndEvaluationGiveTheSameBitsAsDoubleFeatures(ActivationKind activation, int batch)
        {
            var (c, d) = Pair(75, 12, 4, 3);
            var netC = new Network(new[] { 12, 6, 4 }, activation, OutputKind.Softmax, seed: 5);
            var netD = new Network(new[] { 12, 6, 4 }, activation, OutputKind.Softmax, seed: 5);
            var options = new TrainingOptions { Epochs = 2, BatchSize = batch, Seed = 9, OptimizerName = "Adam" };
            options.Validation = c.Slice(0, 20);
            var recordsC = new System.Collections.Generic.List<EpochRecord>();
            new Trainer(netC, c, options) { EpochCompleted = recordsC.Add }.Run();
            options.Validation = d.Slice(0, 20);
            var recordsD = new System.Collections.Generic.List<EpochRecord>();
            new Trainer(netD, d, options) { EpochCompleted = recordsD.Add }.Run();
            Assert.True(c.Store.IsCompact, "training must not convert the whole store");
            for (int p = 0; p < netC.Parameters.Count; p++) Assert.True(netC.Parameters[p].Value.BitwiseEquals(netD.Parameters[p].Value));
            Assert.Equal(recordsD.Select(r => r.ValidationLoss), recordsC.Select(r => r.ValidationLoss));
            var ec = Evaluator.Evaluate(netC, c, 16);
            var ed = Evaluator.Evaluate(netD, d, 16);
            Assert.Equal(ed.Loss, ec.Loss);
            Assert.Equal(ed.Accuracy, ec.Accuracy);
            Assert.True(c.Store.IsCompact);
        }

        [Fact]
        public void AnIdxLoadKeepsBytesAndReadsAsScaledDoubles()
        {
            string dir = Path.Combine(Path.GetTempPath(), "idx-compact-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            try
            {
                var px = new byte[6 * 4];
                new Random(4).NextBytes(px);
                IdxWriter.WriteImages(Path.Combine(dir, "a-images-idx3-ubyte"), px, 2, 2, false);
                IdxWriter.WriteLabels(Path.Combine(dir, "a-labels-idx1-ubyte"), new byte[] { 1, 0, 2, 2, 1, 0 }, false);
                var d = IdxReader.Load(Path.Combine(dir, "a-images-idx3-ubyte"), Path.Combine(dir, "a-labels-idx1-ubyte"));
                Assert.True(d.Store.IsCompact);
                Assert.Equal(px.Select(v => v / 255.0), d.Features);
                var raw = IdxReader.Load(Path.Combine(dir, "a-images-idx3-ubyte"), Path.Combine(dir, "a-labels-idx1-ubyte"), new IdxLoadOptions { Scale = false });
                Assert.Equal(px.Select(v => (double)v), raw.Features);
            }
            finally
            {
                Directory.Delete(dir, true);
            }
        }
    }
}
