namespace BackpropModule.Engine
{
    /// <summary>Error ids of the data cmdlets (IDX files, pipeline rows, splits).</summary>
    public static partial class ErrorIds
    {
        /// <summary>An IDX image or label file (or the folder holding them) does not exist.</summary>
        public const string IdxFileNotFound = "IdxFileNotFound";
        /// <summary>The file does not start with the IDX magic number it should (or is not IDX at all).</summary>
        public const string IdxMagicInvalid = "IdxMagicInvalid";
        /// <summary>The header declares dimensions that are zero, negative or too large.</summary>
        public const string IdxDimensionInvalid = "IdxDimensionInvalid";
        /// <summary>The file ends before all the samples its header declares.</summary>
        public const string IdxTruncated = "IdxTruncated";
        /// <summary>The file holds bytes after the samples its header declares.</summary>
        public const string IdxTrailingData = "IdxTrailingData";
        /// <summary>The image and label files declare different sample counts.</summary>
        public const string IdxCountMismatch = "IdxCountMismatch";
        /// <summary>A label is not below the class count.</summary>
        public const string IdxLabelOutOfRange = "IdxLabelOutOfRange";
        /// <summary>The file starts with the gzip magic but does not decompress.</summary>
        public const string IdxGzipInvalid = "IdxGzipInvalid";
        /// <summary>The file could not be read (permissions, I/O).</summary>
        public const string IdxReadFailed = "IdxReadFailed";
        /// <summary>The number of class names differs from the class count.</summary>
        public const string ClassNamesCountInvalid = "ClassNamesCountInvalid";
        // DatasetEmpty (no rows reached ConvertTo-Dataset) is declared with the training ids.
        /// <summary>A row lacks a feature, label or target property.</summary>
        public const string DatasetRowPropertyMissing = "DatasetRowPropertyMissing";
        /// <summary>A row's feature or target value is not a finite number.</summary>
        public const string DatasetRowValueInvalid = "DatasetRowValueInvalid";
        /// <summary>A row's class label is empty, unknown, negative or not below the class count.</summary>
        public const string DatasetLabelInvalid = "DatasetLabelInvalid";
        /// <summary>The split or sample request does not fit the dataset (empty part, too many samples).</summary>
        public const string DatasetSplitInvalid = "DatasetSplitInvalid";
        /// <summary>A sample index or range is outside the dataset.</summary>
        public const string DatasetSampleOutOfRange = "DatasetSampleOutOfRange";
    }
}
