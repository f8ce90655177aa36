namespace BackpropModule.Engine
{
    /// <summary>Error identifiers of pictures (Export-Plot, Show-Plot).</summary>
    public static partial class ErrorIds
    {
        /// <summary>Nothing to draw: no input, or training records without a loss.</summary>
        public const string PlotInputEmpty = "PlotInputEmpty";
        /// <summary>A pipeline object cannot be drawn (not a record, tensor, network, gradients, dataset or evaluation).</summary>
        public const string PlotInputUnsupported = "PlotInputUnsupported";
        /// <summary>The input does not fit the requested kind of picture (e.g. decision regions of a 3-input network, tiles of a first layer that is not 28×28).</summary>
        public const string PlotKindMismatch = "PlotKindMismatch";
        /// <summary>The file extension is not one of the picture formats (.png, .svg).</summary>
        public const string PlotFormatUnsupported = "PlotFormatUnsupported";
        /// <summary>Pictures cannot be drawn here: the native graphics library is missing for this platform or failed to load.</summary>
        public const string PlotUnsupportedOnThisPlatform = "PlotUnsupportedOnThisPlatform";
        /// <summary>The network is too large for a diagram (more than the allowed units in a layer).</summary>
        public const string PlotNetworkTooLarge = "PlotNetworkTooLarge";
        /// <summary>Export-Plot -Sample names a row the forward pass does not have.</summary>
        public const string PlotSampleOutOfRange = "PlotSampleOutOfRange";
    }
}
