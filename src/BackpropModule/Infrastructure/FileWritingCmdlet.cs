using System;
using System.IO;
using System.Management.Automation;
using BackpropModule.Engine;

namespace BackpropModule.Infrastructure
{
    /// <summary>
    /// Shared parameters and steps of the cmdlets that write a file: -Path (PowerShell paths, so
    /// relative paths and PSDrives work), -NoClobber, -PassThru, and ShouldProcess. The engine
    /// writes through a temporary file that is moved into place.
    /// </summary>
    public abstract class FileWritingCmdlet : BackpropCmdlet
    {
        /// <summary>The file to write. An existing file is replaced (after -Confirm/-WhatIf) unless -NoClobber is given.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; }

        /// <summary>Refuse to replace an existing file.</summary>
        [Parameter]
        public SwitchParameter NoClobber { get; set; }

        /// <summary>Write a description of the written file to the pipeline.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>The provider path of -Path (the file need not exist).</summary>
        protected string ResolveOutputPath()
        {
            try { return SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path); }
            catch (Exception e) when (e is ItemNotFoundException || e is ProviderNotFoundException || e is System.Management.Automation.DriveNotFoundException || e is NotSupportedException || e is PSInvalidOperationException)
            {
                Throw(ErrorIds.OutputFileWriteFailed, ErrorKind.WriteError, Path, $"Cannot write to '{Path}': {e.Message}");
                return null;
            }
        }

        /// <summary>
        /// Asks ShouldProcess (saying whether the file is replaced) and applies -NoClobber.
        /// Returns false when the user declined or -WhatIf was given.
        /// </summary>
        protected bool ShouldWrite(string fullPath, string what, bool editsExisting = false)
        {
            bool exists = File.Exists(fullPath);
            if (exists && NoClobber && !editsExisting)
                ThrowTerminatingError(new ErrorRecord(new IOException($"The file '{fullPath}' already exists and -NoClobber was given."),
                    ErrorIds.OutputFileExists, ErrorCategory.ResourceExists, fullPath));
            string action = editsExisting && exists ? "Add " + what + " to the existing file"
                : exists ? "Replace the existing file with " + what : "Create " + what;
            return ShouldProcess(fullPath, action);
        }
    }
}
