using System;
using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Perfolizer.Horology;

namespace BackpropModule.Benchmarks
{
    /// <summary>
    /// A short job (3 warm-ups, 15 measured iterations of ~250 ms, one process) so the whole run
    /// takes a few minutes; medians, since the machine is shared; allocations; GFLOPS.
    /// </summary>
    public static class BenchConfig
    {
        /// <summary>The default config (console logger, markdown/CSV/HTML exporters) with the short job, memory diagnoser and extra columns.</summary>
        public static IConfig Create() =>
            DefaultConfig.Instance
                .AddJob(Job.Default
                    .WithLaunchCount(1)
                    .WithWarmupCount(3)
                    .WithIterationCount(15)
                    .WithIterationTime(TimeInterval.FromMilliseconds(250))
                    .WithStrategy(RunStrategy.Throughput)
                    .AsDefault())
                .AddDiagnoser(MemoryDiagnoser.Default)
                .AddColumn(StatisticColumn.Median, StatisticColumn.Min, new GflopsColumn())
                .WithOptions(ConfigOptions.JoinSummary)
                .WithSummaryStyle(SummaryStyle.Default.WithRatioStyle(RatioStyle.Trend));
    }

    /// <summary>
    /// GFLOPS from the median time: flops = 2·m·n·k for a GEMM (parameter <c>Shape</c>, "m x k x n"),
    /// or the per-epoch flop count a benchmark class declares through <see cref="IFlopCount"/>.
    /// </summary>
    public sealed class GflopsColumn : IColumn
    {
        public string Id => nameof(GflopsColumn);
        public string ColumnName => "GFLOPS";
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => 0;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => "Billions of floating-point operations per second, from the median (2·m·n·k per GEMM)";
        public bool IsAvailable(Summary summary) => true;
        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            var report = summary[benchmarkCase];
            if (report?.ResultStatistics == null) return "-";
            double flops = Flops(benchmarkCase);
            if (flops <= 0) return "-";
            double seconds = report.ResultStatistics.Median * 1e-9;
            return (flops / seconds / 1e9).ToString("F1", CultureInfo.InvariantCulture);
        }

        private static double Flops(BenchmarkCase benchmarkCase)
        {
            foreach (var p in benchmarkCase.Parameters.Items)
                if (p.Value is GemmShape shape) return shape.Flops;
            var instance = Activator.CreateInstance(benchmarkCase.Descriptor.Type) as IFlopCount;
            return instance?.FlopsPerOperation ?? 0;
        }
    }

    /// <summary>A benchmark class whose operation has a known flop count.</summary>
    public interface IFlopCount
    {
        double FlopsPerOperation { get; }
    }
}
