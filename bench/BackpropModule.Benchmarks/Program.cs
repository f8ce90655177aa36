using BenchmarkDotNet.Running;

namespace BackpropModule.Benchmarks
{
    /// <summary>Entry point: <c>dotnet run -c Release --project bench/BackpropModule.Benchmarks -- --filter '*'</c>.</summary>
    public static class Program
    {
        public static void Main(string[] args)
        {
            if (args.Length > 0 && args[0] == "--quick-epoch")
            {
                if (args.Length > 2) BackpropModule.Engine.Kernels.Gemm.ThreadCount = int.Parse(args[2]);
                QuickEpoch(args.Length > 1 ? int.Parse(args[1]) : 9);
                return;
            }
            if (args.Length > 0 && args[0] == "--epoch-phases")
            {
                EpochPhases.Run(args.Length > 1 ? int.Parse(args[1]) : 6);
                return;
            }
            if (args.Length > 0 && args[0] == "--epoch-phases-single")
            {
                EpochPhasesSingle.Run(args.Length > 1 ? int.Parse(args[1]) : 6);
                return;
            }
            if (args.Length > 0 && args[0] == "--gemm")
            {
                GemmSingleTiming.Run(args.Length > 1 ? int.Parse(args[1]) : 15, single: false);
                return;
            }
            if (args.Length > 0 && args[0] == "--gemm-single")
            {
                GemmSingleTiming.Run(args.Length > 1 ? int.Parse(args[1]) : 15);
                return;
            }
            if (args.Length > 0 && args[0] == "--gradient-noise")
            {
                GradientCheckTiming.Noise();
                return;
            }
            if (args.Length > 0 && args[0] == "--gradient-check")
            {
                int rounds = args.Length > 1 ? int.Parse(args[1]) : 5;
                var (fast, full, data) = GradientCheckTiming.Run(rounds);
                System.Console.WriteLine($"Test-Gradient 784-50-10, {data}, 39,760 elements, medians of {rounds} alternating rounds: " +
                    $"fast {fast:F3} s, full recompute {full:F3} s ({full / fast:F0}x)");
                return;
            }
            BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, BenchConfig.Create());
        }

        /// <summary>A Stopwatch smoke run of the epoch (optional second argument: GEMM threads) (median of several), for quick iteration outside BenchmarkDotNet.</summary>
        private static void QuickEpoch(int epochs)
        {
            var bench = new EpochBenchmark();
            bench.Setup();
            bench.Epoch();
            var times = new double[epochs];
            long allocated = 0;
            for (int e = 0; e < epochs; e++)
            {
                long before = System.GC.GetAllocatedBytesForCurrentThread();
                long started = System.Diagnostics.Stopwatch.GetTimestamp();
                bench.Epoch();
                times[e] = (System.Diagnostics.Stopwatch.GetTimestamp() - started) / (double)System.Diagnostics.Stopwatch.Frequency;
                allocated += System.GC.GetAllocatedBytesForCurrentThread() - before;
            }
            System.Array.Sort(times);
            System.Console.WriteLine($"{BackpropModule.Engine.Kernels.Gemm.ThreadCount} GEMM thread(s): epoch median {times[epochs / 2]:F3} s (min {times[0]:F3}, max {times[epochs - 1]:F3}), " +
                $"{bench.FlopsPerOperation / times[epochs / 2] / 1e9:F1} GFLOPS, allocated {allocated / epochs} bytes per epoch");
        }
    }
}
