using System;
using System.Collections.Generic;
using System.Globalization;
using BackpropModule.Engine.Tensors;

namespace BackpropModule.Engine.Training
{
    /// <summary>
    /// Where a training run stands, so it can be saved with the network and resumed exactly: at an
    /// epoch boundary, or in the middle of an epoch when the run was stopped there (Ctrl+C).
    /// </summary>
    /// <remarks>
    /// The position is (<see cref="EpochsCompleted"/>, <see cref="SamplesCompleted"/>): the epoch in
    /// progress is number EpochsCompleted + 1, and its first SamplesCompleted samples (in its shuffled
    /// order) have been trained on. <see cref="RandomState"/> is always the generator state from which
    /// that epoch's order is drawn, so a resumed run redraws the same order and skips what is done.
    /// The fields after the optimizer's describe what the trajectory depends on (batch size,
    /// shuffling, the data), so a resume with other settings or other data can be refused; they are
    /// zero/null in checkpoints written before format version 2, and then not checked.
    /// </remarks>
    public sealed class TrainingCheckpoint
    {
        /// <summary>Epochs completed so far.</summary>
        public int EpochsCompleted { get; set; }

        /// <summary>Samples of the next epoch already trained on (0 at an epoch boundary).</summary>
        public int SamplesCompleted { get; set; }

        /// <summary>Sum of the batch losses × batch sizes of the epoch in progress (for its record).</summary>
        public double EpochLossSum { get; set; }

        /// <summary>Samples classified correctly so far in the epoch in progress.</summary>
        public long EpochCorrect { get; set; }

        /// <summary>
        /// State of the shuffling generator (<see cref="Randomness.SeededRandom.GetState"/>, six words)
        /// before the shuffle of the epoch in progress.
        /// </summary>
        public ulong[] RandomState { get; set; }

        /// <summary>The optimizer's name.</summary>
        public string OptimizerName { get; set; }

        /// <summary>The optimizer's settings.</summary>
        public IReadOnlyDictionary<string, double> OptimizerSettings { get; set; }

        /// <summary>The optimizer's state tensors.</summary>
        public IReadOnlyList<KeyValuePair<string, Tensor>> OptimizerState { get; set; }

        /// <summary>Samples per step of the run; 0 when unknown (an older checkpoint).</summary>
        public int BatchSize { get; set; }

        /// <summary>Whether the run shuffles every epoch; null when unknown (an older checkpoint).</summary>
        public bool? Shuffle { get; set; }

        /// <summary>The global norm gradients were clipped to, or null when the run did not clip.</summary>
        public double? ClipNorm { get; set; }

        /// <summary>The learning-rate schedule with its state, or null for a constant rate.</summary>
        public LearningRateSchedule Schedule { get; set; }

        /// <summary>What identifies the training data; null when unknown (an older checkpoint).</summary>
        public DataFingerprint Data { get; set; }

        /// <summary>True when the run stopped inside an epoch.</summary>
        public bool IsMidEpoch => SamplesCompleted > 0;

        /// <summary>The reason this checkpoint cannot be resumed from, or null when it is consistent.</summary>
        /// <remarks>
        /// Checked when a network file is read and again before a resume (a checkpoint can be built in
        /// code). An all-zero generator state is refused because xoshiro256** never leaves it: every
        /// draw would be 0, and a bounded draw would reject it forever.
        /// </remarks>
        public string Problem()
        {
            if (EpochsCompleted < 0) return $"epochsCompleted is {EpochsCompleted}; it cannot be negative";
            if (EpochsCompleted == int.MaxValue) return $"epochsCompleted is {EpochsCompleted}, the largest epoch number; no epoch can follow it";
            if (SamplesCompleted < 0) return $"samplesCompleted is {SamplesCompleted}; it cannot be negative";
            if (Data != null && SamplesCompleted >= Data.Count && SamplesCompleted > 0)
                return $"samplesCompleted is {SamplesCompleted}, not less than the {Data.Count} samples of an epoch";
            if (!(EpochLossSum >= 0) || double.IsInfinity(EpochLossSum)) return "epochLossSum must be a finite number ≥ 0";
            if (EpochCorrect < 0 || EpochCorrect > SamplesCompleted) return $"epochCorrect is {EpochCorrect}; it must be between 0 and samplesCompleted ({SamplesCompleted})";
            if (SamplesCompleted == 0 && (EpochLossSum != 0 || EpochCorrect != 0)) return "epochLossSum and epochCorrect must be 0 at an epoch boundary";
            if (ClipNorm.HasValue && (!(ClipNorm.Value > 0) || double.IsInfinity(ClipNorm.Value))) return "clipNorm must be a positive finite number";
            string schedule = Schedule?.Problem();
            if (schedule != null) return "schedule: " + schedule;
            if (Schedule != null && (Schedule.BaseRate <= 0 || (Schedule.Kind == ScheduleKind.Cosine && Schedule.TotalEpochs < 1)))
                return "schedule: the base rate and the cosine cycle must be positive";
            if (BatchSize < 0) return $"batchSize is {BatchSize}; it cannot be negative";
            if (RandomState != null)
            {
                if (RandomState.Length != 6) return $"randomState has {RandomState.Length} words; a generator state has 6";
                if ((RandomState[0] | RandomState[1] | RandomState[2] | RandomState[3]) == 0)
                    return "randomState is all zeros, a state the generator can never leave";
                if (RandomState[4] > 1) return $"randomState[4] is {RandomState[4].ToString(CultureInfo.InvariantCulture)}; it is a flag, 0 or 1";
                double spare = BitConverter.Int64BitsToDouble(unchecked((long)RandomState[5]));
                if (double.IsNaN(spare) || double.IsInfinity(spare)) return "randomState[5] is not the bits of a finite number";
            }
            else if (SamplesCompleted > 0) return "a checkpoint inside an epoch needs randomState";
            return Data?.Problem();
        }
    }
}
