using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using BackpropModule.Engine.Tensors;

namespace BackpropModule.Engine
{
    /// <summary>
    /// The result of a backward pass: one gradient per parameter (dW1, db1, …, same shape as the
    /// parameter) and per layer the delta dL/da, the gradient of the loss with respect to that
    /// layer's pre-activation.
    /// </summary>
    public sealed partial class Gradients
    {
        internal Gradients(Network network, long version, double loss, int batchSize, Tensor[] byParameter, Tensor[] deltas)
        {
            Network = network;
            ParameterVersion = version;
            Loss = loss;
            BatchSize = batchSize;
            ByParameter = byParameter;
            Deltas = deltas;
        }

        /// <summary>Creates gradients from explicit values (W1, b1, … order), e.g. to check a gradient computed elsewhere.</summary>
        /// <exception cref="BackpropException">The count or a shape does not match the network.</exception>
        public static Gradients FromValues(Network network, IReadOnlyList<Tensor> values)
        {
            if (network == null) throw new ArgumentNullException(nameof(network));
            if (values == null || values.Count != network.Parameters.Count)
                throw new BackpropException(ErrorIds.GradientNetworkMismatch, ErrorKind.InvalidArgument, values,
                    $"The network has {network.Parameters.Count} parameters; got {values?.Count ?? 0} gradients.");
            var g = new Gradients(network, network.Version, double.NaN, 0, values.ToArray(), new Tensor[0]);
            network.CheckGradients(g);
            return g;
        }

        /// <summary>The network these gradients are for.</summary>
        public Network Network { get; }

        /// <summary>The network version they were computed at.</summary>
        public long ParameterVersion { get; }

        /// <summary>True when the network has been updated since.</summary>
        public bool IsStale => Network.Version != ParameterVersion;

        /// <summary>The loss of the forward pass they came from.</summary>
        public double Loss { get; }

        /// <summary>Samples in that pass.</summary>
        public int BatchSize { get; }

        /// <summary>
        /// The input batch of the forward pass these gradients came from, or null for supplied
        /// gradients. Kept so that Test-Gradient checks them on exactly the data they belong to.
        /// </summary>
        public Tensor Input { get; internal set; }

        /// <summary>The target of that pass (one row per sample), or null for supplied gradients.</summary>
        public Tensor Target { get; internal set; }

        /// <summary>The mode of the pass they came from (Training for supplied gradients).</summary>
        public ForwardMode Mode { get; internal set; }

        /// <summary>The dropout seed of that pass, so Test-Gradient checks them with the same masks; null when there was none.</summary>
        public long? DropoutSeed { get; internal set; }

        /// <summary>
        /// Per BatchNorm layer, the batch statistics of the training-mode pass they came from; Update-Network folds
        /// them into the running statistics when it applies these gradients. Null without BatchNorm, for an
        /// inference-mode pass and for supplied gradients.
        /// </summary>
        public IReadOnlyList<BatchStatistics> BatchStatistics { get; internal set; }

        /// <summary>Gradients aligned with <see cref="Engine.Network.Parameters"/>.</summary>
        internal Tensor[] ByParameter { get; }

        /// <summary>Per layer (index 0 = layer 1), dL/da for the pre-activation a.</summary>
        public IReadOnlyList<Tensor> Deltas { get; }

        /// <summary>Gradient names in parameter order: dW1, db1, [dgamma1, dbeta1,] dW2, ….</summary>
        public IReadOnlyList<string> Names => Network.Parameters.Select(p => p.GradientName).ToArray();

        /// <summary>The gradient by name; both <c>dW1</c> and <c>W1</c> work. Null when there is none.</summary>
        public Tensor this[string name]
        {
            get
            {
                if (name == null) return null;
                var ps = Network.Parameters;
                for (int i = 0; i < ps.Count; i++)
                    if (string.Equals(ps[i].GradientName, name, StringComparison.OrdinalIgnoreCase)
                        || string.Equals(ps[i].Name, name, StringComparison.OrdinalIgnoreCase)) return ByParameter[i];
                return Intermediate(name);
            }
        }

        /// <summary>The gradient of parameter number i (W1, b1, W2, … order).</summary>
        public Tensor GetByIndex(int i) => ByParameter[i];

        /// <summary>Euclidean norm over all gradients together.</summary>
        public double Norm()
        {
            double s = 0;
            foreach (var t in ByParameter) foreach (double v in t.Data) s += v * v;
            return Math.Sqrt(s);
        }

        /// <summary>A deep copy (same network and version).</summary>
        public Gradients Clone()
        {
            var g = new Gradients(Network, ParameterVersion, Loss, BatchSize,
                ByParameter.Select(t => t.Clone()).ToArray(), Deltas.Select(t => t.Clone()).ToArray())
            { Input = Input, Target = Target, Mode = Mode, DropoutSeed = DropoutSeed, BatchStatistics = BatchStatistics };
            if (inputGradients != null)
            {
                var dx = inputGradients.Select(t => t.Clone()).ToArray();
                // Without dropout a hidden layer's dz is the next layer's dx, one tensor; the copy keeps it one.
                var dz = outputGradients.Select((t, i) => i + 1 < dx.Length && ReferenceEquals(t, inputGradients[i + 1]) ? dx[i + 1] : t?.Clone()).ToArray();
                g.SetIntermediates(dx, dz, normGradients.Select(t => t?.Clone()).ToArray());
            }
            return g;
        }

        /// <summary>The console view: one line per gradient with shape, norm and largest magnitude, then the deltas.</summary>
        public string Describe()
        {
            var sb = new System.Text.StringBuilder();
            sb.Append("Gradients    ").Append(Network.Architecture).AppendLine();
            sb.Append("Loss         ").AppendLine(double.IsNaN(Loss) ? "(supplied gradients)" : Loss.ToString("G10", CultureInfo.InvariantCulture) + " over " + BatchSize + " sample(s)");
            sb.Append("Stale        ").AppendLine(IsStale ? "yes (the network was updated since)" : "no");
            sb.AppendLine();
            int w = Math.Max(5, Network.Parameters.Max(p => p.GradientName.Length));
            sb.AppendLine("Name".PadRight(w) + "  Shape      Norm          MaxAbs");
            sb.AppendLine(new string('-', w) + "  ---------  ------------  ------------");
            var ps = Network.Parameters;
            for (int i = 0; i < ps.Count; i++)
            {
                var g = ByParameter[i];
                double s = 0; foreach (double v in g.Data) s += v * v;
                sb.AppendLine($"{ps[i].GradientName.PadRight(w)}  {g.Shape,-9}  {Tensor.FormatValue(Math.Sqrt(s)),12}  {Tensor.FormatValue(g.MaxAbs()),12}");
            }
            if (Deltas.Count > 0)
                sb.AppendLine().Append("Deltas       ").Append(string.Join(", ", Deltas.Select((d, i) => "layer " + (i + 1) + " " + d.Shape)));
            if (inputGradients != null && Network.HasModes)
                sb.AppendLine().Append("Per layer    dx, da, dz (dL/d input, pre-activation, activation output)").AppendLine()
                  .Append("             dbn with BatchNorm, ddrop with dropout; e.g. dx1, da1, dz1");
            else if (inputGradients != null)
                sb.AppendLine().Append("Per layer    ").Append(string.Join(", ", IntermediateNames)).Append(" (dL/d input, pre-activation, output)");
            return sb.ToString().TrimEnd();
        }

        /// <inheritdoc/>
        public override string ToString() =>
            "Gradients " + string.Join(", ", Network.Parameters.Select((p, i) => p.GradientName + " " + ByParameter[i].Shape)) +
            $"; loss {Loss.ToString("G10", CultureInfo.InvariantCulture)}, norm {Norm().ToString("G6", CultureInfo.InvariantCulture)}";
    }

    /// <summary>The statistics one BatchNorm layer computed on a training batch: mean and biased variance over Count samples.</summary>
    public sealed class BatchStatistics
    {
        internal BatchStatistics(int block, Tensor mean, Tensor variance, int count)
        {
            Block = block; Mean = mean; Variance = variance; Count = count;
        }

        /// <summary>1-based block of the BatchNorm layer.</summary>
        public int Block { get; }

        /// <summary>The batch mean, 1 × units.</summary>
        public Tensor Mean { get; }

        /// <summary>The biased batch variance, 1 × units (folded in as unbiased, ·N/(N − 1)).</summary>
        public Tensor Variance { get; }

        /// <summary>Samples in the batch.</summary>
        public int Count { get; }

        /// <inheritdoc/>
        public override string ToString() => $"BatchNorm {Block}: mean and variance of {Count} sample(s)";
    }
}
