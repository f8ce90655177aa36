namespace BackpropModule.Engine.Training
{
    // The single-precision run: where it differs from the double one.
    public sealed partial class Trainer
    {
        /// <summary>
        /// Resolves the run's precision (the option, else the network's) and, for Single, refuses what the
        /// float path cannot train, then rounds the parameters and optimizer state to float and takes the float
        /// copies. Runs before the first checkpoint and snapshots, so they describe the rounded values.
        /// </summary>
        /// <exception cref="BackpropException">PrecisionNotSupported or PrecisionRangeExceeded (nothing changed).</exception>
        private void PrepareSingle(TrainingRun run)
        {
            run.Precision = options.Precision ?? net.Precision;
            run.Summary.Precision = run.Precision;
            if (run.Precision != NumericPrecision.Single) return;
            SingleTrainingState.CheckSupported(net, run.Optimizer);
            SingleTrainingState.CheckData(train);
            run.Single = SingleTrainingState.Begin(net, run.Optimizer, run.BatchSize);
        }

        /// <summary>Clipping (if asked) and the optimizer step, in float on the float copies.</summary>
        private static void StepSingle(TrainingRun run)
        {
            if (run.ClipNorm.HasValue) run.Single.ClipByGlobalNorm(run.ClipNorm.Value);
            run.Single.Step();
        }
    }
}
