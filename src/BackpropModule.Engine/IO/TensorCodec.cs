using System;
using System.Globalization;
using BackpropModule.Engine.Tensors;

namespace BackpropModule.Engine.IO
{
    /// <summary>
    /// Encodes tensors and scalars for the network file. A tensor's values are the base64 of its
    /// elements in row-major order, each an IEEE 754 binary64 in little-endian byte order. That is
    /// bit-exact on every runtime (including -0, NaN payloads and subnormals), independent of
    /// culture and of how a runtime formats or parses decimal text, and readable elsewhere in one
    /// line (Python: <c>numpy.frombuffer(base64.b64decode(d), '&lt;f8').reshape(rows, columns)</c>).
    /// </summary>
    internal static class TensorCodec
    {
        /// <summary>The base64 text of a tensor's values.</summary>
        public static string Encode(Tensor t)
        {
            var bytes = new byte[(long)t.Count * 8];
            int k = 0;
            for (int r = 0; r < t.Rows; r++)
                for (int c = 0; c < t.Columns; c++, k += 8)
                    PutLittleEndian(bytes, k, BitConverter.DoubleToInt64Bits(t.Data[r + c * t.Rows]));
            return Convert.ToBase64String(bytes);
        }

        /// <summary>
        /// Decodes rows × columns values. The length of the text is checked against the shape
        /// before anything is allocated, so a file that claims huge dimensions is refused cheaply.
        /// </summary>
        /// <exception cref="BackpropException">NetworkFileInvalid when the text does not hold exactly rows × columns values.</exception>
        public static Tensor Decode(string base64, long rows, long columns, string what, object target)
        {
            long count = rows * columns;
            long expected = (count * 8 + 2) / 3 * 4;
            if (base64.Length != expected)
                throw JsonFields.Invalid(target, $"{what} claims {rows}x{columns} values, which take {expected} base64 characters; the file has {base64.Length}.");
            byte[] bytes;
            try { bytes = Convert.FromBase64String(base64); }
            catch (FormatException) { throw JsonFields.Invalid(target, $"{what} is not valid base64."); }
            if (bytes.LongLength != count * 8) throw JsonFields.Invalid(target, $"{what} does not hold {count} values.");
            var t = new Tensor((int)rows, (int)columns);
            int k = 0;
            for (int r = 0; r < rows; r++)
                for (int c = 0; c < columns; c++, k += 8)
                    t.Data[r + c * (int)rows] = BitConverter.Int64BitsToDouble(GetLittleEndian(bytes, k));
            return t;
        }

        private static void PutLittleEndian(byte[] b, int at, long v)
        {
            for (int i = 0; i < 8; i++) b[at + i] = (byte)(v >> (8 * i));
        }

        private static long GetLittleEndian(byte[] b, int at)
        {
            long v = 0;
            for (int i = 7; i >= 0; i--) v = (v << 8) | b[at + i];
            return v;
        }

        /// <summary>
        /// A scalar as JSON text: the shortest round-trip decimal, or "NaN"/"Infinity"/"-Infinity" strings
        /// (JSON has no literal for them).
        /// </summary>
        // NOTE: .NET Core 3.0+ formats "R" as the shortest string that parses back to the same bits and
        // parses correctly rounded; .NET Framework's "R" can lose the last bit, so the netstandard2.0
        // build writes 17 significant digits ("G17"), which always identify the double. Tensors never
        // go through decimal text.
        public static string FormatScalar(double v)
        {
            if (double.IsNaN(v)) return "\"NaN\"";
            if (double.IsPositiveInfinity(v)) return "\"Infinity\"";
            if (double.IsNegativeInfinity(v)) return "\"-Infinity\"";
#if NETSTANDARD2_0
            return v.ToString("G17", CultureInfo.InvariantCulture);
#else
            return v.ToString("R", CultureInfo.InvariantCulture);
#endif
        }

        /// <summary>Reads a scalar written by <see cref="FormatScalar"/>.</summary>
        /// <exception cref="BackpropException">NetworkFileInvalid when it is neither a number nor one of the three strings.</exception>
        public static double ParseScalar(JsonValue v, string what, object target)
        {
            if (v.Kind == JsonKind.String)
            {
                if (v.Text == "NaN") return double.NaN;
                if (v.Text == "Infinity") return double.PositiveInfinity;
                if (v.Text == "-Infinity") return double.NegativeInfinity;
            }
            else if (v.Kind == JsonKind.Number && double.TryParse(v.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d))
                return d;
            throw JsonFields.Invalid(target, $"{what} must be a number.");
        }
    }
}
