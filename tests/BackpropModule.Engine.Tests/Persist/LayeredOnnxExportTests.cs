using System;
using System.Linq;
using BackpropModule.Engine.Data;
using BackpropModule.Engine.IO;
using BackpropModule.Engine.Layers;
using BackpropModule.Engine.Losses;
using BackpropModule.Engine.Training;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Tensor = BackpropModule.Engine.Tensors.Tensor;
using Xunit;

namespace BackpropModule.Engine.Tests.Persist
{
    /// <summary>ONNX models of networks with BatchNorm and Dropout run in ONNX Runtime and match <see cref="Network.Predict"/>.</summary>
    public sealed class LayeredOnnxExportTests
    {
        private static readonly Dataset Data = BuiltInDatasets.Create(BuiltInDatasetKind.Spiral, count: 60, seed: 4);

        // Trained, so the running statistics and gamma/beta are far from their starting values.
        private static Network Trained(ActivationKind activation, bool[] batchNorm)
        {
            var net = new Network(new[] { 2, 10, 7, 3 }, activation, OutputKind.Softmax, seed: 8,
                hiddenLayers: new HiddenLayerOptions(batchNorm, new[] { 0.25, 0.1 }));
            new Trainer(net, Data, new TrainingOptions { Epochs = 3, BatchSize = 20, OptimizerName = "Adam", Seed = 2 }).Run();
            return net;
        }

        private static T[] Run<T>(byte[] model, Tensor x, Func<double, T> convert)
        {
            using var session = new InferenceSession(model);
            var input = new DenseTensor<T>(x.ToArray().SelectMany(r => r).Select(convert).ToArray(), new[] { x.Rows, x.Columns });
            using var results = session.Run(new[] { NamedOnnxValue.CreateFromTensor("input", input) });
            return results.Single(r => r.Name == "output").AsTensor<T>().ToArray();
        }

        [Theory]
        [InlineData(ActivationKind.ReLU, true, true)]
        [InlineData(ActivationKind.Tanh, true, false)]
        [InlineData(ActivationKind.Sigmoid, false, true)]
        public void Double_model_matches_predict_in_inference_mode(ActivationKind activation, bool bn1, bool bn2)
        {
            var net = Trained(activation, new[] { bn1, bn2 });
            Assert.Contains(net.BatchNorm[0].RunningMean.Data, v => Math.Abs(v) > 1e-3);
            var x = Data.FeaturesTensor();
            double[] expected = net.Predict(x).Output.ToArray().SelectMany(r => r).ToArray();
            double[] actual = Run(OnnxExporter.ToBytes(net, OnnxPrecision.Double), x, v => v);
            Assert.Equal(expected.Length, actual.Length);
            // NOTE: ONNX's epsilon is a float attribute ((float)1e-5), the only difference from the engine.
            double worst = expected.Select((e, i) => Math.Abs(actual[i] - e)).Max();
            Console.WriteLine($"ONNX double {activation} {bn1}/{bn2}: largest difference {worst:E2}");
            Assert.True(worst <= 1e-9, $"largest difference {worst:E2}");
            // Dropout is left out, and the training pass (batch statistics, masks) differs: the model is the inference pass.
            double[] training = net.Forward(x, null, ForwardMode.Training, 5).Output.ToArray().SelectMany(r => r).ToArray();
            Assert.True(training.Select((t, i) => Math.Abs(t - actual[i])).Max() > 1e-3);
        }

        [Fact]
        public void Single_model_matches_predict_to_float_precision()
        {
            var net = Trained(ActivationKind.ReLU, new[] { true, true });
            var x = Data.FeaturesTensor();
            double[] expected = net.Predict(x).Output.ToArray().SelectMany(r => r).ToArray();
            float[] actual = Run(OnnxExporter.ToBytes(net, OnnxPrecision.Single), x, v => (float)v);
            double worst = expected.Select((e, i) => Math.Abs(actual[i] - e)).Max();
            Console.WriteLine($"ONNX single: largest difference {worst:E2}");
            Assert.True(worst <= 1e-5, $"largest difference {worst:E2}");
        }

        [Fact]
        public void The_graph_has_one_batch_normalization_per_batch_norm_layer_and_no_dropout()
        {
            var net = Trained(ActivationKind.ReLU, new[] { true, false });
            byte[] bytes = OnnxExporter.ToBytes(net);
            string text = System.Text.Encoding.ASCII.GetString(bytes);
            Assert.Equal(1, CountOf(text, "BatchNormalization1"));
            Assert.Equal(0, CountOf(text, "BatchNormalization2"));
            // "Dropout" appears only in the architecture the graph name and the model's doc string quote.
            Assert.Equal(2 * CountOf(net.Architecture, "Dropout"), CountOf(text, "Dropout"));
            Assert.Contains("RunningVariance1", text);
        }

        private static int CountOf(string text, string word)
        {
            int n = 0;
            for (int i = text.IndexOf(word, StringComparison.Ordinal); i >= 0; i = text.IndexOf(word, i + 1, StringComparison.Ordinal)) n++;
            return n;
        }
    }
}
