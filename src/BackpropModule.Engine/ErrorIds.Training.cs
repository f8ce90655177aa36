namespace BackpropModule.Engine
{
    /// <summary>Error identifiers of training, optimizers, built-in datasets and evaluation.</summary>
    public static partial class ErrorIds
    {
        /// <summary>A dataset's features per sample differ from the network's inputs.</summary>
        public const string DatasetFeatureMismatch = "DatasetFeatureMismatch";
        /// <summary>A dataset's target width differs from the network's outputs.</summary>
        public const string DatasetTargetMismatch = "DatasetTargetMismatch";
        /// <summary>A dataset holds no samples.</summary>
        public const string DatasetEmpty = "DatasetEmpty";
        /// <summary>A dataset holds NaN or infinite features or targets.</summary>
        public const string DatasetNotFinite = "DatasetNotFinite";
        /// <summary>A built-in dataset was asked for with an unusable size, class count or noise.</summary>
        public const string DatasetOptionInvalid = "DatasetOptionInvalid";
        /// <summary>No optimizer has this name.</summary>
        public const string OptimizerNameUnknown = "OptimizerNameUnknown";
        /// <summary>An optimizer hyperparameter is outside its range or does not apply to that optimizer.</summary>
        public const string OptimizerSettingInvalid = "OptimizerSettingInvalid";
        /// <summary>An optimizer holds state for a network of other shapes.</summary>
        public const string OptimizerNetworkMismatch = "OptimizerNetworkMismatch";
        /// <summary>A saved optimizer state does not fit the optimizer.</summary>
        public const string OptimizerStateInvalid = "OptimizerStateInvalid";
        /// <summary>Epochs, batch size or patience is not positive.</summary>
        public const string TrainingOptionInvalid = "TrainingOptionInvalid";
        /// <summary>The loss or a gradient became NaN or infinite.</summary>
        public const string TrainingDiverged = "TrainingDiverged";
        /// <summary>-Resume was asked for but the network has no checkpoint.</summary>
        public const string TrainingCheckpointMissing = "TrainingCheckpointMissing";
        /// <summary>-Resume with an optimizer other than the checkpoint's.</summary>
        public const string TrainingResumeMismatch = "TrainingResumeMismatch";
    }
}
