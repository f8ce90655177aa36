using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using BackpropModule.Engine.Data;
using BackpropModule.Engine.Randomness;
using BackpropModule.Engine.Tensors;
using BackpropModule.Engine.Training.Optimizers;

namespace BackpropModule.Engine.Training
{
    /// <summary>
    /// The training loop: epochs of (shuffled) mini-batches through a <see cref="BatchWorkspace"/>,
    /// an optimizer step per batch, validation and a checkpoint per epoch, early stopping, and a clean
    /// stop at a batch boundary when cancelled. Callbacks run on the calling thread.
    /// </summary>
    /// <remarks>
    /// Guarantees: (1) the same seed, data and options give a bit-identical run, and a run resumed
    /// from <see cref="Network.Checkpoint"/> continues it bit for bit (each epoch's order is a fresh
    /// shuffle of 0..n−1 drawn from the saved generator state); (2) the network is never changed by a
    /// non-finite step: the loss and every gradient are checked before the optimizer steps (NOTE: should a
    /// finite step overflow a weight, which the next batch or the end-of-epoch scan detects, the weights of
    /// the start of that epoch are put back); (3) with early stopping the best epoch's weights are restored
    /// however the run ends (patience, last epoch, cancellation or divergence).
    /// </remarks>
    public sealed class Trainer
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

        /// <summary>Called as each epoch ends, after the checkpoint is set.</summary>
        public Action<EpochRecord> EpochCompleted { get; set; }

        /// <summary>Runs the epochs. Returns how the run ended; the network holds the trained weights.</summary>
        /// <exception cref="BackpropException">
        /// Data or options that do not fit (network unchanged), TrainingCheckpointMissing, TrainingResumeMismatch,
        /// or TrainingDiverged (network left at its last finite state, or the best weights with early stopping).
        /// </exception>
        public TrainingSummary Run(CancellationToken cancellation = default)
        {
            options.Validate();
            DatasetChecks.CheckFits(net, train, "training");
            var val = options.Validation;
            if (val != null) DatasetChecks.CheckFits(net, val, "validation");
            IOptimizer optimizer = ResolveOptimizer(out SeededRandom rng, out int done, out long? seed);

            int n = train.Count, bs = Math.Min(options.BatchSize, n), batches = (n + bs - 1) / bs;
            int first = done + 1, last = done + options.Epochs;
            var ws = new BatchWorkspace(net, bs);
            var vws = val == null ? null : new BatchWorkspace(net, Math.Min(Math.Max(bs, 256), val.Count));
            var order = new int[n];
            var epochStart = net.SnapshotParameters();
            Tensor[] best = null;
            bool changedSinceBest = false;
            double bestLoss = double.PositiveInfinity;
            int bestEpoch = 0, sinceBest = 0;
            var summary = new TrainingSummary { Seed = seed, Optimizer = optimizer, StopReason = TrainingStopReason.Completed };
            var progress = new TrainingProgress { LastEpoch = last, Batches = batches };
            var clock = Stopwatch.StartNew();
            long totalBatches = (long)batches * options.Epochs, batchesDone = 0;
            try
            {
                for (int epoch = first; epoch <= last; epoch++)
                {
                    var epochClock = Stopwatch.StartNew();
                    for (int i = 0; i < n; i++) order[i] = i;
                    if (options.Shuffle) rng.Shuffle(order);
                    for (int p = 0; p < epochStart.Length; p++) net.Parameters[p].Value.CopyTo(epochStart[p]);
                    double lossSum = 0;
                    long correct = 0;
                    int seen = 0;
                    for (int b = 0; b < batches; b++)
                    {
                        if (cancellation.IsCancellationRequested) { summary.StopReason = TrainingStopReason.Cancelled; return summary; }
                        int start = b * bs, count = Math.Min(bs, n - start);
                        var r = ws.TrainBatch(train, order, start, count);
                        // A pass of its own rather than fused into the step: the verdict must be known before the
                        // first weight or optimizer state is written (fusing would need a copy to roll back), and the
                        // gradients were just written by the backward pass, so this vectorised scan reads them from cache.
                        if (double.IsNaN(r.Loss) || double.IsInfinity(r.Loss) || !DatasetChecks.AllFinite(ws.Gradients))
                            throw Diverged(epoch, b + 1, r.Loss, epochStart, best != null);
                        optimizer.Step(net, ws.Gradients);
                        changedSinceBest = true;
                        lossSum += r.Loss * count; correct += r.Correct; seen += count;
                        summary.SamplesSeen += count;
                        batchesDone++;
                        if (BatchCompleted != null)
                        {
                            progress.Epoch = epoch; progress.Batch = b + 1; progress.RunningLoss = lossSum / seen;
                            progress.Elapsed = clock.Elapsed;
                            progress.Fraction = (double)batchesDone / totalBatches;
                            progress.Remaining = TimeSpan.FromTicks((long)(clock.Elapsed.Ticks * (double)(totalBatches - batchesDone) / batchesDone));
                            BatchCompleted(progress);
                        }
                    }
                    // NOTE: a finite step can still overflow a weight; the next batch then sees a non-finite loss.
                    // This once-per-epoch scan makes sure no epoch ends (checkpoint, best snapshot) on such weights.
                    if (!AllParametersFinite()) throw Diverged(epoch, batches, double.NaN, epochStart, best != null);
                    double trainSeconds = epochClock.Elapsed.TotalSeconds;
                    var record = new EpochRecord
                    {
                        Epoch = epoch, LastEpoch = last, Batches = batches, Samples = seen,
                        TrainingLoss = lossSum / seen,
                        TrainingAccuracy = train.IsClassification ? (double)correct / seen : (double?)null,
                        LearningRate = optimizer.LearningRate, Optimizer = optimizer.Name,
                        SamplesPerSecond = trainSeconds > 0 ? seen / trainSeconds : double.PositiveInfinity,
                    };
                    if (val != null)
                    {
                        var (loss, accuracy) = Evaluate(vws, val);
                        record.ValidationLoss = loss;
                        record.ValidationAccuracy = val.IsClassification ? accuracy : (double?)null;
                    }
                    double monitored = record.ValidationLoss ?? record.TrainingLoss;
                    if (monitored < bestLoss - options.MinDelta || bestEpoch == 0)
                    {
                        bestLoss = monitored; bestEpoch = epoch; sinceBest = 0; record.IsBest = true;
                        if (options.EarlyStopping)
                        {
                            if (best == null) best = net.SnapshotParameters();
                            else for (int p = 0; p < best.Length; p++) net.Parameters[p].Value.CopyTo(best[p]);
                            changedSinceBest = false;
                        }
                    }
                    else sinceBest++;
                    record.BestEpoch = bestEpoch;
                    record.Duration = epochClock.Elapsed;
                    net.Checkpoint = new TrainingCheckpoint
                    {
                        EpochsCompleted = epoch, RandomState = rng.GetState(), OptimizerName = optimizer.Name,
                        OptimizerSettings = new Dictionary<string, double>(optimizer.Settings.ToDictionary(kv => kv.Key, kv => kv.Value)),
                        OptimizerState = optimizer.SaveState(),
                    };
                    summary.EpochsRun++;
                    summary.EpochsCompleted = epoch;
                    summary.BestEpoch = bestEpoch; summary.BestLoss = bestLoss;
                    EpochCompleted?.Invoke(record);
                    if (options.EarlyStopping && sinceBest >= options.Patience)
                    {
                        summary.StopReason = TrainingStopReason.EarlyStopped;
                        return summary;
                    }
                }
                return summary;
            }
            finally
            {
                if (best != null && changedSinceBest)
                {
                    net.RestoreParameters(best);
                    summary.RestoredBest = true;
                }
            }
        }

        private bool AllParametersFinite()
        {
            var ps = net.Parameters;
            for (int p = 0; p < ps.Count; p++) if (!DatasetChecks.AllFinite(ps[p].Value.Data)) return false;
            return true;
        }

        /// <summary>
        /// The TrainingDiverged error. The loss and gradients are checked before every step, so normally the
        /// network still holds the last finite step; if an earlier finite step overflowed a weight, the weights
        /// of the start of the epoch are put back instead.
        /// </summary>
        private BackpropException Diverged(int epoch, int batch, double loss, Tensor[] epochStart, bool restoresBest)
        {
            string what = "the network was not changed by that batch";
            if (!AllParametersFinite())
            {
                net.RestoreParameters(epochStart);
                what = $"an earlier step overflowed the weights, so the weights of the start of epoch {epoch} were put back";
            }
            return new BackpropException(ErrorIds.TrainingDiverged, ErrorKind.InvalidResult, net,
                $"Training diverged in epoch {epoch}, batch {batch}: the loss is {loss.ToString("G6", CultureInfo.InvariantCulture)} or a gradient is not finite; " +
                what + (restoresBest ? "; early stopping then restored the best epoch's weights" : "") +
                ". Lower the learning rate, or use an adaptive optimizer such as Adam.");
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

        private IOptimizer ResolveOptimizer(out SeededRandom rng, out int done, out long? seed)
        {
            IOptimizer optimizer = options.Optimizer;
            if (options.Resume)
            {
                var cp = net.Checkpoint ?? throw new BackpropException(ErrorIds.TrainingCheckpointMissing, ErrorKind.InvalidOperation, net,
                    "This network has no training checkpoint to resume from; train it with Start-Training first (or import a network saved after training).");
                string wanted = optimizer?.Name ?? (options.OptimizerName == null ? null : OptimizerFactory.Canonical(options.OptimizerName) ?? options.OptimizerName);
                if (wanted != null && !string.Equals(wanted, cp.OptimizerName, StringComparison.OrdinalIgnoreCase))
                    throw new BackpropException(ErrorIds.TrainingResumeMismatch, ErrorKind.InvalidArgument, wanted,
                        $"The checkpoint was trained with {cp.OptimizerName}; resuming needs that optimizer (omit -Optimizer to use the saved one), not {wanted}.");
                if (optimizer == null) optimizer = OptimizerFactory.FromCheckpoint(cp);
                else optimizer.LoadState(cp.OptimizerState ?? new KeyValuePair<string, Tensor>[0]);
                rng = new SeededRandom(0);
                if (cp.RandomState != null) rng.SetState(cp.RandomState);
                done = cp.EpochsCompleted;
                seed = null;
            }
            else
            {
                optimizer = optimizer ?? OptimizerFactory.Create(options.OptimizerName ?? "SGD");
                long drawn = options.Seed ?? SeededRandom.NewSeed();
                rng = new SeededRandom(drawn);
                seed = drawn;
                done = 0;
            }
            if (options.LearningRate.HasValue) optimizer.LearningRate = options.LearningRate.Value;
            return optimizer;
        }
    }
}
