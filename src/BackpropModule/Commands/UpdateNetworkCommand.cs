using System.Management.Automation;
using BackpropModule.Engine;
using BackpropModule.Engine.Training;
using BackpropModule.Infrastructure;

namespace BackpropModule.Commands
{
    /// <summary>
    /// Update-Network: one step in place, plain gradient descent W ← W − η·dW, or the step of an
    /// optimizer from New-Optimizer (which keeps its state between calls).
    /// </summary>
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

        /// <summary>The step size η; with -Optimizer, given explicitly it sets the optimizer's learning rate.</summary>
        [Parameter(Position = 1)]
        [Alias("Lr")]
        public double LearningRate { get; set; } = 0.1;

        /// <summary>An optimizer from New-Optimizer; without it the step is plain gradient descent.</summary>
        [Parameter]
        public IOptimizer Optimizer { get; set; }

        /// <summary>Apply gradients even though the network changed since they were computed.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Write the updated network to the pipeline.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <inheritdoc/>
        protected override void EndProcessing() => ThrowIfPipelineWasEmpty(Network ?? (object)Gradient, MyInvocation.BoundParameters.ContainsKey("Gradient") ? "Gradient" : "Network");

        /// <inheritdoc/>
        protected override void ProcessRecord()
        {
            Network net = Network ?? Gradient.Network;
            Engine(() => net.CheckGradients(Gradient));
            if (Gradient.IsStale && !Force)
                Throw(ErrorIds.GradientStale, ErrorKind.InvalidOperation, Gradient,
                    $"These gradients were computed at parameter version {Gradient.ParameterVersion}; the network is at version {net.Version}. " +
                    "Applying them twice or after another update is usually a mistake; compute new ones, or use -Force.");
            if (Optimizer == null)
            {
                if (ShouldProcess(net.Architecture, $"Gradient-descent step with learning rate {LearningRate}"))
                    Engine(() => net.ApplyGradientDescent(Gradient, LearningRate));
            }
            else
            {
                bool explicitRate = MyInvocation.BoundParameters.ContainsKey(nameof(LearningRate));
                double rate = explicitRate ? LearningRate : Optimizer.LearningRate;
                if (ShouldProcess(net.Architecture, $"{Optimizer.Name} step with learning rate {rate}"))
                    Engine(() =>
                    {
                        if (explicitRate) Optimizer.LearningRate = LearningRate;
                        Optimizer.Step(net, Gradient.ByParameter);
                    });
            }
            if (PassThru) WriteObject(net);
        }
    }
}
