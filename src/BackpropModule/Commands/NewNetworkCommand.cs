using System.Management.Automation;
using BackpropModule.Engine;
using BackpropModule.Engine.Layers;
using BackpropModule.Engine.Losses;
using BackpropModule.Infrastructure;

namespace BackpropModule.Commands
{
    /// <summary>New-Network: creates a fully-connected network with seeded initial weights, optionally with BatchNorm and Dropout in its hidden blocks.</summary>
    [Cmdlet(VerbsCommon.New, "Network", DefaultParameterSetName = DrawnSet)]
    [OutputType(typeof(Network))]
    public sealed class NewNetworkCommand : BackpropCmdlet
    {
        private const string DrawnSet = "Drawn";
        private const string GivenSet = "Given";

        /// <summary>Units per layer, inputs first, outputs last (e.g. 784,100,10); with -Parameters, a check of their shapes.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = DrawnSet)]
        [Parameter(ParameterSetName = GivenSet)]
        public int[] LayerSizes { get; set; }

        /// <summary>The parameter values, e.g. @{ W1 = …; b1 = …; W2 = …; b2 = … }; the sizes are read from their shapes.</summary>
        [Parameter(Mandatory = true, ParameterSetName = GivenSet)]
        [ValidateNotNull]
        public System.Collections.IDictionary Parameters { get; set; }

        /// <summary>The hidden-layer activation.</summary>
        [Parameter]
        public ActivationKind Activation { get; set; } = ActivationKind.ReLU;

        /// <summary>The output function; it decides the loss.</summary>
        [Parameter]
        public OutputKind Output { get; set; } = OutputKind.Softmax;

        /// <summary>Weight initialisation; Default is He for ReLU and Xavier otherwise.</summary>
        [Parameter(ParameterSetName = DrawnSet)]
        public WeightInitKind WeightInit { get; set; } = WeightInitKind.Default;

        /// <summary>Standard deviation for -WeightInit Normal.</summary>
        [Parameter(ParameterSetName = DrawnSet)]
        public double WeightScale { get; set; } = 0.01;

        /// <summary>Bias initialisation: Zero (default) or Normal, b = BiasScale · N(0, 1).</summary>
        [Parameter(ParameterSetName = DrawnSet)]
        public BiasInitKind BiasInit { get; set; } = BiasInitKind.Zero;

        /// <summary>Standard deviation for -BiasInit Normal (tutorial 003 uses 0.01).</summary>
        [Parameter(ParameterSetName = DrawnSet)]
        public double BiasScale { get; set; } = 0.01;

        /// <summary>Seed for the weights; the same seed gives the same weights everywhere.</summary>
        [Parameter(ParameterSetName = DrawnSet)]
        public int? Seed { get; set; }

        /// <summary>Batch normalisation in every hidden block: Affine → BatchNorm → activation.</summary>
        [Parameter(ParameterSetName = DrawnSet)]
        public SwitchParameter BatchNorm { get; set; }

        /// <summary>Dropout rate after each hidden block's activation: one rate for all hidden blocks, or one per hidden block; 0 = none.</summary>
        [Parameter(ParameterSetName = DrawnSet)]
        [Parameter(ParameterSetName = GivenSet)]
        [ValidateNotNull]
        public double[] Dropout { get; set; }

        /// <summary>
        /// How Start-Training computes by default: Double, or Single (float, 1.3–1.7 times as fast per epoch here). Single rounds
        /// the weights to float; they are still stored as doubles.
        /// </summary>
        [Parameter]
        public NumericPrecision Precision { get; set; } = NumericPrecision.Double;

        /// <inheritdoc/>
        protected override void ProcessRecord()
        {
            Network net = ParameterSetName == GivenSet
                ? Engine(() => Network.FromValues(ParameterValueConverter.ConvertAll(Parameters), Activation, Output, LayerSizes, Dropout))
                : Engine(() => new Network(LayerSizes, Activation, Output, WeightInit, WeightScale, Seed, BiasInit, BiasScale,
                    HiddenLayerOptions.Create(System.Math.Max(0, LayerSizes.Length - 2), BatchNorm, Dropout)));
            // Weights are drawn as in double (the same seed gives the same draws), then rounded.
            Engine(() => net.InitializePrecision(Precision));
            WriteObject(net);
        }
    }
}
