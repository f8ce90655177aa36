using System;
#if NET8_0_OR_GREATER
using System.Runtime.Intrinsics.X86;
#endif

namespace BackpropModule.Engine.Kernels
{
    /// <summary>Copies chosen rows of a row-major dataset into a contiguous buffer (a batch).</summary>
    internal static unsafe class RowGather
    {
        /// <summary>
        /// dst[r·width ..] = src[row(r)·width ..] for r in 0..n−1, where row(r) = order[start + r], or
        /// start + r when order is null.
        /// </summary>
        /// <remarks>
        /// A shuffled batch reads rows scattered over a dataset far larger than the caches, so each row
        /// starts with a miss to memory. While one row is copied, the next one is prefetched, which keeps
        /// several memory requests in flight instead of one row's worth (where the CPU allows it).
        /// </remarks>
        /// <exception cref="ArgumentOutOfRangeException">A row is outside the data, or the batch does not fit dst.</exception>
        internal static void Copy(double[] src, int[] order, int start, int n, int width, double[] dst)
        {
            // The fast path copies through raw pointers, so every row is checked first.
            long rows = width == 0 ? 0 : src.Length / width;
            if ((long)n * width > dst.Length) throw new ArgumentOutOfRangeException(nameof(n), $"{n} rows of {width} do not fit a buffer of {dst.Length}.");
            for (int r = 0; r < n; r++)
            {
                int row = Row(order, start, r);
                if (row < 0 || row >= rows)
                    throw new ArgumentOutOfRangeException(nameof(start), $"Sample {row} is outside the data ({rows} samples of {width} values).");
            }
#if NET8_0_OR_GREATER
            if (Sse.IsSupported && n > 1)
            {
                fixed (double* s = src, d = dst)
                {
                    for (int r = 0; r < n; r++)
                    {
                        if (r + 1 < n)
                        {
                            double* next = s + (long)Row(order, start, r + 1) * width;
                            // One prefetch per 64-byte line (8 doubles) of the next row.
                            for (int i = 0; i < width; i += 8) Sse.Prefetch0(next + i);
                        }
                        double* row = s + (long)Row(order, start, r) * width;
                        Buffer.MemoryCopy(row, d + (long)r * width, (long)width * sizeof(double), (long)width * sizeof(double));
                    }
                }
                return;
            }
#endif
            for (int r = 0; r < n; r++)
                Array.Copy(src, (long)Row(order, start, r) * width, dst, (long)r * width, width);
        }

        private static int Row(int[] order, int start, int r) => order == null ? start + r : order[start + r];
    }
}
