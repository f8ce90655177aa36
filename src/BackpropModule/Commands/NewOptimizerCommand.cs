using System.Collections.Generic;
using System.Management.Automation;
using BackpropModule.Engine.Training.Optimizers;
using BackpropModule.Infrastructure;

namespace BackpropModule.Commands
{
    /// <summary>New-Optimizer: an update rule (SGD, Momentum, AdaGrad, RMSProp, Adam) for Update-Network and Start-Training.</summary>
    [Cmdlet(VerbsCommon.New, "Optimizer")]
    [OutputType(typeof(OptimizerBase))]
    public sealed class NewOptimizerCommand : BackpropCmdlet
    {
        /// <summary>SGD, Momentum, AdaGrad, RMSProp or Adam.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ArgumentCompleter(typeof(OptimizerNameCompleter))]
        public string Name { get; set; }

        /// <summary>The step size η; defaults per optimizer (SGD 0.1, Momentum and AdaGrad 0.01, RMSProp and Adam 0.001).</summary>
        [Parameter(Position = 1)]
        [Alias("Lr")]
        public double LearningRate { get; set; }

        /// <summary>Momentum μ (Momentum only; 0.9).</summary>
        [Parameter]
        public double Momentum { get; set; }

        /// <summary>β₁ (Adam only; 0.9).</summary>
        [Parameter]
        public double Beta1 { get; set; }

        /// <summary>β₂ (Adam only; 0.999).</summary>
        [Parameter]
        public double Beta2 { get; set; }

        /// <summary>ε (AdaGrad, RMSProp, Adam; 1e-8).</summary>
        [Parameter]
        public double Epsilon { get; set; }

        /// <summary>Decay ρ of RMSProp's running mean of squared gradients (0.99).</summary>
        [Parameter]
        [Alias("Rho")]
        public double Decay { get; set; }

        /// <summary>L2 weight decay λ: λ·W is added to each weight gradient (biases are not decayed). Default 0.</summary>
        [Parameter]
        public double WeightDecay { get; set; }

        /// <inheritdoc/>
        protected override void ProcessRecord()
        {
            var settings = new Dictionary<string, double>();
            foreach (string key in new[] { "LearningRate", "Momentum", "Beta1", "Beta2", "Epsilon", "Decay", "WeightDecay" })
                if (MyInvocation.BoundParameters.TryGetValue(key, out object value)) settings[key] = (double)value;
            WriteObject(Engine(() => OptimizerFactory.Create(Name, settings)));
        }
    }
}
