using System;
using System.Globalization;

namespace BackpropModule.Engine.Training
{
    /// <summary>What one epoch of training gave; Start-Training writes one as each epoch ends.</summary>
    public sealed class EpochRecord
    {
        /// <summary>Epoch number, counted from 1 over all runs of a network (a resumed run continues the count).</summary>
        public int Epoch { get; internal set; }

        /// <summary>The number of the last epoch this run will reach if it is not stopped early.</summary>
        public int LastEpoch { get; internal set; }

        /// <summary>
        /// Mean training loss over the epoch's samples, accumulated batch by batch as the weights
        /// change (so with batch size 1 it is the tutorials' "error" of the epoch). Excludes any weight-decay penalty.
        /// </summary>
        public double TrainingLoss { get; internal set; }

        /// <summary>Fraction of training samples classified correctly during the epoch; null for regression data.</summary>
        public double? TrainingAccuracy { get; internal set; }

        /// <summary>Loss on the validation data after the epoch; null without validation data.</summary>
        public double? ValidationLoss { get; internal set; }

        /// <summary>Accuracy on the validation data after the epoch; null without it or for regression.</summary>
        public double? ValidationAccuracy { get; internal set; }

        /// <summary>The optimizer's learning rate during the epoch.</summary>
        public double LearningRate { get; internal set; }

        /// <summary>The optimizer's name.</summary>
        public string Optimizer { get; internal set; }

        /// <summary>Wall time of the epoch, validation included.</summary>
        public TimeSpan Duration { get; internal set; }

        /// <summary>Training samples per second (forward, backward and update; validation excluded).</summary>
        public double SamplesPerSecond { get; internal set; }

        /// <summary>Batches (optimizer steps) in the epoch.</summary>
        public int Batches { get; internal set; }

        /// <summary>Training samples in the epoch.</summary>
        public int Samples { get; internal set; }

        /// <summary>True when the monitored loss (validation loss, or training loss without validation data) is the best so far.</summary>
        public bool IsBest { get; internal set; }

        /// <summary>The epoch with the best monitored loss so far.</summary>
        public int BestEpoch { get; internal set; }

        /// <inheritdoc/>
        public override string ToString()
        {
            string F(double? v) => v.HasValue ? v.Value.ToString("G6", CultureInfo.InvariantCulture) : "-";
            return $"Epoch {Epoch}/{LastEpoch}: loss {F(TrainingLoss)}, accuracy {F(TrainingAccuracy)}, validation loss {F(ValidationLoss)}, validation accuracy {F(ValidationAccuracy)}";
        }
    }

    /// <summary>Where a run stands, reported after every batch (one reused instance; copy what you keep).</summary>
    public sealed class TrainingProgress
    {
        /// <summary>Current epoch number.</summary>
        public int Epoch { get; internal set; }

        /// <summary>Last epoch number of the run.</summary>
        public int LastEpoch { get; internal set; }

        /// <summary>Batches done in this epoch.</summary>
        public int Batch { get; internal set; }

        /// <summary>Batches per epoch.</summary>
        public int Batches { get; internal set; }

        /// <summary>Mean loss of this epoch's batches so far.</summary>
        public double RunningLoss { get; internal set; }

        /// <summary>Fraction of the run's batches done, 0..1.</summary>
        public double Fraction { get; internal set; }

        /// <summary>Time since the run started.</summary>
        public TimeSpan Elapsed { get; internal set; }

        /// <summary>Estimated time left, from the mean time per batch so far.</summary>
        public TimeSpan Remaining { get; internal set; }

        /// <summary>True on the last batch of an epoch.</summary>
        public bool EpochEnd => Batch == Batches;
    }

    /// <summary>Why a run ended.</summary>
    public enum TrainingStopReason
    {
        /// <summary>All requested epochs ran.</summary>
        Completed,
        /// <summary>Early stopping: the monitored loss did not improve for Patience epochs.</summary>
        EarlyStopped,
        /// <summary>Stopped from outside (Ctrl+C) at a batch boundary.</summary>
        Cancelled,
    }

    /// <summary>How a run ended.</summary>
    public sealed class TrainingSummary
    {
        /// <summary>Why it ended.</summary>
        public TrainingStopReason StopReason { get; internal set; }

        /// <summary>Epochs completed in this run.</summary>
        public int EpochsRun { get; internal set; }

        /// <summary>Epochs completed over all runs (the checkpoint's count).</summary>
        public int EpochsCompleted { get; internal set; }

        /// <summary>Epoch with the best monitored loss, or 0 when no epoch completed.</summary>
        public int BestEpoch { get; internal set; }

        /// <summary>The best monitored loss.</summary>
        public double BestLoss { get; internal set; }

        /// <summary>True when early stopping put the best epoch's weights back at the end.</summary>
        public bool RestoredBest { get; internal set; }

        /// <summary>The seed of the shuffling generator; null on resume, where the checkpoint's generator state continues.</summary>
        public long? Seed { get; internal set; }

        /// <summary>The optimizer that ran (it keeps its state).</summary>
        public IOptimizer Optimizer { get; internal set; }

        /// <summary>The arithmetic the run trained in.</summary>
        public NumericPrecision Precision { get; internal set; }

        /// <summary>Samples the run trained on, counted per step.</summary>
        public long SamplesSeen { get; internal set; }

        /// <summary>
        /// The largest ratio of the smoothed batch loss to the divergence rule's reference loss seen in the run
        /// (the rule raises TrainingDiverged above 1000); how close the run came to being called diverged.
        /// </summary>
        public double PeakLossRatio { get; internal set; }
    }
}
