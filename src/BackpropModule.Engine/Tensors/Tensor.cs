using System;
using System.Data;
using System.Globalization;
using System.Text;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace BackpropModule.Engine.Tensors
{
    /// <summary>
    /// A rows × columns matrix of doubles: a batch of samples (one per row), a weight matrix or a
    /// gradient. Storage is MathNet's <see cref="DenseMatrix"/>, column-major, reachable through
    /// <see cref="Matrix"/>. The type is deliberately not enumerable, so PowerShell never unrolls it
    /// into loose numbers; rows are available through <see cref="ToArray"/>, <see cref="ToDataTable"/>
    /// and the module's <c>ToRows()</c> method.
    /// </summary>
    public sealed partial class Tensor
    {
        private readonly DenseMatrix matrix;

        // Set when this tensor is a network parameter's value: every public write calls it, so the
        // network's Version moves and older passes and gradients are seen as stale.
        private Action changed;

        /// <summary>A zero-filled tensor.</summary>
        /// <exception cref="ArgumentOutOfRangeException">A dimension is negative.</exception>
        public Tensor(int rows, int columns)
        {
            if (rows < 0) throw new ArgumentOutOfRangeException(nameof(rows));
            if (columns < 0) throw new ArgumentOutOfRangeException(nameof(columns));
            matrix = new DenseMatrix(rows, columns);
        }

        /// <summary>Wraps a MathNet matrix without copying when it is dense; otherwise copies it.</summary>
        /// <exception cref="ArgumentNullException">matrix is null.</exception>
        public Tensor(Matrix<double> matrix)
        {
            if (matrix == null) throw new ArgumentNullException(nameof(matrix));
            this.matrix = matrix as DenseMatrix ?? DenseMatrix.OfMatrix(matrix);
        }

        /// <summary>Number of rows (samples, or inputs of a weight matrix).</summary>
        public int Rows => matrix.RowCount;

        /// <summary>Number of columns (features, or outputs of a weight matrix).</summary>
        public int Columns => matrix.ColumnCount;

        /// <summary>The shape as text, e.g. <c>100x784</c>.</summary>
        public string Shape => Rows.ToString(CultureInfo.InvariantCulture) + "x" + Columns.ToString(CultureInfo.InvariantCulture);

        /// <summary>Number of elements.</summary>
        public int Count => Rows * Columns;

        /// <summary>
        /// The underlying MathNet matrix, for power users: shared, except for a network parameter's
        /// value, where it is a copy (a write through it could not be counted as a change; change
        /// parameters with the indexer or Set-NetworkParameter).
        /// </summary>
        public Matrix<double> Matrix => changed == null ? (Matrix<double>)matrix : matrix.Clone();

        /// <summary>True when this tensor is a network parameter's value: writes to it bump the network's Version.</summary>
        public bool IsParameter => changed != null;

        /// <summary>Makes every public write to this tensor call <paramref name="onChange"/> (the owning network's version bump).</summary>
        internal void TrackChanges(Action onChange) => changed = onChange;

        /// <summary>The column-major storage: element (r, c) is at <c>r + c·Rows</c>.</summary>
        internal double[] Data => matrix.Values;

        /// <summary>Element at row r, column c (zero-based).</summary>
        /// <exception cref="BackpropException">The index is outside the tensor.</exception>
        public double this[int row, int column]
        {
            get { CheckIndex(row, column); return matrix.Values[row + column * Rows]; }
            set
            {
                CheckIndex(row, column);
                matrix.Values[row + column * Rows] = value;
                changed?.Invoke();
            }
        }

        private void CheckIndex(int row, int column)
        {
            if ((uint)row >= (uint)Rows || (uint)column >= (uint)Columns)
                throw new BackpropException(ErrorIds.TensorIndexOutOfRange, ErrorKind.InvalidArgument, this,
                    $"Index [{row},{column}] is outside a {Shape} tensor (rows 0..{Rows - 1}, columns 0..{Columns - 1}).");
        }

        /// <summary>Builds a tensor from rows; every row must have the same length.</summary>
        /// <exception cref="ArgumentException">The rows are ragged.</exception>
        public static Tensor FromRows(double[][] rows)
        {
            if (rows == null) throw new ArgumentNullException(nameof(rows));
            int cols = rows.Length == 0 ? 0 : rows[0].Length;
            var t = new Tensor(rows.Length, cols);
            double[] d = t.Data;
            for (int r = 0; r < rows.Length; r++)
            {
                if (rows[r] == null || rows[r].Length != cols)
                    throw new ArgumentException($"Row {r} has {(rows[r] == null ? 0 : rows[r].Length)} values; row 0 has {cols}.", nameof(rows));
                for (int c = 0; c < cols; c++) d[r + c * rows.Length] = rows[r][c];
            }
            return t;
        }

        /// <summary>Builds a tensor from a rectangular array.</summary>
        public static Tensor FromArray(double[,] values)
        {
            if (values == null) throw new ArgumentNullException(nameof(values));
            int rows = values.GetLength(0), cols = values.GetLength(1);
            var t = new Tensor(rows, cols);
            for (int r = 0; r < rows; r++)
                for (int c = 0; c < cols; c++) t.Data[r + c * rows] = values[r, c];
            return t;
        }

        /// <summary>A 1 × n tensor holding one sample.</summary>
        public static Tensor FromRow(double[] values)
        {
            if (values == null) throw new ArgumentNullException(nameof(values));
            var t = new Tensor(1, values.Length);
            Array.Copy(values, t.Data, values.Length);
            return t;
        }

        /// <summary>The rows as jagged arrays (a copy).</summary>
        public double[][] ToArray()
        {
            var result = new double[Rows][];
            for (int r = 0; r < Rows; r++) result[r] = GetRow(r);
            return result;
        }

        /// <summary>A copy of row r.</summary>
        public double[] GetRow(int row)
        {
            if ((uint)row >= (uint)Rows)
                throw new BackpropException(ErrorIds.TensorIndexOutOfRange, ErrorKind.InvalidArgument, this,
                    $"Row {row} is outside a {Shape} tensor (rows 0..{Rows - 1}).");
            var values = new double[Columns];
            for (int c = 0; c < Columns; c++) values[c] = matrix.Values[row + c * Rows];
            return values;
        }

        /// <summary>A copy as a rectangular array.</summary>
        public double[,] To2DArray()
        {
            var result = new double[Rows, Columns];
            for (int r = 0; r < Rows; r++)
                for (int c = 0; c < Columns; c++) result[r, c] = matrix.Values[r + c * Rows];
            return result;
        }

        /// <summary>
        /// A DataTable with a <c>Row</c> column (0-based row index) and one double column per tensor
        /// column, named <c>C0</c>, <c>C1</c>, … (the names <c>ToRows()</c> uses too).
        /// </summary>
        public DataTable ToDataTable(string tableName = "Tensor")
        {
            var table = new DataTable(tableName) { Locale = CultureInfo.InvariantCulture };
            table.Columns.Add("Row", typeof(int));
            for (int c = 0; c < Columns; c++) table.Columns.Add(ColumnName(c), typeof(double));
            for (int r = 0; r < Rows; r++)
            {
                var values = new object[Columns + 1];
                values[0] = r;
                for (int c = 0; c < Columns; c++) values[c + 1] = matrix.Values[r + c * Rows];
                table.Rows.Add(values);
            }
            return table;
        }

        /// <summary>
        /// One ordered dictionary per row: <c>Row</c> then <c>C0</c>, <c>C1</c>, …; the module turns each
        /// into an object with one property per column (its <c>ToRows()</c> method).
        /// </summary>
        public System.Collections.Generic.IEnumerable<System.Collections.Specialized.OrderedDictionary> RowDictionaries()
        {
            for (int r = 0; r < Rows; r++)
            {
                var row = new System.Collections.Specialized.OrderedDictionary(Columns + 1) { { "Row", r } };
                for (int c = 0; c < Columns; c++) row.Add(ColumnName(c), matrix.Values[r + c * Rows]);
                yield return row;
            }
        }

        /// <summary>The name used for column c in rows and tables.</summary>
        public static string ColumnName(int column) => "C" + column.ToString(CultureInfo.InvariantCulture);

        /// <summary>A deep copy.</summary>
        public Tensor Clone() => new Tensor(matrix.Clone());

        /// <summary>Copies this tensor's values into another of the same shape.</summary>
        public void CopyTo(Tensor destination)
        {
            if (destination.Rows != Rows || destination.Columns != Columns)
                throw new ArgumentException($"Cannot copy a {Shape} tensor into a {destination.Shape} one.", nameof(destination));
            Array.Copy(Data, destination.Data, Count);
            destination.changed?.Invoke();
        }

        /// <summary>True when both tensors have the same shape and identical bits in every element.</summary>
        public bool BitwiseEquals(Tensor other)
        {
            if (other == null || other.Rows != Rows || other.Columns != Columns) return false;
            for (int i = 0; i < Count; i++)
                if (BitConverter.DoubleToInt64Bits(Data[i]) != BitConverter.DoubleToInt64Bits(other.Data[i])) return false;
            return true;
        }

        /// <summary>Index (row, column) of the first element that is NaN or infinite, or null.</summary>
        public (int Row, int Column)? FindNonFinite()
        {
            double[] d = Data;
            for (int i = 0; i < d.Length; i++)
                if (double.IsNaN(d[i]) || double.IsInfinity(d[i])) return (i % Rows, i / Rows);
            return null;
        }

        /// <summary>Largest absolute element (0 for an empty tensor).</summary>
        public double MaxAbs()
        {
            double m = 0;
            foreach (double v in Data) { double a = Math.Abs(v); if (a > m) m = a; }
            return m;
        }

        /// <summary>The shape and a grid of at most 8 rows and 8 columns, with ellipses for the rest.</summary>
        public override string ToString() => ToGridString(8, 8);

        /// <summary>The shape and a grid of at most maxRows × maxColumns values.</summary>
        public string ToGridString(int maxRows, int maxColumns) => ToGridString(maxRows, maxColumns, DefaultDigits);

        /// <summary>
        /// The shape and a grid of at most maxRows × maxColumns values, each with <paramref name="digits"/>
        /// significant digits (1–17; 17 shows every digit needed to give back the same double).
        /// </summary>
        /// <exception cref="ArgumentOutOfRangeException">digits is outside 1..17.</exception>
        public string ToGridString(int maxRows, int maxColumns, int digits)
        {
            CheckDigits(digits);
            return Grid(maxRows, maxColumns, v => FormatValue(v, digits));
        }

        private string Grid(int maxRows, int maxColumns, Func<double, string> format)
        {
            var sb = new StringBuilder();
            sb.Append("Tensor ").Append(Shape);
            if (Count == 0) return sb.ToString();
            sb.AppendLine();
            int[] rows = Pick(Rows, maxRows), cols = Pick(Columns, maxColumns);
            var cells = new string[rows.Length + 1, cols.Length + 1];
            cells[0, 0] = "";
            for (int j = 0; j < cols.Length; j++) cells[0, j + 1] = cols[j] < 0 ? "…" : "[" + cols[j] + "]";
            for (int i = 0; i < rows.Length; i++)
            {
                cells[i + 1, 0] = rows[i] < 0 ? "…" : "[" + rows[i] + "]";
                for (int j = 0; j < cols.Length; j++)
                    cells[i + 1, j + 1] = rows[i] < 0 || cols[j] < 0 ? "…" : format(matrix.Values[rows[i] + cols[j] * Rows]);
            }
            var widths = new int[cols.Length + 1];
            for (int j = 0; j <= cols.Length; j++)
                for (int i = 0; i <= rows.Length; i++) widths[j] = Math.Max(widths[j], cells[i, j].Length);
            for (int i = 0; i <= rows.Length; i++)
            {
                for (int j = 0; j <= cols.Length; j++)
                {
                    if (j > 0) sb.Append("  ");
                    sb.Append(cells[i, j].PadLeft(widths[j]));
                }
                if (i < rows.Length) sb.AppendLine();
            }
            return sb.ToString();
        }

        /// <summary>Compact display form of one value: 6 significant digits, invariant culture.</summary>
        public static string FormatValue(double v) => v.ToString("G6", CultureInfo.InvariantCulture);

        private static int[] Pick(int n, int max)
        {
            if (n <= max) { var all = new int[n]; for (int i = 0; i < n; i++) all[i] = i; return all; }
            int head = (max + 1) / 2, tail = max - head;
            var idx = new int[max + 1];
            for (int i = 0; i < head; i++) idx[i] = i;
            idx[head] = -1;
            for (int i = 0; i < tail; i++) idx[head + 1 + i] = n - tail + i;
            return idx;
        }
    }
}
