using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace BackpropModule.Plotting
{
    /// <summary>
    /// Where the panels of small multiples go. Parameters and gradients are named after their block
    /// (W1, b1, gamma1, beta1, RunningMean1; dW2, db2), so each block gets a row and each kind keeps its
    /// column: W under W, gamma under gamma. Other names fill a near-square grid in order.
    /// </summary>
    internal static class HeatmapLayout
    {
        private static readonly Regex BlockNumber = new Regex(@"(\d+)$", RegexOptions.CultureInvariant);

        /// <summary>Panels per row the block layout allows; wider sets fall back to the square grid.</summary>
        internal const int MaxColumns = 8;

        /// <summary>The narrowest panel that still shows its heat map beside its colour bar and axis labels.</summary>
        internal const int MinPanelWidth = 220;

        /// <summary>
        /// The grid cell of each name (row-major index) and the grid's size. With <paramref name="width"/> (the
        /// picture's, in pixels), no panel is narrower than <see cref="MinPanelWidth"/>: a block row that would be
        /// wraps into a plain grid of as many columns as fit.
        /// </summary>
        internal static int[] Slots(IReadOnlyList<string> names, out int columns, out int rows, int width = 0)
        {
            int fit = width > 0 ? Math.Max(1, width / MinPanelWidth) : int.MaxValue;
            var blocks = names.Select(n => BlockNumber.Match(n ?? "")).ToArray();
            if (names.Count > 1 && blocks.All(m => m.Success))
            {
                var numbers = blocks.Select(m => int.Parse(m.Value, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
                var order = numbers.Distinct().OrderBy(n => n).ToList();
                int widest = order.Max(b => numbers.Count(n => n == b));
                if (order.Count > 1 && widest <= MaxColumns && widest <= fit)
                {
                    columns = widest;
                    rows = order.Count;
                    var slots = new int[names.Count];
                    var used = new int[order.Count];
                    for (int i = 0; i < names.Count; i++)
                    {
                        int row = order.IndexOf(numbers[i]);
                        slots[i] = row * columns + used[row]++;
                    }
                    return slots;
                }
            }
            columns = Math.Min(PlotCanvas.GridColumns(names.Count), fit);
            rows = (names.Count + columns - 1) / columns;
            return Enumerable.Range(0, names.Count).ToArray();
        }

        /// <summary>A picture size that gives every panel room for its title, axes and colour bar (at least 800 × 600).</summary>
        public static (int Width, int Height) SuggestedSize(IReadOnlyList<string> names)
        {
            Slots(names, out int columns, out int rows);
            return (Math.Max(800, 250 * columns), Math.Max(600, 40 + 200 * rows));
        }
    }
}
