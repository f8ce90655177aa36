using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using BackpropModule.Engine.Randomness;
using BackpropModule.Engine.Training.Optimizers;

namespace BackpropModule.Engine.Training
{
    public sealed partial class Trainer
    {
        /// <summary>The batch size of a run that was given none (and of a resume from a checkpoint that kept none).</summary>
        public const int DefaultBatchSize = 100;

        /// <summary>
        /// Checks everything that can be refused, claims the network (<see cref="Network.BeginTraining"/>),
        /// then resolves the optimizer and generator (fresh or from the checkpoint) and allocates the buffers.
        /// Every refusal comes before the first change to the network or a given optimizer.
        /// </summary>
        private TrainingRun Start()
        {
            options.Validate();
            DatasetChecks.CheckFits(net, train, "training");
            if (options.Validation != null) DatasetChecks.CheckFits(net, options.Validation, "validation");
            CheckParametersFinite();
            net.BeginTraining();
            try
            {
                var run = new TrainingRun
                {
                    Count = train.Count, Data = DataFingerprint.Of(train), Order = new int[train.Count],
                    Summary = new TrainingSummary { StopReason = TrainingStopReason.Completed },
                };
                if (options.Resume) PrepareResume(run); else PrepareFresh(run);
                if (options.LearningRate.HasValue) run.Optimizer.LearningRate = options.LearningRate.Value;
                PrepareSchedule(run);
                Allocate(run);
                PrepareSingle(run);
                if (options.Resume)
                {
                    run.LastGood = net.SnapshotParameters();
                    run.LastGoodStatistics = net.SnapshotStatistics();
                    run.LastGoodOptimizerState = run.Optimizer.SaveState();
                }
                else
                {
                    net.ClearHistory();
                    SetCheckpoint(run, 0, midEpoch: false); // a stop or divergence in epoch 1 then has a state to describe
                }
                return run;
            }
            catch
            {
                net.EndTraining();
                throw;
            }
        }

        private void PrepareFresh(TrainingRun run)
        {
            run.Optimizer = options.Optimizer ?? OptimizerFactory.Create(options.OptimizerName ?? "SGD");
            long seed = options.Seed ?? SeededRandom.NewSeed();
            run.Rng = new SeededRandom(seed);
            run.Summary.Seed = seed;
            run.RequestedBatchSize = options.BatchSize ?? DefaultBatchSize;
            run.Shuffle = options.Shuffle ?? true;
            run.ClipNorm = options.ClipNorm;
            run.Epoch = 1;
            run.LastEpoch = options.Epochs;
        }

        /// <summary>Continues from the checkpoint; options not given take the checkpoint's values.</summary>
        private void PrepareResume(TrainingRun run)
        {
            var cp = net.Checkpoint ?? throw new BackpropException(ErrorIds.TrainingCheckpointMissing, ErrorKind.InvalidOperation, net,
                "This network has no training checkpoint to resume from; train it with Start-Training first (or import a network saved after training).");
            string problem = cp.Problem();
            if (problem != null)
                throw new BackpropException(ErrorIds.TrainingCheckpointInvalid, ErrorKind.InvalidData, cp,
                    $"The network's training checkpoint cannot be resumed: {problem}. Train without -Resume to start again.");
            IOptimizer given = options.Optimizer;
            string wanted = given?.Name ?? (options.OptimizerName == null ? null : OptimizerFactory.Canonical(options.OptimizerName) ?? options.OptimizerName);
            if (wanted != null && !string.Equals(wanted, cp.OptimizerName, StringComparison.OrdinalIgnoreCase))
                throw new BackpropException(ErrorIds.TrainingResumeMismatch, ErrorKind.InvalidArgument, wanted,
                    $"The checkpoint was trained with {cp.OptimizerName}; resuming needs that optimizer (omit -Optimizer to use the saved one), not {wanted}.");
            if ((long)cp.EpochsCompleted + options.Epochs > int.MaxValue)
                throw new BackpropException(ErrorIds.TrainingOptionInvalid, ErrorKind.InvalidArgument, options.Epochs,
                    $"The checkpoint is after epoch {cp.EpochsCompleted}; {options.Epochs} more epochs would pass the largest epoch number, {int.MaxValue}.");
            run.RequestedBatchSize = options.BatchSize ?? (cp.BatchSize > 0 ? cp.BatchSize : DefaultBatchSize);
            run.Shuffle = options.Shuffle ?? cp.Shuffle ?? true;
            run.ClipNorm = options.ClipNorm ?? cp.ClipNorm; // like the learning rate: may be changed, kept when not given
            CheckSameTrajectory(cp, run);

            run.Optimizer = given ?? OptimizerFactory.FromCheckpoint(cp);
            if (given != null) given.LoadState(cp.OptimizerState ?? new KeyValuePair<string, Tensors.Tensor>[0]);
            run.Rng = new SeededRandom(0);
            if (cp.RandomState != null) run.Rng.SetState(cp.RandomState);
            run.Epoch = cp.EpochsCompleted + 1;
            run.LastEpoch = cp.EpochsCompleted + options.Epochs;
            // With -Force on data of another size, an epoch that stopped half-way starts over.
            if (cp.IsMidEpoch && cp.SamplesCompleted < run.Count)
            {
                run.Position = cp.SamplesCompleted; run.LossSum = cp.EpochLossSum; run.Correct = cp.EpochCorrect;
            }
        }

        /// <summary>
        /// The run's schedule: a given one starts from the optimizer's current rate (its cosine cycle spans this
        /// run's epochs unless set); on resume without one, the checkpoint's continues, restarted from -LearningRate if given.
        /// </summary>
        private void PrepareSchedule(TrainingRun run)
        {
            var saved = options.Resume ? net.Checkpoint.Schedule : null;
            if (options.Schedule != null)
            {
                run.Schedule = options.Schedule.Clone();
                run.Schedule.BaseRate = options.LearningRate ?? saved?.BaseRate ?? run.Optimizer.LearningRate;
                run.Schedule.CurrentRate = 0; run.Schedule.BestLoss = double.PositiveInfinity; run.Schedule.Wait = 0;
                if (run.Schedule.TotalEpochs == 0) run.Schedule.TotalEpochs = run.LastEpoch;
            }
            else if (saved != null)
            {
                run.Schedule = saved.Clone();
                if (options.LearningRate.HasValue) { run.Schedule.BaseRate = options.LearningRate.Value; run.Schedule.CurrentRate = 0; }
            }
            if (run.Schedule != null && run.Schedule.MinRate >= run.Schedule.BaseRate)
                throw new BackpropException(ErrorIds.TrainingOptionInvalid, ErrorKind.InvalidArgument, run.Schedule,
                    $"The schedule's minimum learning rate ({run.Schedule.MinRate.ToString("G6", CultureInfo.InvariantCulture)}) must be below its base rate ({run.Schedule.BaseRate.ToString("G6", CultureInfo.InvariantCulture)}).");
        }

        /// <summary>Refuses a resume whose batch size, shuffling or data differ from the checkpoint's, unless forced.</summary>
        private void CheckSameTrajectory(TrainingCheckpoint cp, TrainingRun run)
        {
            var differences = new List<string>();
            if (cp.BatchSize > 0 && cp.BatchSize != run.RequestedBatchSize)
                differences.Add($"the batch size is {run.RequestedBatchSize}, the checkpoint's is {cp.BatchSize}");
            if (cp.Shuffle.HasValue && cp.Shuffle.Value != run.Shuffle)
                differences.Add(run.Shuffle ? "this run shuffles, the checkpoint's did not (-NoShuffle)" : "this run does not shuffle (-NoShuffle), the checkpoint's did");
            bool dataDiffers = false;
            if (cp.Data != null)
                foreach (string d in run.Data.Differences(cp.Data)) { differences.Add("the data has " + d); dataDiffers = true; }
            if (differences.Count == 0 || options.Force) return;
            throw new BackpropException(ErrorIds.TrainingResumeMismatch, ErrorKind.InvalidArgument, dataDiffers ? (object)train : run.RequestedBatchSize,
                "Resuming would not continue the checkpoint's run: " + string.Join("; ", differences) +
                ". Resume with the checkpoint's settings and data, or add -Force to continue anyway (the result then differs from an uninterrupted run).");
        }

        private void Allocate(TrainingRun run)
        {
            int n = run.Count;
            run.BatchSize = Math.Min(run.RequestedBatchSize, n);
            // NOTE: BatchNorm in training mode normalises a batch of one sample to x̂ = 0 in every unit, so the output
            // ignores the input and no gradient reaches the layers below: such a run would learn nothing, silently.
            if (net.HasBatchNorm && run.BatchSize < 2)
                throw new BackpropException(ErrorIds.TrainingOptionInvalid, ErrorKind.InvalidArgument, run.BatchSize,
                    $"BatchNorm needs at least 2 samples per batch to normalise (a batch of 1 normalises every unit to 0, so nothing is learned); " +
                    $"this run has batches of {run.BatchSize}. Use a larger -BatchSize (and at least 2 samples); nothing was changed.");
            run.Batches = (n + run.BatchSize - 1) / run.BatchSize;
            run.Workspace = new BatchWorkspace(net, run.BatchSize);
            var val = options.Validation;
            if (val != null) run.ValidationWorkspace = new BatchWorkspace(net, Math.Min(Math.Max(run.BatchSize, 256), val.Count));
            run.Guard = new DivergenceGuard(DivergenceGuard.BaselineLoss(net, train));
            run.Summary.Optimizer = run.Optimizer;
            run.Progress = new TrainingProgress { LastEpoch = run.LastEpoch, Batches = run.Batches };
            run.Clock = Stopwatch.StartNew();
            run.TotalBatches = Math.Max(1, (long)run.Batches * options.Epochs - run.Position / run.BatchSize);
        }

        /// <summary>NetworkNotFinite: a network that already holds NaN or ±∞ cannot be trained (D20).</summary>
        private void CheckParametersFinite()
        {
            foreach (var p in net.Parameters)
            {
                var bad = p.Value.FindNonFinite();
                if (bad != null)
                    throw new BackpropException(ErrorIds.NetworkNotFinite, ErrorKind.InvalidData, net,
                        $"Parameter {p.Name} already holds a non-finite value ({Format(p.Value[bad.Value.Row, bad.Value.Column])} at row {bad.Value.Row}, column {bad.Value.Column}) " +
                        "before training starts, so it cannot be trained; nothing was changed. Create the network again or import a saved copy.");
            }
        }

        private bool AllParametersFinite()
        {
            var ps = net.Parameters;
            for (int p = 0; p < ps.Count; p++) if (!DatasetChecks.AllFinite(ps[p].Value.Data)) return false;
            return true;
        }

        /// <summary>
        /// The TrainingDiverged error, after putting back the weights and optimizer state of the last
        /// checkpoint (the end of the last whole epoch, the point a resumed run started from, or the start
        /// of training), so the network, its checkpoint and the optimizer agree.
        /// </summary>
        private BackpropException Diverged(TrainingRun run, string why)
        {
            int batch = Math.Min(run.Batches, run.Position / run.BatchSize + 1);
            net.RestoreParameters(run.LastGood);
            net.RestoreStatistics(run.LastGoodStatistics);
            run.Optimizer.LoadState(run.LastGoodOptimizerState);
            var cp = net.Checkpoint;
            string where = cp.IsMidEpoch ? $"where this run resumed (epoch {cp.EpochsCompleted + 1}, after {cp.SamplesCompleted} samples)"
                : cp.EpochsCompleted == 0 ? "the start of training" : $"the end of epoch {cp.EpochsCompleted}";
            return new BackpropException(ErrorIds.TrainingDiverged, ErrorKind.InvalidResult, net,
                $"Training diverged in epoch {run.Epoch}, batch {batch}: {why}. The weights and the optimizer's state were put back as they were at {where}, " +
                "which the network's checkpoint describes" + (run.Best != null ? "; early stopping then restored the best epoch's weights" : "") +
                ". Lower the learning rate (Start-Training -Resume -LearningRate continues from there), or use an adaptive optimizer such as Adam.");
        }

        private static bool IsFinite(double x) => !double.IsNaN(x) && !double.IsInfinity(x);

        private static string Format(double x) => x.ToString("G6", CultureInfo.InvariantCulture);
    }
}
