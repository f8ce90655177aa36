using System;

namespace BackpropModule.Engine.Kernels
{
    /// <summary>
    /// The serial blocked GEMM of Goto and van de Geijn, in the five loops of BLIS:
    /// <code>
    /// for jc in n step NC:                 B block  kc × nc  (packed, lives in L3)
    ///   for pc in k step KC:               pack op(B)[pc.., jc..] into NR-wide micro-panels
    ///     for ic in m step MC:             pack op(A)[ic.., pc..] into MR-tall micro-panels (L2)
    ///       for jr in nc step NR:          one B micro-panel, kc × NR (L1)
    ///         for ir in mc step MR:        micro-kernel: C[ir.., jr..] (MR × NR) += A panel · B panel
    /// </code>
    /// Packing pads the last micro-panels with zeros, so the micro-kernel always computes a full
    /// MR × NR tile; a tile that sticks out of C is computed into a scratch tile and only its valid
    /// part is merged, with the same arithmetic as a full tile.
    /// </summary>
    /// <remarks>
    /// Summation order of C(i, j): within a k block, one accumulator summed over p in order; the
    /// first k block writes alpha·acc + beta·C, later blocks add alpha·acc. The block sizes depend only
    /// on k, so the order never depends on threads or on the tile's position.
    /// Pack buffers are per thread and only grow, so steady-state calls allocate nothing.
    /// </remarks>
    internal static unsafe class GemmBlocked
    {
        /// <summary>Depth of a k block: an MR × KC A micro-panel (16 KB) and a KC × NR B micro-panel (12 KB) share L1.</summary>
        internal const int KC = 256;

        /// <summary>Rows of an A block: MC × KC doubles (≈ 240 KB) stay in the 512 KB L2.</summary>
        internal const int MC = 120;

        /// <summary>Columns of a B block: KC × NC doubles (6 MB) stay in L3.</summary>
        internal const int NC = 3072;

        private sealed class PackBuffers
        {
            internal double[] A = new double[0], B = new double[0];
        }

        [ThreadStatic] private static PackBuffers buffers;

        /// <summary>
        /// Grows this thread's pack buffers to what <see cref="Run"/> of an m × n × k product needs. A parallel
        /// GEMM reserves its largest part on the calling thread before it forks: a part taken back from a worker
        /// that did not start in time then runs on buffers already there, so steady state allocates nothing
        /// however the threads are scheduled.
        /// </summary>
        private static PackBuffers Reserve(GemmPath path, int m, int n, int k)
        {
            int mr = MicroKernels.RowsPerTile(path), nr = MicroKernels.NR;
            int kc = Balanced(k, KC, 1), mc = Balanced(m, MC, mr), nc = Balanced(n, NC, nr);
            var buf = buffers ?? (buffers = new PackBuffers());
            // +8 doubles of slack so the panels can start on a 64-byte boundary.
            int aNeed = RoundUp(mc, mr) * kc + 8, bNeed = RoundUp(nc, nr) * kc + 8;
            if (buf.A.Length < aNeed) buf.A = new double[aNeed];
            if (buf.B.Length < bNeed) buf.B = new double[bNeed];
            return buf;
        }

        /// <inheritdoc cref="Reserve(GemmPath, int, int, int)"/>
        internal static void ReserveForParts(GemmPath path, in GemmSplit split, int m, int n, int k)
        {
            for (int p = 0; p < split.Parts; p++)
                if (split.PartShape(p, m, n, out int partM, out int partN)) Reserve(path, partM, partN, k);
        }

        /// <summary>Serial C = alpha·op(A)·op(B) + beta·C on raw column-major storage; m, n, k &gt; 0.</summary>
        internal static void Run(GemmPath path, bool transA, bool transB, int m, int n, int k, double alpha,
            double* a, int lda, double* b, int ldb, double beta, double* c, int ldc)
        {
            int mr = MicroKernels.RowsPerTile(path), nr = MicroKernels.NR;
            // Equal blocks, so a k of 784 is 4 × 196 rather than 3 × 256 + 16.
            int kc = Balanced(k, KC, 1), mc = Balanced(m, MC, mr), nc = Balanced(n, NC, nr);
            var buf = Reserve(path, m, n, k);
            double* tile = stackalloc double[mr * nr];
            fixed (double* rawA = buf.A, rawB = buf.B)
            {
                double* packA = Align64(rawA), packB = Align64(rawB);
                for (int jc = 0; jc < n; jc += nc)
                {
                    int ncb = Math.Min(nc, n - jc);
                    for (int pc = 0; pc < k; pc += kc)
                    {
                        int kcb = Math.Min(kc, k - pc);
                        // The first k block applies beta; later ones accumulate into C.
                        double betaBlock = pc == 0 ? beta : 1.0;
                        GemmPacking.PackB(transB, b, ldb, pc, kcb, jc, ncb, nr, packB);
                        for (int ic = 0; ic < m; ic += mc)
                        {
                            int mcb = Math.Min(mc, m - ic);
                            GemmPacking.PackA(transA, a, lda, ic, mcb, pc, kcb, mr, packA);
                            Macro(path, mr, nr, mcb, ncb, kcb, alpha, packA, packB, c + ic + (long)jc * ldc, ldc, betaBlock, tile);
                        }
                    }
                }
            }
        }

        /// <summary>All MR × NR tiles of one mc × nc block of C from packed panels.</summary>
        private static void Macro(GemmPath path, int mr, int nr, int mc, int nc, int kc, double alpha,
            double* packA, double* packB, double* c, int ldc, double beta, double* tile)
        {
            for (int jr = 0; jr < nc; jr += nr)
            {
                int cols = Math.Min(nr, nc - jr);
                double* bPanel = packB + (long)jr * kc;
                for (int ir = 0; ir < mc; ir += mr)
                {
                    int rows = Math.Min(mr, mc - ir);
                    double* aPanel = packA + (long)ir * kc;
                    double* cTile = c + ir + (long)jr * ldc;
                    Tile(path, mr, nr, rows, cols, kc, alpha, aPanel, bPanel, cTile, ldc, beta, tile);
                }
            }
        }

        /// <summary>
        /// One tile of C (rows × cols of at most MR × NR) from packed panels: straight into C when full,
        /// through the scratch tile when it sticks out of C.
        /// </summary>
        internal static void Tile(GemmPath path, int mr, int nr, int rows, int cols, int kc, double alpha,
            double* aPanel, double* bPanel, double* cTile, int ldc, double beta, double* scratch)
        {
            if (rows == mr && cols == nr)
            {
                MicroKernels.Run(path, kc, aPanel, bPanel, cTile, ldc, alpha, beta);
            }
            else
            {
#if NET8_0_OR_GREATER
                // An edge tile with at most four rows (m = 100 leaves one per column of tiles) needs half the work.
                if (path == GemmPath.Avx2Fma && rows <= 4) MicroKernels.Avx2Fma4x6(kc, aPanel, bPanel, scratch, mr, alpha);
                else
#endif
                MicroKernels.Run(path, kc, aPanel, bPanel, scratch, mr, alpha, 0.0);
                Merge(scratch, mr, rows, cols, cTile, ldc, beta);
            }
        }

        /// <summary>
        /// C = t + beta·C over the valid rows × cols of a scratch tile t = alpha·acc.
        /// NOTE: the operations and their order match the micro-kernels' store (t + C when beta = 1,
        /// t + beta·C otherwise, C unread when beta = 0), so edge tiles round exactly like full ones.
        /// </summary>
        private static void Merge(double* tile, int ldt, int rows, int cols, double* c, int ldc, double beta)
        {
            for (int j = 0; j < cols; j++)
            {
                double* t = tile + j * ldt, cj = c + (long)j * ldc;
                if (beta == 0) for (int i = 0; i < rows; i++) cj[i] = t[i];
                else if (beta == 1) for (int i = 0; i < rows; i++) cj[i] = t[i] + cj[i];
                else for (int i = 0; i < rows; i++) cj[i] = t[i] + beta * cj[i];
            }
        }

        /// <summary>Block size ≤ max (but at least one unit) that splits size into equal blocks, rounded up to a multiple of unit.</summary>
        internal static int Balanced(int size, int max, int unit)
        {
            int blocks = (size + max - 1) / max;
            return Math.Max(unit, RoundUp((size + blocks - 1) / blocks, unit));
        }

        internal static int RoundUp(int x, int unit) => (x + unit - 1) / unit * unit;

        internal static double* Align64(double* p) => (double*)(((long)p + 63) & ~63L);
    }
}
