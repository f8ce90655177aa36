using System.Collections.Generic;
using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using BackpropModule.Engine.Tensors;

namespace BackpropModule.Engine.IO
{
    /// <summary>
    /// Streams one worksheet's XML with <see cref="OpenXmlWriter"/> (no element tree in memory), in
    /// the order the schema requires: sheetViews, sheetFormatPr, sheetData, conditionalFormatting,
    /// drawing. A grid sheet has headers C0… across and R0… down, frozen, and a heat map; a table
    /// sheet has the column names across.
    /// </summary>
    internal static class WorksheetStream
    {
        public static void Write(WorksheetPart part, WorkbookSheet sheet, uint bold, string drawingId)
        {
            using (var w = OpenXmlWriter.Create(part))
            {
                w.WriteStartElement(new Worksheet());
                if (sheet.Grid != null) w.WriteElement(FrozenHeaders());
                w.WriteElement(new SheetFormatProperties { DefaultRowHeight = 15 });
                w.WriteElement(ColumnWidths(sheet));
                w.WriteStartElement(new SheetData());
                if (sheet.Grid != null) GridRows(w, sheet.Name, sheet.Grid, bold);
                else TableRows(w, sheet, bold);
                w.WriteEndElement();
                if (sheet.Grid != null && sheet.HeatMap && sheet.Grid.Count > 0)
                    w.WriteElement(WorkbookStyles.HeatMap(WorkbookWriter.Reference(1, 2) + ":" + WorkbookWriter.Reference(sheet.Grid.Columns, (uint)sheet.Grid.Rows + 1)));
                if (drawingId != null) w.WriteElement(new Drawing { Id = drawingId });
                w.WriteEndElement();
            }
        }

        private static void GridRows(OpenXmlWriter w, string name, Tensor t, uint bold)
        {
            StartRow(w, 1);
            TextCell(w, "A1", name + " (" + t.Shape + ")", bold);
            var columnLetters = new string[t.Columns];
            for (int c = 0; c < t.Columns; c++)
            {
                string reference = WorkbookWriter.Reference(c + 1, 1);
                columnLetters[c] = reference.Substring(0, reference.Length - 1);
                TextCell(w, reference, Tensor.ColumnName(c), bold);
            }
            w.WriteEndElement();
            for (int r = 0; r < t.Rows; r++)
            {
                uint rowIndex = (uint)r + 2;
                string rowText = rowIndex.ToString(CultureInfo.InvariantCulture);
                StartRow(w, rowIndex);
                TextCell(w, "A" + rowText, "R" + r.ToString(CultureInfo.InvariantCulture), bold);
                for (int c = 0; c < t.Columns; c++) NumberCell(w, columnLetters[c] + rowText, t[r, c]);
                w.WriteEndElement();
            }
        }

        private static void TableRows(OpenXmlWriter w, WorkbookSheet sheet, uint bold)
        {
            StartRow(w, 1);
            for (int c = 0; c < sheet.Columns.Count; c++) TextCell(w, WorkbookWriter.Reference(c, 1), sheet.Columns[c], bold);
            w.WriteEndElement();
            for (int r = 0; r < sheet.Rows.Count; r++)
            {
                uint rowIndex = (uint)r + 2;
                StartRow(w, rowIndex);
                for (int c = 0; c < sheet.Columns.Count; c++)
                    if (sheet.Rows[r][c].HasValue) NumberCell(w, WorkbookWriter.Reference(c, rowIndex), sheet.Rows[r][c].Value);
                w.WriteEndElement();
            }
        }

        /// <summary>Widths so headers and full-precision numbers are readable: a table's columns fit their names, a grid's cells fit ~12 digits.</summary>
        private static Columns ColumnWidths(WorkbookSheet sheet)
        {
            var columns = new Columns();
            if (sheet.Grid != null)
            {
                columns.AppendChild(new Column { Min = 1, Max = 1, Width = 14, CustomWidth = true });
                if (sheet.Grid.Columns > 0)
                    columns.AppendChild(new Column { Min = 2, Max = (uint)sheet.Grid.Columns + 1, Width = 12, CustomWidth = true });
                return columns;
            }
            for (int c = 0; c < sheet.Columns.Count; c++)
                columns.AppendChild(new Column { Min = (uint)c + 1, Max = (uint)c + 1, Width = System.Math.Max(10, sheet.Columns[c].Length + 3), CustomWidth = true });
            return columns;
        }

        private static SheetViews FrozenHeaders() =>
            new SheetViews(new SheetView(new Pane
            {
                HorizontalSplit = 1, VerticalSplit = 1, TopLeftCell = "B2", ActivePane = PaneValues.BottomRight, State = PaneStateValues.Frozen,
            }) { WorkbookViewId = 0 });

        private static void StartRow(OpenXmlWriter w, uint index) =>
            w.WriteStartElement(new Row(), new List<OpenXmlAttribute> { new OpenXmlAttribute("r", null, index.ToString(CultureInfo.InvariantCulture)) });

        private static void TextCell(OpenXmlWriter w, string reference, string text, uint style) =>
            w.WriteElement(new Cell(new InlineString(new Text(text))) { CellReference = reference, DataType = CellValues.InlineString, StyleIndex = style });

        private static void NumberCell(OpenXmlWriter w, string reference, double v)
        {
            // Excel has no cell value for NaN or infinity; they are written as text so nothing is lost silently.
            if (double.IsNaN(v) || double.IsInfinity(v))
            {
                w.WriteElement(new Cell(new InlineString(new Text(v.ToString(CultureInfo.InvariantCulture)))) { CellReference = reference, DataType = CellValues.InlineString });
                return;
            }
            w.WriteStartElement(new Cell(), new List<OpenXmlAttribute> { new OpenXmlAttribute("r", null, reference) });
            w.WriteElement(new CellValue(TensorCodec.FormatScalar(v)));
            w.WriteEndElement();
        }
    }
}
