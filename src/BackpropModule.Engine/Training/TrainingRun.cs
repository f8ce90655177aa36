using System.Collections.Generic;
using System.Diagnostics;
using BackpropModule.Engine.Data;
using BackpropModule.Engine.Randomness;
using BackpropModule.Engine.Tensors;

namespace BackpropModule.Engine.Training
{
    /// <summary>The mutable state of one <see cref="Trainer.Run"/>: position, buffers, sums, snapshots.</summary>
    internal sealed class TrainingRun
    {
        // What the run is.
        internal IOptimizer Optimizer;
        internal SeededRandom Rng;
        internal DataFingerprint Data;
        internal int Count, BatchSize, RequestedBatchSize, Batches, LastEpoch;
        internal bool Shuffle;
        internal double? ClipNorm;
        internal LearningRateSchedule Schedule;
        internal BatchWorkspace Workspace, ValidationWorkspace;
        internal DivergenceGuard Guard;
        internal NumericPrecision Precision;
        internal SingleTrainingState Single;   // the float copies of a Single run, else null

        // Where it stands: epoch Epoch, its first Position samples of Order done.
        internal int Epoch, Position, EpochStartPosition;
        internal int[] Order;
        internal ulong[] EpochRandomState;   // the generator state this epoch's order was drawn from
        internal long MaskEpochSeed;         // from that state and the epoch: the base of each batch's dropout masks
        internal double LossSum;
        internal long Correct;
        internal Stopwatch EpochClock;

        // The last state the checkpoint describes, put back on divergence.
        internal Tensor[] LastGood;
        internal Tensor[] LastGoodStatistics; // BatchNorm running statistics that go with LastGood
        internal IReadOnlyList<KeyValuePair<string, Tensor>> LastGoodOptimizerState;

        // Early stopping.
        internal Tensor[] Best;
        internal Tensor[] BestStatistics;
        internal bool ChangedSinceBest;
        internal double BestLoss = double.PositiveInfinity;
        internal int BestEpoch, SinceBest;

        // Reporting.
        internal TrainingSummary Summary;
        internal TrainingProgress Progress;
        internal Stopwatch Clock;
        internal long TotalBatches, BatchesDone;
    }
}
