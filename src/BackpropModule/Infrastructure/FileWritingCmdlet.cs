using System;
using System.IO;
using System.Management.Automation;
using BackpropModule.Engine;
using BackpropModule.Engine.IO;

namespace BackpropModule.Infrastructure
{
    /// <summary>
    /// Shared parameters and steps of the cmdlets that write a file: -Path (PowerShell paths, so
    /// relative paths and PSDrives work; see <see cref="FilePaths"/>), -NoClobber, -Force,
    /// -PassThru, and ShouldProcess. The engine writes through a temporary file that is moved into
    /// place, following Out-File's conventions (<see cref="FileChecks"/>).
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

        /// <summary>Replace a read-only file (it stays read-only, with its permissions).</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Write a description of the written file to the pipeline.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>The provider path of -Path (the file need not exist).</summary>
        protected string ResolveOutputPath() => Engine(() => FilePaths.ForWriting(this, Path));

        /// <summary>
        /// Asks ShouldProcess (saying whether the file is replaced) and applies -NoClobber.
        /// Returns false when the user declined or -WhatIf was given.
        /// </summary>
        protected bool ShouldWrite(string fullPath, string what, bool editsExisting = false)
        {
            // Refuse a directory, device, FIFO or a read-only file before asking anything.
            Engine(() => FileChecks.CheckWriteTarget(fullPath, Force));
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
