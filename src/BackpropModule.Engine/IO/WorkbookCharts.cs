using System.Globalization;
using System.Linq;
using DocumentFormat.OpenXml.Packaging;
using A = DocumentFormat.OpenXml.Drawing;
using C = DocumentFormat.OpenXml.Drawing.Charts;
using Xdr = DocumentFormat.OpenXml.Drawing.Spreadsheet;

namespace BackpropModule.Engine.IO
{
    /// <summary>
    /// Native Excel line charts for a table sheet: a DrawingsPart on the worksheet with one
    /// two-cell anchor per chart, each pointing at a ChartPart whose LineChart has one series per
    /// column, referencing the sheet's cells (so the chart follows edits to the data).
    /// </summary>
    internal static class WorkbookCharts
    {
        private const int ChartWidthColumns = 9, ChartHeightRows = 18;

        // Explicit series colours: the workbook has no theme part, so "automatic" colours would all look alike.
        private static readonly string[] Palette = { "4472C4", "ED7D31", "70AD47", "FFC000", "7030A0", "A5A5A5" };

        /// <summary>Adds the drawing with the sheet's charts and returns its relationship id for the worksheet's drawing element.</summary>
        public static string Add(WorksheetPart sheetPart, WorkbookSheet sheet)
        {
            var drawings = sheetPart.AddNewPart<DrawingsPart>();
            drawings.WorksheetDrawing = new Xdr.WorksheetDrawing();
            int left = sheet.Columns.Count + 1;
            for (int k = 0; k < sheet.Charts.Count; k++)
            {
                var chartPart = drawings.AddNewPart<ChartPart>();
                chartPart.ChartSpace = ChartSpace(sheet, sheet.Charts[k]);
                chartPart.ChartSpace.Save();
                int top = 1 + k * (ChartHeightRows + 2);
                drawings.WorksheetDrawing.AppendChild(Anchor(drawings.GetIdOfPart(chartPart), (uint)k + 2, sheet.Charts[k].Title, left, top));
            }
            drawings.WorksheetDrawing.Save();
            return sheetPart.GetIdOfPart(drawings);
        }

        private static string Column(WorkbookSheet sheet, string name, bool header)
        {
            int c = sheet.Columns.ToList().IndexOf(name);
            string quoted = "'" + sheet.Name.Replace("'", "''") + "'!";
            string letters = WorkbookWriter.Reference(c, 1).TrimEnd('1');
            if (header) return quoted + "$" + letters + "$1";
            string last = (sheet.Rows.Count + 1).ToString(CultureInfo.InvariantCulture);
            return quoted + "$" + letters + "$2:$" + letters + "$" + last;
        }

        private static C.ChartSpace ChartSpace(WorkbookSheet sheet, WorkbookChart chart)
        {
            var line = new C.LineChart(new C.Grouping { Val = C.GroupingValues.Standard }, new C.VaryColors { Val = false });
            for (int i = 0; i < chart.SeriesColumns.Count; i++)
            {
                string column = chart.SeriesColumns[i], colour = Palette[i % Palette.Length];
                line.AppendChild(new C.LineChartSeries(
                    new C.Index { Val = (uint)i },
                    new C.Order { Val = (uint)i },
                    new C.SeriesText(new C.StringReference(new C.Formula(Column(sheet, column, true)))),
                    new C.ChartShapeProperties(new A.Outline(Fill(colour)) { Width = 28575, CapType = A.LineCapValues.Round }),
                    new C.Marker(new C.Symbol { Val = C.MarkerStyleValues.Circle }, new C.Size { Val = 5 },
                        new C.ChartShapeProperties(Fill(colour), new A.Outline(Fill(colour)))),
                    new C.CategoryAxisData(new C.NumberReference(new C.Formula(Column(sheet, chart.CategoryColumn, false)))),
                    new C.Values(new C.NumberReference(new C.Formula(Column(sheet, column, false)))),
                    new C.Smooth { Val = false }));
            }
            line.AppendChild(new C.ShowMarker { Val = true });
            line.AppendChild(new C.AxisId { Val = 1 });
            line.AppendChild(new C.AxisId { Val = 2 });

            var categoryAxis = new C.CategoryAxis(
                new C.AxisId { Val = 1 },
                new C.Scaling(new C.Orientation { Val = C.OrientationValues.MinMax }),
                new C.Delete { Val = false },
                new C.AxisPosition { Val = C.AxisPositionValues.Bottom },
                Title(chart.CategoryColumn),
                new C.NumberingFormat { FormatCode = "General", SourceLinked = true },
                new C.TickLabelPosition { Val = C.TickLabelPositionValues.NextTo },
                new C.CrossingAxis { Val = 2 },
                new C.Crosses { Val = C.CrossesValues.AutoZero },
                new C.AutoLabeled { Val = true },
                new C.LabelAlignment { Val = C.LabelAlignmentValues.Center },
                new C.LabelOffset { Val = 100 });
            var valueAxis = new C.ValueAxis(
                new C.AxisId { Val = 2 },
                new C.Scaling(new C.Orientation { Val = C.OrientationValues.MinMax }),
                new C.Delete { Val = false },
                new C.AxisPosition { Val = C.AxisPositionValues.Left },
                new C.MajorGridlines(),
                new C.NumberingFormat { FormatCode = "General", SourceLinked = true },
                new C.TickLabelPosition { Val = C.TickLabelPositionValues.NextTo },
                new C.CrossingAxis { Val = 1 },
                new C.Crosses { Val = C.CrossesValues.AutoZero },
                new C.CrossBetween { Val = C.CrossBetweenValues.Between });

            var plot = new C.PlotArea(new C.Layout(), line, categoryAxis, valueAxis);
            var c = new C.Chart(Title(chart.Title), new C.AutoTitleDeleted { Val = false }, plot,
                new C.Legend(new C.LegendPosition { Val = C.LegendPositionValues.Bottom }, new C.Overlay { Val = false }),
                new C.PlotVisibleOnly { Val = true },
                new C.DisplayBlanksAs { Val = C.DisplayBlanksAsValues.Gap });
            return new C.ChartSpace(new C.RoundedCorners { Val = false }, c);
        }

        private static A.SolidFill Fill(string rgb) => new A.SolidFill(new A.RgbColorModelHex { Val = rgb });

        private static C.Title Title(string text) =>
            new C.Title(
                new C.ChartText(new C.RichText(new A.BodyProperties(), new A.ListStyle(), new A.Paragraph(new A.Run(new A.Text(text))))),
                new C.Overlay { Val = false });

        private static Xdr.TwoCellAnchor Anchor(string chartId, uint shapeId, string name, int left, int top) =>
            new Xdr.TwoCellAnchor(
                Marker(new Xdr.FromMarker(), left, top),
                Marker(new Xdr.ToMarker(), left + ChartWidthColumns, top + ChartHeightRows),
                new Xdr.GraphicFrame(
                    new Xdr.NonVisualGraphicFrameProperties(
                        new Xdr.NonVisualDrawingProperties { Id = shapeId, Name = name },
                        new Xdr.NonVisualGraphicFrameDrawingProperties()),
                    new Xdr.Transform(new A.Offset { X = 0, Y = 0 }, new A.Extents { Cx = 0, Cy = 0 }),
                    new A.Graphic(new A.GraphicData(new C.ChartReference { Id = chartId }) { Uri = "http://schemas.openxmlformats.org/drawingml/2006/chart" }))
                { Macro = "" },
                new Xdr.ClientData());

        private static T Marker<T>(T marker, int column, int row) where T : DocumentFormat.OpenXml.OpenXmlCompositeElement
        {
            marker.Append(
                new Xdr.ColumnId(column.ToString(CultureInfo.InvariantCulture)),
                new Xdr.ColumnOffset("0"),
                new Xdr.RowId(row.ToString(CultureInfo.InvariantCulture)),
                new Xdr.RowOffset("0"));
            return marker;
        }
    }
}
