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

        /// <summary>
        /// dst[r·width + i] = table[src[row(r)·width + i]]: the gather of <see cref="Copy"/> from rows of
        /// byte codes (a compact dataset), converting each code to its double on the way.
        /// </summary>
        /// <remarks>
        /// A row of bytes is an eighth of a row of doubles, so the scattered reads of a shuffled batch
        /// cost an eighth of the memory traffic; the table (2 KB) stays in L1. Four codes are looked up
        /// per iteration so the loads overlap, and the next row is prefetched (where the CPU allows it).
        /// </remarks>
        /// <exception cref="ArgumentOutOfRangeException">A row is outside the data, or the batch does not fit dst.</exception>
        internal static void Decode(byte[] src, double[] table, int[] order, int start, int n, int width, double[] dst)
        {
            long rows = width == 0 ? 0 : src.Length / width;
            if ((long)n * width > dst.Length) throw new ArgumentOutOfRangeException(nameof(n), $"{n} rows of {width} do not fit a buffer of {dst.Length}.");
            if (table.Length < 256) throw new ArgumentException("The code table needs 256 entries.", nameof(table));
            for (int r = 0; r < n; r++)
            {
                int row = Row(order, start, r);
                if (row < 0 || row >= rows)
                    throw new ArgumentOutOfRangeException(nameof(start), $"Sample {row} is outside the data ({rows} samples of {width} values).");
            }
            fixed (byte* s = src)
            fixed (double* t = table, d = dst)
            {
                for (int r = 0; r < n; r++)
                {
#if NET8_0_OR_GREATER
                    if (Sse.IsSupported && r + 1 < n)
                    {
                        // As in Copy: the next row's lines are requested while this one is converted.
                        byte* next = s + (long)Row(order, start, r + 1) * width;
                        for (int line = 0; line < width; line += 64) Sse.Prefetch0(next + line);
                    }
#endif
                    byte* row = s + (long)Row(order, start, r) * width;
                    double* to = d + (long)r * width;
                    int i = 0;
                    for (; i <= width - 4; i += 4)
                    {
                        to[i] = t[row[i]];
                        to[i + 1] = t[row[i + 1]];
                        to[i + 2] = t[row[i + 2]];
                        to[i + 3] = t[row[i + 3]];
                    }
                    for (; i < width; i++) to[i] = t[row[i]];
                }
            }
        }

        private static int Row(int[] order, int start, int r) => order == null ? start + r : order[start + r];
    }
}
