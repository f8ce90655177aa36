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
        /// <summary>The loss or a gradient became NaN or infinite, or the loss exploded (see the divergence rule in Start-Training's help).</summary>
        public const string TrainingDiverged = "TrainingDiverged";
        /// <summary>-Resume was asked for but the network has no checkpoint.</summary>
        public const string TrainingCheckpointMissing = "TrainingCheckpointMissing";
        /// <summary>-Resume with an optimizer, batch size, shuffling or data other than the checkpoint's.</summary>
        public const string TrainingResumeMismatch = "TrainingResumeMismatch";
        /// <summary>A checkpoint whose position, generator state or counts are impossible.</summary>
        public const string TrainingCheckpointInvalid = "TrainingCheckpointInvalid";
        /// <summary>A network already holds NaN or infinite parameters, so it cannot be trained.</summary>
        public const string NetworkNotFinite = "NetworkNotFinite";
        /// <summary>An update step would make a parameter NaN or infinite; nothing was changed.</summary>
        public const string UpdateNotFinite = "UpdateNotFinite";
        /// <summary>Another command is training the network (it may not be changed or trained twice at once).</summary>
        public const string NetworkBusy = "NetworkBusy";
    }
}
