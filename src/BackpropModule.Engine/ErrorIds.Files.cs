namespace BackpropModule.Engine
{
    /// <summary>Error identifiers of the path rules every cmdlet that reads or writes a file follows.</summary>
    public static partial class ErrorIds
    {
        /// <summary>A path holds a character no file name can hold (NUL) or is otherwise malformed.</summary>
        public const string PathInvalid = "PathInvalid";
        /// <summary>A path is on a PowerShell provider other than FileSystem (Env:, Variable:, HKLM:, …).</summary>
        public const string PathProviderUnsupported = "PathProviderUnsupported";
        /// <summary>A path names a directory, device, FIFO or socket where a regular file is needed.</summary>
        public const string PathNotFile = "PathNotFile";
        /// <summary>The file to replace is read-only and -Force was not given.</summary>
        public const string OutputFileReadOnly = "OutputFileReadOnly";
        /// <summary>A network file exists but could not be read (permissions, I/O error).</summary>
        public const string NetworkFileReadFailed = "NetworkFileReadFailed";
    }
}
