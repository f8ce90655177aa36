using System;
using System.Collections.Generic;
using System.Linq;
using BackpropModule.Engine.Tensors;

namespace BackpropModule.Engine.IO
{
    /// <summary>
    /// One worksheet to write: either a matrix grid (row headers R0, R1, …, column headers C0,
    /// C1, …, a three-colour heat map) or a table of rows with named numeric columns and optional
    /// line charts (the training history).
    /// </summary>
    public sealed class WorkbookSheet
    {
        private WorkbookSheet(string name) { Name = name; }

        /// <summary>The worksheet name (at most 31 characters, none of : \ / ? * [ ]).</summary>
        public string Name { get; }

        /// <summary>The matrix of a grid sheet, or null.</summary>
        public Tensor Grid { get; private set; }

        /// <summary>Whether a grid sheet gets a colour-scale heat map.</summary>
        public bool HeatMap { get; private set; }

        /// <summary>Column names of a table sheet, or null.</summary>
        public IReadOnlyList<string> Columns { get; private set; }

        /// <summary>Rows of a table sheet; null entries are empty cells.</summary>
        public IReadOnlyList<double?[]> Rows { get; private set; }

        /// <summary>Line charts drawn beside a table sheet.</summary>
        public IReadOnlyList<WorkbookChart> Charts { get; private set; } = new WorkbookChart[0];

        /// <summary>A grid sheet for a matrix.</summary>
        public static WorkbookSheet ForTensor(string name, Tensor values, bool heatMap = true)
        {
            if (values == null) throw new ArgumentNullException(nameof(values));
            return new WorkbookSheet(name) { Grid = values, HeatMap = heatMap };
        }

        /// <summary>A table sheet; every row has one value (or null) per column.</summary>
        /// <exception cref="ArgumentException">A row's length differs from the number of columns.</exception>
        public static WorkbookSheet ForTable(string name, IReadOnlyList<string> columns, IReadOnlyList<double?[]> rows, IReadOnlyList<WorkbookChart> charts = null)
        {
            if (columns == null) throw new ArgumentNullException(nameof(columns));
            if (rows == null) throw new ArgumentNullException(nameof(rows));
            if (rows.Any(r => r == null || r.Length != columns.Count)) throw new ArgumentException("Every row needs one value per column.", nameof(rows));
            return new WorkbookSheet(name) { Columns = columns.ToArray(), Rows = rows, Charts = charts?.ToArray() ?? new WorkbookChart[0] };
        }

        /// <summary>
        /// The usual charts of a training history: loss columns (names containing "Loss") in one chart
        /// and accuracy columns in another, each against the category column (e.g. Epoch).
        /// </summary>
        public static IReadOnlyList<WorkbookChart> HistoryCharts(IReadOnlyList<string> columns, string category = "Epoch")
        {
            var charts = new List<WorkbookChart>();
            if (!columns.Contains(category)) return charts;
            foreach (string metric in new[] { "Loss", "Accuracy" })
            {
                var series = columns.Where(c => c != category && c.IndexOf(metric, StringComparison.OrdinalIgnoreCase) >= 0).ToArray();
                if (series.Length > 0) charts.Add(new WorkbookChart(metric + " per " + category.ToLowerInvariant(), category, series));
            }
            return charts;
        }
    }

    /// <summary>A native line chart of some table columns against a category column.</summary>
    public sealed class WorkbookChart
    {
        /// <summary>Creates a chart description.</summary>
        public WorkbookChart(string title, string categoryColumn, IReadOnlyList<string> seriesColumns)
        {
            Title = title ?? throw new ArgumentNullException(nameof(title));
            CategoryColumn = categoryColumn ?? throw new ArgumentNullException(nameof(categoryColumn));
            SeriesColumns = seriesColumns?.ToArray() ?? throw new ArgumentNullException(nameof(seriesColumns));
        }

        /// <summary>The chart title.</summary>
        public string Title { get; }

        /// <summary>The x-axis column, e.g. Epoch.</summary>
        public string CategoryColumn { get; }

        /// <summary>One line per column.</summary>
        public IReadOnlyList<string> SeriesColumns { get; }
    }
}
