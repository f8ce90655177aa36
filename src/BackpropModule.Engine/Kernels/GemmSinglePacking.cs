using System.Numerics;
using System.Runtime.CompilerServices;
#if NET8_0_OR_GREATER
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
#endif

namespace BackpropModule.Engine.Kernels
{
    /// <summary>
    /// Packs float blocks of op(A) and op(B) into micro-panel order, padding partial panels with zeros
    /// (the layout of <see cref="GemmPacking"/>: A panel q element (i, p) at q·MR·kc + p·MR + i,
    /// B panel q element (p, j) at q·NR·kc + p·NR + j).
    /// </summary>
    internal static unsafe class GemmSinglePacking
    {
        /// <summary>Packs rows [ic, ic + mc) × depth [pc, pc + kc) of op(A) into MR-tall panels.</summary>
        internal static void PackA(bool transA, float* a, int lda, int ic, int mc, int pc, int kc, int mr, float* dst)
        {
            int w = Vector<float>.Count;
            for (int ir = 0; ir < mc; ir += mr)
            {
                int rows = mc - ir < mr ? mc - ir : mr;
                float* d = dst + (long)ir * kc;
                if (!transA)
                {
                    float* s = a + ic + ir + (long)pc * lda;
                    if (rows == mr && mr % w == 0)
                    {
                        for (int p = 0; p < kc; p++, s += lda, d += mr)
                            for (int i = 0; i < mr; i += w)
                                Unsafe.WriteUnaligned(d + i, Unsafe.ReadUnaligned<Vector<float>>(s + i));
                    }
                    else
                    {
                        for (int p = 0; p < kc; p++, s += lda, d += mr)
                        {
                            int i = 0;
                            for (; i < rows; i++) d[i] = s[i];
                            for (; i < mr; i++) d[i] = 0f;
                        }
                    }
                    continue;
                }
#if NET8_0_OR_GREATER
                if (mr == 16 && Avx.IsSupported)
                {
                    // Full 8-row halves by 8 × 8 register transposes; a partial half falls to the scalar loop.
                    int h = 0;
                    for (; h + 8 <= rows; h += 8) PackTransposed8(a + pc + (long)(ic + ir + h) * lda, lda, kc, d + h, mr);
                    PackTransposedScalar(a, lda, ic + ir, h, rows, pc, kc, mr, d);
                    continue;
                }
#endif
                PackTransposedScalar(a, lda, ic + ir, 0, rows, pc, kc, mr, d);
            }
        }

        /// <summary>Rows [from, rows) of one transposed A panel (zeros from rows to MR): d[p·MR + i] = a[pc + p + (row0 + i)·lda].</summary>
        private static void PackTransposedScalar(float* a, int lda, int row0, int from, int rows, int pc, int kc, int mr, float* d)
        {
            for (int i = from; i < rows; i++)
            {
                float* s = a + pc + (long)(row0 + i) * lda;
                float* di = d + i;
                for (int p = 0; p < kc; p++) di[(long)p * mr] = s[p];
            }
            for (int i = rows > from ? rows : from; i < mr; i++)
                for (int p = 0; p < kc; p++) d[(long)p * mr + i] = 0f;
        }

#if NET8_0_OR_GREATER
        /// <summary>
        /// Eight rows of a transposed A panel: d[p·ld + i] = s[p + i·lda] for i &lt; 8, as 8 × 8 register
        /// transposes (eight rows of eight p values in, eight columns out), then a scalar tail in p.
        /// </summary>
        private static void PackTransposed8(float* s, int lda, int kc, float* d, int ld)
        {
            int p = 0;
            for (; p + 8 <= kc; p += 8)
            {
                float* row = s + p;
                var r0 = Avx.LoadVector256(row);
                var r1 = Avx.LoadVector256(row + lda);
                var r2 = Avx.LoadVector256(row + 2L * lda);
                var r3 = Avx.LoadVector256(row + 3L * lda);
                var r4 = Avx.LoadVector256(row + 4L * lda);
                var r5 = Avx.LoadVector256(row + 5L * lda);
                var r6 = Avx.LoadVector256(row + 6L * lda);
                var r7 = Avx.LoadVector256(row + 7L * lda);
                var t0 = Avx.UnpackLow(r0, r1); var t1 = Avx.UnpackHigh(r0, r1);
                var t2 = Avx.UnpackLow(r2, r3); var t3 = Avx.UnpackHigh(r2, r3);
                var t4 = Avx.UnpackLow(r4, r5); var t5 = Avx.UnpackHigh(r4, r5);
                var t6 = Avx.UnpackLow(r6, r7); var t7 = Avx.UnpackHigh(r6, r7);
                // Within each 128-bit lane: u0 holds p+0 (rows 0..3), u1 p+1, u2 p+2, u3 p+3 (lane 2: p+4..p+7).
                var u0 = Avx.Shuffle(t0, t2, 0x44); var u1 = Avx.Shuffle(t0, t2, 0xEE);
                var u2 = Avx.Shuffle(t1, t3, 0x44); var u3 = Avx.Shuffle(t1, t3, 0xEE);
                var u4 = Avx.Shuffle(t4, t6, 0x44); var u5 = Avx.Shuffle(t4, t6, 0xEE);
                var u6 = Avx.Shuffle(t5, t7, 0x44); var u7 = Avx.Shuffle(t5, t7, 0xEE);
                float* o = d + (long)p * ld;
                Avx.Store(o, Avx.Permute2x128(u0, u4, 0x20));
                Avx.Store(o + ld, Avx.Permute2x128(u1, u5, 0x20));
                Avx.Store(o + 2 * ld, Avx.Permute2x128(u2, u6, 0x20));
                Avx.Store(o + 3 * ld, Avx.Permute2x128(u3, u7, 0x20));
                Avx.Store(o + 4 * ld, Avx.Permute2x128(u0, u4, 0x31));
                Avx.Store(o + 5 * ld, Avx.Permute2x128(u1, u5, 0x31));
                Avx.Store(o + 6 * ld, Avx.Permute2x128(u2, u6, 0x31));
                Avx.Store(o + 7 * ld, Avx.Permute2x128(u3, u7, 0x31));
            }
            for (; p < kc; p++)
                for (int i = 0; i < 8; i++) d[(long)p * ld + i] = s[p + (long)i * lda];
        }
#endif

        /// <summary>Packs depth [pc, pc + kc) × columns [jc, jc + nc) of op(B) into NR-wide panels.</summary>
        internal static void PackB(bool transB, float* b, int ldb, int pc, int kc, int jc, int nc, int nr, float* dst)
        {
            for (int jr = 0; jr < nc; jr += nr)
            {
                int cols = nc - jr < nr ? nc - jr : nr;
                float* d = dst + (long)jr * kc;
                if (!transB)
                {
                    float* s = b + pc + (long)(jc + jr) * ldb;
                    if (cols == 6 && nr == 6)
                    {
                        float* s0 = s, s1 = s0 + ldb, s2 = s1 + ldb, s3 = s2 + ldb, s4 = s3 + ldb, s5 = s4 + ldb;
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
                            for (; j < nr; j++) d[j] = 0f;
                        }
                    }
                }
                else
                {
                    float* s = b + jc + jr + (long)pc * ldb;
                    for (int p = 0; p < kc; p++, s += ldb, d += nr)
                    {
                        int j = 0;
                        for (; j < cols; j++) d[j] = s[j];
                        for (; j < nr; j++) d[j] = 0f;
                    }
                }
            }
        }
    }
}
