using System.Globalization;
using System.Management.Automation;
using BackpropModule.Engine;
using BackpropModule.Engine.IO;
using BackpropModule.Infrastructure;

namespace BackpropModule.Commands
{
    /// <summary>
    /// Export-NetworkOnnx: writes the network as an ONNX model (opset 13; Gemm and activation
    /// nodes; input "input" [N, inputs], output "output" [N, outputs]) for ONNX Runtime and
    /// other tools. Training state is not exported.
    /// </summary>
    [Cmdlet(VerbsData.Export, "NetworkOnnx", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(SavedFile))]
    public sealed class ExportNetworkOnnxCommand : FileWritingCmdlet
    {
        /// <summary>The network to export.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        [ValidateNotNull]
        public Network Network { get; set; }

        /// <summary>
        /// Double (float64, matches Invoke-Forward to rounding) or Single (float32, half the size). Default: the
        /// network's precision (Single for a -Precision Single network, whose values are floats: nothing is lost).
        /// </summary>
        [Parameter]
        public OnnxPrecision Precision { get; set; } = OnnxPrecision.Double;

        private string fullPath;

        /// <inheritdoc/>
        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            fullPath = ResolveOutputPath();
        }

        /// <inheritdoc/>
        protected override void EndProcessing() => ThrowIfPipelineWasEmpty(Network, "Network");

        /// <inheritdoc/>
        protected override void ProcessRecord()
        {
            var precision = MyInvocation.BoundParameters.ContainsKey(nameof(Precision)) ? Precision
                : Network.Precision == NumericPrecision.Single ? OnnxPrecision.Single : OnnxPrecision.Double;
            string type = precision == OnnxPrecision.Double ? "float64" : "float32";
            string what = "ONNX model (" + type + ") of network " + Network.Architecture;
            if (!ShouldWrite(fullPath, what)) return;
            Engine(() => OnnxExporter.Save(Network, fullPath, precision, force: Force));
            WriteVerbose("Wrote " + what + " to " + fullPath + ".");
            if (PassThru)
                WriteObject(new SavedFile(fullPath, "ONNX opset " + OnnxExporter.Opset.ToString(CultureInfo.InvariantCulture) + " (" + type + ")",
                    Network.Architecture + "; input 'input' [N," + Network.InputSize.ToString(CultureInfo.InvariantCulture) + "], output 'output' [N," + Network.OutputSize.ToString(CultureInfo.InvariantCulture) + "]"));
        }
    }
}
