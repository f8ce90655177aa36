using System.Management.Automation;
using BackpropModule.Engine;
using BackpropModule.Engine.Data;
using BackpropModule.Engine.Training;
using BackpropModule.Infrastructure;

namespace BackpropModule.Commands
{
    /// <summary>
    /// Test-Network: evaluates the piped network on a dataset: loss, plus accuracy, confusion matrix
    /// and per-class precision/recall/F1 for classification, or mean absolute error for regression.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "Network")]
    [OutputType(typeof(EvaluationResult))]
    public sealed class TestNetworkCommand : BackpropCmdlet
    {
        /// <summary>The network to evaluate (not changed).</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        public Network Network { get; set; }

        /// <summary>The samples to evaluate on.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [Alias("TestData")]
        public Dataset Data { get; set; }

        /// <summary>Samples per forward pass (memory versus speed; the result does not depend on it beyond rounding). Default 1000.</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int BatchSize { get; set; } = 1000;

        /// <inheritdoc/>
        protected override void EndProcessing() => ThrowIfPipelineWasEmpty(Network, "Network");

        /// <inheritdoc/>
        protected override void ProcessRecord()
        {
            WriteObject(Engine(() => Evaluator.Evaluate(Network, Data, BatchSize)));
        }
    }
}
