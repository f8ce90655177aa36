using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using BackpropModule.Engine.Layers;
using BackpropModule.Engine.Losses;
using BackpropModule.Engine.Randomness;
using BackpropModule.Engine.Tensors;
using Init = BackpropModule.Engine.Layers.WeightInit;

namespace BackpropModule.Engine
{
    /// <summary>
    /// A fully-connected network: Affine layers with a hidden activation between them and an
    /// output function + loss after the last. Layers are stateless; a <see cref="ForwardPass"/>
    /// owns the intermediate values, so passes never interfere. Every change to the parameters
    /// increments <see cref="Version"/>, which is how stale passes and gradients are detected.
    /// </summary>
    public sealed partial class Network
    {
        private readonly AffineLayer[] layers;
        private readonly Parameter[] parameters;

        /// <summary>Creates a network with freshly drawn weights.</summary>
        /// <exception cref="BackpropException">Fewer than two sizes, a size ≤ 0, more than <see cref="MaxParameterCount"/> parameters, or a bad weight scale.</exception>
        public Network(IReadOnlyList<int> layerSizes, ActivationKind activation, OutputKind output,
            WeightInitKind weightInit = WeightInitKind.Default, double weightScale = 0.01, long? seed = null,
            BiasInitKind biasInit = BiasInitKind.Zero, double biasScale = 0.01)
        {
            ValidateSizes(layerSizes);
            if (!(weightScale > 0) || double.IsInfinity(weightScale))
                throw new BackpropException(ErrorIds.WeightScaleInvalid, ErrorKind.InvalidArgument, weightScale,
                    $"The weight scale must be a positive finite number; got {weightScale.ToString(CultureInfo.InvariantCulture)}.");
            if (!(biasScale > 0) || double.IsInfinity(biasScale))
                throw new BackpropException(ErrorIds.BiasScaleInvalid, ErrorKind.InvalidArgument, biasScale,
                    $"The bias scale must be a positive finite number; got {biasScale.ToString(CultureInfo.InvariantCulture)}.");
            BiasInit = biasInit;
            BiasScale = biasScale;
            Seed = seed ?? SeededRandom.NewSeed();
            WeightInit = Init.Resolve(weightInit, activation);
            WeightScale = weightScale;
            var rng = new SeededRandom(Seed);
            var weights = new List<Tensor>();
            for (int i = 0; i + 1 < layerSizes.Count; i++)
            {
                double std = Init.StandardDeviation(WeightInit, layerSizes[i], weightScale);
                weights.Add(Init.Draw(rng, layerSizes[i], layerSizes[i + 1], std));
                // Zero biases draw nothing, so the weights of a seed do not depend on the bias option.
                weights.Add(biasInit == BiasInitKind.Normal ? Init.Draw(rng, 1, layerSizes[i + 1], biasScale) : new Tensor(1, layerSizes[i + 1]));
            }
            LayerSizes = layerSizes.ToArray();
            Activation = activation;
            Output = output;
            HiddenActivation = Activations.Create(activation);
            OutputLoss = OutputLosses.Create(output);
            layers = BuildLayers(weights, out parameters);
            TrackParameterChanges();
        }

        /// <summary>Creates a network around existing parameter values (W1, b1, W2, b2, … in order), for loading.</summary>
        /// <exception cref="BackpropException">The sizes are invalid or a parameter does not have the shape they imply.</exception>
        public Network(IReadOnlyList<int> layerSizes, ActivationKind activation, OutputKind output, IReadOnlyList<Tensor> parameterValues,
            WeightInitKind weightInit = WeightInitKind.Default, long seed = 0)
        {
            ValidateSizes(layerSizes);
            if (parameterValues == null || parameterValues.Count != 2 * (layerSizes.Count - 1))
                throw new BackpropException(ErrorIds.LayerSizeInvalid, ErrorKind.InvalidData, parameterValues,
                    $"A network with {layerSizes.Count} layer sizes has {2 * (layerSizes.Count - 1)} parameters; got {parameterValues?.Count ?? 0}.");
            for (int i = 0; i + 1 < layerSizes.Count; i++)
            {
                Tensor w = parameterValues[2 * i], b = parameterValues[2 * i + 1];
                if (w.Rows != layerSizes[i] || w.Columns != layerSizes[i + 1] || b.Rows != 1 || b.Columns != layerSizes[i + 1])
                    throw new BackpropException(ErrorIds.LayerSizeInvalid, ErrorKind.InvalidData, parameterValues,
                        $"Layer {i + 1} needs W {layerSizes[i]}x{layerSizes[i + 1]} and b 1x{layerSizes[i + 1]}; got {w.Shape} and {b.Shape}.");
            }
            LayerSizes = layerSizes.ToArray();
            Activation = activation;
            Output = output;
            Seed = seed;
            WeightInit = Init.Resolve(weightInit, activation);
            WeightScale = 0.01;
            HiddenActivation = Activations.Create(activation);
            OutputLoss = OutputLosses.Create(output);
            // Copies: the caller keeps its tensors, and nobody holds a writable alias of the new
            // parameters that would bypass the version count.
            layers = BuildLayers(parameterValues.Select(v => v.Clone()).ToArray(), out parameters);
            TrackParameterChanges();
        }

        // Every write through a parameter's public surface (indexer, CopyTo) counts as an update.
        private void TrackParameterChanges()
        {
            foreach (var p in parameters) p.Value.TrackChanges(MarkUpdated);
        }

        private static AffineLayer[] BuildLayers(IReadOnlyList<Tensor> values, out Parameter[] parameters)
        {
            var result = new AffineLayer[values.Count / 2];
            var ps = new List<Parameter>();
            for (int i = 0; i < result.Length; i++)
            {
                result[i] = new AffineLayer(i + 1, values[2 * i], values[2 * i + 1]);
                ps.Add(result[i].W);
                ps.Add(result[i].B);
            }
            parameters = ps.ToArray();
            return result;
        }

        private static void ValidateSizes(IReadOnlyList<int> sizes)
        {
            if (sizes == null || sizes.Count < 2)
                throw new BackpropException(ErrorIds.LayerSizesTooFew, ErrorKind.InvalidArgument, sizes,
                    $"A network needs at least two layer sizes (inputs and outputs); got {sizes?.Count ?? 0}.");
            for (int i = 0; i < sizes.Count; i++)
                if (sizes[i] <= 0)
                    throw new BackpropException(ErrorIds.LayerSizeInvalid, ErrorKind.InvalidArgument, sizes,
                        $"Layer size {i} is {sizes[i]}; every size must be at least 1.");
            // Counted in long before anything is allocated: rows x columns overflows an int long
            // before memory runs out, and a budget refuses sizes that could not be trained or saved.
            long count = 0;
            for (int i = 0; i + 1 < sizes.Count; i++)
                count += (long)sizes[i] * sizes[i + 1] + sizes[i + 1];
            if (count > MaxParameterCount)
                throw new BackpropException(ErrorIds.LayerSizeInvalid, ErrorKind.InvalidArgument, sizes,
                    string.Format(CultureInfo.InvariantCulture,
                        "Layer sizes {0} make {1:N0} parameters; a network holds at most {2:N0} (what a network file can store).",
                        string.Join(",", sizes), count, MaxParameterCount));
        }

        /// <summary>
        /// The most parameters (weights and biases together) a network may have: 2^25, 256 MiB of
        /// doubles, whose Base64 text fits a network file (at most 512 MiB).
        /// </summary>
        public const long MaxParameterCount = 1L << 25;

        /// <summary>Units per layer, inputs first.</summary>
        public int[] LayerSizes { get; }

        /// <summary>The hidden activation.</summary>
        public ActivationKind Activation { get; }

        /// <summary>The output function (and so the loss).</summary>
        public OutputKind Output { get; }

        /// <summary>Name of the loss, e.g. CrossEntropy.</summary>
        public string Loss => OutputLoss.LossName;

        /// <summary>The weight initialisation that was used.</summary>
        public WeightInitKind WeightInit { get; }

        /// <summary>The scale of <see cref="WeightInitKind.Normal"/> initialisation.</summary>
        public double WeightScale { get; }

        /// <summary>How the biases were initialised (Zero unless -BiasInit Normal).</summary>
        public BiasInitKind BiasInit { get; }

        /// <summary>The standard deviation of <see cref="BiasInitKind.Normal"/> biases.</summary>
        public double BiasScale { get; } = 0.01;

        /// <summary>The seed the weights were drawn with.</summary>
        public long Seed { get; }

        /// <summary>Number of inputs.</summary>
        public int InputSize => LayerSizes[0];

        /// <summary>Number of outputs.</summary>
        public int OutputSize => LayerSizes[LayerSizes.Length - 1];

        /// <summary>The Affine layers, 1-based names (W1, b1 belong to Layers[0]).</summary>
        public IReadOnlyList<AffineLayer> Layers => layers;

        /// <summary>All parameters in order W1, b1, W2, b2, ….</summary>
        public IReadOnlyList<Parameter> Parameters => parameters;

        /// <summary>Total number of learnable values.</summary>
        public int ParameterCount => parameters.Sum(p => p.Value.Count);

        /// <summary>Increments on every parameter change; passes and gradients remember it.</summary>
        public long Version { get; private set; }

        /// <summary>
        /// Where the last training run stands (set by Start-Training after each epoch, saved by
        /// Save-Network, restored by Import-Network), or null. Start-Training -Resume continues from it.
        /// </summary>
        public Training.TrainingCheckpoint Checkpoint { get; set; }

        /// <summary>The hidden activation object.</summary>
        public IActivation HiddenActivation { get; }

        /// <summary>The output/loss object.</summary>
        public IOutputLoss OutputLoss { get; }

        /// <summary>True for a softmax output with more than one class, where targets may be class indices.</summary>
        public bool IsClassifier => Output == OutputKind.Softmax || (Output == OutputKind.Sigmoid && OutputSize == 1);

        /// <summary>The parameter with this name (W1, b1, …), or null.</summary>
        public Parameter FindParameter(string name) =>
            parameters.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));

        /// <summary>Marks the parameters as changed (call after changing <see cref="Parameter.Value"/> in place).</summary>
        public void MarkUpdated() => Version++;

        /// <summary>Runs the network on x (rows are samples); with a target, also computes the loss.</summary>
        /// <exception cref="BackpropException">x or t is empty, not finite, or of the wrong shape.</exception>
        public ForwardPass Forward(Tensor x, Tensor t = null)
        {
            CheckInput(x);
            Tensor target = t == null ? null : PrepareTarget(t, x.Rows);
            var traces = new LayerTrace[layers.Length];
            Tensor input = x;
            for (int i = 0; i < layers.Length; i++)
            {
                var a = new Tensor(x.Rows, layers[i].Outputs);
                var z = new Tensor(x.Rows, layers[i].Outputs);
                layers[i].Forward(input, a);
                bool last = i == layers.Length - 1;
                if (last) OutputLoss.Forward(a, z); else HiddenActivation.Forward(a, z);
                traces[i] = new LayerTrace(i + 1, last ? OutputLoss.Name : HiddenActivation.Name, input, a, z);
                input = z;
            }
            double? loss = target == null ? (double?)null : OutputLoss.Loss(traces[traces.Length - 1].PreActivation, input, target);
            return new ForwardPass(this, Version, x, target, traces, loss);
        }

        /// <summary>The loss on (x, t) with the current parameters, allocating nothing that is kept.</summary>
        public double ComputeLoss(Tensor x, Tensor t) => Forward(x, t).Loss.Value;

        /// <summary>Backpropagates a pass that has a target. Never mutates the pass.</summary>
        /// <exception cref="BackpropException">The pass has no target, is stale, or belongs to another network.</exception>
        public Gradients Backward(ForwardPass pass)
        {
            if (pass == null) throw new ArgumentNullException(nameof(pass));
            if (!ReferenceEquals(pass.Network, this))
                throw new BackpropException(ErrorIds.GradientNetworkMismatch, ErrorKind.InvalidArgument, pass, "This forward pass was computed by another network.");
            if (pass.Target == null)
                throw new BackpropException(ErrorIds.TargetMissing, ErrorKind.InvalidOperation, pass,
                    "This forward pass has no target, so there is no loss to backpropagate. Run Invoke-Forward with -Target.");
            if (pass.ParameterVersion != Version)
                throw new BackpropException(ErrorIds.ForwardPassStale, ErrorKind.InvalidOperation, pass,
                    $"This forward pass was computed with parameter version {pass.ParameterVersion}, but the network has been updated since (version {Version}). Run Invoke-Forward again.");
            int n = pass.Input.Rows;
            var grads = new Tensor[parameters.Length];
            var deltas = new Tensor[layers.Length];
            var inputGradients = new Tensor[layers.Length];
            int last = layers.Length - 1;
            var delta = new Tensor(n, layers[last].Outputs);
            OutputLoss.Backward(pass.Layers[last].Output, pass.Target, delta);
            for (int i = last; i >= 0; i--)
            {
                deltas[i] = delta;
                var dW = new Tensor(layers[i].Inputs, layers[i].Outputs);
                var db = new Tensor(1, layers[i].Outputs);
                // dx of layer 1 (the gradient with respect to the network's input) is needed by no
                // parameter, but tutorials print it; it costs one more product of the first layer's size.
                var dx = new Tensor(n, layers[i].Inputs);
                layers[i].Backward(pass.Layers[i].Input, delta, dW, db, dx);
                grads[2 * i] = dW;
                grads[2 * i + 1] = db;
                inputGradients[i] = dx;
                if (i > 0)
                {
                    var below = pass.Layers[i - 1];
                    var da = new Tensor(n, layers[i - 1].Outputs);
                    HiddenActivation.Backward(below.PreActivation, below.Output, dx, da);
                    delta = da;
                }
            }
            var g = new Gradients(this, pass.ParameterVersion, pass.Loss.Value, n, grads, deltas) { Input = pass.Input, Target = pass.Target };
            g.SetIntermediates(inputGradients, GradientIntermediates.OutputGradient(Output, pass.Output, pass.Target, n));
            return g;
        }

        /// <summary>Plain gradient descent, W ← W − η·dW for every parameter, then <see cref="Version"/> increments.</summary>
        /// <exception cref="BackpropException">Bad learning rate, gradients of another network, a non-finite gradient, or
        /// UpdateNotFinite (the step would make a parameter NaN or infinite); the network is unchanged.</exception>
        public void ApplyGradientDescent(Gradients gradients, double learningRate)
        {
            CheckGradients(gradients);
            if (!(learningRate > 0) || double.IsInfinity(learningRate))
                throw new BackpropException(ErrorIds.LearningRateInvalid, ErrorKind.InvalidArgument, learningRate,
                    $"The learning rate must be a positive finite number; got {learningRate.ToString(CultureInfo.InvariantCulture)}.");
            // Checked before anything is written, so a refused step changes nothing (η·dW or w − η·dW can overflow).
            for (int p = 0; p < parameters.Length; p++)
            {
                double[] w = parameters[p].Value.Data, g = gradients.ByParameter[p].Data;
                for (int i = 0; i < w.Length; i++)
                {
                    double next = w[i] - learningRate * g[i];
                    if (double.IsNaN(next) || double.IsInfinity(next))
                        throw Training.NetworkUpdate.NotFinite(parameters[p].Name, i % parameters[p].Value.Rows, i / parameters[p].Value.Rows, "gradient-descent step", learningRate);
                }
            }
            for (int p = 0; p < parameters.Length; p++)
            {
                double[] w = parameters[p].Value.Data, g = gradients.ByParameter[p].Data;
                for (int i = 0; i < w.Length; i++) w[i] -= learningRate * g[i];
            }
            Version++;
        }

        /// <summary>Checks that gradients belong to this network and are finite.</summary>
        /// <exception cref="BackpropException">They do not.</exception>
        public void CheckGradients(Gradients gradients)
        {
            if (gradients == null) throw new ArgumentNullException(nameof(gradients));
            if (!ReferenceEquals(gradients.Network, this))
                throw new BackpropException(ErrorIds.GradientNetworkMismatch, ErrorKind.InvalidArgument, gradients,
                    "These gradients were computed for another network.");
            for (int p = 0; p < parameters.Length; p++)
            {
                var g = gradients.ByParameter[p];
                if (g.Rows != parameters[p].Value.Rows || g.Columns != parameters[p].Value.Columns)
                    throw new BackpropException(ErrorIds.GradientNetworkMismatch, ErrorKind.InvalidArgument, gradients,
                        $"Gradient {parameters[p].GradientName} is {g.Shape}; parameter {parameters[p].Name} is {parameters[p].Shape}.");
                var bad = g.FindNonFinite();
                if (bad != null)
                    throw new BackpropException(ErrorIds.GradientNotFinite, ErrorKind.InvalidData, gradients,
                        $"Gradient {parameters[p].GradientName} is not finite at row {bad.Value.Row}, column {bad.Value.Column}; nothing was updated.");
            }
        }

        /// <summary>Copies of all parameter values, for restoring later.</summary>
        public Tensor[] SnapshotParameters() => parameters.Select(p => p.Value.Clone()).ToArray();

        /// <summary>Restores values from <see cref="SnapshotParameters"/> in place and increments the version.</summary>
        public void RestoreParameters(IReadOnlyList<Tensor> snapshot)
        {
            if (snapshot == null || snapshot.Count != parameters.Length) throw new ArgumentException("The snapshot does not match this network.", nameof(snapshot));
            for (int p = 0; p < parameters.Length; p++)
                if (snapshot[p].Rows != parameters[p].Value.Rows || snapshot[p].Columns != parameters[p].Value.Columns)
                    throw new ArgumentException($"Snapshot {p} is {snapshot[p].Shape}; {parameters[p].Name} is {parameters[p].Shape}.", nameof(snapshot));
            // Raw copies, then one version step for the whole restore.
            for (int p = 0; p < parameters.Length; p++) Array.Copy(snapshot[p].Data, parameters[p].Value.Data, snapshot[p].Count);
            Version++;
        }
    }
}
