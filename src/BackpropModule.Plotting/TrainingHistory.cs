using System;
using System.Collections.Generic;
using System.Linq;

namespace BackpropModule.Plotting
{
    /// <summary>
    /// Training records as numeric columns (Epoch, TrainingLoss, ValidationLoss, TrainingAccuracy,
    /// ValidationAccuracy, …); a missing value is null. Built from Start-Training's records or any
    /// objects with those properties.
    /// </summary>
    public sealed class TrainingHistory
    {
        private readonly Dictionary<string, double?[]> columns = new Dictionary<string, double?[]>(StringComparer.OrdinalIgnoreCase);

        /// <summary>Builds a history from column names and rows aligned with them.</summary>
        public TrainingHistory(IReadOnlyList<string> names, IReadOnlyList<double?[]> rows)
        {
            for (int c = 0; c < names.Count; c++)
                columns[names[c]] = rows.Select(r => c < r.Length ? r[c] : null).ToArray();
            Count = rows.Count;
            var epoch = Column("Epoch");
            Epochs = Enumerable.Range(0, Count).Select(i => epoch?[i] ?? i + 1).ToArray();
        }

        /// <summary>Number of records.</summary>
        public int Count { get; }

        /// <summary>The epoch of each record (its position from 1 when a record has none).</summary>
        public double[] Epochs { get; }

        /// <summary>A column by name, or null when no record has a value in it.</summary>
        public double?[] Column(string name) =>
            columns.TryGetValue(name, out var v) && v.Any(x => x.HasValue && !double.IsNaN(x.Value)) ? v : null;

        /// <summary>Epochs and values of a column, leaving out records without a value (and, on a log scale, values ≤ 0).</summary>
        internal (double[] X, double[] Y) Points(string name, bool positiveOnly = false)
        {
            var col = Column(name);
            if (col == null) return (new double[0], new double[0]);
            var keep = Enumerable.Range(0, Count).Where(i => col[i].HasValue && !double.IsNaN(col[i].Value) && !double.IsInfinity(col[i].Value)
                && (!positiveOnly || col[i].Value > 0)).ToArray();
            return (keep.Select(i => Epochs[i]).ToArray(), keep.Select(i => col[i].Value).ToArray());
        }
    }
}
