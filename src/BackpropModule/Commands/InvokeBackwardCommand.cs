using System.Management.Automation;
using BackpropModule.Engine;
using BackpropModule.Infrastructure;

namespace BackpropModule.Commands
{
    /// <summary>Invoke-Backward: backpropagates a forward pass into per-parameter gradients and per-layer deltas.</summary>
    [Cmdlet(VerbsLifecycle.Invoke, "Backward")]
    [OutputType(typeof(Gradients))]
    public sealed class InvokeBackwardCommand : BackpropCmdlet
    {
        /// <summary>A forward pass computed with a target.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, Position = 0)]
        public ForwardPass ForwardPass { get; set; }

        /// <inheritdoc/>
        protected override void EndProcessing() => ThrowIfPipelineWasEmpty(ForwardPass, "ForwardPass");

        /// <inheritdoc/>
        protected override void ProcessRecord()
        {
            Gradients g = Engine(() => ForwardPass.Network.Backward(ForwardPass));
            WriteObject(GradientView.Wrap(g));
        }
    }
}
