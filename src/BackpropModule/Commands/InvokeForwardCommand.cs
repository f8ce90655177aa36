using System.Management.Automation;
using BackpropModule.Engine;
using BackpropModule.Engine.Tensors;
using BackpropModule.Infrastructure;

namespace BackpropModule.Commands
{
    /// <summary>Invoke-Forward: runs a network on a batch and returns every intermediate value.</summary>
    [Cmdlet(VerbsLifecycle.Invoke, "Forward")]
    [OutputType(typeof(ForwardPass))]
    public sealed class InvokeForwardCommand : BackpropCmdlet
    {
        /// <summary>The network to run.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        public Network Network { get; set; }

        /// <summary>The input batch: a Tensor, double[][], double[,], one sample as an array of numbers, or an array of arrays.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [Alias("X")]
        public object InputObject { get; set; }

        /// <summary>Optional target: one-hot rows, class indices, or values (regression).</summary>
        [Parameter(Position = 1)]
        [Alias("T")]
        public object Target { get; set; }

        /// <inheritdoc/>
        protected override void ProcessRecord()
        {
            Tensor x = Engine(() => TensorConverter.ToInput(InputObject));
            Engine(() => Network.CheckInput(x));
            Tensor t = Target == null ? null : Engine(() => TensorConverter.ToTarget(Target, x.Rows));
            WriteObject(ForwardPassView.Wrap(Engine(() => Network.Forward(x, t))));
        }
    }
}
