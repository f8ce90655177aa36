using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace BackpropModule.Plotting
{
    /// <summary>One line of a text chart: points joined by straight segments.</summary>
    public sealed class TextSeries
    {
        /// <summary>Creates a series; points with a NaN or infinite coordinate are left out.</summary>
        public TextSeries(string name, IReadOnlyList<double> x, IReadOnlyList<double> y, bool pointsOnly = false)
        {
            Name = name;
            var keep = Enumerable.Range(0, Math.Min(x.Count, y.Count)).Where(i => IsFinite(x[i]) && IsFinite(y[i])).ToArray();
            X = keep.Select(i => x[i]).ToArray();
            Y = keep.Select(i => y[i]).ToArray();
            PointsOnly = pointsOnly;
        }

        /// <summary>Legend text.</summary>
        public string Name { get; }
        /// <summary>X coordinates.</summary>
        public double[] X { get; }
        /// <summary>Y coordinates.</summary>
        public double[] Y { get; }
        /// <summary>Draw the points alone (data), not joined.</summary>
        public bool PointsOnly { get; }

        internal static bool IsFinite(double v) => !double.IsNaN(v) && !double.IsInfinity(v);
    }

    /// <summary>
    /// Line charts drawn with Unicode braille characters (2×4 dots per character) for a quick look
    /// in the console: a y axis with labels, an x axis with its range, and a legend; each series in
    /// its own ANSI colour when colour is allowed. Uses no graphics library.
    /// </summary>
    public static class TextChart
    {
        private static readonly string[] Ansi = { "\u001b[34m", "\u001b[33m", "\u001b[32m", "\u001b[35m", "\u001b[36m", "\u001b[31m" };
        private static readonly string[] Marks = { "•", "◦", "▪", "▫", "+", "x" };
        private const string Reset = "\u001b[0m";
        private const int LabelWidth = 10;

        /// <summary>The chart as lines of text, at most <paramref name="width"/> characters wide and <paramref name="height"/> rows of plot area tall.</summary>
        public static string[] Render(IReadOnlyList<TextSeries> series, int width, int height, string title, string xLabel, bool logY, bool color)
        {
            var drawn = series.Select(s => logY ? new TextSeries(s.Name, s.X, s.Y.Select(v => v > 0 ? Math.Log10(v) : double.NaN).ToArray(), s.PointsOnly) : s)
                .Where(s => s.X.Length > 0).ToList();
            var lines = new List<string>();
            if (!string.IsNullOrEmpty(title)) lines.Add(title);
            if (drawn.Count == 0) { lines.Add("(nothing to draw)"); return lines.ToArray(); }
            int cols = Math.Max(10, width - LabelWidth - 2), rows = Math.Max(3, height);
            double x0 = drawn.Min(s => s.X.Min()), x1 = drawn.Max(s => s.X.Max());
            double y0 = drawn.Min(s => s.Y.Min()), y1 = drawn.Max(s => s.Y.Max());
            if (x1 == x0) { x0 -= 0.5; x1 += 0.5; }
            if (y1 == y0) { y0 -= 0.5; y1 += 0.5; }
            int dotsX = cols * 2, dotsY = rows * 4;
            var bits = new int[rows, cols];
            var owner = new int[rows, cols];
            for (int s = 0; s < drawn.Count; s++)
            {
                Func<double, int> px = v => (int)Math.Round((v - x0) / (x1 - x0) * (dotsX - 1));
                Func<double, int> py = v => (int)Math.Round((y1 - v) / (y1 - y0) * (dotsY - 1));
                var t = drawn[s];
                for (int i = 0; i < t.X.Length; i++)
                {
                    if (t.PointsOnly || i == 0) Dot(bits, owner, px(t.X[i]), py(t.Y[i]), s);
                    else Line(bits, owner, px(t.X[i - 1]), py(t.Y[i - 1]), px(t.X[i]), py(t.Y[i]), s);
                }
            }
            for (int r = 0; r < rows; r++)
            {
                string label = r == 0 ? Number(y1, logY) : r == rows - 1 ? Number(y0, logY) : r == rows / 2 ? Number(Math.Abs(y0 + y1) < 1e-3 * (y1 - y0) ? 0 : (y0 + y1) / 2, logY) : "";
                var sb = new StringBuilder(label.PadLeft(LabelWidth)).Append(r == 0 || r == rows - 1 || r == rows / 2 ? " ┤" : " │");
                for (int c = 0; c < cols; c++)
                {
                    char ch = (char)(0x2800 + bits[r, c]);
                    if (color && bits[r, c] != 0) sb.Append(Ansi[owner[r, c] % Ansi.Length]).Append(ch).Append(Reset);
                    else sb.Append(ch);
                }
                lines.Add(sb.ToString());
            }
            lines.Add(new string(' ', LabelWidth) + " └" + new string('─', cols));
            string left = Number(x0, false), right = Number(x1, false), mid = xLabel ?? "";
            int gap = Math.Max(1, cols - left.Length - right.Length - mid.Length);
            lines.Add(new string(' ', LabelWidth + 2) + left + new string(' ', gap / 2) + mid + new string(' ', gap - gap / 2) + right);
            lines.Add(new string(' ', LabelWidth + 2) + string.Join("   ", drawn.Select((s, i) =>
                (color ? Ansi[i % Ansi.Length] + "━━" + Reset : Marks[i % Marks.Length] + Marks[i % Marks.Length]) + " " + s.Name)) + (logY ? "   (log scale)" : ""));
            return lines.ToArray();
        }

        private static string Number(double v, bool log)
        {
            double value = log ? Math.Pow(10, v) : v;
            return value.ToString(Math.Abs(value) >= 1e5 || (Math.Abs(value) < 1e-3 && value != 0) ? "0.##E+0" : "G4", CultureInfo.InvariantCulture);
        }

        // Braille dot bits: left column rows 0–3 are 0x01 0x02 0x04 0x40, right column 0x08 0x10 0x20 0x80.
        private static readonly int[,] DotBits = { { 0x01, 0x08 }, { 0x02, 0x10 }, { 0x04, 0x20 }, { 0x40, 0x80 } };

        private static void Dot(int[,] bits, int[,] owner, int x, int y, int series)
        {
            int r = y / 4, c = x / 2;
            if (r < 0 || c < 0 || r >= bits.GetLength(0) || c >= bits.GetLength(1)) return;
            bits[r, c] |= DotBits[y % 4, x % 2];
            owner[r, c] = series;
        }

        private static void Line(int[,] bits, int[,] owner, int xa, int ya, int xb, int yb, int series)
        {
            int steps = Math.Max(Math.Abs(xb - xa), Math.Abs(yb - ya));
            for (int i = 0; i <= steps; i++)
            {
                double t = steps == 0 ? 0 : (double)i / steps;
                Dot(bits, owner, (int)Math.Round(xa + (xb - xa) * t), (int)Math.Round(ya + (yb - ya) * t), series);
            }
        }
    }
}
