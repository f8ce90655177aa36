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

        /// <summary>The input batch: a Dataset (its targets are used unless -Target is given), a Tensor, double[][], double[,], one sample as an array of numbers, or an array of arrays.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [Alias("X")]
        public object InputObject { get; set; }

        /// <summary>Optional target: one-hot rows, class indices, or values (regression).</summary>
        [Parameter(Position = 1)]
        [Alias("T")]
        public object Target { get; set; }

        /// <summary>Run in inference mode: BatchNorm uses its running statistics and Dropout keeps every unit (for predictions). Without it the pass is in training mode, the pass to backpropagate.</summary>
        [Parameter]
        public SwitchParameter Inference { get; set; }

        /// <summary>Seed of the dropout masks of a training-mode pass; without it a fresh seed is drawn and recorded on the pass (DropoutSeed).</summary>
        [Parameter]
        public long? Seed { get; set; }

        /// <inheritdoc/>
        protected override void EndProcessing() => ThrowIfPipelineWasEmpty(Network, "Network");

        /// <inheritdoc/>
        protected override void ProcessRecord()
        {
            var (x, t) = Engine(() => TensorConverter.ToBatch(InputObject, Target));
            Engine(() => Network.CheckInput(x));
            var pass = Engine(() => Network.Forward(x, t, Inference ? ForwardMode.Inference : ForwardMode.Training, Seed));
            WarnIfBatchNormCannotNormalise(pass);
            WriteObject(ForwardPassView.Wrap(pass));
        }

        /// <summary>
        /// A training-mode pass whose BatchNorm could not normalise still has a finite loss, which would read as
        /// fine: one sample (x̂ = 0 in every unit, so the output ignores the input) or batch statistics that
        /// overflowed (x̂ = 0 or NaN; Update-Network refuses such gradients).
        /// </summary>
        private void WarnIfBatchNormCannotNormalise(ForwardPass pass)
        {
            if (pass.Mode != ForwardMode.Training || !Network.HasBatchNorm) return;
            if (pass.BatchSize == 1)
            {
                WriteWarning("BatchNorm in training mode normalises a single sample to 0 in every unit, so this output ignores the input. " +
                    "Pass at least 2 samples, or use -Inference (running statistics).");
                return;
            }
            foreach (var layer in pass.Layers)
                if (layer.Variance != null && (layer.Variance.FindNonFinite() != null || layer.Mean.FindNonFinite() != null))
                {
                    WriteWarning($"BatchNorm {layer.Layer}'s batch mean or variance is not finite (the values reaching it are too large for double precision), " +
                        "so it normalised those units to 0 or NaN and this loss means little; Update-Network will refuse its gradients. Scale the inputs down.");
                    return;
                }
        }
    }
}
