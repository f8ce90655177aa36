using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Xml;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace BackpropModule.Engine.IO
{
    /// <summary>
    /// Writes .xlsx workbooks with the Open XML SDK (no Excel needed): one worksheet per
    /// <see cref="WorkbookSheet"/>, numbers stored with round-trip precision. The file is built in a
    /// temporary copy and moved into place (<see cref="AtomicFile"/>), so a failure part-way leaves
    /// an existing workbook byte-for-byte as it was.
    /// </summary>
    public static class WorkbookWriter
    {
        /// <summary>Rows on one worksheet.</summary>
        public const int MaxRows = 1048576;

        /// <summary>Columns on one worksheet.</summary>
        public const int MaxColumns = 16384;

        private static readonly char[] ForbiddenNameCharacters = { ':', '\\', '/', '?', '*', '[', ']' };

        /// <summary>Test hook: called with the sheet index after each sheet is added, before the file is moved into place.</summary>
        internal static Action<int> SheetWritten;

        /// <summary>
        /// Writes the sheets to <paramref name="path"/>. Without <paramref name="append"/> the file is
        /// replaced by a new workbook; with it, the sheets are added to the existing workbook and a
        /// sheet of the same name (compared case-insensitively, as Excel does) is replaced in place.
        /// </summary>
        /// <param name="path">The .xlsx file.</param>
        /// <param name="sheets">The sheets, in order.</param>
        /// <param name="append">Edit an existing workbook instead of replacing it.</param>
        /// <param name="sheetWritten">Called with the sheet index after each sheet (progress); an exception it throws, e.g. on Ctrl+C, abandons the write and leaves the original file as it was.</param>
        /// <param name="force">Allow replacing a read-only file (it stays read-only).</param>
        /// <returns>The names of the sheets that were replaced.</returns>
        /// <exception cref="BackpropException">WorksheetNameInvalid, WorksheetTooLarge, WorkbookInvalid, WorkbookInputUnsupported, PathInvalid, PathNotFile, OutputFileReadOnly or OutputFileWriteFailed; the original file is unchanged.</exception>
        public static IReadOnlyList<string> Write(string path, IReadOnlyList<WorkbookSheet> sheets, bool append = false, Action<int> sheetWritten = null, bool force = false)
        {
            if (path == null) throw new ArgumentNullException(nameof(path));
            if (sheets == null) throw new ArgumentNullException(nameof(sheets));
            var replaced = new List<string>();
            bool edit = append && File.Exists(FileChecks.FullPath(path));
            AtomicFile.WriteStream(path, stream =>
            {
                try
                {
                    using (var doc = edit ? SpreadsheetDocument.Open(stream, true) : SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
                    {
                        var book = doc.WorkbookPart ?? doc.AddWorkbookPart();
                        if (book.Workbook == null) book.Workbook = new Workbook();
                        if (book.Workbook.Sheets == null) book.Workbook.AppendChild(new Sheets());
                        uint bold = WorkbookStyles.EnsureBold(book);
                        for (int i = 0; i < sheets.Count; i++)
                        {
                            AddSheet(book, sheets[i], bold, replaced, path);
                            SheetWritten?.Invoke(i);
                            sheetWritten?.Invoke(i);
                        }
                        book.Workbook.Save();
                    }
                }
                // The parts of an existing workbook are parsed lazily, so a damaged part (a malformed
                // workbook.xml, styles or sheet list) surfaces anywhere in the edit, not only at Open.
                catch (Exception e) when (edit && (e is OpenXmlPackageException || e is InvalidDataException || e is FileFormatException || e is XmlException || e is InvalidOperationException))
                {
                    throw new BackpropException(ErrorIds.WorkbookInvalid, ErrorKind.InvalidData, path,
                        $"'{path}' is not a workbook that can be appended to ({e.Message}). Write to a new file or leave out -Append to replace it.", e);
                }
            }, startFromExisting: edit, force: force);
            return replaced;
        }

        /// <summary>Checks a worksheet name against Excel's rules.</summary>
        /// <exception cref="BackpropException">WorksheetNameInvalid.</exception>
        public static void CheckName(string name)
        {
            string problem = string.IsNullOrEmpty(name) ? "it is empty"
                : name.Length > 31 ? $"it has {name.Length} characters (at most 31)"
                : name.IndexOfAny(ForbiddenNameCharacters) >= 0 ? "it contains one of : \\ / ? * [ ]"
                : name.FirstOrDefault(ch => ch < ' ') is char control && control != '\0' ? $"it contains the control character U+{(int)control:X4}"
                : name.IndexOf('\0') >= 0 ? "it contains the control character U+0000"
                : FirstInvalidCharacter(name) is int bad ? $"it contains the character U+{bad:X4}, which a workbook cannot store"
                : name[0] == '\'' || name[name.Length - 1] == '\'' ? "it starts or ends with an apostrophe"
                : string.Equals(name, "History", StringComparison.OrdinalIgnoreCase) ? "Excel reserves 'History'"
                : null;
            if (problem != null)
                throw new BackpropException(ErrorIds.WorksheetNameInvalid, ErrorKind.InvalidArgument, name, $"'{name}' cannot be a worksheet name: {problem}.");
        }

        /// <summary>The first character of <paramref name="text"/> that an .xlsx file cannot hold (a control character, an unpaired surrogate, U+FFFE/U+FFFF), or null.</summary>
        internal static int? FirstInvalidCharacter(string text)
        {
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { i++; continue; }
                if ((c < ' ' && c != '\t' && c != '\n' && c != '\r') || char.IsSurrogate(c) || c == '\uFFFE' || c == '\uFFFF') return c;
            }
            return null;
        }

        private static void AddSheet(WorkbookPart book, WorkbookSheet sheet, uint bold, List<string> replaced, string path)
        {
            CheckName(sheet.Name);
            if (sheet.Columns != null)
                foreach (string column in sheet.Columns)
                    if (FirstInvalidCharacter(column) is int bad)
                        throw new BackpropException(ErrorIds.WorkbookInputUnsupported, ErrorKind.InvalidArgument, column,
                            $"The property name '{column}' holds the control character U+{bad:X4}, which a workbook cannot store; rename the property.");
            CheckSize(sheet);
            var sheetsElement = book.Workbook.Sheets;
            var old = sheetsElement.Elements<Sheet>().FirstOrDefault(s => string.Equals(s.Name?.Value, sheet.Name, StringComparison.OrdinalIgnoreCase));
            var part = book.AddNewPart<WorksheetPart>();
            string drawingId = sheet.Charts.Count > 0 ? WorkbookCharts.Add(part, sheet) : null;
            WorksheetStream.Write(part, sheet, bold, drawingId);
            uint id = sheetsElement.Elements<Sheet>().Select(s => s.SheetId?.Value ?? 0).DefaultIfEmpty(0u).Max() + 1;
            var entry = new Sheet { Id = book.GetIdOfPart(part), SheetId = id, Name = sheet.Name };
            if (old != null)
            {
                replaced.Add(old.Name.Value);
                sheetsElement.InsertAfter(entry, old);
                if (old.Id?.Value != null && book.GetPartById(old.Id.Value) is WorksheetPart oldPart) book.DeletePart(oldPart);
                old.Remove();
                // Excel rebuilds the calculation chain; a stale one that names the removed sheet is an error.
                if (book.CalculationChainPart != null) book.DeletePart(book.CalculationChainPart);
            }
            else sheetsElement.AppendChild(entry);
        }

        private static void CheckSize(WorkbookSheet sheet)
        {
            if (sheet.Grid != null && (sheet.Grid.Rows + 1 > MaxRows || sheet.Grid.Columns + 1 > MaxColumns))
                throw new BackpropException(ErrorIds.WorksheetTooLarge, ErrorKind.InvalidArgument, sheet.Name,
                    $"{sheet.Name} is {sheet.Grid.Shape}; a worksheet holds at most {MaxRows - 1} x {MaxColumns - 1} values with headers. Export a slice instead.");
            if (sheet.Grid == null && (sheet.Rows.Count + 1 > MaxRows || sheet.Columns.Count > MaxColumns))
                throw new BackpropException(ErrorIds.WorksheetTooLarge, ErrorKind.InvalidArgument, sheet.Name,
                    $"{sheet.Name} has {sheet.Rows.Count} rows of {sheet.Columns.Count} columns; a worksheet holds {MaxRows - 1} rows of {MaxColumns} columns below a header.");
        }

        /// <summary>The A1-style reference of a zero-based column and a one-based row.</summary>
        public static string Reference(int column, uint row)
        {
            string letters = "";
            for (int c = column + 1; c > 0; c = (c - 1) / 26) letters = (char)('A' + (c - 1) % 26) + letters;
            return letters + row.ToString(CultureInfo.InvariantCulture);
        }
    }
}
