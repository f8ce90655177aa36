using System.Management.Automation;
using BackpropModule.Engine;
using BackpropModule.Engine.Layers;
using BackpropModule.Engine.Losses;
using BackpropModule.Infrastructure;

namespace BackpropModule.Commands
{
    /// <summary>New-Network: creates a fully-connected network with seeded initial weights.</summary>
    [Cmdlet(VerbsCommon.New, "Network")]
    [OutputType(typeof(Network))]
    public sealed class NewNetworkCommand : BackpropCmdlet
    {
        /// <summary>Units per layer, inputs first, outputs last (e.g. 784,100,10).</summary>
        [Parameter(Mandatory = true, Position = 0)]
        public int[] LayerSizes { get; set; }

        /// <summary>The hidden-layer activation.</summary>
        [Parameter]
        public ActivationKind Activation { get; set; } = ActivationKind.ReLU;

        /// <summary>The output function; it decides the loss.</summary>
        [Parameter]
        public OutputKind Output { get; set; } = OutputKind.Softmax;

        /// <summary>Weight initialisation; Default is He for ReLU and Xavier otherwise.</summary>
        [Parameter]
        public WeightInitKind WeightInit { get; set; } = WeightInitKind.Default;

        /// <summary>Standard deviation for -WeightInit Normal.</summary>
        [Parameter]
        public double WeightScale { get; set; } = 0.01;

        /// <summary>Seed for the weights; the same seed gives the same weights everywhere.</summary>
        [Parameter]
        public int? Seed { get; set; }

        /// <inheritdoc/>
        protected override void ProcessRecord()
        {
            WriteObject(Engine(() => new Network(LayerSizes, Activation, Output, WeightInit, WeightScale, Seed)));
        }
    }
}
