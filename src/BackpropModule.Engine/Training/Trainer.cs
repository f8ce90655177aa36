using System;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using BackpropModule.Engine.Data;

namespace BackpropModule.Engine.Training
{
    /// <summary>
    /// The training loop: epochs of (shuffled) mini-batches through a <see cref="BatchWorkspace"/>,
    /// an optimizer step per batch, validation and a checkpoint per epoch, early stopping, and a clean
    /// stop at a batch boundary when cancelled. Callbacks run on the calling thread.
    /// </summary>
    /// <remarks>
    /// <para>Guarantees: (1) the same seed, data and options give a bit-identical run, and a run resumed
    /// from <see cref="Network.Checkpoint"/> continues it bit for bit, whether it stopped at the end of an
    /// epoch or inside one (each epoch's order is a fresh shuffle of 0..n−1 drawn from the generator state
    /// the checkpoint keeps; a stop inside an epoch records how many samples of that order are done);
    /// (2) the network and its checkpoint always agree: after every epoch, after a stop, and after a
    /// divergence, which puts back the weights and optimizer state the checkpoint describes (see
    /// <see cref="DivergenceGuard"/> for the rule); (3) with early stopping the best epoch's weights are
    /// restored however the run ends (patience, last epoch, cancellation or divergence); (4) every epoch's
    /// record is appended to <see cref="Network.History"/>, so it survives a stop.</para>
    /// <para>Run is a short sequence of steps, each on one screen: <see cref="Start"/> (checks, resume,
    /// buffers), <see cref="BeginEpoch"/> (order), <see cref="TrainEpoch"/> (batches: guard, step, progress),
    /// <see cref="EndEpoch"/> (record, validation, best, checkpoint) and <see cref="Stopped"/>.</para>
    /// </remarks>
    public sealed partial class Trainer
    {
        private readonly Network net;
        private readonly Dataset train;
        private readonly TrainingOptions options;

        /// <summary>Prepares a run; nothing is checked or changed until <see cref="Run"/>.</summary>
        public Trainer(Network network, Dataset training, TrainingOptions options = null)
        {
            net = network ?? throw new ArgumentNullException(nameof(network));
            train = training ?? throw new ArgumentNullException(nameof(training));
            this.options = options ?? new TrainingOptions();
        }

        /// <summary>Called after every batch with a reused progress object.</summary>
        public Action<TrainingProgress> BatchCompleted { get; set; }

        /// <summary>Called as each epoch ends, after the checkpoint is set and the record added to the history.</summary>
        public Action<EpochRecord> EpochCompleted { get; set; }

        /// <summary>Runs the epochs. Returns how the run ended; the network holds the trained weights.</summary>
        /// <exception cref="BackpropException">
        /// Data or options that do not fit, NetworkNotFinite, NetworkBusy, TrainingCheckpointMissing,
        /// TrainingCheckpointInvalid or TrainingResumeMismatch (network unchanged), or TrainingDiverged
        /// (network back at the state its checkpoint describes, or the best weights with early stopping).
        /// </exception>
        public TrainingSummary Run(CancellationToken cancellation = default)
        {
            var run = Start();
            try
            {
                while (true)
                {
                    if (cancellation.IsCancellationRequested) return Stopped(run);
                    BeginEpoch(run);
                    if (!TrainEpoch(run, cancellation)) return Stopped(run);
                    var record = EndEpoch(run);
                    EpochCompleted?.Invoke(record);
                    if (options.EarlyStopping && run.SinceBest >= options.Patience)
                    {
                        run.Summary.StopReason = TrainingStopReason.EarlyStopped;
                        return run.Summary;
                    }
                    if (run.Epoch == run.LastEpoch) return run.Summary; // compared, not counted past: the last may be int.MaxValue
                    run.Epoch++;
                }
            }
            finally
            {
                run.Summary.PeakLossRatio = run.Guard.MaxRatio;
                RestoreBest(run);
                net.EndTraining();
            }
        }

        /// <summary>Draws the epoch's order from the generator (remembering the state it was drawn from).</summary>
        private void BeginEpoch(TrainingRun run)
        {
            run.EpochClock = Stopwatch.StartNew();
            run.EpochStartPosition = run.Position;
            run.EpochRandomState = run.Rng.GetState();
            if (run.Schedule != null) run.Optimizer.LearningRate = run.Schedule.RateFor(run.Epoch);
            for (int i = 0; i < run.Count; i++) run.Order[i] = i;
            if (run.Shuffle) run.Rng.Shuffle(run.Order);
            // Dropout masks follow from the state the order was drawn from (kept by the checkpoint), the epoch and
            // the batch, so a resumed run draws the masks an uninterrupted one would.
            if (net.HasDropout) run.MaskEpochSeed = Layers.DropoutMask.EpochSeed(run.EpochRandomState, run.Epoch);
        }

        /// <summary>The epoch's remaining batches; false when cancelled (at a batch boundary).</summary>
        private bool TrainEpoch(TrainingRun run, CancellationToken cancellation)
        {
            while (run.Position < run.Count)
            {
                if (cancellation.IsCancellationRequested) return false;
                int count = Math.Min(run.BatchSize, run.Count - run.Position);
                long maskSeed = Layers.DropoutMask.BatchSeed(run.MaskEpochSeed, run.Position / run.BatchSize);
                var r = run.Single != null ? run.Single.TrainBatch(train, run.Order, run.Position, count, maskSeed)
                    : run.Workspace.TrainBatch(train, run.Order, run.Position, count, maskSeed);
                // The verdict must be known before the first weight or optimizer state is written (a fused
                // check would need a copy to roll back); the gradients were just written, so the scan reads cache.
                string why = !IsFinite(r.Loss) || !(run.Single?.GradientsFinite() ?? DatasetChecks.AllFinite(run.Workspace.Gradients))
                    ? "the loss is " + Format(r.Loss) + " or a gradient is not finite"
                    : (run.Single != null ? run.Single.Workspace.UnfoldableStatistics() : run.Workspace.UnfoldableStatistics())
                      ?? run.Guard.Observe(r.Loss);
                if (why != null) throw Diverged(run, why);
                if (run.Single != null) StepSingle(run);
                else
                {
                    if (run.ClipNorm.HasValue) ClipByGlobalNorm(run.Workspace.Gradients, run.ClipNorm.Value);
                    run.Optimizer.Step(net, run.Workspace.Gradients);
                    run.Workspace.FoldStatistics();
                }
                run.ChangedSinceBest = true;
                run.LossSum += r.Loss * count; run.Correct += r.Correct; run.Position += count;
                run.Summary.SamplesSeen += count;
                run.BatchesDone++;
                ReportBatch(run);
            }
            return true;
        }

        private void ReportBatch(TrainingRun run)
        {
            if (BatchCompleted == null) return;
            var p = run.Progress;
            p.Epoch = run.Epoch; p.Batch = (run.Position + run.BatchSize - 1) / run.BatchSize;
            p.RunningLoss = run.LossSum / run.Position;
            p.Elapsed = run.Clock.Elapsed;
            p.Fraction = (double)run.BatchesDone / run.TotalBatches;
            p.Remaining = TimeSpan.FromTicks((long)(run.Clock.Elapsed.Ticks * (double)(run.TotalBatches - run.BatchesDone) / run.BatchesDone));
            BatchCompleted(p);
        }

        /// <summary>The epoch's record, validation, best-epoch tracking, checkpoint and history.</summary>
        private EpochRecord EndEpoch(TrainingRun run)
        {
            // NOTE: a finite step can still overflow a weight; the next batch then sees a non-finite loss.
            // This once-per-epoch scan makes sure no epoch ends (checkpoint, best snapshot) on such weights.
            run.Single?.WriteBack();
            if (!AllParametersFinite()) throw Diverged(run, "a step overflowed a weight to a non-finite value");
            int seen = run.Position;
            double trainSeconds = run.EpochClock.Elapsed.TotalSeconds;
            var record = new EpochRecord
            {
                Epoch = run.Epoch, LastEpoch = run.LastEpoch, Batches = run.Batches, Samples = seen,
                TrainingLoss = run.LossSum / seen,
                TrainingAccuracy = train.IsClassification ? (double)run.Correct / seen : (double?)null,
                LearningRate = run.Optimizer.LearningRate, Optimizer = run.Optimizer.Name,
                SamplesPerSecond = trainSeconds > 0 ? (seen - run.EpochStartPosition) / trainSeconds : double.PositiveInfinity,
            };
            if (run.ValidationWorkspace != null)
            {
                var (loss, accuracy) = Evaluate(run.ValidationWorkspace, options.Validation);
                record.ValidationLoss = loss;
                record.ValidationAccuracy = options.Validation.IsClassification ? accuracy : (double?)null;
            }
            TrackBest(run, record);
            run.Schedule?.EpochEnded(record.ValidationLoss ?? record.TrainingLoss, options.MinDelta);
            record.Duration = run.EpochClock.Elapsed;
            run.Position = 0; run.LossSum = 0; run.Correct = 0;
            SetCheckpoint(run, run.Epoch, midEpoch: false);
            net.AppendHistory(record);
            run.Summary.EpochsRun++;
            run.Summary.EpochsCompleted = run.Epoch;
            run.Summary.BestEpoch = run.BestEpoch; run.Summary.BestLoss = run.BestLoss;
            return record;
        }

        /// <summary>Marks the record best when the monitored loss improved, and keeps those weights for early stopping.</summary>
        private void TrackBest(TrainingRun run, EpochRecord record)
        {
            double monitored = record.ValidationLoss ?? record.TrainingLoss;
            if (monitored < run.BestLoss - options.MinDelta || run.BestEpoch == 0)
            {
                run.BestLoss = monitored; run.BestEpoch = run.Epoch; run.SinceBest = 0; record.IsBest = true;
                if (options.EarlyStopping)
                {
                    if (run.Best == null) { run.Best = net.SnapshotParameters(); run.BestStatistics = net.SnapshotStatistics(); }
                    else
                    {
                        for (int p = 0; p < run.Best.Length; p++) net.Parameters[p].Value.CopyTo(run.Best[p]);
                        net.CopyStatisticsTo(run.BestStatistics);
                    }
                    run.ChangedSinceBest = false;
                }
            }
            else run.SinceBest++;
            record.BestEpoch = run.BestEpoch;
        }

        /// <summary>Cancelled: the checkpoint describes exactly where the run stopped, inside an epoch if need be.</summary>
        private TrainingSummary Stopped(TrainingRun run)
        {
            run.Summary.StopReason = TrainingStopReason.Cancelled;
            if (run.Position > 0) run.Single?.WriteBack(); // what the float run learned in this epoch is kept
            if (run.Position > 0) SetCheckpoint(run, run.Epoch - 1, midEpoch: true);
            return run.Summary;
        }

        /// <summary>Sets the network's checkpoint to the run's position and remembers that state as the last good one.</summary>
        private void SetCheckpoint(TrainingRun run, int epochsCompleted, bool midEpoch)
        {
            var cp = new TrainingCheckpoint
            {
                EpochsCompleted = epochsCompleted,
                SamplesCompleted = midEpoch ? run.Position : 0,
                EpochLossSum = midEpoch ? run.LossSum : 0,
                EpochCorrect = midEpoch ? run.Correct : 0,
                // Inside an epoch, the state its order was drawn from; at a boundary, the state the next is drawn from.
                RandomState = midEpoch ? (ulong[])run.EpochRandomState.Clone() : run.Rng.GetState(),
                OptimizerName = run.Optimizer.Name,
                OptimizerSettings = run.Optimizer.Settings.ToDictionary(kv => kv.Key, kv => kv.Value),
                OptimizerState = run.Optimizer.SaveState(),
                BatchSize = run.RequestedBatchSize, Shuffle = run.Shuffle, ClipNorm = run.ClipNorm, Schedule = run.Schedule?.Clone(), Data = run.Data,
            };
            net.Checkpoint = cp;
            if (run.LastGood == null) { run.LastGood = net.SnapshotParameters(); run.LastGoodStatistics = net.SnapshotStatistics(); }
            else
            {
                for (int p = 0; p < run.LastGood.Length; p++) net.Parameters[p].Value.CopyTo(run.LastGood[p]);
                net.CopyStatisticsTo(run.LastGoodStatistics);
            }
            run.LastGoodOptimizerState = cp.OptimizerState;
        }

        /// <summary>
        /// Gradient clipping by global norm: ‖g‖ = √(Σₚ Σᵢ gₚᵢ²) over every parameter's gradient; when it exceeds
        /// c every gradient is multiplied by c/‖g‖, so the step keeps its direction and its length is bounded.
        /// </summary>
        /// <remarks>NOTE: the sum of squares is finite here (the gradients were just checked finite, and a square
        /// overflows only above 1.3e154, where the divergence rule has long fired); it is summed in one fixed order.</remarks>
        internal static double ClipByGlobalNorm(Tensors.Tensor[] gradients, double c)
        {
            double sum = 0;
            for (int p = 0; p < gradients.Length; p++)
            {
                double[] g = gradients[p].Data;
                for (int i = 0; i < g.Length; i++) sum += g[i] * g[i];
            }
            double norm = Math.Sqrt(sum);
            if (!(norm > c)) return norm;
            double scale = c / norm;
            for (int p = 0; p < gradients.Length; p++)
            {
                double[] g = gradients[p].Data;
                for (int i = 0; i < g.Length; i++) g[i] *= scale;
            }
            return norm;
        }

        private void RestoreBest(TrainingRun run)
        {
            if (run.Best != null && run.ChangedSinceBest)
            {
                net.RestoreParameters(run.Best);
                net.RestoreStatistics(run.BestStatistics);
                run.Summary.RestoredBest = true;
            }
        }

        /// <summary>Mean loss and accuracy over a dataset, in batches through the workspace.</summary>
        internal static (double Loss, double Accuracy) Evaluate(BatchWorkspace ws, Dataset data)
        {
            double lossSum = 0;
            long correct = 0;
            for (int start = 0; start < data.Count; start += ws.MaxBatchSize)
            {
                int count = Math.Min(ws.MaxBatchSize, data.Count - start);
                var r = ws.EvaluateBatch(data, start, count);
                lossSum += r.Loss * count;
                correct += r.Correct;
            }
            return (lossSum / data.Count, (double)correct / data.Count);
        }
    }
}
