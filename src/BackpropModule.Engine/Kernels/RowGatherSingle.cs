using System;
#if NET8_0_OR_GREATER
using System.Runtime.Intrinsics.X86;
#endif

namespace BackpropModule.Engine.Kernels
{
    /// <summary>The gathers of <see cref="RowGather"/> into a float batch: chosen rows of a row-major dataset, rounded to float.</summary>
    internal static unsafe class RowGatherSingle
    {
        /// <summary>dst[r·width + i] = (float)src[row(r)·width + i], row(r) = order[start + r] or start + r.</summary>
        /// <exception cref="ArgumentOutOfRangeException">A row is outside the data, or the batch does not fit dst.</exception>
        internal static void Copy(double[] src, int[] order, int start, int n, int width, float[] dst)
        {
            Check(src.Length, order, start, n, width, dst.Length);
            fixed (double* s = src)
            fixed (float* d = dst)
            {
                for (int r = 0; r < n; r++)
                {
#if NET8_0_OR_GREATER
                    if (Sse.IsSupported && r + 1 < n)
                    {
                        double* next = s + (long)Row(order, start, r + 1) * width;
                        for (int i = 0; i < width; i += 8) Sse.Prefetch0(next + i);
                    }
#endif
                    double* row = s + (long)Row(order, start, r) * width;
                    float* to = d + (long)r * width;
                    for (int i = 0; i < width; i++) to[i] = (float)row[i];
                }
            }
        }

        /// <summary>dst[r·width + i] = table[src[row(r)·width + i]]: rows of byte codes through a float table (L1-resident, 1 KB).</summary>
        /// <exception cref="ArgumentOutOfRangeException">A row is outside the data, or the batch does not fit dst.</exception>
        internal static void Decode(byte[] src, float[] table, int[] order, int start, int n, int width, float[] dst)
        {
            if (table.Length < 256) throw new ArgumentException("The code table needs 256 entries.", nameof(table));
            Check(src.Length, order, start, n, width, dst.Length);
            fixed (byte* s = src)
            fixed (float* t = table, d = dst)
            {
                for (int r = 0; r < n; r++)
                {
#if NET8_0_OR_GREATER
                    if (Sse.IsSupported && r + 1 < n)
                    {
                        // A shuffled batch reads rows scattered over the dataset: the next row's lines are
                        // requested while this one is converted (as RowGather.Decode does).
                        byte* next = s + (long)Row(order, start, r + 1) * width;
                        for (int line = 0; line < width; line += 64) Sse.Prefetch0(next + line);
                    }
#endif
                    byte* row = s + (long)Row(order, start, r) * width;
                    float* to = d + (long)r * width;
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

        // The loops read through raw pointers, so every row is checked first.
        private static void Check(long length, int[] order, int start, int n, int width, int dstLength)
        {
            long rows = width == 0 ? 0 : length / width;
            if ((long)n * width > dstLength) throw new ArgumentOutOfRangeException(nameof(n), $"{n} rows of {width} do not fit a buffer of {dstLength}.");
            for (int r = 0; r < n; r++)
            {
                int row = Row(order, start, r);
                if (row < 0 || row >= rows)
                    throw new ArgumentOutOfRangeException(nameof(start), $"Sample {row} is outside the data ({rows} samples of {width} values).");
            }
        }

        private static int Row(int[] order, int start, int r) => order == null ? start + r : order[start + r];
    }
}
