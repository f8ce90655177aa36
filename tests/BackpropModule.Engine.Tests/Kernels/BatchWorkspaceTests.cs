using System;
using BackpropModule.Engine.Kernels;
using BackpropModule.Engine.Layers;
using BackpropModule.Engine.Losses;
using BackpropModule.Engine.Tensors;
using BackpropModule.Engine.Training;
using BackpropModule.Engine.Tests.Foundation;
using Xunit;

namespace BackpropModule.Engine.Tests.Kernels
{
    /// <summary>The training workspace against Network.Forward/Backward, and its allocation behaviour.</summary>
    public class BatchWorkspaceTests
    {
        /// <summary>count samples of random features in (−1, 1) and one-hot (or random, for non-softmax) targets, row-major.</summary>
        private static (double[] Features, double[] Targets) MakeData(Network net, int count, int seed)
        {
            var rng = new Random(seed);
            var x = new double[count * net.InputSize];
            var t = new double[count * net.OutputSize];
            for (int i = 0; i < x.Length; i++) x[i] = 2 * rng.NextDouble() - 1;
            for (int s = 0; s < count; s++)
            {
                if (net.Output == OutputKind.Softmax) t[s * net.OutputSize + rng.Next(net.OutputSize)] = 1;
                else for (int c = 0; c < net.OutputSize; c++) t[s * net.OutputSize + c] = rng.NextDouble();
            }
            return (x, t);
        }

        private static Tensor Rows(double[] data, int width, int[] order, int start, int n)
        {
            var rows = new double[n][];
            for (int r = 0; r < n; r++)
            {
                int s = order == null ? start + r : order[start + r];
                rows[r] = new double[width];
                Array.Copy(data, s * width, rows[r], 0, width);
            }
            return Tensor.FromRows(rows);
        }

        [Theory]
        [InlineData(ActivationKind.ReLU, OutputKind.Softmax)]
        [InlineData(ActivationKind.Sigmoid, OutputKind.Identity)]
        [InlineData(ActivationKind.Tanh, OutputKind.Sigmoid)]
        public void GradientsEqualNetworkBackwardIncludingAShortLastBatch(ActivationKind activation, OutputKind output)
        {
            var net = new Network(new[] { 23, 17, 9, 5 }, activation, output, seed: 11);
            int count = 70, batch = 32;
            var (x, t) = MakeData(net, count, 5);
            var order = new int[count];
            for (int i = 0; i < count; i++) order[i] = (i * 37) % count;
            var ws = new BatchWorkspace(net, batch);
            for (int start = 0; start < count; start += batch)
            {
                int n = Math.Min(batch, count - start);
                var result = ws.TrainBatch(x, t, order, start, n);
                var pass = net.Forward(Rows(x, net.InputSize, order, start, n), Rows(t, net.OutputSize, order, start, n));
                var expected = net.Backward(pass);
                Assert.Equal(n, result.Count);
                Assert.True(Math.Abs(result.Loss - pass.Loss.Value) <= 1e-12 * Math.Abs(pass.Loss.Value), $"loss {result.Loss} vs {pass.Loss}");
                for (int p = 0; p < net.Parameters.Count; p++)
                {
                    Tensor got = ws.Gradients[p], want = expected.ByParameter[p];
                    double scale = Math.Max(want.MaxAbs(), 1e-300);
                    for (int r = 0; r < want.Rows; r++)
                        for (int c = 0; c < want.Columns; c++)
                            Assert.True(Math.Abs(got[r, c] - want[r, c]) <= 1e-12 * scale,
                                $"{net.Parameters[p].GradientName}[{r},{c}] = {got[r, c]:R}, Network.Backward gives {want[r, c]:R} (batch at {start}, n = {n})");
                }
                Assert.True(ws.LastOutput.BitwiseEquals(pass.Output) || MaxDiff(ws.LastOutput, pass.Output) <= 1e-12, "outputs differ");
            }
        }

        private static double MaxDiff(Tensor x, Tensor y)
        {
            double m = 0;
            for (int r = 0; r < x.Rows; r++) for (int c = 0; c < x.Columns; c++) m = Math.Max(m, Math.Abs(x[r, c] - y[r, c]));
            return m;
        }

        [Fact]
        public void SteadyStateTrainingAllocatesNothingPerBatchIncludingTheShortLastBatch()
        {
            // 784-100-10 with batch 100: the first layer's GEMMs are large enough to use both cores.
            var net = new Network(new[] { 784, 100, 10 }, ActivationKind.ReLU, OutputKind.Softmax, seed: 3);
            int count = 650, batch = 100;
            var (x, t) = MakeData(net, count, 9);
            var ws = new BatchWorkspace(net, batch);
            void Epoch()
            {
                for (int start = 0; start < count; start += batch)
                {
                    int n = Math.Min(batch, count - start);
                    ws.TrainBatch(x, t, null, start, n);
                    var ps = net.Parameters;
                    for (int p = 0; p < ps.Count; p++)
                    {
                        double[] w = ps[p].Value.Data, g = ws.Gradients[p].Data;
                        for (int i = 0; i < w.Length; i++) w[i] -= 0.01 * g[i];
                    }
                    net.MarkUpdated();
                    ws.EvaluateBatch(x, t, start, n);
                }
            }
            Epoch(); // creates the buffers of both batch sizes and warms the kernels up
            Assert.Equal(0, SteadyState.Allocated(Epoch));
            // On a loaded machine a worker may not start its part in time, and this thread takes the part back
            // and runs it itself: that must not allocate either (it did, once per process, for a part larger
            // than this thread's own, and made this test fail now and then).
            KernelThreads.TakeBackEveryPart = true;
            try
            {
                Assert.Equal(0, SteadyState.Allocated(Epoch));
            }
            finally { KernelThreads.TakeBackEveryPart = false; }
        }

        [Fact]
        public void FusedSoftmaxAndLossGiveTheBitsOfTheSeparateCalls()
        {
            var rng = new Random(4);
            var a = new Tensor(9, 5);
            var t = new Tensor(9, 5);
            for (int r = 0; r < 9; r++)
            {
                for (int c = 0; c < 5; c++) a[r, c] = 40 * rng.NextDouble() - 20;
                t[r, rng.Next(5)] = 1;
            }
            var softmax = new SoftmaxCrossEntropy();
            Tensor separate = new Tensor(9, 5), fused = new Tensor(9, 5);
            softmax.Forward(a, separate);
            double loss = softmax.Loss(a, separate, t);
            double fusedLoss = softmax.ForwardWithLoss(a, fused, t);
            Assert.True(separate.BitwiseEquals(fused));
            Assert.Equal(BitConverter.DoubleToInt64Bits(loss), BitConverter.DoubleToInt64Bits(fusedLoss));
        }

        [Fact]
        public void BatchSizeOutsideTheRangeThrows()
        {
            var net = new Network(new[] { 3, 2 }, ActivationKind.ReLU, OutputKind.Softmax, seed: 1);
            var ws = new BatchWorkspace(net, 4);
            var x = new double[30];
            var t = new double[20];
            Assert.Throws<ArgumentOutOfRangeException>(() => ws.TrainBatch(x, t, null, 0, 5));
            Assert.Throws<ArgumentOutOfRangeException>(() => ws.EvaluateBatch(x, t, 0, 0));
            // Samples past the end of the data, through the start or through the order.
            Assert.Throws<ArgumentOutOfRangeException>(() => ws.TrainBatch(x, t, null, 8, 4));
            Assert.Throws<ArgumentOutOfRangeException>(() => ws.TrainBatch(x, t, new[] { 0, 1, 10, 2 }, 0, 4));
            Assert.Throws<ArgumentOutOfRangeException>(() => ws.EvaluateBatch(x, t, -1, 2));
        }
    }
}
