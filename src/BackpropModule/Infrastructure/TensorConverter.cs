using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using BackpropModule.Engine;
using BackpropModule.Engine.Data;
using BackpropModule.Engine.Tensors;
using MathNet.Numerics.LinearAlgebra;

namespace BackpropModule.Infrastructure
{
    /// <summary>
    /// Turns what a user passes (a Tensor, double[][], double[,], a flat array for one sample,
    /// PowerShell arrays of arrays, a MathNet matrix, a single number) into a <see cref="Tensor"/>.
    /// </summary>
    public static class TensorConverter
    {
        /// <summary>Converts an input batch; a flat list of numbers is one sample (1 × n).</summary>
        /// <exception cref="BackpropException">InputNotConvertible or InputEmpty.</exception>
        public static Tensor ToInput(object value) => Convert(value, ErrorIds.InputNotConvertible, "input", -1);

        /// <summary>
        /// Converts a target for a batch of n samples. A flat list is one sample's row when n = 1
        /// and a column of per-sample values (class indices) when its length is n.
        /// </summary>
        /// <exception cref="BackpropException">TargetNotConvertible.</exception>
        public static Tensor ToTarget(object value, int batchSize) => Convert(value, ErrorIds.TargetNotConvertible, "target", batchSize);

        /// <summary>
        /// Converts an -InputObject/-Target pair. A Dataset as the input gives its features, and its
        /// own targets unless <paramref name="target"/> is given; otherwise the target is null when
        /// none was given.
        /// </summary>
        /// <exception cref="BackpropException">As <see cref="ToInput"/> and <see cref="ToTarget"/>.</exception>
        public static (Tensor X, Tensor T) ToBatch(object input, object target)
        {
            if (Unwrap(input) is Dataset data)
                return (data.FeaturesTensor(), target == null ? data.TargetsTensor() : ToTarget(target, data.Count));
            Tensor x = ToInput(input);
            return (x, target == null ? null : ToTarget(target, x.Rows));
        }
        /// <summary>Converts a matrix-like value (no batch rules), reporting failures with <paramref name="errorId"/>.</summary>
        /// <exception cref="BackpropException">With errorId.</exception>
        public static Tensor ToMatrix(object value, string errorId, string what) => Convert(value, errorId, what, -1);

        private static Tensor Convert(object value, string errorId, string what, int batchSize)
        {
            object v = Unwrap(value);
            if (v == null)
                throw new BackpropException(errorId, ErrorKind.InvalidArgument, value, $"The {what} is null.");
            if (v is Tensor t) return t;
            if (v is Matrix<double> m) return new Tensor(m);
            if (v is Array arr && arr.Rank == 2)
            {
                var result = new Tensor(arr.GetLength(0), arr.GetLength(1));
                for (int r = 0; r < result.Rows; r++)
                    for (int c = 0; c < result.Columns; c++)
                        result[r, c] = ToDouble(arr.GetValue(r, c), value, errorId, what, r, c);
                return result;
            }
            if (TryScalar(v, out double scalar) || TryNumericString(v, out scalar)) return Tensor.FromRow(new[] { scalar });
            if (!(v is IEnumerable items) || v is string || v is IDictionary)
                throw new BackpropException(errorId, ErrorKind.InvalidArgument, value,
                    $"Cannot use a {v.GetType().Name} as the {what}: pass a Dataset, a Tensor, double[][], double[,], an array of numbers (one sample) or an array of arrays.");

            var elements = new List<object>();
            foreach (object e in items) elements.Add(Unwrap(e));
            if (elements.Count == 0)
                throw new BackpropException(errorId == ErrorIds.InputNotConvertible ? ErrorIds.InputEmpty : errorId, ErrorKind.InvalidData, value, $"The {what} is empty.");

            // NOTE: in argument mode PowerShell passes a negative literal after a comma as a string
            // (-InputObject 0.5, -1, 2 gives "-1"), so numeric strings count as numbers here.
            bool flat = elements.TrueForAll(e => e != null && (TryScalar(e, out _) || IsNumericString(e)));
            if (flat)
            {
                var row = new double[elements.Count];
                for (int i = 0; i < row.Length; i++) row[i] = ToDouble(elements[i], value, errorId, what, 0, i);
                if (batchSize > 1 && row.Length == batchSize)
                {
                    var column = new Tensor(row.Length, 1);
                    for (int i = 0; i < row.Length; i++) column[i, 0] = row[i];
                    return column;
                }
                return Tensor.FromRow(row);
            }

            var rows = new double[elements.Count][];
            for (int r = 0; r < rows.Length; r++)
            {
                object e = elements[r];
                if (e is Tensor inner && inner.Rows == 1) { rows[r] = inner.GetRow(0); continue; }
                if (e == null || e is string || !(e is IEnumerable cells))
                    throw new BackpropException(errorId, ErrorKind.InvalidArgument, value,
                        $"Row {r} of the {what} is {(e == null ? "null" : "a " + e.GetType().Name)}; every row must be an array of numbers.");
                var list = new List<double>();
                int c = 0;
                foreach (object cell in cells) list.Add(ToDouble(Unwrap(cell), value, errorId, what, r, c++));
                rows[r] = list.ToArray();
                if (rows[r].Length != rows[0].Length)
                    throw new BackpropException(errorId, ErrorKind.InvalidArgument, value,
                        $"Row {r} of the {what} has {rows[r].Length} values but row 0 has {rows[0].Length}; rows must all be the same length.");
            }
            return Tensor.FromRows(rows);
        }

        private static object Unwrap(object o) => o is PSObject p ? p.BaseObject : o;

        private static bool IsNumericString(object o) => TryNumericString(o, out _);

        private static bool TryNumericString(object o, out double value)
        {
            value = 0;
            return o is string s && double.TryParse(s, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out value);
        }

        private static bool TryScalar(object o, out double value)
        {
            switch (o)
            {
                case double d: value = d; return true;
                case float f: value = f; return true;
                case int i: value = i; return true;
                case long l: value = l; return true;
                case short s: value = s; return true;
                case byte b: value = b; return true;
                case sbyte sb: value = sb; return true;
                case uint ui: value = ui; return true;
                case ulong ul: value = ul; return true;
                case ushort us: value = us; return true;
                case decimal m: value = (double)m; return true;
                default: value = 0; return false;
            }
        }

        private static double ToDouble(object cell, object whole, string errorId, string what, int row, int column)
        {
            object c = Unwrap(cell);
            if (TryScalar(c, out double v)) return v;
            if (c is string s && LanguagePrimitives.TryConvertTo(s, out double parsed)) return parsed;
            throw new BackpropException(errorId, ErrorKind.InvalidArgument, whole,
                $"The {what} value at row {row}, column {column} is {(c == null ? "null" : "'" + c + "' (" + c.GetType().Name + ")")}, not a number.");
        }
    }
}
