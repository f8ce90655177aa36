using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace BackpropModule.Infrastructure
{
    /// <summary>
    /// Collects training records (any objects with an Epoch property: Start-Training's EpochRecord
    /// or a user's own) as plain numeric rows. Columns are the numeric properties in the order
    /// first seen, Epoch first; a TimeSpan becomes seconds (column name + "Seconds"); a missing or
    /// null value is an empty cell.
    /// </summary>
    public sealed class HistoryTable
    {
        private readonly List<string> columns = new List<string> { "Epoch" };
        private readonly List<Dictionary<string, double?>> rows = new List<Dictionary<string, double?>>();

        /// <summary>Number of records.</summary>
        public int Count => rows.Count;

        /// <summary>Column names.</summary>
        public IReadOnlyList<string> Columns => columns;

        /// <summary>Rows aligned with <see cref="Columns"/>.</summary>
        public IReadOnlyList<double?[]> Rows => rows.Select(r => columns.Select(c => r.TryGetValue(c, out var v) ? v : null).ToArray()).ToList();

        /// <summary>Adds one record.</summary>
        public void Add(PSObject record)
        {
            var row = new Dictionary<string, double?>(StringComparer.OrdinalIgnoreCase);
            foreach (var p in record.Properties)
            {
                if (!p.IsGettable) continue;
                object value;
                try { value = p.Value; }
                catch (GetValueException) { continue; }
                if (value is PSObject wrapped) value = wrapped.BaseObject;
                string name = p.Name;
                double? number;
                if (value is TimeSpan span) { name += "Seconds"; number = span.TotalSeconds; }
                else if (IsNumber(value)) number = Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture);
                else if (value == null && IsNumericTypeName(p.TypeNameOfValue)) number = null;
                else continue;
                if (p.TypeNameOfValue != null && p.TypeNameOfValue.IndexOf("TimeSpan", StringComparison.Ordinal) >= 0 && value == null) name += "Seconds";
                if (!columns.Contains(name, StringComparer.OrdinalIgnoreCase)) columns.Add(name);
                row[name] = number;
            }
            rows.Add(row);
        }

        private static bool IsNumber(object v) =>
            v is double || v is float || v is int || v is long || v is short || v is byte || v is sbyte || v is uint || v is ulong || v is ushort || v is decimal;

        private static bool IsNumericTypeName(string typeName) =>
            typeName != null && new[] { "Double", "Single", "Int", "Decimal", "Byte", "TimeSpan" }.Any(t => typeName.IndexOf(t, StringComparison.Ordinal) >= 0);
    }
}
