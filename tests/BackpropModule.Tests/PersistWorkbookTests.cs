using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using BackpropModule.Tests.Infrastructure;
using Xunit;

namespace BackpropModule.Tests
{
    /// <summary>
    /// Export-Workbook where in-process hosting shows more than a prompt: progress records, ErrorRecord category and
    /// TargetObject. Workbooks are read back with the Open XML SDK the module ships. What users type: tests/Persist.Tests.ps1.
    /// </summary>
    public sealed class PersistWorkbookTests : IClassFixture<PowerShellSession>, IDisposable
    {
        private readonly PowerShellSession ps;
        private readonly string folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "persist-wb-" + Guid.NewGuid().ToString("N"))).FullName;

        public PersistWorkbookTests(PowerShellSession session) => ps = session;

        public void Dispose() => Directory.Delete(folder, true);

        private string File(string name) => Path.Combine(folder, name);

        private static void AssertError(RunResult r, string id, ErrorCategory category, object target) => PersistTests.AssertError(r, id, category, target);

        /// <summary>Reads a sheet's cells through the Open XML SDK loaded by the module (so this also proves it loads in the hosted engine).</summary>
        private const string ReadSheet = @"
            function Read-Sheet($path, $name) {
                $doc = [DocumentFormat.OpenXml.Packaging.SpreadsheetDocument]::Open($path, $false)
                try {
                    $sheet = $doc.WorkbookPart.Workbook.Sheets.ChildElements | Where-Object { $_.Name.Value -eq $name }
                    $part = $doc.WorkbookPart.GetPartById($sheet.Id.Value)
                    $cells = @{}
                    foreach ($c in $part.Worksheet.Descendants[DocumentFormat.OpenXml.Spreadsheet.Cell]()) { $cells[$c.CellReference.Value] = $c.InnerText }
                    $cells
                } finally { $doc.Dispose() }
            }
            function Test-Grid($cells, $t) {
                $bad = 0
                for ($r = 0; $r -lt $t.Rows; $r++) { for ($c = 0; $c -lt $t.Columns; $c++) {
                    $ref = [BackpropModule.Engine.IO.WorkbookWriter]::Reference($c + 1, $r + 2)
                    if ([double]::Parse($cells[$ref], [cultureinfo]::InvariantCulture) -ne $t[$r, $c]) { $bad++ } } }
                $bad
            }";

        [Fact]
        public void Workbook_holds_every_matrix_and_the_history_and_reads_back_exactly()
        {
            var r = ps.Run(ReadSheet + @"
                $net = New-Network 3,4,2 -Seed 4
                $pass = $net | Invoke-Forward -InputObject @(@(1,2,3), @(0.5,-1,0)) -Target 0,1
                $grad = $pass | Invoke-Backward
                $records = 1..3 | ForEach-Object { [pscustomobject]@{ Epoch = $_; TrainingLoss = 1.0 / $_; TrainingAccuracy = 0.5 + $_ / 10; Duration = [timespan]::FromSeconds($_); Note = 'text' } }
                $file = @($net, $pass, $grad) + $records | Export-Workbook -Path $args[0] -PassThru
                $file.Sheets -join ','
                $cells = Read-Sheet $args[0] 'W1'; Test-Grid $cells $net.Parameters[0].Value
                $cells = Read-Sheet $args[0] 'dW2'; Test-Grid $cells $grad.dW2
                $cells = Read-Sheet $args[0] 'L1.PreActivation'; Test-Grid $cells $pass.Layers[0].PreActivation
                $h = Read-Sheet $args[0] 'TrainingHistory'
                $h['A1'], $h['B1'], $h['C1'], $h['D1'], $h['B3'], $h.ContainsKey('E1') -join '|'", File("w.xlsx")).AssertNoErrors();
            Assert.Equal("W1,b1,W2,b2,L1.Input,L1.PreActivation,L1.Output,L2.Input,L2.PreActivation,L2.Output,Target,dW1,db1,dW2,db2,L1.Delta,L2.Delta,TrainingHistory", r.Objects[0]);
            Assert.Equal(new object[] { 0, 0, 0 }, r.Objects.Skip(1).Take(3).ToArray());
            Assert.Equal("Epoch|TrainingLoss|TrainingAccuracy|DurationSeconds|0.5|False", r.Objects[4]);
            Assert.Contains(r.Progress, p => p.Activity == "Export-Workbook" && p.StatusDescription == "Wrote sheet TrainingHistory");
            Assert.Contains(r.Progress, p => p.RecordType == ProgressRecordType.Completed);
        }

        [Fact]
        public void A_failure_part_way_leaves_the_workbook_byte_identical()
        {
            ps.Run("New-Network 3,4,2 -Seed 4 | Export-Workbook -Path $args[0]", File("f.xlsx")).AssertNoErrors();
            byte[] before = System.IO.File.ReadAllBytes(File("f.xlsx"));
            var r = ps.Run(@"
                $net = New-Network 3,4,2 -Seed 5
                $net, $net.Parameters[0].Value | Export-Workbook -Path $args[0] -Append -Prefix 'New.' -WorksheetName 'bad/name'", File("f.xlsx"));
            AssertError(r, "WorksheetNameInvalid", ErrorCategory.InvalidArgument, "bad/name");
            Assert.Equal(before, System.IO.File.ReadAllBytes(File("f.xlsx")));
            Assert.Single(Directory.GetFiles(folder));
        }

        [Fact]
        public void Unsupported_input_is_reported_and_skipped()
        {
            var r = ps.Run("New-Network 2,2 -Seed 1 | ForEach-Object { $_, 'text' } | Export-Workbook -Path $args[0] -PassThru", File("u.xlsx"));
            AssertError(r, "WorkbookInputUnsupported", ErrorCategory.InvalidArgument, "text");
            Assert.Equal(new object[] { "W1", "b1" }, ((System.Collections.IEnumerable)PS.Prop(r.Objects.Single(), "Sheets")).Cast<object>().ToArray());
        }
    }
}
