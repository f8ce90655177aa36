using System.Numerics;
using System.Runtime.CompilerServices;
#if NET8_0_OR_GREATER
using System.Runtime.Intrinsics.X86;
#endif

namespace BackpropModule.Engine.Kernels
{
    /// <summary>
    /// Copies blocks of op(A) and op(B) into the contiguous micro-panel order the micro-kernel
    /// streams through, padding partial panels with zeros.
    /// </summary>
    /// <remarks>
    /// Packed A, panel q (rows ic + q·MR ..): element (i, p) at <c>q·MR·kc + p·MR + i</c>.
    /// Packed B, panel q (columns jc + q·NR ..): element (p, j) at <c>q·NR·kc + p·NR + j</c>.
    /// op(A)(i, p) is <c>a[i + p·lda]</c>, or <c>a[p + i·lda]</c> when transposed; likewise for B.
    /// </remarks>
    internal static unsafe class GemmPacking
    {
        /// <summary>Packs rows [ic, ic + mc) × depth [pc, pc + kc) of op(A) into MR-tall panels.</summary>
        internal static void PackA(bool transA, double* a, int lda, int ic, int mc, int pc, int kc, int mr, double* dst)
        {
            int w = Vector<double>.Count;
            for (int ir = 0; ir < mc; ir += mr)
            {
                int rows = mc - ir < mr ? mc - ir : mr;
                double* d = dst + (long)ir * kc;
                if (!transA)
                {
                    // Column p of the panel is rows contiguous values of column pc + p of A.
                    double* s = a + ic + ir + (long)pc * lda;
                    if (rows == mr && mr % w == 0)
                    {
                        for (int p = 0; p < kc; p++, s += lda, d += mr)
                            for (int i = 0; i < mr; i += w)
                                Unsafe.WriteUnaligned(d + i, Unsafe.ReadUnaligned<Vector<double>>(s + i));
                    }
                    else
                    {
                        for (int p = 0; p < kc; p++, s += lda, d += mr)
                        {
                            int i = 0;
                            for (; i < rows; i++) d[i] = s[i];
                            for (; i < mr; i++) d[i] = 0.0;
                        }
                    }
                }
                else
                {
#if NET8_0_OR_GREATER
                    if (rows == 8 && mr == 8 && Avx.IsSupported)
                    {
                        PackTransposed8(a + pc + (long)(ic + ir) * lda, lda, kc, d);
                        continue;
                    }
#endif
                    // Row i of op(A) is column ic + ir + i of A: contiguous in p, written with stride MR.
                    for (int i = 0; i < rows; i++)
                    {
                        double* s = a + pc + (long)(ic + ir + i) * lda;
                        double* di = d + i;
                        for (int p = 0; p < kc; p++) di[(long)p * mr] = s[p];
                    }
                    for (int i = rows; i < mr; i++)
                        for (int p = 0; p < kc; p++) d[(long)p * mr + i] = 0.0;
                }
            }
        }

#if NET8_0_OR_GREATER
        /// <summary>
        /// One 8-row panel of a transposed A: d[p·8 + i] = s[p + i·lda], as 4 × 4 register transposes
        /// (four rows of four p values in, four columns out), then a scalar tail in p.
        /// </summary>
        private static void PackTransposed8(double* s, int lda, int kc, double* d)
        {
            int p = 0;
            for (; p + 4 <= kc; p += 4)
            {
                for (int h = 0; h < 8; h += 4)
                {
                    double* row = s + p + (long)h * lda;
                    var r0 = Avx.LoadVector256(row);
                    var r1 = Avx.LoadVector256(row + lda);
                    var r2 = Avx.LoadVector256(row + 2L * lda);
                    var r3 = Avx.LoadVector256(row + 3L * lda);
                    var t0 = Avx.UnpackLow(r0, r1);   // r0[0] r1[0] r0[2] r1[2]
                    var t1 = Avx.UnpackHigh(r0, r1);  // r0[1] r1[1] r0[3] r1[3]
                    var t2 = Avx.UnpackLow(r2, r3);
                    var t3 = Avx.UnpackHigh(r2, r3);
                    double* o = d + p * 8 + h;
                    Avx.Store(o, Avx.Permute2x128(t0, t2, 0x20));       // column p:     r0..r3 [0]
                    Avx.Store(o + 8, Avx.Permute2x128(t1, t3, 0x20));   // column p + 1: r0..r3 [1]
                    Avx.Store(o + 16, Avx.Permute2x128(t0, t2, 0x31));  // column p + 2: r0..r3 [2]
                    Avx.Store(o + 24, Avx.Permute2x128(t1, t3, 0x31));  // column p + 3: r0..r3 [3]
                }
            }
            for (; p < kc; p++)
                for (int i = 0; i < 8; i++) d[p * 8 + i] = s[p + (long)i * lda];
        }
#endif

        /// <summary>Packs depth [pc, pc + kc) × columns [jc, jc + nc) of op(B) into NR-wide panels.</summary>
        internal static void PackB(bool transB, double* b, int ldb, int pc, int kc, int jc, int nc, int nr, double* dst)
        {
            for (int jr = 0; jr < nc; jr += nr)
            {
                int cols = nc - jr < nr ? nc - jr : nr;
                double* d = dst + (long)jr * kc;
                if (!transB)
                {
                    // Column j of op(B) is contiguous in p: walk the panel's columns side by side.
                    double* s = b + pc + (long)(jc + jr) * ldb;
                    if (cols == 6 && nr == 6)
                    {
                        double* s0 = s, s1 = s0 + ldb, s2 = s1 + ldb, s3 = s2 + ldb, s4 = s3 + ldb, s5 = s4 + ldb;
                        for (int p = 0; p < kc; p++, d += 6)
                        {
                            d[0] = s0[p]; d[1] = s1[p]; d[2] = s2[p];
                            d[3] = s3[p]; d[4] = s4[p]; d[5] = s5[p];
                        }
                    }
                    else
                    {
                        for (int p = 0; p < kc; p++, d += nr)
                        {
                            int j = 0;
                            for (; j < cols; j++) d[j] = s[p + (long)j * ldb];
                            for (; j < nr; j++) d[j] = 0.0;
                        }
                    }
                }
                else
                {
                    // Row p of op(B)'s panel is cols contiguous values of column pc + p of B.
                    double* s = b + jc + jr + (long)pc * ldb;
                    for (int p = 0; p < kc; p++, s += ldb, d += nr)
                    {
                        int j = 0;
                        for (; j < cols; j++) d[j] = s[j];
                        for (; j < nr; j++) d[j] = 0.0;
                    }
                }
            }
        }
    }
}
