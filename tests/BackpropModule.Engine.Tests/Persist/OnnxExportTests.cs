using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using BackpropModule.Engine;
using BackpropModule.Engine.IO;
using BackpropModule.Engine.Layers;
using BackpropModule.Engine.Losses;
using BackpropModule.Engine.Randomness;
using BackpropModule.Engine.Tensors;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Tensor = BackpropModule.Engine.Tensors.Tensor;
using Xunit;

namespace BackpropModule.Engine.Tests.Persist
{
    /// <summary>Runs exported models in ONNX Runtime and compares with the engine's own forward pass.</summary>
    public sealed class OnnxExportTests
    {
        public static IEnumerable<object[]> Kinds() =>
            from a in Enum.GetValues(typeof(ActivationKind)).Cast<ActivationKind>()
            from o in Enum.GetValues(typeof(OutputKind)).Cast<OutputKind>()
            select new object[] { a, o };

        private static Tensor RandomBatch(int rows, int columns, int seed)
        {
            var rng = new SeededRandom(seed);
            var t = new Tensor(rows, columns);
            for (int r = 0; r < rows; r++) for (int c = 0; c < columns; c++) t[r, c] = 2 * rng.NextNormal();
            return t;
        }

        private static double[] RunDouble(byte[] model, Tensor x)
        {
            using var session = new InferenceSession(model);
            var input = new DenseTensor<double>(x.ToArray().SelectMany(r => r).ToArray(), new[] { x.Rows, x.Columns });
            using var results = session.Run(new[] { NamedOnnxValue.CreateFromTensor("input", input) });
            var output = results.Single(r => r.Name == "output").AsTensor<double>();
            Assert.Equal(new[] { x.Rows, output.Dimensions[1] }, output.Dimensions.ToArray());
            return output.ToArray();
        }

        [Theory]
        [MemberData(nameof(Kinds))]
        public void Double_model_matches_the_forward_pass(ActivationKind activation, OutputKind output)
        {
            var net = new Network(new[] { 6, 8, 5, 4 }, activation, output, seed: 21);
            byte[] model = OnnxExporter.ToBytes(net, OnnxPrecision.Double);
            foreach (int batch in new[] { 1, 7 })
            {
                var x = RandomBatch(batch, 6, 100 + batch);
                double[] expected = net.Forward(x).Output.ToArray().SelectMany(r => r).ToArray();
                double[] actual = RunDouble(model, x);
                Assert.Equal(expected.Length, actual.Length);
                for (int i = 0; i < expected.Length; i++)
                    Assert.True(Math.Abs(actual[i] - expected[i]) <= 1e-12 * Math.Max(1e-300, Math.Abs(expected[i])) || Math.Abs(actual[i] - expected[i]) <= 1e-15,
                        $"{activation}/{output} element {i}: onnx {actual[i]:R}, engine {expected[i]:R}");
            }
        }

        [Fact]
        public void Single_model_matches_to_float_precision_and_is_about_half_the_size()
        {
            var net = new Network(new[] { 10, 16, 3 }, ActivationKind.ReLU, OutputKind.Softmax, seed: 4);
            byte[] model = OnnxExporter.ToBytes(net, OnnxPrecision.Single);
            Assert.True(model.Length < 0.6 * OnnxExporter.ToBytes(net, OnnxPrecision.Double).Length);
            var x = RandomBatch(5, 10, 8);
            double[] expected = net.Forward(x).Output.ToArray().SelectMany(r => r).ToArray();
            using var session = new InferenceSession(model);
            var input = new DenseTensor<float>(x.ToArray().SelectMany(r => r).Select(v => (float)v).ToArray(), new[] { 5, 10 });
            using var results = session.Run(new[] { NamedOnnxValue.CreateFromTensor("input", input) });
            float[] actual = results.Single().AsTensor<float>().ToArray();
            for (int i = 0; i < expected.Length; i++)
                Assert.True(Math.Abs(actual[i] - expected[i]) <= 1e-5 * Math.Max(1.0, Math.Abs(expected[i])), $"element {i}: {actual[i]} vs {expected[i]}");
        }

        [Fact]
        public void The_model_declares_a_symbolic_batch_and_the_documented_names()
        {
            var net = new Network(new[] { 3, 2 }, ActivationKind.ReLU, OutputKind.Identity, seed: 1);
            using var session = new InferenceSession(OnnxExporter.ToBytes(net));
            var input = session.InputMetadata.Single();
            Assert.Equal("input", input.Key);
            Assert.Equal(new[] { -1, 3 }, input.Value.Dimensions);
            Assert.Equal("N", input.Value.SymbolicDimensions[0]);
            Assert.Equal(typeof(double), input.Value.ElementType);
            Assert.Equal("output", session.OutputMetadata.Single().Key);
            Assert.Equal("BackpropModule", session.ModelMetadata.ProducerName);
        }

        [Fact]
        public void Save_writes_the_file_atomically()
        {
            string folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "persist-onnx-" + Guid.NewGuid().ToString("N"))).FullName;
            try
            {
                var net = new Network(new[] { 3, 4, 2 }, ActivationKind.Tanh, OutputKind.Softmax, seed: 2);
                string path = Path.Combine(folder, "m.onnx");
                OnnxExporter.Save(net, path);
                Assert.Equal(OnnxExporter.ToBytes(net), File.ReadAllBytes(path));
                Assert.Single(Directory.GetFiles(folder));
            }
            finally { Directory.Delete(folder, true); }
        }
    }
}
