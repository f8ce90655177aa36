using System.Globalization;
using BackpropModule.Engine.Data;

namespace BackpropModule.Engine.Training
{
    /// <summary>How <see cref="Trainer"/> runs; everything has a default.</summary>
    public sealed class TrainingOptions
    {
        /// <summary>Epochs to run (more epochs on resume). Default 10.</summary>
        public int Epochs { get; set; } = 10;

        /// <summary>
        /// Samples per step: 1 is online learning, ≥ the sample count is full-batch. Null: 100, or on
        /// resume the checkpoint's batch size.
        /// </summary>
        public int? BatchSize { get; set; }

        /// <summary>The optimizer object to use (it keeps its state); null to create one from <see cref="OptimizerName"/>.</summary>
        public IOptimizer Optimizer { get; set; }

        /// <summary>Name of the optimizer to create when <see cref="Optimizer"/> is null (SGD when both are null).</summary>
        public string OptimizerName { get; set; }

        /// <summary>Overrides the optimizer's learning rate (and stays set on it); null keeps its own.</summary>
        public double? LearningRate { get; set; }

        /// <summary>Seed of the shuffling generator; null draws one. Ignored on resume.</summary>
        public long? Seed { get; set; }

        /// <summary>Shuffle the samples every epoch; false visits them in order. Null: true, or on resume the checkpoint's choice.</summary>
        public bool? Shuffle { get; set; }

        /// <summary>Data evaluated after every epoch; early stopping watches its loss.</summary>
        public Dataset Validation { get; set; }

        /// <summary>Stop when the monitored loss has not improved for <see cref="Patience"/> epochs, and restore the best weights.</summary>
        public bool EarlyStopping { get; set; }

        /// <summary>Epochs without improvement before early stopping. Default 5.</summary>
        public int Patience { get; set; } = 5;

        /// <summary>An improvement must lower the monitored loss by more than this. Default 0.</summary>
        public double MinDelta { get; set; }

        /// <summary>Continue from the network's checkpoint (epoch count, shuffling state, optimizer).</summary>
        public bool Resume { get; set; }

        /// <summary>
        /// Clip the gradients by their global norm: when ‖g‖ = √(Σ over every parameter of Σ g²) exceeds this,
        /// every gradient is scaled by ClipNorm / ‖g‖ before the step (Pascanu et al. 2013). Null: no clipping,
        /// or on resume the checkpoint's value.
        /// </summary>
        public double? ClipNorm { get; set; }

        /// <summary>
        /// A learning-rate schedule, or null for a constant rate. Its base rate is the optimizer's rate when the run
        /// starts; on resume the checkpoint's schedule continues when none is given.
        /// </summary>
        public LearningRateSchedule Schedule { get; set; }

        /// <summary>
        /// The arithmetic of the run; null takes the network's <see cref="Network.Precision"/>. Single rounds the
        /// parameters (and the optimizer's state) to float when the run starts and trains in float.
        /// </summary>
        public NumericPrecision? Precision { get; set; }

        /// <summary>Resume even when the batch size, shuffling or data differ from the checkpoint's.</summary>
        public bool Force { get; set; }

        /// <exception cref="BackpropException">TrainingOptionInvalid.</exception>
        internal void Validate()
        {
            if (Epochs < 1) throw Invalid(Epochs, $"Epochs must be at least 1; got {Epochs}.");
            if (LearningRate.HasValue && (!(LearningRate.Value > 0) || double.IsInfinity(LearningRate.Value)))
                throw new BackpropException(ErrorIds.LearningRateInvalid, ErrorKind.InvalidArgument, LearningRate.Value,
                    $"The learning rate must be a positive finite number; got {LearningRate.Value.ToString(CultureInfo.InvariantCulture)}.");
            if (ClipNorm.HasValue && (!(ClipNorm.Value > 0) || double.IsInfinity(ClipNorm.Value)))
                throw Invalid(ClipNorm.Value, $"The gradient clipping norm must be a positive finite number; got {ClipNorm.Value.ToString(CultureInfo.InvariantCulture)}.");
            string schedule = Schedule?.Problem();
            if (schedule != null) throw Invalid(Schedule, "The learning-rate schedule is invalid: " + schedule + ".");
            if (BatchSize < 1) throw Invalid(BatchSize, $"The batch size must be at least 1; got {BatchSize}.");
            if (Patience < 1) throw Invalid(Patience, $"Patience must be at least 1 epoch; got {Patience}.");
            if (!(MinDelta >= 0) || double.IsInfinity(MinDelta))
                throw Invalid(MinDelta, $"MinDelta must be a finite number ≥ 0; got {MinDelta.ToString(CultureInfo.InvariantCulture)}.");
        }

        private static BackpropException Invalid(object value, string message) =>
            new BackpropException(ErrorIds.TrainingOptionInvalid, ErrorKind.InvalidArgument, value, message);
    }
}
