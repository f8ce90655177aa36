using System.Numerics;
using System.Runtime.CompilerServices;
#if NET8_0_OR_GREATER
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
#endif

namespace BackpropModule.Engine.Kernels
{
    /// <summary>
    /// The float micro-kernels: one MR × 6 tile of C from a packed A micro-panel (MR × kc) and a packed
    /// B micro-panel (kc × 6), <c>acc += A[:, p] · B[p, :]</c>, then <c>C = alpha·acc + beta·C</c>
    /// (C unread when beta = 0). The shape of <see cref="MicroKernels"/> with twice the lanes: two
    /// 8-float vectors tall on AVX2, 12 accumulators, 15 of 16 registers.
    /// </summary>
    internal static unsafe class MicroKernelsSingle
    {
        /// <summary>Columns of a tile.</summary>
        internal const int NR = 6;

        /// <summary>Rows of a tile: two vectors (16 floats for AVX2).</summary>
        internal static int RowsPerTile(GemmPath path) => path == GemmPath.Avx2Fma ? 16 : 2 * Vector<float>.Count;

        /// <summary>Runs the micro-kernel of a path on one full tile.</summary>
        internal static void Run(GemmPath path, int kc, float* a, float* b, float* c, int ldc, float alpha, float beta)
        {
#if NET8_0_OR_GREATER
            if (path == GemmPath.Avx2Fma) { Avx2Fma16x6(kc, a, b, c, ldc, alpha, beta); return; }
#endif
            Vector2x6(kc, a, b, c, ldc, alpha, beta);
        }

        /// <summary>The portable kernel: (2·Vector&lt;float&gt;.Count) × 6, multiply then add (no FMA in netstandard2.0).</summary>
        internal static void Vector2x6(int kc, float* a, float* b, float* c, int ldc, float alpha, float beta)
        {
            int w = Vector<float>.Count;
            Vector<float> c00 = Vector<float>.Zero, c10 = c00, c01 = c00, c11 = c00, c02 = c00, c12 = c00;
            Vector<float> c03 = c00, c13 = c00, c04 = c00, c14 = c00, c05 = c00, c15 = c00;
            for (int p = 0; p < kc; p++, a += 2 * w, b += NR)
            {
                var a0 = Unsafe.ReadUnaligned<Vector<float>>(a);
                var a1 = Unsafe.ReadUnaligned<Vector<float>>(a + w);
                var bv = new Vector<float>(b[0]); c00 += a0 * bv; c10 += a1 * bv;
                bv = new Vector<float>(b[1]); c01 += a0 * bv; c11 += a1 * bv;
                bv = new Vector<float>(b[2]); c02 += a0 * bv; c12 += a1 * bv;
                bv = new Vector<float>(b[3]); c03 += a0 * bv; c13 += a1 * bv;
                bv = new Vector<float>(b[4]); c04 += a0 * bv; c14 += a1 * bv;
                bv = new Vector<float>(b[5]); c05 += a0 * bv; c15 += a1 * bv;
            }
            var va = new Vector<float>(alpha);
            StoreVector(c, w, c00, c10, va, beta);
            StoreVector(c + ldc, w, c01, c11, va, beta);
            StoreVector(c + 2L * ldc, w, c02, c12, va, beta);
            StoreVector(c + 3L * ldc, w, c03, c13, va, beta);
            StoreVector(c + 4L * ldc, w, c04, c14, va, beta);
            StoreVector(c + 5L * ldc, w, c05, c15, va, beta);
        }

        /// <summary>One tile column: t = alpha·acc; C = t (beta 0), t + C (beta 1), or t + beta·C.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void StoreVector(float* cj, int w, Vector<float> lo, Vector<float> hi, Vector<float> alpha, float beta)
        {
            lo = alpha * lo;
            hi = alpha * hi;
            if (beta == 1)
            {
                lo += Unsafe.ReadUnaligned<Vector<float>>(cj);
                hi += Unsafe.ReadUnaligned<Vector<float>>(cj + w);
            }
            else if (beta != 0)
            {
                var vb = new Vector<float>(beta);
                lo += vb * Unsafe.ReadUnaligned<Vector<float>>(cj);
                hi += vb * Unsafe.ReadUnaligned<Vector<float>>(cj + w);
            }
            Unsafe.WriteUnaligned(cj, lo);
            Unsafe.WriteUnaligned(cj + w, hi);
        }

#if NET8_0_OR_GREATER
        /// <summary>The AVX2 kernel: 16 × 6 with fused multiply-add (acc = a·b + acc, one rounding).</summary>
        internal static void Avx2Fma16x6(int kc, float* a, float* b, float* c, int ldc, float alpha, float beta)
        {
            Vector256<float> c00 = Vector256<float>.Zero, c10 = c00, c01 = c00, c11 = c00, c02 = c00, c12 = c00;
            Vector256<float> c03 = c00, c13 = c00, c04 = c00, c14 = c00, c05 = c00, c15 = c00;
            for (int p = 0; p < kc; p++, a += 16, b += NR)
            {
                var a0 = Avx.LoadVector256(a);
                var a1 = Avx.LoadVector256(a + 8);
                var bv = Avx.BroadcastScalarToVector256(b);
                c00 = Fma.MultiplyAdd(a0, bv, c00); c10 = Fma.MultiplyAdd(a1, bv, c10);
                bv = Avx.BroadcastScalarToVector256(b + 1);
                c01 = Fma.MultiplyAdd(a0, bv, c01); c11 = Fma.MultiplyAdd(a1, bv, c11);
                bv = Avx.BroadcastScalarToVector256(b + 2);
                c02 = Fma.MultiplyAdd(a0, bv, c02); c12 = Fma.MultiplyAdd(a1, bv, c12);
                bv = Avx.BroadcastScalarToVector256(b + 3);
                c03 = Fma.MultiplyAdd(a0, bv, c03); c13 = Fma.MultiplyAdd(a1, bv, c13);
                bv = Avx.BroadcastScalarToVector256(b + 4);
                c04 = Fma.MultiplyAdd(a0, bv, c04); c14 = Fma.MultiplyAdd(a1, bv, c14);
                bv = Avx.BroadcastScalarToVector256(b + 5);
                c05 = Fma.MultiplyAdd(a0, bv, c05); c15 = Fma.MultiplyAdd(a1, bv, c15);
            }
            var va = Vector256.Create(alpha);
            StoreAvx(c, c00, c10, va, beta);
            StoreAvx(c + ldc, c01, c11, va, beta);
            StoreAvx(c + 2L * ldc, c02, c12, va, beta);
            StoreAvx(c + 3L * ldc, c03, c13, va, beta);
            StoreAvx(c + 4L * ldc, c04, c14, va, beta);
            StoreAvx(c + 5L * ldc, c05, c15, va, beta);
        }

        /// <summary>
        /// The top half of a 16 × 6 tile (rows 0..7), for an edge tile with at most eight valid rows:
        /// the same packed panel, the same FMAs in the same order as <see cref="Avx2Fma16x6"/>, so those
        /// rows get the same bits at half the work. Writes alpha·acc to t (column stride ldt).
        /// </summary>
        internal static void Avx2Fma8x6(int kc, float* a, float* b, float* t, int ldt, float alpha)
        {
            Vector256<float> c0 = Vector256<float>.Zero, c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0;
            for (int p = 0; p < kc; p++, a += 16, b += NR)
            {
                var a0 = Avx.LoadVector256(a);
                c0 = Fma.MultiplyAdd(a0, Avx.BroadcastScalarToVector256(b), c0);
                c1 = Fma.MultiplyAdd(a0, Avx.BroadcastScalarToVector256(b + 1), c1);
                c2 = Fma.MultiplyAdd(a0, Avx.BroadcastScalarToVector256(b + 2), c2);
                c3 = Fma.MultiplyAdd(a0, Avx.BroadcastScalarToVector256(b + 3), c3);
                c4 = Fma.MultiplyAdd(a0, Avx.BroadcastScalarToVector256(b + 4), c4);
                c5 = Fma.MultiplyAdd(a0, Avx.BroadcastScalarToVector256(b + 5), c5);
            }
            var va = Vector256.Create(alpha);
            Avx.Store(t, Avx.Multiply(va, c0));
            Avx.Store(t + ldt, Avx.Multiply(va, c1));
            Avx.Store(t + 2 * ldt, Avx.Multiply(va, c2));
            Avx.Store(t + 3 * ldt, Avx.Multiply(va, c3));
            Avx.Store(t + 4 * ldt, Avx.Multiply(va, c4));
            Avx.Store(t + 5 * ldt, Avx.Multiply(va, c5));
        }

        /// <summary>As <see cref="StoreVector"/>: separate multiply and add, so edge tiles merged in scalar code round alike.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void StoreAvx(float* cj, Vector256<float> lo, Vector256<float> hi, Vector256<float> alpha, float beta)
        {
            lo = Avx.Multiply(alpha, lo);
            hi = Avx.Multiply(alpha, hi);
            if (beta == 1)
            {
                lo = Avx.Add(lo, Avx.LoadVector256(cj));
                hi = Avx.Add(hi, Avx.LoadVector256(cj + 8));
            }
            else if (beta != 0)
            {
                var vb = Vector256.Create(beta);
                lo = Avx.Add(lo, Avx.Multiply(vb, Avx.LoadVector256(cj)));
                hi = Avx.Add(hi, Avx.Multiply(vb, Avx.LoadVector256(cj + 8)));
            }
            Avx.Store(cj, lo);
            Avx.Store(cj + 8, hi);
        }
#endif
    }
}
