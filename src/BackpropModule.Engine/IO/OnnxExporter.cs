using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using BackpropModule.Engine.Layers;
using BackpropModule.Engine.Losses;
using BackpropModule.Engine.Tensors;

namespace BackpropModule.Engine.IO
{
    /// <summary>Element type of an exported ONNX model.</summary>
    public enum OnnxPrecision
    {
        /// <summary>float64 (ONNX DOUBLE): outputs match Invoke-Forward to rounding.</summary>
        Double,
        /// <summary>float32 (ONNX FLOAT): half the size, what most runtimes and accelerators prefer; about 1e-6 relative.</summary>
        Single,
    }

    /// <summary>
    /// Writes a network as an ONNX model (IR version 7, default-domain opset 13): input "input"
    /// [N, inputs] with symbolic batch dimension N, then per layer Gemm(x, Wi, bi) (y = x·W + b, W
    /// stored [inputs, outputs] so no transpose), BatchNormalization(gammai, betai, RunningMeani,
    /// RunningVariancei) when the block has BatchNorm, and the activation (Relu, Sigmoid, Tanh; the
    /// output layer Softmax with axis=1, Sigmoid, or Identity), ending in "output" [N, outputs].
    /// The graph is the inference pass (<see cref="Network.Predict"/>): BatchNorm uses the running
    /// statistics and Dropout, the identity at inference, is left out.
    /// The protobuf is written directly (<see cref="ProtoWriter"/>) with field numbers from the
    /// public ONNX IR specification.
    /// </summary>
    public static class OnnxExporter
    {
        /// <summary>The opset the model imports.</summary>
        public const int Opset = 13;

        private const int IrVersion = 7;
        private const int OnnxFloat = 1, OnnxDouble = 11, AttributeFloat = 1, AttributeInt = 2;

        /// <summary>Writes the model atomically (see <see cref="AtomicFile"/>); <paramref name="force"/> allows replacing a read-only file.</summary>
        /// <exception cref="BackpropException">PrecisionRangeExceeded (Single only), PathInvalid, PathNotFile, OutputFileReadOnly or OutputFileWriteFailed; an existing file is unchanged.</exception>
        public static void Save(Network network, string path, OnnxPrecision precision = OnnxPrecision.Double, bool force = false)
        {
            byte[] bytes = ToBytes(network, precision);
            AtomicFile.WriteStream(path, s => s.Write(bytes, 0, bytes.Length), force: force);
        }

        /// <summary>The serialized ModelProto.</summary>
        public static byte[] ToBytes(Network network, OnnxPrecision precision = OnnxPrecision.Double)
        {
            if (network == null) throw new ArgumentNullException(nameof(network));
            if (precision == OnnxPrecision.Single) CheckSingleRange(network);
            int elem = precision == OnnxPrecision.Double ? OnnxDouble : OnnxFloat;
            var graph = new ProtoWriter();
            string x = "input";
            for (int i = 0; i < network.Blocks.Count; i++)
            {
                var block = network.Blocks[i];
                string k = block.Index.ToString(CultureInfo.InvariantCulture);
                string a = "a" + k, z = block.IsOutput ? "output" : "z" + k;
                graph.Message(1, Node("Gemm", "Gemm" + k, new[] { x, "W" + k, "b" + k }, a));
                if (block.HasBatchNorm)
                {
                    var bn = block.BatchNorm;
                    // Running statistics as ONNX's input_mean/input_var; momentum is ONNX's (the share kept, 1 − ours),
                    // unused at inference. NOTE: epsilon is a float attribute, so runtimes use (float)1e-5, a relative
                    // change of about 2.5e-8 in ε and far less in the output (ε is tiny next to the variances).
                    graph.Message(1, Node("BatchNormalization", "BatchNormalization" + k,
                            new[] { a, bn.Gamma.Name, bn.Beta.Name, bn.RunningMeanName, bn.RunningVarianceName }, "bn" + k)
                        .Message(5, new ProtoWriter().String(1, "epsilon").Float(2, (float)bn.Epsilon).Int(20, AttributeFloat))
                        .Message(5, new ProtoWriter().String(1, "momentum").Float(2, (float)(1 - bn.Momentum)).Int(20, AttributeFloat)));
                    a = "bn" + k;
                }
                graph.Message(1, ActivationNode(network, block.IsOutput, k, a, z));
                x = z;
            }
            graph.String(2, "BackpropModule " + network.Architecture);
            foreach (var p in network.Parameters)
            {
                // W is [inputs, outputs]; b, gamma and beta are stored 1-D [outputs] (Gemm broadcasts b over rows).
                long[] dims = p.Name.StartsWith("W", StringComparison.Ordinal) ? new long[] { p.Value.Rows, p.Value.Columns } : new long[] { p.Value.Columns };
                graph.Message(5, Initializer(p.Name, dims, p.Value, precision));
            }
            foreach (var bn in network.BatchNorm)
            {
                graph.Message(5, Initializer(bn.RunningMeanName, new long[] { bn.Units }, bn.RunningMean, precision));
                graph.Message(5, Initializer(bn.RunningVarianceName, new long[] { bn.Units }, bn.RunningVariance, precision));
            }
            graph.Message(11, ValueInfo("input", elem, network.InputSize));
            graph.Message(12, ValueInfo("output", elem, network.OutputSize));

            var model = new ProtoWriter()
                .Int(1, IrVersion)
                .String(2, "BackpropModule")
                .String(3, typeof(OnnxExporter).Assembly.GetName().Version.ToString())
                .String(6, "Exported from BackpropModule: " + network.Architecture + ", seed " + network.Seed.ToString(CultureInfo.InvariantCulture) + ".")
                .Message(7, graph)
                .Message(8, new ProtoWriter().String(1, "").Int(2, Opset));
            return model.ToArray();
        }

        private static ProtoWriter ActivationNode(Network network, bool last, string k, string a, string z)
        {
            if (!last)
            {
                switch (network.Activation)
                {
                    case ActivationKind.ReLU: return Node("Relu", "Relu" + k, new[] { a }, z);
                    case ActivationKind.Sigmoid: return Node("Sigmoid", "Sigmoid" + k, new[] { a }, z);
                    case ActivationKind.Tanh: return Node("Tanh", "Tanh" + k, new[] { a }, z);
                    default: throw new NotSupportedException("No ONNX operator for activation " + network.Activation + ".");
                }
            }
            switch (network.Output)
            {
                case OutputKind.Softmax:
                    return Node("Softmax", "Softmax" + k, new[] { a }, z).Message(5, new ProtoWriter().String(1, "axis").Int(3, 1).Int(20, AttributeInt));
                case OutputKind.Sigmoid: return Node("Sigmoid", "Sigmoid" + k, new[] { a }, z);
                case OutputKind.Identity: return Node("Identity", "Identity" + k, new[] { a }, z);
                default: throw new NotSupportedException("No ONNX operator for output " + network.Output + ".");
            }
        }

        /// <summary>
        /// PrecisionRangeExceeded when a parameter or running statistic is beyond float32's range: (float)v would
        /// be ±∞, and the model would compute NaN or a constant without a word (a variance of ∞ normalises to 0).
        /// </summary>
        private static void CheckSingleRange(Network network)
        {
            var named = network.Parameters.Select(p => (p.Name, p.Value))
                .Concat(network.BatchNorm.SelectMany(b => new[] { (b.RunningMeanName, b.RunningMean), (b.RunningVarianceName, b.RunningVariance) }));
            foreach (var (name, t) in named)
                foreach (double v in t.Data)
                    if (Math.Abs(v) > float.MaxValue)
                        throw new BackpropException(ErrorIds.PrecisionRangeExceeded, ErrorKind.InvalidData, network,
                            $"{name} holds {v.ToString("G6", CultureInfo.InvariantCulture)}, beyond the range of float32 (±3.4e38), so a float32 model would hold infinity; " +
                            "nothing was written. Export with -Precision Double.");
        }

        private static ProtoWriter Node(string op, string name, IEnumerable<string> inputs, string output)
        {
            var n = new ProtoWriter();
            foreach (string i in inputs) n.String(1, i);
            return n.String(2, output).String(3, name).String(4, op);
        }

        private static ProtoWriter Initializer(string name, long[] dims, Tensor t, OnnxPrecision precision)
        {
            var w = new ProtoWriter();
            foreach (long d in dims) w.Int(1, d);
            w.Int(2, precision == OnnxPrecision.Double ? OnnxDouble : OnnxFloat).String(8, name);
            // raw_data: row-major, little-endian, 8 or 4 bytes per element.
            int size = precision == OnnxPrecision.Double ? 8 : 4;
            var raw = new byte[(long)t.Count * size];
            int at = 0;
            for (int r = 0; r < t.Rows; r++)
                for (int c = 0; c < t.Columns; c++, at += size)
                {
                    double v = t[r, c];
                    long bits = size == 8 ? BitConverter.DoubleToInt64Bits(v) : SingleBits((float)v);
                    for (int b = 0; b < size; b++) raw[at + b] = (byte)(bits >> (8 * b));
                }
            return w.Bytes(9, raw);
        }

        private static long SingleBits(float f) => BitConverter.ToInt32(BitConverter.GetBytes(f), 0) & 0xFFFFFFFFL;

        private static ProtoWriter ValueInfo(string name, int elem, int width)
        {
            var shape = new ProtoWriter()
                .Message(1, new ProtoWriter().String(2, "N"))
                .Message(1, new ProtoWriter().Int(1, width));
            var tensorType = new ProtoWriter().Int(1, elem).Message(2, shape);
            return new ProtoWriter().String(1, name).Message(2, new ProtoWriter().Message(1, tensorType));
        }
    }
}
