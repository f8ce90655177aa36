using System.Management.Automation;
using BackpropModule.Engine;
using BackpropModule.Engine.Training;
using BackpropModule.Infrastructure;

namespace BackpropModule.Commands
{
    /// <summary>
    /// Update-Network: one step in place, plain gradient descent W ← W − η·dW, or the step of an
    /// optimizer from New-Optimizer (which keeps its state between calls). Steps on one network from
    /// several runspaces are applied one at a time; a step that would make a weight non-finite is refused.
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
        protected override void EndProcessing()
        {
            // Either parameter may be the piped one, and the other may be given; what matters is
            // whether a step was ever attempted (`@() | Update-Network -Network $net` must not be silent).
            if (!processed) ThrowIfPipelineWasEmpty(null, MyInvocation.BoundParameters.ContainsKey("Gradient") ? "Network" : "Gradient");
        }

        private bool processed;

        /// <inheritdoc/>
        protected override void ProcessRecord()
        {
            processed = true;
            Network net = Network ?? Gradient.Network;
            Engine(() => net.CheckGradients(Gradient));
            if (Gradient.IsStale && !Force) Throw(NetworkUpdate.StaleError(net, Gradient));
            bool explicitRate = MyInvocation.BoundParameters.ContainsKey(nameof(LearningRate));
            string action = Optimizer == null
                ? $"Gradient-descent step with learning rate {LearningRate}"
                : $"{Optimizer.Name} step with learning rate {(explicitRate ? LearningRate : Optimizer.LearningRate)}";
            // The engine takes the network's lock and checks staleness again inside it: another runspace may
            // have updated the network since the check above, which only serves -WhatIf.
            if (ShouldProcess(net.Architecture, action))
                Engine(() => NetworkUpdate.Apply(net, Gradient, Optimizer,
                    Optimizer == null || explicitRate ? LearningRate : (double?)null, Force));
            if (PassThru) WriteObject(net);
        }
    }
}
