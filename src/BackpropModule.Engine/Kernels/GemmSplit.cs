using System;

namespace BackpropModule.Engine.Kernels
{
    /// <summary>
    /// How one GEMM is divided between threads, whatever its element type: along n (every part packs
    /// all of A) or along m (every part packs all of B), in whole micro-tiles, so a part's arithmetic
    /// does not depend on where it sits and a parallel run gives exactly the bits of a serial one.
    /// </summary>
    internal struct GemmSplit
    {
        /// <summary>True: parts are blocks of columns of C; false: blocks of rows.</summary>
        internal bool Columns;

        /// <summary>How many parts (1 = serial).</summary>
        internal int Parts;

        private int size, unit;

        /// <summary>
        /// Splits the dimension that duplicates less packing; a transposed operand packs at about half
        /// speed (strided writes or short rows), so it counts double.
        /// </summary>
        /// <param name="transA">A is read transposed.</param>
        /// <param name="transB">B is read transposed.</param>
        /// <param name="m">Rows of the product.</param>
        /// <param name="n">Columns of the product.</param>
        /// <param name="k">The inner dimension.</param>
        /// <param name="threads">Threads asked for (at most <see cref="KernelThreads.MaxThreads"/> are used).</param>
        /// <param name="columnsPerTile">The micro-kernel's NR (tile width along n).</param>
        /// <param name="rowsPerTile">The micro-kernel's rows per tile along m on this path.</param>
        internal static GemmSplit For(bool transA, bool transB, int m, int n, int k, int threads, int columnsPerTile, int rowsPerTile)
        {
            double sharedA = (double)m * k * (transA ? 2 : 1), sharedB = (double)k * n * (transB ? 2 : 1);
            var s = new GemmSplit { Columns = sharedA <= sharedB };
            s.size = s.Columns ? n : m;
            s.unit = s.Columns ? columnsPerTile : rowsPerTile;
            int tiles = (s.size + s.unit - 1) / s.unit;
            s.Parts = Math.Max(1, Math.Min(Math.Min(threads, KernelThreads.MaxThreads), tiles));
            return s;
        }

        /// <summary>Part p's range [from, to) along the split dimension: tiles [p·T/parts, (p+1)·T/parts); false when empty.</summary>
        internal bool Range(int part, out int from, out int to)
        {
            int tiles = (size + unit - 1) / unit;
            from = Math.Min(size, (int)((long)tiles * part / Parts) * unit);
            to = Math.Min(size, (int)((long)tiles * (part + 1) / Parts) * unit);
            return to > from;
        }

        /// <summary>The m × n of part p's product (the full extent along the dimension not split); false when the part is empty.</summary>
        internal bool PartShape(int part, int m, int n, out int partM, out int partN)
        {
            bool any = Range(part, out int from, out int to);
            partM = Columns ? m : to - from;
            partN = Columns ? to - from : n;
            return any;
        }
    }

    /// <summary>Argument checks every GEMM entry point shares, whatever its element type.</summary>
    internal static class GemmArguments
    {
        /// <exception cref="ArgumentException">A dimension is negative, a leading dimension is too small, a buffer is too small, or C is the same array as A or B.</exception>
        internal static void Validate<T>(bool transA, bool transB, int m, int n, int k, T[] a, int lda, T[] b, int ldb, T[] c, int ldc)
        {
            if (m < 0 || n < 0 || k < 0) throw new ArgumentException($"Negative GEMM dimension m={m} n={n} k={k}.");
            int aRows = transA ? k : m, aCols = transA ? m : k;
            int bRows = transB ? n : k, bCols = transB ? k : n;
            CheckBuffer("A", a, aRows, aCols, lda);
            CheckBuffer("B", b, bRows, bCols, ldb);
            CheckBuffer("C", c, m, n, ldc);
            if (c != null && (ReferenceEquals(c, a) || ReferenceEquals(c, b)) && m * n > 0 && k > 0)
                throw new ArgumentException("C must not alias A or B.");
        }

        private static void CheckBuffer<T>(string name, T[] x, int rows, int cols, int ld)
        {
            if (rows == 0 || cols == 0) return;
            if (x == null) throw new ArgumentNullException(name);
            if (ld < Math.Max(1, rows)) throw new ArgumentException($"Leading dimension of {name} is {ld}, less than its {rows} rows.");
            long needed = (long)ld * (cols - 1) + rows;
            if (x.Length < needed) throw new ArgumentException($"{name} holds {x.Length} values; a {rows}x{cols} matrix with leading dimension {ld} needs {needed}.");
        }
    }
}
