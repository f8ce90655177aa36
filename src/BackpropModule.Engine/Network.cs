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
    /// A fully-connected network: a chain of hidden blocks, Affine → [BatchNorm] → activation → [Dropout],
    /// and an output block, Affine → output function + loss (<see cref="Blocks"/>). Layers are stateless; a <see cref="ForwardPass"/>
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
            BiasInitKind biasInit = BiasInitKind.Zero, double biasScale = 0.01, HiddenLayerOptions hiddenLayers = null)
        {
            ValidateSizes(layerSizes);
            hiddenLayers = CheckHiddenLayers(layerSizes, hiddenLayers);
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
                weights.Add(CheckDrawn(Init.Draw(rng, layerSizes[i], layerSizes[i + 1], std), ErrorIds.WeightScaleInvalid, weightScale, "Weights", "-WeightScale"));
                // Zero biases draw nothing, so the weights of a seed do not depend on the bias option.
                weights.Add(biasInit == BiasInitKind.Normal
                    ? CheckDrawn(Init.Draw(rng, 1, layerSizes[i + 1], biasScale), ErrorIds.BiasScaleInvalid, biasScale, "Biases", "-BiasScale")
                    : new Tensor(1, layerSizes[i + 1]));
                // γ = 1 and β = 0 draw nothing, so W and b of a seed equal those of the same network without BatchNorm.
                if (i + 2 < layerSizes.Count && hiddenLayers.BatchNorm[i])
                {
                    var gamma = new Tensor(1, layerSizes[i + 1]);
                    for (int j = 0; j < gamma.Count; j++) gamma.Data[j] = 1.0;
                    weights.Add(gamma);
                    weights.Add(new Tensor(1, layerSizes[i + 1]));
                }
            }
            LayerSizes = layerSizes.ToArray();
            Activation = activation;
            Output = output;
            HiddenActivation = Activations.Create(activation);
            OutputLoss = OutputLosses.Create(output);
            layers = BuildBlocks(weights, hiddenLayers, out parameters);
            TrackParameterChanges();
        }

        /// <summary>
        /// Creates a network around existing parameter values, for loading: W1, b1, [gamma1, beta1,] W2, b2, … in
        /// order, gamma/beta for the hidden blocks that have BatchNorm in <paramref name="hiddenLayers"/> (null: none).
        /// The running statistics start at 0 and 1; set saved ones with <see cref="SetRunningStatistics"/>.
        /// </summary>
        /// <exception cref="BackpropException">The sizes or options are invalid, or a parameter does not have the shape they imply.</exception>
        public Network(IReadOnlyList<int> layerSizes, ActivationKind activation, OutputKind output, IReadOnlyList<Tensor> parameterValues,
            WeightInitKind weightInit = WeightInitKind.Default, long seed = 0, HiddenLayerOptions hiddenLayers = null)
        {
            ValidateSizes(layerSizes);
            hiddenLayers = CheckHiddenLayers(layerSizes, hiddenLayers);
            CheckValueShapes(layerSizes, hiddenLayers, parameterValues);
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
            layers = BuildBlocks(parameterValues.Select(v => v.Clone()).ToArray(), hiddenLayers, out parameters);
            TrackParameterChanges();
        }

        /// <summary>
        /// The drawn tensor, or the scale's error when it overflowed. NOTE: a finite scale near double's limit
        /// (e.g. 1e308) still overflows: scale · N(0, 1) is ±∞ as soon as |N| &gt; 1.
        /// </summary>
        private static Tensor CheckDrawn(Tensor drawn, string errorId, double scale, string what, string parameter)
        {
            if (drawn.FindNonFinite() == null) return drawn;
            throw new BackpropException(errorId, ErrorKind.InvalidArgument, scale,
                $"{what} drawn with scale {scale.ToString(CultureInfo.InvariantCulture)} overflow to infinity; use a smaller {parameter}.");
        }

        // Every write through a parameter's public surface (indexer, CopyTo) counts as an update.
        private void TrackParameterChanges()
        {
            foreach (var p in parameters) p.Value.TrackChanges(MarkUpdated);
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
        public BiasInitKind BiasInit { get; internal set; }

        /// <summary>The standard deviation of <see cref="BiasInitKind.Normal"/> biases.</summary>
        public double BiasScale { get; internal set; } = 0.01;

        /// <summary>The seed the weights were drawn with.</summary>
        public long Seed { get; }

        /// <summary>Number of inputs.</summary>
        public int InputSize => LayerSizes[0];

        /// <summary>Number of outputs.</summary>
        public int OutputSize => LayerSizes[LayerSizes.Length - 1];

        /// <summary>The Affine layers, 1-based names (W1, b1 belong to Layers[0]); <see cref="Blocks"/> has the whole chain.</summary>
        public IReadOnlyList<AffineLayer> Layers => layers;

        /// <summary>All parameters in order W1, b1, [gamma1, beta1,] W2, b2, … (gamma/beta for blocks with BatchNorm).</summary>
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
