using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace BackpropModule.Engine.IO
{
    /// <summary>The few styles the workbook writer uses: bold headers and a three-colour heat map.</summary>
    internal static class WorkbookStyles
    {
        /// <summary>
        /// Adds a bold cell format to the workbook's stylesheet (creating a minimal stylesheet for a
        /// new workbook) and returns its index. An existing workbook keeps its own formats; the new
        /// one is appended so existing style indexes keep their meaning.
        /// </summary>
        public static uint EnsureBold(WorkbookPart book)
        {
            var part = book.WorkbookStylesPart ?? book.AddNewPart<WorkbookStylesPart>();
            if (part.Stylesheet == null)
            {
                part.Stylesheet = new Stylesheet(
                    new Fonts(new Font(new FontSize { Val = 11 }, new FontName { Val = "Calibri" })) { Count = 1 },
                    new Fills(new Fill(new PatternFill { PatternType = PatternValues.None }), new Fill(new PatternFill { PatternType = PatternValues.Gray125 })) { Count = 2 },
                    new Borders(new Border(new LeftBorder(), new RightBorder(), new TopBorder(), new BottomBorder(), new DiagonalBorder())) { Count = 1 },
                    new CellStyleFormats(new CellFormat { NumberFormatId = 0, FontId = 0, FillId = 0, BorderId = 0 }) { Count = 1 },
                    new CellFormats(new CellFormat { NumberFormatId = 0, FontId = 0, FillId = 0, BorderId = 0, FormatId = 0 }) { Count = 1 });
            }
            var sheet = part.Stylesheet;
            if (sheet.Fonts == null || sheet.CellFormats == null) return 0;
            sheet.Fonts.AppendChild(new Font(new Bold(), new FontSize { Val = 11 }, new FontName { Val = "Calibri" }));
            uint font = (uint)sheet.Fonts.ChildElements.Count - 1;
            sheet.Fonts.Count = font + 1;
            sheet.CellFormats.AppendChild(new CellFormat { NumberFormatId = 0, FontId = font, FillId = 0, BorderId = 0, FormatId = 0, ApplyFont = true });
            uint format = (uint)sheet.CellFormats.ChildElements.Count - 1;
            sheet.CellFormats.Count = format + 1;
            part.Stylesheet.Save();
            return format;
        }

        /// <summary>
        /// A colour scale over a range: blue at the minimum, white at the median, red at the maximum
        /// (Excel recomputes the colours when values change).
        /// </summary>
        public static ConditionalFormatting HeatMap(string range) =>
            new ConditionalFormatting(
                new ConditionalFormattingRule(
                    new ColorScale(
                        new ConditionalFormatValueObject { Type = ConditionalFormatValueObjectValues.Min },
                        new ConditionalFormatValueObject { Type = ConditionalFormatValueObjectValues.Percentile, Val = "50" },
                        new ConditionalFormatValueObject { Type = ConditionalFormatValueObjectValues.Max },
                        new Color { Rgb = "FF5A8AC6" },
                        new Color { Rgb = "FFFCFCFF" },
                        new Color { Rgb = "FFF8696B" }))
                { Type = ConditionalFormatValues.ColorScale, Priority = 1 })
            { SequenceOfReferences = new ListValue<StringValue> { InnerText = range } };
    }
}
