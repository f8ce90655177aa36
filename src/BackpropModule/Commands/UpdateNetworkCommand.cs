using System.Management.Automation;
using BackpropModule.Engine;
using BackpropModule.Infrastructure;

namespace BackpropModule.Commands
{
    /// <summary>Update-Network: one gradient-descent step, W ← W − η·dW, in place.</summary>
    [Cmdlet(VerbsData.Update, "Network", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(Network))]
    public sealed class UpdateNetworkCommand : BackpropCmdlet
    {
        /// <summary>The network to update; defaults to the network the gradients belong to.</summary>
        [Parameter(ValueFromPipeline = true)]
        public Network Network { get; set; }

        /// <summary>Gradients from Invoke-Backward, by parameter or by pipeline (<c>$grad | Update-Network</c>).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        public Gradients Gradient { get; set; }

        /// <summary>The step size η.</summary>
        [Parameter(Position = 1)]
        [Alias("Lr")]
        public double LearningRate { get; set; } = 0.1;

        /// <summary>Apply gradients even though the network changed since they were computed.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Write the updated network to the pipeline.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <inheritdoc/>
        protected override void ProcessRecord()
        {
            Network net = Network ?? Gradient.Network;
            Engine(() => net.CheckGradients(Gradient));
            if (Gradient.IsStale && !Force)
                Throw(ErrorIds.GradientStale, ErrorKind.InvalidOperation, Gradient,
                    $"These gradients were computed at parameter version {Gradient.ParameterVersion}; the network is at version {net.Version}. " +
                    "Applying them twice or after another update is usually a mistake; compute new ones, or use -Force.");
            if (ShouldProcess(net.Architecture, $"Gradient-descent step with learning rate {LearningRate}"))
                Engine(() => net.ApplyGradientDescent(Gradient, LearningRate));
            if (PassThru) WriteObject(net);
        }
    }
}
