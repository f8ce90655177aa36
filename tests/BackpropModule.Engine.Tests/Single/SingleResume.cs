using System;
using System.Threading;
using BackpropModule.Engine.Data;
using BackpropModule.Engine.IO;
using BackpropModule.Engine.Training;
using Xunit;

namespace BackpropModule.Engine.Tests.Single
{
    /// <summary>A single-precision run of 4 epochs, and the same run stopped after some batches and resumed.</summary>
    internal static class SingleResume
    {
        /// <summary>
        /// Trains one network straight through and another stopped after <paramref name="stopAfter"/> batches
        /// (optionally saved and read back) and resumed to the same 4 epochs; returns both for the caller to compare.
        /// </summary>
        internal static (Network Whole, Network Split) Run(Func<Network> make, Dataset data, string optimizer, int stopAfter, bool throughFile)
        {
            var options = new TrainingOptions { Epochs = 4, BatchSize = 32, OptimizerName = optimizer, Seed = 21, Precision = NumericPrecision.Single, ClipNorm = 5 };
            var whole = make();
            new Trainer(whole, data, options).Run();

            var split = make();
            using var cts = new CancellationTokenSource();
            int batches = 0;
            var summary = new Trainer(split, data, options) { BatchCompleted = _ => { if (++batches == stopAfter) cts.Cancel(); } }.Run(cts.Token);
            Assert.Equal(TrainingStopReason.Cancelled, summary.StopReason);
            int done = split.Checkpoint.EpochsCompleted;
            if (throughFile) split = NetworkFile.Deserialize(NetworkFile.Serialize(split), "memory");
            new Trainer(split, data, new TrainingOptions { Epochs = 4 - done, Resume = true, Precision = NumericPrecision.Single }).Run();
            return (whole, split);
        }
    }
}
