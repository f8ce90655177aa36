namespace BackpropModule.Engine
{
    /// <summary>Error identifiers of saving, loading and exporting (Save-Network, Import-Network, Export-NetworkOnnx, Export-Workbook).</summary>
    public static partial class ErrorIds
    {
        /// <summary>A network file is not a well-formed network file (truncated, bad JSON, unknown or mistyped field, impossible shape).</summary>
        public const string NetworkFileInvalid = "NetworkFileInvalid";
        /// <summary>A network file was written by a format version this module does not read.</summary>
        public const string NetworkFileVersionUnsupported = "NetworkFileVersionUnsupported";
        /// <summary>A network file's payload does not match its SHA-256 checksum (changed after it was written).</summary>
        public const string NetworkFileChecksumMismatch = "NetworkFileChecksumMismatch";
        /// <summary>The file to read does not exist.</summary>
        public const string NetworkFileNotFound = "NetworkFileNotFound";
        /// <summary>The output file exists and -NoClobber was given.</summary>
        public const string OutputFileExists = "OutputFileExists";
        /// <summary>Writing the output file failed; an existing file was left as it was.</summary>
        public const string OutputFileWriteFailed = "OutputFileWriteFailed";
        /// <summary>A workbook sheet name is empty, too long or has a character Excel forbids.</summary>
        public const string WorksheetNameInvalid = "WorksheetNameInvalid";
        /// <summary>A matrix or table does not fit on one worksheet (1,048,576 rows × 16,384 columns).</summary>
        public const string WorksheetTooLarge = "WorksheetTooLarge";
        /// <summary>An existing workbook to append to could not be opened as a spreadsheet.</summary>
        public const string WorkbookInvalid = "WorkbookInvalid";
        /// <summary>A pipeline object cannot be written to a workbook (not a network, pass, gradients, tensor or record with an Epoch).</summary>
        public const string WorkbookInputUnsupported = "WorkbookInputUnsupported";
    }
}
