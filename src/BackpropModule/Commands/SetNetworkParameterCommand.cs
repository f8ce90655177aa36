using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using BackpropModule.Engine;
using BackpropModule.Engine.Tensors;
using BackpropModule.Infrastructure;

namespace BackpropModule.Commands
{
    /// <summary>
    /// Set-NetworkParameter: replaces the values of one or more parameters (W1, b1, …), or BatchNorm running statistics, in place.
    /// All values are converted and checked before any is written, so on refusal the network is
    /// unchanged; on success its Version steps once and older passes and gradients become stale.
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "NetworkParameter", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = OneSet)]
    [OutputType(typeof(Network))]
    public sealed class SetNetworkParameterCommand : BackpropCmdlet
    {
        private const string OneSet = "One";
        private const string ManySet = "Many";

        /// <summary>The network to change.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        public Network Network { get; set; }

        /// <summary>The parameter's name, e.g. W1 or b2, or a running statistic such as RunningMean1.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = OneSet)]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; }

        /// <summary>The new value: Tensor, double[][], double[,], a flat array (one row), a DataTable, or Import-Csv/Import-Excel rows.</summary>
        [Parameter(Mandatory = true, Position = 1, ParameterSetName = OneSet)]
        [AllowEmptyCollection]
        public object Value { get; set; }

        /// <summary>Several parameters at once, e.g. @{ W1 = …; b1 = … }; all or nothing.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ManySet)]
        [ValidateNotNull]
        public IDictionary Parameters { get; set; }

        /// <summary>Write the network to the pipeline afterwards.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <inheritdoc/>
        protected override void EndProcessing() => ThrowIfPipelineWasEmpty(Network, nameof(Network));

        /// <inheritdoc/>
        protected override void ProcessRecord()
        {
            List<KeyValuePair<string, Tensor>> values = Engine(() => ParameterSetName == ManySet
                ? ParameterValueConverter.ConvertAll(Parameters)
                : new List<KeyValuePair<string, Tensor>> { new KeyValuePair<string, Tensor>(Name, ParameterValueConverter.Convert(Name, Value)) });
            string names = string.Join(", ", values.Select(v => v.Key + " (" + v.Value.Shape + ")"));
            if (values.Count > 0 && ShouldProcess(Network.Architecture, "Set " + names))
                Engine(() => Network.SetParameters(values));
            if (PassThru) WriteObject(Network);
        }
    }
}
