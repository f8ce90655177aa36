using System;
using System.Globalization;

// Display precision and locating the largest element (issue 9: see all 17 digits; issue 15: where is the max).
namespace BackpropModule.Engine.Tensors
{
    public sealed partial class Tensor
    {
        /// <summary>Significant digits of the console view unless $BackpropTensorDigits says otherwise.</summary>
        public const int DefaultDigits = 6;

        /// <summary>Most significant digits a double needs: 17 always gives back the same value.</summary>
        public const int MaxDigits = 17;

        /// <summary>
        /// The console grid (at most 10 rows × 8 columns) with <paramref name="digits"/> significant
        /// digits per value; <c>Format(17)</c> shows each value exactly (the shortest text that reads
        /// back as the same double, at most 17 digits).
        /// </summary>
        /// <exception cref="ArgumentOutOfRangeException">digits is outside 1..17.</exception>
        public string Format(int digits) => ToGridString(10, 8, digits);

        /// <summary>
        /// The console grid with every value formatted by a .NET numeric format string in the
        /// invariant culture: <c>'R'</c> (exact), <c>'G17'</c>, <c>'F4'</c>, <c>'E3'</c>, ….
        /// </summary>
        /// <exception cref="FormatException">The format string is not valid for a double.</exception>
        public string ToString(string format)
        {
            if (string.IsNullOrEmpty(format)) return ToString();
            // Validate once so a bad format fails with .NET's own message, not half-way through the grid.
            1.5.ToString(format, CultureInfo.InvariantCulture);
            return ToGridString(10, 8, format);
        }

        /// <summary>One value with <paramref name="digits"/> significant digits (17: round-trip exact), invariant culture.</summary>
        /// <exception cref="ArgumentOutOfRangeException">digits is outside 1..17.</exception>
        public static string FormatValue(double v, int digits)
        {
            CheckDigits(digits);
            return v.ToString(digits == MaxDigits ? "R" : "G" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        }

        private static void CheckDigits(int digits)
        {
            if (digits < 1 || digits > MaxDigits)
                throw new ArgumentOutOfRangeException(nameof(digits), digits, "Significant digits must be between 1 and 17.");
        }

        private string ToGridString(int maxRows, int maxColumns, string format) =>
            Grid(maxRows, maxColumns, v => v.ToString(format, CultureInfo.InvariantCulture));

        /// <summary>
        /// The element with the largest absolute value: its row, column and (signed) value; the first
        /// in reading order on ties; a NaN if there is one (it is what you are looking for); null
        /// for an empty tensor.
        /// </summary>
        public TensorElement ArgMaxAbs()
        {
            if (Count == 0) return null;
            int bestR = 0, bestC = 0;
            double best = -1;
            for (int r = 0; r < Rows; r++)
                for (int c = 0; c < Columns; c++)
                {
                    double v = Data[r + c * Rows];
                    if (double.IsNaN(v)) return new TensorElement(r, c, v);
                    double a = Math.Abs(v);
                    if (a > best) { best = a; bestR = r; bestC = c; }
                }
            return new TensorElement(bestR, bestC, Data[bestR + bestC * Rows]);
        }
    }

    /// <summary>One element of a tensor and where it is.</summary>
    public sealed class TensorElement
    {
        internal TensorElement(int row, int column, double value) { Row = row; Column = column; Value = value; }

        /// <summary>Zero-based row.</summary>
        public int Row { get; }

        /// <summary>Zero-based column.</summary>
        public int Column { get; }

        /// <summary>The value (with its sign).</summary>
        public double Value { get; }

        /// <inheritdoc/>
        public override string ToString() => $"[{Row},{Column}] = {Value.ToString("R", CultureInfo.InvariantCulture)}";
    }
}
