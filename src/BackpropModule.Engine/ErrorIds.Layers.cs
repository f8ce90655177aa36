namespace BackpropModule.Engine
{
    /// <summary>Error identifiers of the layers between the affine ones (New-Network -BatchNorm -Dropout, running statistics).</summary>
    public static partial class ErrorIds
    {
        /// <summary>A dropout rate is not a number in [0, 1).</summary>
        public const string DropoutRateInvalid = "DropoutRateInvalid";

        /// <summary>The layer options do not fit the network: a rate per hidden block (or one for all), or BatchNorm/Dropout without a hidden block.</summary>
        public const string LayerOptionsMismatch = "LayerOptionsMismatch";

        /// <summary>Running statistics of the wrong shape, not finite, a negative variance, or for a block without BatchNorm.</summary>
        public const string RunningStatisticsInvalid = "RunningStatisticsInvalid";

        /// <summary>A training batch's BatchNorm statistics are not finite (or would overflow the running ones), so the step is refused.</summary>
        public const string BatchStatisticsNotFinite = "BatchStatisticsNotFinite";
    }
}
