using System;
using System.Diagnostics;
using System.Globalization;
using System.Management.Automation;
using System.Threading;
using BackpropModule.Engine;
using BackpropModule.Engine.Data;
using BackpropModule.Engine.Training;
using BackpropModule.Infrastructure;

namespace BackpropModule.Commands
{
    /// <summary>
    /// Start-Training: trains the piped network on a dataset with mini-batches and an optimizer,
    /// writing one <see cref="EpochRecord"/> as each epoch ends. Ctrl+C stops at the next batch
    /// boundary and keeps what was learned. The loop itself is <see cref="Trainer"/>.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Start, "Training")]
    [OutputType(typeof(EpochRecord), typeof(Network))]
    public sealed class StartTrainingCommand : BackpropCmdlet, IDisposable
    {
        private readonly CancellationTokenSource cancel = new CancellationTokenSource();
        private readonly Stopwatch throttle = new Stopwatch();

        /// <summary>The network to train (changed in place).</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        public Network Network { get; set; }

        /// <summary>The training samples.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [Alias("Data")]
        public Dataset TrainingData { get; set; }

        /// <summary>Samples evaluated after every epoch (ValidationLoss, ValidationAccuracy; early stopping watches them).</summary>
        [Parameter]
        public Dataset ValidationData { get; set; }

        /// <summary>Epochs to run (on -Resume: epochs to add). Default 10.</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int Epochs { get; set; } = 10;

        /// <summary>Samples per optimizer step: 1 is online learning, the sample count or more is full-batch. Default 100 (on -Resume, the checkpoint's).</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int BatchSize { get; set; } = 100;

        /// <summary>Learning rate; without it the optimizer's own (SGD 0.1, Adam 0.001, …).</summary>
        [Parameter]
        [Alias("Lr")]
        public double LearningRate { get; set; }

        /// <summary>An optimizer name (SGD, Momentum, AdaGrad, RMSProp, Adam) or an object from New-Optimizer. Default SGD.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(OptimizerNameCompleter))]
        public object Optimizer { get; set; }

        /// <summary>Seed of the shuffling; the same seed gives a bit-identical run.</summary>
        [Parameter]
        public int? Seed { get; set; }

        /// <summary>Visit the samples in order every epoch (online learning as in the classic tutorials).</summary>
        [Parameter]
        public SwitchParameter NoShuffle { get; set; }

        /// <summary>Stop when the monitored loss has not improved for -Patience epochs; the best weights are restored at the end.</summary>
        [Parameter]
        public SwitchParameter EarlyStopping { get; set; }

        /// <summary>Epochs without improvement before early stopping. Default 5.</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int Patience { get; set; } = 5;

        /// <summary>Smallest decrease of the monitored loss that counts as an improvement. Default 0.</summary>
        [Parameter]
        [ValidateRange(0.0, double.MaxValue)]
        public double MinDelta { get; set; }

        /// <summary>Continue from the network's checkpoint: epoch count, position in a stopped epoch, shuffling state and optimizer state.</summary>
        [Parameter]
        public SwitchParameter Resume { get; set; }

        /// <summary>Clip the gradients by their global norm to at most this before every step (no clipping by default).</summary>
        [Parameter]
        [ValidateRange(double.Epsilon, double.MaxValue)]
        public double ClipGradientNorm { get; set; }

        /// <summary>A learning-rate schedule: Step, Exponential, Cosine or ReduceOnPlateau (constant by default).</summary>
        [Parameter]
        public ScheduleKind? LearningRateSchedule { get; set; }

        /// <summary>Step schedule: epochs between reductions. Default 10.</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int StepSize { get; set; } = 10;

        /// <summary>The schedule's factor γ in (0, 1). Default 0.1 (Exponential 0.95).</summary>
        [Parameter]
        [ValidateRange(double.Epsilon, 0.9999999999999999)]
        public double Gamma { get; set; }

        /// <summary>The lowest rate of Cosine and ReduceOnPlateau. Default 0.</summary>
        [Parameter]
        [ValidateRange(0.0, double.MaxValue)]
        public double MinLearningRate { get; set; }

        /// <summary>ReduceOnPlateau: epochs without improvement before the rate is reduced. Default 5.</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int SchedulePatience { get; set; } = 5;

        /// <summary>With -Resume: continue even if the batch size, shuffling or data differ from the checkpoint's.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Draw the loss chart on the console as epochs end (Show-Plot's text chart, redrawn in place).</summary>
        [Parameter]
        public SwitchParameter Plot { get; set; }

        /// <summary>
        /// The arithmetic of this run: Single trains in float (parameters rounded to float first), Double in
        /// double. Default: the network's Precision (Double unless created with -Precision Single).
        /// </summary>
        [Parameter]
        public NumericPrecision Precision { get; set; }

        /// <summary>Write the network after the epoch records.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <inheritdoc/>
        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            CheckScheduleParameters();
        }

        /// <inheritdoc/>
        protected override void EndProcessing() => ThrowIfPipelineWasEmpty(Network, "Network");

        /// <summary>
        /// TrainingOptionInvalid for a schedule parameter the run would ignore: given without -LearningRateSchedule
        /// (on -Resume the checkpoint's schedule continues with its own values) or to a schedule that has no use for it.
        /// </summary>
        private void CheckScheduleParameters()
        {
            var bound = MyInvocation.BoundParameters;
            var uses = new (string Name, ScheduleKind[] Kinds)[]
            {
                (nameof(StepSize), new[] { ScheduleKind.Step }),
                (nameof(Gamma), new[] { ScheduleKind.Step, ScheduleKind.Exponential, ScheduleKind.ReduceOnPlateau }),
                (nameof(MinLearningRate), new[] { ScheduleKind.Cosine, ScheduleKind.ReduceOnPlateau }),
                (nameof(SchedulePatience), new[] { ScheduleKind.ReduceOnPlateau }),
            };
            foreach (var (name, kinds) in uses)
            {
                if (!bound.ContainsKey(name) || (LearningRateSchedule.HasValue && Array.IndexOf(kinds, LearningRateSchedule.Value) >= 0)) continue;
                string used = string.Join(", ", kinds);
                Throw(ErrorIds.TrainingOptionInvalid, ErrorKind.InvalidArgument, bound[name],
                    LearningRateSchedule.HasValue
                        ? $"-{name} does not apply to the {LearningRateSchedule.Value} schedule (it is used by {used}); nothing was changed."
                        : $"-{name} belongs to a learning-rate schedule ({used}); give -LearningRateSchedule with it" +
                          (Resume ? " (a resumed run continues the checkpoint's schedule with its own values unless -LearningRateSchedule replaces it)." : "."));
            }
        }

        /// <inheritdoc/>
        protected override void ProcessRecord()
        {
            var options = new TrainingOptions
            {
                Epochs = Epochs, Validation = ValidationData, EarlyStopping = EarlyStopping, Patience = Patience, MinDelta = MinDelta,
                Resume = Resume, Force = Force, Seed = Seed,
                ClipNorm = MyInvocation.BoundParameters.ContainsKey(nameof(ClipGradientNorm)) ? ClipGradientNorm : (double?)null,
                Schedule = LearningRateSchedule == null ? null : new LearningRateSchedule
                {
                    Kind = LearningRateSchedule.Value, StepSize = StepSize, MinRate = MinLearningRate, Patience = SchedulePatience,
                    Gamma = MyInvocation.BoundParameters.ContainsKey(nameof(Gamma)) ? Gamma : (double?)null,
                },
                // Not given: the default, or on -Resume the checkpoint's value (so a resume needs no repeated options).
                BatchSize = MyInvocation.BoundParameters.ContainsKey(nameof(BatchSize)) ? BatchSize : (int?)null,
                Shuffle = NoShuffle.IsPresent ? !NoShuffle.ToBool() : (bool?)null,
                LearningRate = MyInvocation.BoundParameters.ContainsKey(nameof(LearningRate)) ? LearningRate : (double?)null,
                Precision = MyInvocation.BoundParameters.ContainsKey(nameof(Precision)) ? Precision : (NumericPrecision?)null,
            };
            object o = Optimizer is PSObject p ? p.BaseObject : Optimizer;
            if (o is IOptimizer optimizer) options.Optimizer = optimizer;
            else if (o is string name) options.OptimizerName = name;
            else if (o != null)
                Throw(ErrorIds.OptimizerNameUnknown, ErrorKind.InvalidArgument, o,
                    $"-Optimizer takes a name (SGD, Momentum, AdaGrad, RMSProp, Adam) or an object from New-Optimizer; got a {o.GetType().Name}.");

            var net = Network;
            string activity = "Training " + net.Architecture;
            var chart = Plot ? new LiveLossChart(this) : null;
            var trainer = new Trainer(net, TrainingData, options)
            {
                EpochCompleted = record => { WriteObject(record); chart?.Add(record); },
                // With -Plot the chart shows progress; a progress bar would move the cursor under it.
                BatchCompleted = progress =>
                {
                    // Ctrl+C marks the pipeline as stopping before StopProcessing cancels the token, so
                    // WriteProgress can throw first. Escaping the trainer there would leave the weights
                    // after this batch but the checkpoint before it (issue 10 D5); cancelling instead
                    // lets the trainer stop at this batch boundary with a checkpoint that says so.
                    try { if (chart == null) ReportProgress(activity, progress); }
                    catch (PipelineStoppedException) { cancel.Cancel(); }
                },
            };
            throttle.Restart();
            TrainingSummary summary = null;
            try
            {
                summary = Engine(() => trainer.Run(cancel.Token));
            }
            finally
            {
                if (!Stopping) WriteProgress(new ProgressRecord(1, activity, "Done") { RecordType = ProgressRecordType.Completed });
            }
            if (summary == null) return;
            chart?.Finish();
            WriteVerbose(Describe(summary));
            if (PassThru) WriteObject(net);
        }

        private void ReportProgress(string activity, TrainingProgress p)
        {
            // NOTE: a few updates a second keep the host responsive; the last batch of each epoch always reports.
            if (!p.EpochEnd && throttle.ElapsedMilliseconds < 250) return;
            throttle.Restart();
            string status = string.Format(CultureInfo.InvariantCulture, "Epoch {0}/{1}, batch {2}/{3}, loss {4:G5}",
                p.Epoch, p.LastEpoch, p.Batch, p.Batches, p.RunningLoss);
            WriteProgress(new ProgressRecord(1, activity, status)
            {
                PercentComplete = Math.Min(100, (int)(p.Fraction * 100)),
                SecondsRemaining = (int)Math.Ceiling(p.Remaining.TotalSeconds),
                CurrentOperation = "Epoch " + p.Epoch.ToString(CultureInfo.InvariantCulture),
            });
        }

        private static string Describe(TrainingSummary s)
        {
            string how;
            switch (s.StopReason)
            {
                case TrainingStopReason.EarlyStopped: how = "Stopped early: the monitored loss did not improve"; break;
                case TrainingStopReason.Cancelled: how = "Stopped at a batch boundary"; break;
                default: how = "Completed"; break;
            }
            return string.Format(CultureInfo.InvariantCulture,
                "{0} after {1} epoch(s) ({2} in total); best epoch {3} with loss {4:G6}{5}; optimizer {6}; {7}{8}.",
                how, s.EpochsRun, s.EpochsCompleted, s.BestEpoch, s.BestLoss, s.RestoredBest ? ", whose weights were restored" : "",
                s.Optimizer, s.Precision == NumericPrecision.Single ? "single precision; " : "", s.Seed.HasValue ? "shuffle seed " + s.Seed.Value.ToString(CultureInfo.InvariantCulture) : "shuffling continued from the checkpoint");
        }

        /// <inheritdoc/>
        protected override void StopProcessing()
        {
            try { cancel.Cancel(); }
            catch (ObjectDisposedException) { } // the command already ended
        }

        /// <inheritdoc/>
        public void Dispose() => cancel.Dispose();
    }
}
