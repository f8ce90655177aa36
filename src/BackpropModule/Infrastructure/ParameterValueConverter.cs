using System;
using System.Collections;
using System.Collections.Generic;
using System.Data;
using System.Globalization;
using System.Management.Automation;
using BackpropModule.Engine;
using BackpropModule.Engine.Tensors;

namespace BackpropModule.Infrastructure
{
    /// <summary>
    /// Reads a parameter value as a user holds it: a Tensor (copied), double[][], double[,], a flat
    /// array (one row, e.g. a bias), a DataTable (Tensor.ToDataTable()), or row objects with one
    /// property per column as Import-Csv, Import-Excel and Tensor.ToRows() produce. A first column
    /// or property named <c>Row</c> is the row number those exports add and is skipped. Numbers
    /// given as text are parsed with the invariant culture ("0.5", "-1e-3"), so a value exported to
    /// CSV or Excel and read back is bit-for-bit the one exported.
    /// </summary>
    public static class ParameterValueConverter
    {
        private const string What = "parameter value";

        /// <summary>Converts one value; <paramref name="name"/> appears in messages.</summary>
        /// <exception cref="BackpropException">ParameterValueNotConvertible.</exception>
        public static Tensor Convert(string name, object value)
        {
            object v = value is PSObject p ? p.BaseObject : value;
            if (v is Tensor t) return t.Clone();
            if (v is DataTable table) return FromTable(name, table);
            if (v is DataView view) return FromTable(name, view.ToTable());
            // A single row keeps its PSObject wrapper: a PSCustomObject's properties live there.
            var rows = IsBag(value) ? new List<object> { value } : RowObjects(v);
            if (rows != null) return FromRowObjects(name, value, rows);
            return TensorConverter.ToMatrix(value, ErrorIds.ParameterValueNotConvertible, What + " of " + name);
        }

        /// <summary>Name/value pairs from a hashtable or ordered dictionary, in its order.</summary>
        /// <exception cref="BackpropException">ParameterValueNotConvertible for a key that is not text.</exception>
        public static List<KeyValuePair<string, Tensor>> ConvertAll(IDictionary values)
        {
            var result = new List<KeyValuePair<string, Tensor>>();
            foreach (DictionaryEntry e in values)
            {
                object key = e.Key is PSObject pk ? pk.BaseObject : e.Key;
                if (!(key is string name))
                    throw new BackpropException(ErrorIds.ParameterValueNotConvertible, ErrorKind.InvalidArgument, e.Key,
                        "Parameter names are text such as W1 or b1.");
                result.Add(new KeyValuePair<string, Tensor>(name, Convert(name, e.Value)));
            }
            return result;
        }

        private static Tensor FromTable(string name, DataTable table)
        {
            int skip = table.Columns.Count > 0 && string.Equals(table.Columns[0].ColumnName, "Row", StringComparison.OrdinalIgnoreCase) ? 1 : 0;
            var result = new Tensor(table.Rows.Count, table.Columns.Count - skip);
            var d = new double[result.Rows][];
            for (int r = 0; r < d.Length; r++)
            {
                d[r] = new double[result.Columns];
                for (int c = 0; c < result.Columns; c++)
                    d[r][c] = Number(name, table.Rows[r][c + skip], table, r, table.Columns[c + skip].ColumnName);
            }
            return d.Length == 0 ? result : Tensor.FromRows(d);
        }

        /// <summary>The elements when <paramref name="v"/> is a list of property bags (PSCustomObject, ordered dictionary, DataRow), else null.</summary>
        private static List<object> RowObjects(object v)
        {
            if (v is string || v is IDictionary || !(v is IEnumerable items)) return null;
            var list = new List<object>();
            foreach (object e in items)
            {
                if (!IsBag(e)) return null;
                list.Add(e);
            }
            return list.Count > 0 ? list : null;
        }

        private static bool IsBag(object e)
        {
            object b = e is PSObject p ? p.BaseObject : e;
            return b is PSCustomObject || b is System.Collections.Specialized.OrderedDictionary || b is DataRow;
        }

        private static List<KeyValuePair<string, object>> Properties(object row)
        {
            var result = new List<KeyValuePair<string, object>>();
            object b = row is PSObject p ? p.BaseObject : row;
            if (b is DataRow dr)
                foreach (DataColumn c in dr.Table.Columns) result.Add(new KeyValuePair<string, object>(c.ColumnName, dr[c]));
            else if (b is IDictionary dict)
                foreach (DictionaryEntry e in dict) result.Add(new KeyValuePair<string, object>(e.Key.ToString(), e.Value));
            else
                foreach (var prop in PSObject.AsPSObject(row).Properties)
                    if (prop.MemberType == PSMemberTypes.NoteProperty || prop.MemberType == PSMemberTypes.Property)
                        result.Add(new KeyValuePair<string, object>(prop.Name, prop.Value));
            if (result.Count > 0 && string.Equals(result[0].Key, "Row", StringComparison.OrdinalIgnoreCase)) result.RemoveAt(0);
            return result;
        }

        private static Tensor FromRowObjects(string name, object whole, List<object> rows)
        {
            var first = Properties(rows[0]);
            var data = new double[rows.Count][];
            for (int r = 0; r < rows.Count; r++)
            {
                var props = r == 0 ? first : Properties(rows[r]);
                if (props.Count != first.Count || !SameNames(props, first))
                    throw new BackpropException(ErrorIds.ParameterValueNotConvertible, ErrorKind.InvalidData, whole,
                        $"Row {r} of the value of {name} has the columns {Names(props)}; row 0 has {Names(first)}. Every row must have the same columns.");
                data[r] = new double[props.Count];
                for (int c = 0; c < props.Count; c++) data[r][c] = Number(name, props[c].Value, whole, r, props[c].Key);
            }
            return Tensor.FromRows(data);
        }

        private static bool SameNames(List<KeyValuePair<string, object>> a, List<KeyValuePair<string, object>> b)
        {
            for (int i = 0; i < a.Count; i++) if (!string.Equals(a[i].Key, b[i].Key, StringComparison.OrdinalIgnoreCase)) return false;
            return true;
        }

        private static string Names(List<KeyValuePair<string, object>> props) => string.Join(",", props.ConvertAll(p => p.Key));

        private static double Number(string name, object cell, object whole, int row, string column)
        {
            object c = cell is PSObject p ? p.BaseObject : cell;
            switch (c)
            {
                case double d: return d;
                case float f: return f;
                case int i: return i;
                case long l: return l;
                case decimal m: return (double)m;
                case short s: return s;
                case byte b: return b;
                case string text when double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double parsed): return parsed;
            }
            throw new BackpropException(ErrorIds.ParameterValueNotConvertible, ErrorKind.InvalidData, whole,
                $"The value of {name} at row {row}, column {column} is {(c == null || c is DBNull ? "empty" : "'" + c + "'")}, not a number (numbers in text use '.' as the decimal point).");
        }
    }
}
