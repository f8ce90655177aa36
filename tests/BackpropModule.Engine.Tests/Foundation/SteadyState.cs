using System;

namespace BackpropModule.Engine.Tests.Foundation
{
    /// <summary>Measures what a repeated step allocates on this thread once it has warmed up.</summary>
    internal static class SteadyState
    {
        /// <summary>
        /// Bytes this thread allocates in one run of <paramref name="step"/>: the smallest of up to
        /// <paramref name="windows"/> runs, stopping at the first that allocates nothing.
        /// </summary>
        /// <remarks>
        /// NOTE: the runtime may allocate on a thread once, at a moment nobody chooses (a method moving to
        /// its optimised tier under load, say), so a single window flickers now and then. An allocation the
        /// step itself makes shows in every window; taking the smallest keeps the test sharp for that.
        /// </remarks>
        internal static long Allocated(Action step, int windows = 3)
        {
            long least = long.MaxValue;
            for (int w = 0; w < windows && least > 0; w++)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                step();
                least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
            }
            return least;
        }
    }
}
