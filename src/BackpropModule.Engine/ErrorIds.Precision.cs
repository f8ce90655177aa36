namespace BackpropModule.Engine
{
    /// <summary>Error identifiers of single-precision training.</summary>
    public static partial class ErrorIds
    {
        /// <summary>Single-precision training was asked for something it cannot do (an optimizer or layer without a float version).</summary>
        public const string PrecisionNotSupported = "PrecisionNotSupported";
        /// <summary>A parameter is too large in magnitude for single precision (beyond ±3.4e38).</summary>
        public const string PrecisionRangeExceeded = "PrecisionRangeExceeded";
    }
}
