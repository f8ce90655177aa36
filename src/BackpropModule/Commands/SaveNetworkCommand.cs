using System.Globalization;
using System.Management.Automation;
using BackpropModule.Engine;
using BackpropModule.Engine.IO;
using BackpropModule.Infrastructure;

namespace BackpropModule.Commands
{
    /// <summary>
    /// Save-Network: writes a network (architecture, parameters bit-exact, and its training
    /// checkpoint) to a versioned, checksummed JSON file that Import-Network reads back.
    /// </summary>
    [Cmdlet(VerbsData.Save, "Network", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(SavedFile))]
    public sealed class SaveNetworkCommand : FileWritingCmdlet
    {
        /// <summary>The network to save.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        [ValidateNotNull]
        public Network Network { get; set; }

        /// <summary>Leave out the training checkpoint (the file then holds only what inference needs).</summary>
        [Parameter]
        public SwitchParameter NoCheckpoint { get; set; }

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
            var checkpoint = NoCheckpoint ? null : Network.Checkpoint;
            string what = "network " + Network.Architecture + (checkpoint == null ? "" :
                " with its training checkpoint (epoch " + checkpoint.EpochsCompleted.ToString(CultureInfo.InvariantCulture) + ")");
            if (!ShouldWrite(fullPath, what)) return;
            Engine(() => NetworkFile.Save(Network, fullPath, !NoCheckpoint, force: Force));
            WriteVerbose("Saved " + what + " to " + fullPath + ".");
            if (PassThru) WriteObject(new SavedFile(fullPath, NetworkFile.FormatName + " v" + NetworkFile.VersionFor(Network).ToString(CultureInfo.InvariantCulture), what));
        }
    }
}
