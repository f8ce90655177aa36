using System;
using System.Threading;

namespace BackpropModule.Engine.Kernels
{
    /// <summary>
    /// An alternative parallel schedule (<see cref="GemmSchedule.SharedPanels"/>) for products whose
    /// packed k blocks fit in cache:
    /// all threads pack one k block of op(A) and op(B) into shared panels, then all compute the
    /// tiles from them; two fork-joins per k block.
    /// </summary>
    /// <remarks>
    /// Work is handed out in small numbered tasks (a panel to pack, a tile to compute) that threads
    /// claim in small groups with an atomic counter, so a thread that is slow or descheduled
    /// (a shared machine) delays the others by at most one task, and nothing is packed twice.
    /// Each tile's arithmetic is the serial kernel's, and k blocks are applied in order, so the
    /// result is bit-identical to <see cref="GemmBlocked"/> whichever thread computes which tile.
    /// One job object (with its pack buffers) is cached per calling thread.
    /// </remarks>
    internal sealed unsafe class GemmShared : IPartitionedWork
    {
        /// <summary>Largest packed A or B block (doubles) this path takes: 1.5 MB, well inside L3 and near L2.</summary>
        private const int Budget = 196_608;

        [ThreadStatic] private static GemmShared cached;

        private double[] bufA = new double[0], bufB = new double[0];
        private GemmPath path;
        private bool transA, transB, tasksAreRows, packing;
        private int m, n, lda, ldb, ldc, mr, nr, aPanels, bPanels, pc, kcb;
        private double alpha, betaBlock;
        private double* a, b, c, packA, packB;
        private int next, total, group;

        /// <summary>True when one packed k block of A and of B fits the budget.</summary>
        internal static bool Fits(GemmPath path, int m, int n, int k)
        {
            int kc = GemmBlocked.Balanced(k, GemmBlocked.KC, 1);
            long aNeed = (long)GemmBlocked.RoundUp(m, MicroKernels.RowsPerTile(path)) * kc;
            long bNeed = (long)GemmBlocked.RoundUp(n, MicroKernels.NR) * kc;
            return aNeed <= Budget && bNeed <= Budget;
        }

        internal static void Run(GemmPath path, int threads, bool transA, bool transB, int m, int n, int k, double alpha,
            double[] a, int lda, double[] b, int ldb, double beta, double[] c, int ldc)
        {
            var job = cached ?? (cached = new GemmShared());
            job.path = path; job.transA = transA; job.transB = transB;
            job.m = m; job.n = n; job.lda = lda; job.ldb = ldb; job.ldc = ldc; job.alpha = alpha;
            job.mr = MicroKernels.RowsPerTile(path); job.nr = MicroKernels.NR;
            job.aPanels = (m + job.mr - 1) / job.mr;
            job.bPanels = (n + job.nr - 1) / job.nr;
            // Tiles are numbered along rows of tiles (consecutive tiles share an A panel, and a thread
            // sweeps all of packed B) or along columns (sharing a B panel, sweeping A): the smaller
            // packed block is the one that gets swept.
            job.tasksAreRows = (long)job.bPanels * job.nr <= (long)job.aPanels * job.mr;
            int kc = GemmBlocked.Balanced(k, GemmBlocked.KC, 1);
            int aNeed = job.aPanels * job.mr * kc + 8, bNeed = job.bPanels * job.nr * kc + 8;
            if (job.bufA.Length < aNeed) job.bufA = new double[aNeed];
            if (job.bufB.Length < bNeed) job.bufB = new double[bNeed];
            int parts = Math.Max(1, Math.Min(threads, KernelThreads.MaxThreads));
            fixed (double* pa = a, pb = b, pc = c, rawA = job.bufA, rawB = job.bufB)
            {
                job.a = pa; job.b = pb; job.c = pc;
                job.packA = GemmBlocked.Align64(rawA); job.packB = GemmBlocked.Align64(rawB);
                try
                {
                    for (int p0 = 0; p0 < k; p0 += kc)
                    {
                        job.pc = p0;
                        job.kcb = Math.Min(kc, k - p0);
                        // The first k block applies beta; later ones accumulate into C.
                        job.betaBlock = p0 == 0 ? beta : 1.0;
                        job.Phase(true, job.aPanels + job.bPanels, parts);
                        job.Phase(false, job.aPanels * job.bPanels, parts);
                    }
                }
                finally
                {
                    job.a = job.b = job.c = job.packA = job.packB = null;
                }
            }
        }

        /// <summary>One fork-join: all threads claim tasks 0..tasks−1 until none are left.</summary>
        private void Phase(bool pack, int tasks, int parts)
        {
            packing = pack;
            total = tasks;
            next = 0;
            // About sixteen claims per thread: fine enough to balance, coarse enough that claiming is cheap.
            group = Math.Max(1, tasks / (16 * parts));
            KernelThreads.Run(this, parts);
        }

        /// <summary>Claims and runs tasks until the phase is exhausted (the part number is not needed).</summary>
        public void RunPart(int part)
        {
            double* scratch = stackalloc double[mr * nr];
            while (true)
            {
                int first = Interlocked.Add(ref next, group) - group;
                if (first >= total) return;
                int last = Math.Min(total, first + group);
                for (int t = first; t < last; t++)
                {
                    if (packing) PackTask(t);
                    else if (tasksAreRows) TileTask(t / bPanels, t % bPanels, scratch);
                    else TileTask(t % aPanels, t / aPanels, scratch);
                }
            }
        }

        /// <summary>Task t &lt; aPanels packs A panel t; the rest pack B panels.</summary>
        private void PackTask(int t)
        {
            if (t < aPanels)
            {
                int ir = t * mr;
                GemmPacking.PackA(transA, a, lda, ir, Math.Min(mr, m - ir), pc, kcb, mr, packA + (long)ir * kcb);
            }
            else
            {
                int jr = (t - aPanels) * nr;
                GemmPacking.PackB(transB, b, ldb, pc, kcb, jr, Math.Min(nr, n - jr), nr, packB + (long)jr * kcb);
            }
        }

        /// <summary>Tile (row panel q, column panel r) of C for the current k block.</summary>
        private void TileTask(int q, int r, double* scratch)
        {
            int ir = q * mr, jr = r * nr;
            GemmBlocked.Tile(path, mr, nr, Math.Min(mr, m - ir), Math.Min(nr, n - jr), kcb, alpha,
                packA + (long)ir * kcb, packB + (long)jr * kcb, c + ir + (long)jr * ldc, ldc, betaBlock, scratch);
        }
    }
}
