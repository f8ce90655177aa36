using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using BackpropModule.Engine;
using BackpropModule.Engine.IO;
using BackpropModule.Engine.Layers;
using BackpropModule.Engine.Losses;
using BackpropModule.Engine.Tensors;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using DocumentFormat.OpenXml.Validation;
using Xunit;
using C = DocumentFormat.OpenXml.Drawing.Charts;

namespace BackpropModule.Engine.Tests.Persist
{
    /// <summary>Writes workbooks and reads them back with the Open XML SDK. One class, so the fault hook is never shared.</summary>
    public sealed class WorkbookWriterTests : IDisposable
    {
        private readonly string folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "persist-wb-" + Guid.NewGuid().ToString("N"))).FullName;

        public void Dispose() { WorkbookWriter.SheetWritten = null; Directory.Delete(folder, true); }

        /// <summary>Every cell of a sheet as (reference → text or number).</summary>
        internal static Dictionary<string, string> ReadCells(string path, string sheetName)
        {
            using var doc = SpreadsheetDocument.Open(path, false);
            var sheet = doc.WorkbookPart.Workbook.Sheets.Elements<Sheet>().Single(s => s.Name == sheetName);
            var part = (WorksheetPart)doc.WorkbookPart.GetPartById(sheet.Id);
            return part.Worksheet.Descendants<Cell>().ToDictionary(c => c.CellReference.Value,
                c => c.DataType?.Value == CellValues.InlineString ? c.InlineString.InnerText : c.CellValue.Text);
        }

        internal static List<string> SheetNames(string path)
        {
            using var doc = SpreadsheetDocument.Open(path, false);
            return doc.WorkbookPart.Workbook.Sheets.Elements<Sheet>().Select(s => s.Name.Value).ToList();
        }

        private static void AssertGrid(Dictionary<string, string> cells, Tensor t)
        {
            Assert.Equal((t.Rows + 1) * (t.Columns + 1), cells.Count);
            for (int c = 0; c < t.Columns; c++) Assert.Equal("C" + c, cells[WorkbookWriter.Reference(c + 1, 1)]);
            for (int r = 0; r < t.Rows; r++)
            {
                Assert.Equal("R" + r, cells[WorkbookWriter.Reference(0, (uint)r + 2)]);
                for (int c = 0; c < t.Columns; c++)
                {
                    double back = double.Parse(cells[WorkbookWriter.Reference(c + 1, (uint)r + 2)], CultureInfo.InvariantCulture);
                    Assert.Equal(BitConverter.DoubleToInt64Bits(t[r, c]), BitConverter.DoubleToInt64Bits(back));
                }
            }
        }

        private static void AssertValid(string path)
        {
            using var doc = SpreadsheetDocument.Open(path, false);
            var errors = new OpenXmlValidator().Validate(doc).Select(e => e.Path?.XPath + ": " + e.Description).ToList();
            Assert.True(errors.Count == 0, string.Join("\n", errors));
        }

        private static Network Net() => new Network(new[] { 5, 30, 3 }, ActivationKind.ReLU, OutputKind.Softmax, seed: 17);

        [Fact]
        public void Every_parameter_cell_reads_back_bit_exact_with_headers_and_a_heat_map()
        {
            var net = Net();
            net.Parameters[1].Value[0, 3] = 0.1 + 0.2;
            net.Parameters[1].Value[0, 4] = -double.Epsilon;
            string path = Path.Combine(folder, "w.xlsx");
            WorkbookWriter.Write(path, net.Parameters.Select(p => WorkbookSheet.ForTensor(p.Name, p.Value)).ToList());
            Assert.Equal(new[] { "W1", "b1", "W2", "b2" }, SheetNames(path));
            foreach (var p in net.Parameters) AssertGrid(ReadCells(path, p.Name), p.Value);
            AssertValid(path);
            using var doc = SpreadsheetDocument.Open(path, false);
            var ws = doc.WorkbookPart.WorksheetParts.First().Worksheet;
            var scale = ws.Descendants<ColorScale>().Single();
            Assert.Equal(3, scale.Elements<Color>().Count());
            Assert.Equal("B2:AE6", ws.Descendants<ConditionalFormatting>().Single().SequenceOfReferences.InnerText);
        }

        private static WorkbookSheet History(int epochs)
        {
            var columns = new[] { "Epoch", "TrainingLoss", "TrainingAccuracy", "ValidationLoss", "ValidationAccuracy" };
            var rows = Enumerable.Range(1, epochs).Select(e => new double?[] { e, 1.0 / e, 1 - 0.5 / e, e == 2 ? (double?)null : 1.1 / e, 0.9 - 0.4 / e }).ToList();
            return WorkbookSheet.ForTable("TrainingHistory", columns, rows, WorkbookSheet.HistoryCharts(columns));
        }

        [Fact]
        public void A_history_sheet_has_its_table_and_two_native_line_charts()
        {
            string path = Path.Combine(folder, "h.xlsx");
            WorkbookWriter.Write(path, new[] { History(4) });
            var cells = ReadCells(path, "TrainingHistory");
            Assert.Equal("TrainingLoss", cells["B1"]);
            Assert.Equal((1.0 / 3).ToString("R", CultureInfo.InvariantCulture), cells["B4"]);
            Assert.False(cells.ContainsKey("D3"));
            AssertValid(path);
            using var doc = SpreadsheetDocument.Open(path, false);
            var charts = doc.WorkbookPart.WorksheetParts.Single().DrawingsPart.ChartParts.ToList();
            Assert.Equal(2, charts.Count);
            var series = charts.SelectMany(c => c.ChartSpace.Descendants<C.LineChartSeries>()).ToList();
            Assert.Equal(4, series.Count);
            Assert.Contains(series, s => s.Descendants<C.Formula>().Any(f => f.Text == "'TrainingHistory'!$B$2:$B$5"));
            Assert.All(series, s => Assert.Contains(s.Descendants<C.Formula>(), f => f.Text == "'TrainingHistory'!$A$2:$A$5"));
        }

        [Fact]
        public void Append_keeps_other_sheets_and_replaces_a_sheet_of_the_same_name_in_place()
        {
            var net = Net();
            string path = Path.Combine(folder, "a.xlsx");
            WorkbookWriter.Write(path, new[] { WorkbookSheet.ForTensor("W1", net.Parameters[0].Value), WorkbookSheet.ForTensor("b1", net.Parameters[1].Value) });
            var replacement = Tensor.FromRows(new[] { new[] { 1.5, 2.5 } });
            var replaced = WorkbookWriter.Write(path, new[] { WorkbookSheet.ForTensor("w1", replacement), History(3) }, append: true);
            Assert.Equal(new[] { "W1" }, replaced);
            Assert.Equal(new[] { "w1", "b1", "TrainingHistory" }, SheetNames(path));
            AssertGrid(ReadCells(path, "w1"), replacement);
            AssertGrid(ReadCells(path, "b1"), net.Parameters[1].Value);
            AssertValid(path);
        }

        [Fact]
        public void A_fault_part_way_leaves_the_original_workbook_byte_identical()
        {
            var net = Net();
            string path = Path.Combine(folder, "f.xlsx");
            WorkbookWriter.Write(path, new[] { WorkbookSheet.ForTensor("W1", net.Parameters[0].Value) });
            byte[] before = File.ReadAllBytes(path);
            WorkbookWriter.SheetWritten = i => { if (i == 1) throw new IOException("injected fault after two sheets"); };
            var sheets = net.Parameters.Select(p => WorkbookSheet.ForTensor(p.Name, p.Value)).ToList();
            var e = Assert.Throws<BackpropException>(() => WorkbookWriter.Write(path, sheets, append: true));
            Assert.Equal(ErrorIds.OutputFileWriteFailed, e.ErrorId);
            Assert.Throws<BackpropException>(() => WorkbookWriter.Write(path, sheets));
            WorkbookWriter.SheetWritten = null;
            Assert.Equal(before, File.ReadAllBytes(path));
            Assert.Single(Directory.GetFiles(folder));
        }

        [Theory]
        [InlineData("bad/name")]
        [InlineData("")]
        [InlineData("a name that is far too long for excel")]
        [InlineData("History")]
        [InlineData("'quoted")]
        public void An_invalid_sheet_name_after_a_valid_sheet_leaves_the_file_unchanged(string name)
        {
            string path = Path.Combine(folder, "n.xlsx");
            File.WriteAllText(path, "not touched");
            var t = Tensor.FromRows(new[] { new[] { 1.0 } });
            var e = Assert.Throws<BackpropException>(() => WorkbookWriter.Write(path, new[] { WorkbookSheet.ForTensor("ok", t), WorkbookSheet.ForTensor(name, t) }));
            Assert.Equal(ErrorIds.WorksheetNameInvalid, e.ErrorId);
            Assert.Equal(name, e.TargetObject);
            Assert.Equal("not touched", File.ReadAllText(path));
            Assert.Single(Directory.GetFiles(folder));
        }

        [Fact]
        public void Appending_to_a_file_that_is_not_a_workbook_is_refused()
        {
            string path = Path.Combine(folder, "x.xlsx");
            File.WriteAllText(path, "plain text");
            var e = Assert.Throws<BackpropException>(() => WorkbookWriter.Write(path, new[] { History(2) }, append: true));
            Assert.Equal(ErrorIds.WorkbookInvalid, e.ErrorId);
            Assert.Equal("plain text", File.ReadAllText(path));
        }

        [Fact]
        public void A_matrix_wider_than_a_sheet_is_refused()
        {
            var e = Assert.Throws<BackpropException>(() => WorkbookWriter.Write(Path.Combine(folder, "big.xlsx"), new[] { WorkbookSheet.ForTensor("wide", new Tensor(1, WorkbookWriter.MaxColumns)) }));
            Assert.Equal(ErrorIds.WorksheetTooLarge, e.ErrorId);
            Assert.Empty(Directory.GetFiles(folder));
        }
    }
}
