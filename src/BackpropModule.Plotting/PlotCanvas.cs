using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using ScottPlot;
using SkiaSharp;

namespace BackpropModule.Plotting
{
    /// <summary>
    /// Draws one or several ScottPlot plots into one PNG or SVG: several plots are laid out on a
    /// grid (small multiples) under an optional common title. The same input always gives the
    /// same bytes: nothing time- or machine-dependent is written.
    /// </summary>
    internal static class PlotCanvas
    {
        private const float SuperTitleHeight = 36;

        /// <summary>The plots of the last picture drawn on this thread, for tests that map data to pixels.</summary>
        [ThreadStatic] internal static IReadOnlyList<Plot> LastPlots;

        /// <summary>
        /// A sans-serif family that is installed. ScottPlot's own guess (Fonts.Sans) can name a serif
        /// family on Linux, so common sans families are tried first, by name.
        /// </summary>
        internal static readonly Lazy<string> SansFont = new Lazy<string>(() =>
        {
            foreach (string name in new[] { "DejaVu Sans", "Liberation Sans", "Arial", "Helvetica", "Segoe UI", "Noto Sans" })
                using (var typeface = SKTypeface.FromFamilyName(name))
                    if (typeface != null && string.Equals(typeface.FamilyName, name, StringComparison.OrdinalIgnoreCase)) return name;
            return Fonts.Sans;
        });

        /// <summary>A plot with the module's look: sans-serif text, white background, light grid.</summary>
        internal static Plot NewPlot()
        {
            var plot = new Plot();
            plot.Font.Set(SansFont.Value);
            plot.Axes.Title.Label.FontSize = 16;
            return plot;
        }

        /// <summary>Renders one plot.</summary>
        internal static byte[] Render(Plot plot, PlotOptions options) =>
            Render(new[] { plot }, 1, null, options);

        /// <summary>Renders plots on a grid of <paramref name="columns"/> columns, with a title above them all when given.</summary>
        internal static byte[] Render(IReadOnlyList<Plot> plots, int columns, string superTitle, PlotOptions options)
        {
            int width = options.Width, height = options.Height;
            Action<SKCanvas> draw = canvas =>
            {
                canvas.Clear(SKColors.White);
                float top = string.IsNullOrEmpty(superTitle) ? 0 : SuperTitleHeight;
                int rows = (plots.Count + columns - 1) / columns;
                float cellW = (float)width / columns, cellH = (height - top) / rows;
                for (int i = 0; i < plots.Count; i++)
                {
                    if (plots[i] == null) continue;
                    float x = (i % columns) * cellW, y = top + (i / columns) * cellH;
                    // A plot clears its whole canvas before drawing; the clip keeps it to its own cell.
                    canvas.Save();
                    canvas.ClipRect(new SKRect(x, y, x + cellW, y + cellH));
                    plots[i].Render(canvas, new PixelRect(x, x + cellW, y + cellH, y));
                    canvas.Restore();
                }
                if (top > 0) DrawTitle(canvas, superTitle, width);
            };
            byte[] bytes = options.Format == PlotFormat.Svg ? Svg(draw, width, height) : Png(draw, width, height);
            LastPlots = plots.Where(p => p != null).ToList();
            return bytes;
        }

        private static void DrawTitle(SKCanvas canvas, string text, int width)
        {
            using (var typeface = SKTypeface.FromFamilyName(SansFont.Value, SKFontStyle.Bold))
            using (var font = new SKFont(typeface, 18))
            using (var paint = new SKPaint { Color = SKColors.Black, IsAntialias = true })
            {
                float w = font.MeasureText(text);
                canvas.DrawText(text, Math.Max(4, (width - w) / 2), SuperTitleHeight - 10, font, paint);
            }
        }

        private static byte[] Png(Action<SKCanvas> draw, int width, int height)
        {
            using (var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul)))
            {
                draw(surface.Canvas);
                surface.Canvas.Flush();
                using (var image = surface.Snapshot())
                using (var pixels = image.PeekPixels())
                // NOTE: with adaptive filtering Skia's PNG encoder gave different bytes for the same pixels
                // within one process; a single fixed filter makes the file a function of the pixels.
                using (var data = pixels.Encode(new SKPngEncoderOptions(SKPngEncoderFilterFlags.Sub, 6)))
                    return data.ToArray();
            }
        }

        private static byte[] Svg(Action<SKCanvas> draw, int width, int height)
        {
            // ScottPlot draws a plot twice on its first render (once to settle the layout of its axes); on a
            // bitmap the second drawing covers the first, but an SVG canvas would keep both. A first render
            // on a canvas that records nothing settles the layout, so the SVG holds each element once.
            using (var settle = new SKNoDrawCanvas(width, height))
                draw(settle);
            using (var stream = new MemoryStream())
            {
                using (var managed = new SKManagedWStream(stream))
                using (var canvas = SKSvgCanvas.Create(new SKRect(0, 0, width, height), managed))
                    draw(canvas);
                return StableIds(stream.ToArray());
            }
        }

        /// <summary>
        /// Skia numbers SVG clip paths with a process-wide counter; renumbering them in order of
        /// appearance makes the same picture give the same bytes in every process.
        /// </summary>
        private static byte[] StableIds(byte[] svg)
        {
            string text = Encoding.UTF8.GetString(svg);
            var names = new Dictionary<string, string>();
            text = Regex.Replace(text, @"(id=""|#)(cl_[0-9a-fA-F]+)", m =>
            {
                if (!names.TryGetValue(m.Groups[2].Value, out string name))
                    names[m.Groups[2].Value] = name = "clip" + names.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return m.Groups[1].Value + name;
            });
            return Encoding.UTF8.GetBytes(text);
        }

        /// <summary>The largest absolute value of a matrix (1 when all are zero), the half-range of a diverging scale.</summary>
        internal static double MaxAbs(double[,] values)
        {
            double m = 0;
            foreach (double v in values) if (!double.IsNaN(v)) m = Math.Max(m, Math.Abs(v));
            return m > 0 ? m : 1;
        }

        /// <summary>
        /// The diverging scale of every signed picture: blue for negative, near-white for zero, red
        /// for positive (ColorBrewer's RdBu, whose ends stay readable, unlike cmocean's near-black Balance).
        /// </summary>
        internal static IColormap Diverging() => new ScottPlot.Colormaps.CustomInterpolated(
            new[] { "#2166ac", "#67a9cf", "#d1e5f0", "#f7f7f7", "#fddbc7", "#ef8a62", "#b2182b" }.Select(Color.FromHex).ToArray());

        /// <summary>Columns of a near-square grid for <paramref name="count"/> panels.</summary>
        internal static int GridColumns(int count) => Math.Max(1, (int)Math.Ceiling(Math.Sqrt(count)));
    }
}
