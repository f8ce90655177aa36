using System.Collections.Generic;
using System.Globalization;
using BackpropModule.Engine.Tensors;

namespace BackpropModule.Engine
{
    /// <summary>
    /// Everything one forward pass computed: per layer its input x, pre-activation a = x·W + b and
    /// output z = f(a); the network output, the target and the loss. It is the cache backward
    /// reads, owned by the pass rather than by the layers, so passes never overwrite each other.
    /// </summary>
    public sealed class ForwardPass
    {
        internal ForwardPass(Network network, long version, Tensor input, Tensor target, IReadOnlyList<LayerTrace> layers, double? loss)
        {
            Network = network;
            ParameterVersion = version;
            Input = input;
            Target = target;
            Layers = layers;
            Loss = loss;
        }

        /// <summary>Training (batch statistics, dropout masks) or Inference (running statistics, no dropout).</summary>
        public ForwardMode Mode { get; internal set; }

        /// <summary>The seed the dropout masks were drawn from (a training pass of a network with dropout), so the pass can be reproduced; otherwise the seed given, or null.</summary>
        public long? DropoutSeed { get; internal set; }

        /// <summary>The network that computed this pass.</summary>
        public Network Network { get; }

        /// <summary>The network's <see cref="Engine.Network.Version"/> when the pass was computed.</summary>
        public long ParameterVersion { get; }

        /// <summary>True when the network has been updated since; backward on a stale pass is refused.</summary>
        public bool IsStale => Network.Version != ParameterVersion;

        /// <summary>The input batch, one sample per row.</summary>
        public Tensor Input { get; }

        /// <summary>The target as one row per sample (class indices already made one-hot), or null.</summary>
        public Tensor Target { get; }

        /// <summary>Per layer: input, pre-activation, output.</summary>
        public IReadOnlyList<LayerTrace> Layers { get; }

        /// <summary>The network output (the last layer's output).</summary>
        public Tensor Output => Layers[Layers.Count - 1].Output;

        /// <summary>The loss averaged over the batch, or null without a target.</summary>
        public double? Loss { get; }

        /// <summary>Number of samples.</summary>
        public int BatchSize => Input.Rows;

        /// <summary>The output shape as text.</summary>
        public string OutputShape => Output.Shape;

        /// <summary>Name of the loss function.</summary>
        public string LossFunction => Network.OutputLoss.LossName;

        /// <summary>
        /// The names the indexer takes, as tutorials write them: per layer N its input xN, its
        /// pre-activation aN and its output zN; y is the network's output, t the target. A block with
        /// BatchNorm adds meanN, varN, invstdN (the statistics it normalised with), xhatN (normalised) and
        /// bnN (γ·x̂ + β, the activation's input); one with dropout in a training pass adds maskN and
        /// dropN = zN ⊙ maskN (the next block's input).
        /// </summary>
        public IReadOnlyList<string> ValueNames
        {
            get
            {
                var names = new List<string>();
                foreach (var l in Layers)
                {
                    string k = l.Layer.ToString(CultureInfo.InvariantCulture);
                    names.Add("x" + k); names.Add("a" + k);
                    if (l.Normalized != null) { names.Add("mean" + k); names.Add("var" + k); names.Add("invstd" + k); names.Add("xhat" + k); names.Add("bn" + k); }
                    names.Add("z" + k);
                    if (l.DropoutMask != null) { names.Add("mask" + k); names.Add("drop" + k); }
                }
                names.Add("y");
                if (Target != null) names.Add("t");
                return names;
            }
        }

        /// <summary>A value by its tutorial name (xN, aN, zN, xhatN, bnN, maskN, …, y, t; see <see cref="ValueNames"/>), or null.</summary>
        public Tensor this[string name]
        {
            get
            {
                if (string.IsNullOrEmpty(name)) return null;
                if (name == "y" || name == "Y") return Output;
                if (name == "t" || name == "T") return Target;
                int digits = name.Length;
                while (digits > 0 && char.IsDigit(name[digits - 1])) digits--;
                if (digits == 0 || digits == name.Length || !int.TryParse(name.Substring(digits), NumberStyles.None, CultureInfo.InvariantCulture, out int layer)
                    || layer < 1 || layer > Layers.Count) return null;
                var l = Layers[layer - 1];
                switch (name.Substring(0, digits).ToLowerInvariant())
                {
                    case "x": return l.Input;
                    case "a": return l.PreActivation;
                    case "z": return l.Output;
                    case "mean": return l.Mean;
                    case "var": return l.Variance;
                    case "invstd": return l.InverseStd;
                    case "xhat": return l.Normalized;
                    case "bn": return l.BatchNormOutput;
                    case "mask": return l.DropoutMask;
                    case "drop": return l.DropoutOutput;
                    default: return null;
                }
            }
        }

        /// <summary>For each sample, the index of its largest output (the predicted class).</summary>
        public int[] Predictions()
        {
            var o = Output;
            var result = new int[o.Rows];
            for (int r = 0; r < o.Rows; r++)
            {
                int best = 0;
                for (int c = 1; c < o.Columns; c++) if (o[r, c] > o[r, best]) best = c;
                result[r] = o.Columns == 1 ? (o[r, 0] >= 0.5 ? 1 : 0) : best;
            }
            return result;
        }

        /// <summary>Fraction of samples whose predicted class matches the target's, or null without a target.</summary>
        public double? Accuracy()
        {
            if (Target == null) return null;
            int[] p = Predictions();
            int hit = 0;
            for (int r = 0; r < p.Length; r++)
            {
                int want;
                if (Target.Columns == 1) want = Target[r, 0] >= 0.5 ? 1 : 0;
                else { want = 0; for (int c = 1; c < Target.Columns; c++) if (Target[r, c] > Target[r, want]) want = c; }
                if (want == p[r]) hit++;
            }
            return (double)hit / p.Length;
        }

        /// <summary>The console view: loss, shapes, and per layer the shapes and the output's range.</summary>
        public string Describe()
        {
            var sb = new System.Text.StringBuilder();
            sb.Append("ForwardPass  ").Append(Network.Architecture).AppendLine();
            sb.Append("Loss         ").AppendLine(Loss.HasValue ? Loss.Value.ToString("G10", CultureInfo.InvariantCulture) + " (" + LossFunction + ", mean over " + BatchSize + " sample(s))" : "(no target)");
            var acc = Accuracy();
            if (acc.HasValue && Network.IsClassifier) sb.Append("Accuracy     ").AppendLine(acc.Value.ToString("P2", CultureInfo.InvariantCulture));
            sb.Append("Input        ").AppendLine(Input.Shape);
            sb.Append("Output       ").AppendLine(OutputShape);
            sb.Append("Stale        ").AppendLine(IsStale ? "yes (the network was updated since; run Invoke-Forward again)" : "no");
            if (Network.HasModes)
                sb.Append("Mode         ").AppendLine(Mode + (Mode == ForwardMode.Training && DropoutSeed.HasValue && Network.HasDropout ? ", dropout seed " + DropoutSeed.Value.ToString(CultureInfo.InvariantCulture) : ""));
            sb.AppendLine();
            sb.AppendLine("Layer  Activation  Input      PreActivation  Output     Output min .. max");
            sb.AppendLine("-----  ----------  ---------  -------------  ---------  ----------------------");
            foreach (var l in Layers)
            {
                double min = double.PositiveInfinity, max = double.NegativeInfinity;
                foreach (double v in l.Output.Data) { if (v < min) min = v; if (v > max) max = v; }
                sb.AppendLine($"{l.Layer,5}  {l.Activation,-10}  {l.Input.Shape,-9}  {l.PreActivation.Shape,-13}  {l.Output.Shape,-9}  {Tensor.FormatValue(min)} .. {Tensor.FormatValue(max)}");
            }
            return sb.ToString().TrimEnd();
        }

        /// <inheritdoc/>
        public override string ToString() =>
            $"ForwardPass batch {BatchSize}, output {OutputShape}, loss {(Loss.HasValue ? Loss.Value.ToString("G10", CultureInfo.InvariantCulture) : "(no target)")}";
    }

    /// <summary>What one layer computed in a forward pass: x → a = x·W + b → z = f(a).</summary>
    public sealed class LayerTrace
    {
        internal LayerTrace(int layer, string activation, Tensor input, Tensor preActivation, Tensor output)
        {
            Layer = layer;
            Activation = activation;
            Input = input;
            PreActivation = preActivation;
            Output = output;
        }

        /// <summary>1-based layer number (W1 and b1 belong to layer 1).</summary>
        public int Layer { get; }

        /// <summary>The function applied after the affine part.</summary>
        public string Activation { get; }

        /// <summary>x, the layer's input.</summary>
        public Tensor Input { get; }

        /// <summary>a = x·W + b.</summary>
        public Tensor PreActivation { get; }

        /// <summary>z = f(a) (with BatchNorm, f(bn)): the activation's output, before any dropout.</summary>
        public Tensor Output { get; }

        /// <summary>With BatchNorm: the mean it normalised with (the batch's in training mode, the running one in inference), 1 × units; else null.</summary>
        public Tensor Mean { get; internal set; }

        /// <summary>With BatchNorm: the variance it normalised with (biased batch variance in training mode, running in inference), 1 × units.</summary>
        public Tensor Variance { get; internal set; }

        /// <summary>With BatchNorm: 1/√(variance + ε), 1 × units.</summary>
        public Tensor InverseStd { get; internal set; }

        /// <summary>With BatchNorm: x̂ = (a − mean)·invstd.</summary>
        public Tensor Normalized { get; internal set; }

        /// <summary>With BatchNorm: bn = γ·x̂ + β, the activation's input.</summary>
        public Tensor BatchNormOutput { get; internal set; }

        /// <summary>With dropout in a training pass: the mask, 0 for a dropped unit and 1/(1 − p) for a kept one.</summary>
        public Tensor DropoutMask { get; internal set; }

        /// <summary>With dropout in a training pass: z ⊙ mask.</summary>
        public Tensor DropoutOutput { get; internal set; }

        /// <summary>What the activation (or output function) was applied to: bn with BatchNorm, else a.</summary>
        public Tensor ActivationInput => BatchNormOutput ?? PreActivation;

        /// <summary>What the block hands to the next one: the dropout output, else z.</summary>
        public Tensor BlockOutput => DropoutOutput ?? Output;

        /// <inheritdoc/>
        public override string ToString() => $"Layer {Layer} {Activation}: {Input.Shape} → {Output.Shape}";
    }
}
