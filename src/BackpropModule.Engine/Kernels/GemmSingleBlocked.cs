using System;

namespace BackpropModule.Engine.Kernels
{
    /// <summary>
    /// The serial blocked float GEMM: the five loops of <see cref="GemmBlocked"/> (B block in L3, A block
    /// in L2, B micro-panel in L1, micro-kernel over MR × 6 tiles), with float panels and block sizes.
    /// </summary>
    /// <remarks>
    /// Summation order of C(i, j): within a k block, one accumulator summed over p in order; the first
    /// k block writes alpha·acc + beta·C, later blocks add alpha·acc. Block sizes depend only on k, so the
    /// order never depends on threads or on the tile's position. Pack buffers are per thread and only
    /// grow, so steady-state calls allocate nothing.
    /// </remarks>
    internal static unsafe class GemmSingleBlocked
    {
        /// <summary>
        /// Depth of a k block. A float B micro-panel of 512 × 6 is 12 KB, so it stays in L1 with room for
        /// the A panel streaming through; a k of 784 is then 2 blocks of 392 (C rewritten once, not 3 times).
        /// </summary>
        internal const int KC = 512;

        /// <summary>Rows of an A block: MC × KC floats (256 KB) stay in the 512 KB L2.</summary>
        internal const int MC = 128;

        /// <summary>Columns of a B block: KC × NC floats (6 MB) stay in L3.</summary>
        internal const int NC = 3072;

        private sealed class PackBuffers
        {
            internal float[] A = new float[0], B = new float[0];
        }

        [ThreadStatic] private static PackBuffers buffers;

        /// <summary>Grows this thread's pack buffers to what <see cref="Run"/> of an m × n × k product needs (see <see cref="GemmBlocked.ReserveForParts"/>).</summary>
        private static PackBuffers Reserve(GemmPath path, int m, int n, int k)
        {
            int mr = MicroKernelsSingle.RowsPerTile(path), nr = MicroKernelsSingle.NR;
            int kc = GemmBlocked.Balanced(k, KC, 1), mc = GemmBlocked.Balanced(m, MC, mr), nc = GemmBlocked.Balanced(n, NC, nr);
            var buf = buffers ?? (buffers = new PackBuffers());
            // +16 floats of slack so the panels can start on a 64-byte boundary.
            int aNeed = GemmBlocked.RoundUp(mc, mr) * kc + 16, bNeed = GemmBlocked.RoundUp(nc, nr) * kc + 16;
            if (buf.A.Length < aNeed) buf.A = new float[aNeed];
            if (buf.B.Length < bNeed) buf.B = new float[bNeed];
            return buf;
        }

        /// <summary>Reserves, on the calling thread, the buffers of the largest part of a split product.</summary>
        internal static void ReserveForParts(GemmPath path, in GemmSplit split, int m, int n, int k)
        {
            for (int p = 0; p < split.Parts; p++)
                if (split.PartShape(p, m, n, out int partM, out int partN)) Reserve(path, partM, partN, k);
        }

        /// <summary>Serial C = alpha·op(A)·op(B) + beta·C on raw column-major storage; m, n, k &gt; 0.</summary>
        internal static void Run(GemmPath path, bool transA, bool transB, int m, int n, int k, float alpha,
            float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
        {
            int mr = MicroKernelsSingle.RowsPerTile(path), nr = MicroKernelsSingle.NR;
            int kc = GemmBlocked.Balanced(k, KC, 1), mc = GemmBlocked.Balanced(m, MC, mr), nc = GemmBlocked.Balanced(n, NC, nr);
            var buf = Reserve(path, m, n, k);
            float* tile = stackalloc float[mr * nr];
            fixed (float* rawA = buf.A, rawB = buf.B)
            {
                float* packA = Align64(rawA), packB = Align64(rawB);
                for (int jc = 0; jc < n; jc += nc)
                {
                    int ncb = Math.Min(nc, n - jc);
                    for (int pc = 0; pc < k; pc += kc)
                    {
                        int kcb = Math.Min(kc, k - pc);
                        float betaBlock = pc == 0 ? beta : 1f;
                        GemmSinglePacking.PackB(transB, b, ldb, pc, kcb, jc, ncb, nr, packB);
                        for (int ic = 0; ic < m; ic += mc)
                        {
                            int mcb = Math.Min(mc, m - ic);
                            GemmSinglePacking.PackA(transA, a, lda, ic, mcb, pc, kcb, mr, packA);
                            Macro(path, mr, nr, mcb, ncb, kcb, alpha, packA, packB, c + ic + (long)jc * ldc, ldc, betaBlock, tile);
                        }
                    }
                }
            }
        }

        private static void Macro(GemmPath path, int mr, int nr, int mc, int nc, int kc, float alpha,
            float* packA, float* packB, float* c, int ldc, float beta, float* tile)
        {
            for (int jr = 0; jr < nc; jr += nr)
            {
                int cols = Math.Min(nr, nc - jr);
                float* bPanel = packB + (long)jr * kc;
                for (int ir = 0; ir < mc; ir += mr)
                {
                    int rows = Math.Min(mr, mc - ir);
                    float* aPanel = packA + (long)ir * kc;
                    float* cTile = c + ir + (long)jr * ldc;
                    if (rows == mr && cols == nr)
                    {
                        MicroKernelsSingle.Run(path, kc, aPanel, bPanel, cTile, ldc, alpha, beta);
                        continue;
                    }
#if NET8_0_OR_GREATER
                    // An edge tile of at most eight rows (m = 100 leaves four) needs half the work.
                    if (path == GemmPath.Avx2Fma && rows <= 8) MicroKernelsSingle.Avx2Fma8x6(kc, aPanel, bPanel, tile, mr, alpha);
                    else
#endif
                    MicroKernelsSingle.Run(path, kc, aPanel, bPanel, tile, mr, alpha, 0f);
                    Merge(tile, mr, rows, cols, cTile, ldc, beta);
                }
            }
        }

        /// <summary>C = t + beta·C over the valid part of a scratch tile (the micro-kernels' store, in scalar code).</summary>
        private static void Merge(float* tile, int ldt, int rows, int cols, float* c, int ldc, float beta)
        {
            for (int j = 0; j < cols; j++)
            {
                float* t = tile + j * ldt, cj = c + (long)j * ldc;
                if (beta == 0) for (int i = 0; i < rows; i++) cj[i] = t[i];
                else if (beta == 1) for (int i = 0; i < rows; i++) cj[i] = t[i] + cj[i];
                else for (int i = 0; i < rows; i++) cj[i] = t[i] + beta * cj[i];
            }
        }

        private static float* Align64(float* p) => (float*)(((long)p + 63) & ~63L);
    }
}
