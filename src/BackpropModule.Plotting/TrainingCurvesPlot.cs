using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using BackpropModule.Engine;
using ScottPlot;

namespace BackpropModule.Plotting
{
    /// <summary>Loss per epoch (and accuracy per epoch when the records have it), training and validation.</summary>
    internal static class TrainingCurvesPlot
    {
        internal static readonly Color TrainingColor = Color.FromHex("#1f77b4");
        internal static readonly Color ValidationColor = Color.FromHex("#ff7f0e");

        internal static byte[] Render(TrainingHistory history, PlotOptions options)
        {
            if (history == null || history.Count == 0 || history.Column("TrainingLoss") == null && history.Column("ValidationLoss") == null)
                throw new BackpropException(ErrorIds.PlotInputEmpty, ErrorKind.InvalidData, history,
                    "There is nothing to draw: the training records have no TrainingLoss or ValidationLoss values.");
            var plots = new List<Plot> { LossPlot(history, options) };
            bool accuracy = history.Column("TrainingAccuracy") != null || history.Column("ValidationAccuracy") != null;
            if (accuracy) plots.Add(AccuracyPlot(history));
            // Side by side when wide, stacked when tall: each panel keeps a readable aspect.
            int columns = plots.Count == 2 && options.Width >= options.Height ? 2 : 1;
            string title = options.TitleOr(accuracy ? "Training: loss and accuracy per epoch" : null);
            if (!accuracy) plots[0].Title(options.TitleOr("Training: loss per epoch"));
            return PlotCanvas.Render(plots, columns, accuracy ? title : null, options);
        }

        private static Plot LossPlot(TrainingHistory history, PlotOptions options)
        {
            var plot = PlotCanvas.NewPlot();
            bool log = options.LogScale;
            AddSeries(plot, history, "TrainingLoss", "training", TrainingColor, log);
            AddSeries(plot, history, "ValidationLoss", "validation", ValidationColor, log);
            plot.XLabel("Epoch");
            plot.YLabel(log ? "Loss (log scale)" : "Loss");
            if (log)
            {
                var values = new[] { "TrainingLoss", "ValidationLoss" }.SelectMany(c => history.Points(c, positiveOnly: true).Y).Select(Math.Log10).ToArray();
                if (values.Length > 0) plot.Axes.Left.TickGenerator = LogTicks(values.Min(), values.Max());
            }
            Finish(plot, history);
            return plot;
        }

        /// <summary>
        /// Ticks for log10-transformed values, labelled with the values themselves: every decade, and
        /// 2 and 5 (or every digit) in between when the data spans only a few decades.
        /// </summary>
        // NOTE: ScottPlot has no logarithmic axis; log10 of the loss is drawn and the ticks are placed here.
        internal static ScottPlot.TickGenerators.NumericManual LogTicks(double lo, double hi)
        {
            double span = Math.Max(hi - lo, 1e-9);
            int[] mantissas = span < 0.8 ? new[] { 1, 2, 3, 4, 5, 6, 7, 8, 9 } : span < 2.5 ? new[] { 1, 2, 5 } : new[] { 1 };
            int step = span > 8 ? 2 : 1;
            var ticks = new ScottPlot.TickGenerators.NumericManual();
            for (int decade = (int)Math.Floor(lo) - 1; decade <= (int)Math.Ceiling(hi) + 1; decade++)
                foreach (int m in mantissas)
                {
                    double position = decade + Math.Log10(m);
                    if (position < lo - 0.05 * span || position > hi + 0.05 * span) continue;
                    if (m == 1 && decade % step != 0) continue;
                    ticks.AddMajor(position, (m * Math.Pow(10, decade)).ToString("G3", CultureInfo.InvariantCulture));
                }
            return ticks;
        }

        private static Plot AccuracyPlot(TrainingHistory history)
        {
            var plot = PlotCanvas.NewPlot();
            AddSeries(plot, history, "TrainingAccuracy", "training", TrainingColor, false);
            AddSeries(plot, history, "ValidationAccuracy", "validation", ValidationColor, false);
            plot.XLabel("Epoch");
            plot.YLabel("Accuracy");
            Finish(plot, history);
            plot.ShowLegend(Alignment.LowerRight);
            var limits = plot.Axes.GetDataLimits();
            plot.Axes.SetLimitsY(Math.Max(0, limits.Bottom - 0.02), Math.Min(1.0, limits.Top) + 0.02);
            return plot;
        }

        private static void AddSeries(Plot plot, TrainingHistory history, string column, string label, Color color, bool log)
        {
            var (x, y) = history.Points(column, positiveOnly: log);
            if (x.Length == 0) return;
            if (log) y = y.Select(Math.Log10).ToArray();
            var s = plot.Add.Scatter(x, y, color);
            s.LegendText = label;
            s.LineWidth = 2;
            s.MarkerSize = x.Length <= 30 ? 6 : 0;
        }

        private static void Finish(Plot plot, TrainingHistory history)
        {
            plot.ShowLegend(Alignment.UpperRight);
            if (history.Epochs.Length > 0 && history.Epochs.All(e => e == Math.Floor(e)))
                plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        }
    }
}
