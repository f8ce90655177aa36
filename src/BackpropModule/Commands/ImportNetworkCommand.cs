using System;
using System.Collections.Generic;
using System.Management.Automation;
using BackpropModule.Engine;
using BackpropModule.Engine.IO;
using BackpropModule.Infrastructure;

namespace BackpropModule.Commands
{
    /// <summary>
    /// Import-Network: reads networks written by Save-Network, restoring parameters bit-exact and
    /// the training checkpoint (so Start-Training -Resume continues where the run stopped).
    /// A file that cannot be read is reported and the next one is read.
    /// </summary>
    [Cmdlet(VerbsData.Import, "Network", DefaultParameterSetName = "Path")]
    [OutputType(typeof(Network))]
    public sealed class ImportNetworkCommand : BackpropCmdlet
    {
        /// <summary>Files to read; wildcards are expanded.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = "Path")]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; }

        /// <summary>Files to read, taken literally (no wildcards); binds to FullName/PSPath of piped files.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = "LiteralPath")]
        [Alias("PSPath", "FullName", "LP")]
        [ValidateNotNullOrEmpty]
        public string[] LiteralPath { get; set; }

        /// <inheritdoc/>
        protected override void ProcessRecord()
        {
            foreach (string file in Resolve())
            {
                if (Stopping) return;
                try
                {
                    var network = NetworkFile.Load(file);
                    WriteVerbose($"Read {network.Architecture} from {file}" + (network.Checkpoint == null ? " (no checkpoint)." : $" with a checkpoint after epoch {network.Checkpoint.EpochsCompleted}."));
                    WriteObject(network);
                }
                catch (BackpropException e) { WriteError(ToErrorRecord(e)); }
            }
        }

        private IEnumerable<string> Resolve()
        {
            bool literal = ParameterSetName == "LiteralPath";
            foreach (string p in literal ? LiteralPath : Path)
            {
                IReadOnlyList<string> files = null;
                try { files = FilePaths.ForReading(this, p, !literal, ErrorIds.NetworkFileNotFound); }
                catch (BackpropException e) { WriteError(ToErrorRecord(e)); }
                if (files != null) foreach (string f in files) yield return f;
            }
        }
    }
}
