using System;
using System.Collections.Generic;
using System.Globalization;
using BackpropModule.Engine.Losses;
using BackpropModule.Engine.Tensors;

// The intermediate gradients tutorials print, per layer: dL/dx (input), dL/da (pre-activation), dL/dz (output).
namespace BackpropModule.Engine
{
    public sealed partial class Gradients
    {
        private Tensor[] inputGradients, outputGradients, normGradients;
        private LayerGradients[] layerGradients;

        /// <summary>
        /// dx per layer, dz per layer (the last one dL/dy; null entries mean the next layer's dx, one tensor) and
        /// dbn per layer (null without BatchNorm).
        /// </summary>
        internal void SetIntermediates(Tensor[] dx, Tensor[] dz, Tensor[] dbn)
        {
            inputGradients = dx;
            outputGradients = dz;
            normGradients = dbn;
            layerGradients = new LayerGradients[dx.Length];
            for (int i = 0; i < dx.Length; i++)
            {
                // Without dropout the output of layer i is the input of layer i + 1, so they share one gradient.
                Tensor drop = i + 1 < dx.Length && dz[i] != null && !ReferenceEquals(dz[i], dx[i + 1]) ? dx[i + 1] : null;
                Tensor output = dz[i] ?? dx[i + 1];
                layerGradients[i] = new LayerGradients(i + 1, dx[i], Deltas[i], output) { BatchNormOutput = dbn[i], DropoutOutput = drop };
            }
        }

        /// <summary>
        /// Per layer (index 0 = layer 1) the gradient of the loss with respect to its input x, its
        /// pre-activation a (the delta) and its output z, before the activation derivative; empty for
        /// supplied gradients. The names mirror the forward pass's <see cref="LayerTrace"/>.
        /// </summary>
        public IReadOnlyList<LayerGradients> Layers => layerGradients ?? new LayerGradients[0];

        /// <summary>The names the indexer takes for them: dx1, da1, [dbn1,] dz1, [ddrop1,] dx2, … .</summary>
        public IReadOnlyList<string> IntermediateNames
        {
            get
            {
                var names = new List<string>();
                foreach (var l in Layers)
                {
                    string k = l.Layer.ToString(CultureInfo.InvariantCulture);
                    names.Add("dx" + k); names.Add("da" + k);
                    if (l.BatchNormOutput != null) names.Add("dbn" + k);
                    names.Add("dz" + k);
                    if (l.DropoutOutput != null) names.Add("ddrop" + k);
                }
                return names;
            }
        }

        /// <summary>dxN, daN, dzN, dbnN or ddropN (N the 1-based layer), or null.</summary>
        private Tensor Intermediate(string name)
        {
            int digits = name.Length;
            while (digits > 0 && char.IsDigit(name[digits - 1])) digits--;
            if (digits < 2 || digits == name.Length || (name[0] != 'd' && name[0] != 'D')
                || !int.TryParse(name.Substring(digits), NumberStyles.None, CultureInfo.InvariantCulture, out int layer)
                || layer < 1 || layer > Layers.Count) return null;
            var l = Layers[layer - 1];
            switch (name.Substring(1, digits - 1).ToLowerInvariant())
            {
                case "x": return l.Input;
                case "a": return l.PreActivation;
                case "z": return l.Output;
                case "bn": return l.BatchNormOutput;
                case "drop": return l.DropoutOutput;
                default: return null;
            }
        }
    }

    /// <summary>One layer's intermediate gradients: dL/dx, dL/da (the delta) and dL/dz.</summary>
    public sealed class LayerGradients
    {
        internal LayerGradients(int layer, Tensor input, Tensor preActivation, Tensor output)
        {
            Layer = layer; Input = input; PreActivation = preActivation; Output = output;
        }

        /// <summary>1-based layer number.</summary>
        public int Layer { get; }

        /// <summary>dL/dx = dL/da · Wᵀ, the gradient with respect to the layer's input (for layer 1, the network's input).</summary>
        public Tensor Input { get; }

        /// <summary>dL/da, the delta: the gradient with respect to the pre-activation a = x·W + b.</summary>
        public Tensor PreActivation { get; }

        /// <summary>
        /// dL/dz, the gradient with respect to the layer's output z = f(a), before the activation
        /// derivative: for a hidden layer the next layer's dL/dx (times the dropout mask with dropout);
        /// for the last layer dL/dy of the loss.
        /// </summary>
        public Tensor Output { get; }

        /// <summary>With BatchNorm: dL/dbn, the gradient with respect to γ·x̂ + β (the activation's input); else null.</summary>
        public Tensor BatchNormOutput { get; internal set; }

        /// <summary>With dropout in a training pass: dL/d(z ⊙ mask), the next layer's dL/dx; else null.</summary>
        public Tensor DropoutOutput { get; internal set; }

        /// <inheritdoc/>
        public override string ToString() => $"Layer {Layer}: dx {Input.Shape}, da {PreActivation.Shape}, dz {Output.Shape}";
    }

    /// <summary>dL/dy of each output/loss pairing, for display (backprop itself uses the fused dL/da).</summary>
    internal static class GradientIntermediates
    {
        /// <summary>
        /// Identity + squared error: (y − t)/N. Softmax + cross-entropy: −t/(N·y) (0 where t = 0).
        /// Sigmoid + binary cross-entropy: (y − t)/(N·y·(1 − y)).
        /// </summary>
        /// <remarks>NOTE: where y has rounded to 0 or 1 the last two are infinite; the fused delta dL/da stays finite.</remarks>
        public static Tensor OutputGradient(OutputKind output, Tensor y, Tensor t, int n)
        {
            var d = new Tensor(y.Rows, y.Columns);
            for (int r = 0; r < y.Rows; r++)
                for (int c = 0; c < y.Columns; c++)
                {
                    double yv = y[r, c], tv = t[r, c];
                    switch (output)
                    {
                        case OutputKind.Softmax: d[r, c] = tv == 0 ? 0 : -tv / (n * yv); break;
                        case OutputKind.Sigmoid: d[r, c] = (yv - tv) / (n * yv * (1 - yv)); break;
                        default: d[r, c] = (yv - tv) / n; break;
                    }
                }
            return d;
        }
    }
}
