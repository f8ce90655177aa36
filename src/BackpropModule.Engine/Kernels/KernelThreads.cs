using System;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace BackpropModule.Engine.Kernels
{
    /// <summary>Work split into numbered parts that may run on different threads.</summary>
    internal interface IPartitionedWork
    {
        /// <summary>Runs part p (0 ≤ p &lt; parts); parts must not depend on each other.</summary>
        void RunPart(int part);
    }

    /// <summary>
    /// A tiny fork-join pool for the kernels: the caller runs part 0 and dedicated background threads
    /// run the others. Unlike Parallel.For it allocates nothing per call and hands work over in well
    /// under a microsecond, because idle workers spin for half a millisecond before they sleep:
    /// a training loop issues a GEMM every few tens of microseconds, so its workers never sleep.
    /// </summary>
    /// <remarks>
    /// One call at a time owns the workers; a concurrent caller (another runspace, say) runs its
    /// parts serially on its own thread instead of waiting, which gives the same results.
    /// </remarks>
    internal static class KernelThreads
    {
        private static readonly object createLock = new object();
        private static Worker[] workers = new Worker[0];
        private static int busy;

        /// <summary>Most parts a call may use (the number of cores, at most 8).</summary>
        internal static int MaxThreads { get; } = Math.Max(1, Math.Min(Environment.ProcessorCount, 8));

        /// <summary>
        /// For tests, per thread: run every part on the calling thread, as when no worker starts in time and the
        /// caller takes each part back (which a loaded machine does now and then, and a test cannot arrange).
        /// </summary>
        [ThreadStatic] internal static bool TakeBackEveryPart;

        /// <summary>Runs parts 0..parts−1 and returns when all are done; rethrows the first failure.</summary>
        internal static void Run(IPartitionedWork work, int parts)
        {
            if (parts <= 1 || TakeBackEveryPart || Interlocked.CompareExchange(ref busy, 1, 0) != 0)
            {
                for (int p = 0; p < parts; p++) work.RunPart(p);
                return;
            }
            try
            {
                Worker[] ws = EnsureWorkers(parts - 1);
                for (int p = 1; p < parts; p++) ws[p - 1].Start(work, p);
                Exception own = null, other = null;
                try { work.RunPart(0); }
                catch (Exception e) { own = e; }
                for (int p = 1; p < parts; p++)
                {
                    // A worker that has not picked its part up yet (its core busy or stolen by the
                    // hypervisor) loses it to us: never wait for a thread that is not running.
                    if (ws[p - 1].TryRevoke())
                    {
                        try { work.RunPart(p); }
                        catch (Exception e) { if (other == null) other = e; }
                        continue;
                    }
                    Exception failed = ws[p - 1].WaitDone();
                    if (other == null) other = failed;
                }
                if (own != null) ExceptionDispatchInfo.Capture(own).Throw();
                if (other != null) throw new AggregateException("A kernel worker thread failed.", other);
            }
            finally
            {
                Volatile.Write(ref busy, 0);
            }
        }

        private static Worker[] EnsureWorkers(int count)
        {
            Worker[] ws = workers;
            if (ws.Length >= count) return ws;
            lock (createLock)
            {
                ws = workers;
                if (ws.Length >= count) return ws;
                var grown = new Worker[count];
                Array.Copy(ws, grown, ws.Length);
                for (int i = ws.Length; i < count; i++) grown[i] = new Worker(i + 1);
                workers = grown;
                return grown;
            }
        }

        /// <summary>One background thread with a single-slot mailbox.</summary>
        private sealed class Worker
        {
            /// <summary>How long an idle worker spins before it blocks.</summary>
            private static readonly long SpinTicks = Stopwatch.Frequency / 2000; // 0.5 ms

            private readonly object gate = new object();
            private IPartitionedWork work;
            private int part;
            private Exception error;
            private int requested, completed, sleeping, state;

            private const int Posted = 1, Running = 2, Revoked = 3;

            internal Worker(int index)
            {
                var thread = new Thread(Loop) { IsBackground = true, Name = "BackpropModule kernel worker " + index };
                thread.Start();
            }

            internal void Start(IPartitionedWork job, int index)
            {
                work = job;
                part = index;
                error = null;
                Volatile.Write(ref state, Posted);
                // The interlocked increment is a full fence: it publishes the fields above, and pairs with
                // the worker's exchange of 'sleeping' so that one of the two always sees the other.
                Interlocked.Increment(ref requested);
                if (Volatile.Read(ref sleeping) != 0)
                    lock (gate) Monitor.Pulse(gate);
            }

            /// <summary>Takes the posted part back if the worker has not started it.</summary>
            internal bool TryRevoke() => Interlocked.CompareExchange(ref state, Revoked, Posted) == Posted;

            internal Exception WaitDone()
            {
                int target = Volatile.Read(ref requested);
                int spins = 0;
                while (Volatile.Read(ref completed) != target)
                {
                    // The worker runs as much as we did, so this wait is short; yield rather than sleep.
                    if (++spins < 2000) Thread.SpinWait(16);
                    else Thread.Yield();
                }
                return error;
            }

            private void Loop()
            {
                int seen = 0;
                while (true)
                {
                    long start = Stopwatch.GetTimestamp();
                    int spins = 0;
                    while (Volatile.Read(ref requested) == seen)
                    {
                        if (Stopwatch.GetTimestamp() - start < SpinTicks)
                        {
                            // Now and then give the core away, in case a thread of ours is waiting for it.
                            if ((++spins & 63) == 0) Thread.Yield(); else Thread.SpinWait(16);
                            continue;
                        }
                        lock (gate)
                        {
                            Interlocked.Exchange(ref sleeping, 1);
                            if (Volatile.Read(ref requested) == seen) Monitor.Wait(gate, 100);
                            Interlocked.Exchange(ref sleeping, 0);
                        }
                    }
                    seen = Volatile.Read(ref requested);
                    // Claim the part; if the caller revoked it, it ran the part itself.
                    if (Interlocked.CompareExchange(ref state, Running, Posted) == Posted)
                    {
                        try { work.RunPart(part); }
                        catch (Exception e) { error = e; }
                    }
                    Volatile.Write(ref completed, seen);
                }
            }
        }
    }
}
