using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using BackpropModule.Tests.Infrastructure;
using Xunit;

namespace BackpropModule.Tests
{
    /// <summary>Save-Network, Import-Network, Export-NetworkOnnx and Export-Workbook in a hosted engine.</summary>
    public sealed class PersistTests : IClassFixture<PowerShellSession>, IDisposable
    {
        private readonly PowerShellSession ps;
        private readonly string folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "persist-ps-" + Guid.NewGuid().ToString("N"))).FullName;

        public PersistTests(PowerShellSession session) => ps = session;

        public void Dispose() => Directory.Delete(folder, true);

        private string File(string name) => Path.Combine(folder, name);

        private static void AssertError(RunResult r, string id, ErrorCategory category, object target)
        {
            var e = r.SingleError();
            Assert.StartsWith(id, e.FullyQualifiedErrorId);
            Assert.Equal(category, e.CategoryInfo.Category);
            if (target != null) Assert.Equal(target, e.TargetObject is PSObject p ? p.BaseObject : e.TargetObject);
        }

        [Theory]
        [InlineData("ReLU", "Softmax")]
        [InlineData("Tanh", "Identity")]
        [InlineData("Sigmoid", "Sigmoid")]
        public void Save_and_import_round_trip_bit_exact_with_the_checkpoint(string activation, string output)
        {
            var r = ps.Run($@"
                $net = New-Network 3,6,5,2 -Activation {activation} -Output {output} -Seed 8
                $cp = [BackpropModule.Engine.Training.TrainingCheckpoint]::new()
                $cp.EpochsCompleted = 4
                $cp.RandomState = [ulong[]](1, 2, 18446744073709551615)
                $cp.OptimizerName = 'Momentum'
                $d = [System.Collections.Generic.Dictionary[string,double]]::new(); $d['LearningRate'] = 0.1; $d['Momentum'] = 0.9
                $cp.OptimizerSettings = $d
                $state = [System.Collections.Generic.List[System.Collections.Generic.KeyValuePair[string,BackpropModule.Engine.Tensors.Tensor]]]::new()
                $state.Add([System.Collections.Generic.KeyValuePair[string,BackpropModule.Engine.Tensors.Tensor]]::new('v.W1', $net.Parameters[0].Value.Clone()))
                $cp.OptimizerState = $state
                $net.Checkpoint = $cp
                $saved = $net | Save-Network -Path $args[0] -PassThru
                $back = Import-Network -Path $args[0]
                $back
                $saved
                for ($i = 0; $i -lt $net.Parameters.Count; $i++) {{ $net.Parameters[$i].Value.BitwiseEquals($back.Parameters[$i].Value) }}
                $back.Checkpoint.EpochsCompleted; $back.Checkpoint.OptimizerName; $back.Checkpoint.OptimizerSettings['Momentum']
                $back.Checkpoint.RandomState[2]; $back.Checkpoint.OptimizerState[0].Value.BitwiseEquals($net.Parameters[0].Value)", File("n.json")).AssertNoErrors();
            var o = r.Objects;
            Assert.Equal("BackpropModule.Engine.Network", PS.TypeName(o[0]));
            Assert.Equal(8L, PS.Prop(o[0], "Seed"));
            Assert.Equal("BackpropModule.Engine.IO.SavedFile", PS.TypeName(o[1]));
            Assert.Equal(File("n.json"), PS.Prop(o[1], "Path"));
            Assert.All(o.Skip(2).Take(6), b => Assert.Equal(true, b));
            Assert.Equal(4, o[8]);
            Assert.Equal("Momentum", o[9]);
            Assert.Equal(0.9, o[10]);
            Assert.Equal(ulong.MaxValue, o[11]);
            Assert.Equal(true, o[12]);
        }

        [Fact]
        public void WhatIf_creates_no_file_for_any_writer()
        {
            var r = ps.Run(@"
                $net = New-Network 2,3,2 -Seed 1
                $net | Save-Network -Path $args[0] -WhatIf
                $net | Export-NetworkOnnx -Path $args[1] -WhatIf
                $net | Export-Workbook -Path $args[2] -WhatIf", File("a.json"), File("a.onnx"), File("a.xlsx")).AssertNoErrors();
            Assert.Empty(Directory.GetFiles(folder));
            Assert.Contains("What if", r.HostText);
        }

        [Fact]
        public void NoClobber_refuses_an_existing_file_and_leaves_it()
        {
            System.IO.File.WriteAllText(File("x.json"), "keep");
            var r = ps.Run("New-Network 2,2 -Seed 1 | Save-Network -Path $args[0] -NoClobber", File("x.json"));
            AssertError(r, "OutputFileExists", ErrorCategory.ResourceExists, File("x.json"));
            Assert.Equal("keep", System.IO.File.ReadAllText(File("x.json")));
            r = ps.Run("New-Network 2,2 -Seed 1 | Export-NetworkOnnx -Path $args[0] -NoClobber", File("x.json"));
            AssertError(r, "OutputFileExists", ErrorCategory.ResourceExists, File("x.json"));
        }

        [Fact]
        public void Import_reports_bad_files_with_stable_ids_and_goes_on_with_the_next()
        {
            ps.Run("New-Network 2,3,2 -Seed 1 | Save-Network -Path $args[0]", File("good.json")).AssertNoErrors();
            string text = System.IO.File.ReadAllText(File("good.json"));
            System.IO.File.WriteAllText(File("tampered.json"), text.Replace("\"seed\": 1", "\"seed\": 2"));
            System.IO.File.WriteAllText(File("truncated.json"), text.Substring(0, text.Length / 2));
            System.IO.File.WriteAllText(File("future.json"), text.Replace("\"formatVersion\": 1", "\"formatVersion\": 9"));

            AssertError(ps.Run("Import-Network -Path $args[0]", File("tampered.json")), "NetworkFileChecksumMismatch", ErrorCategory.InvalidData, File("tampered.json"));
            AssertError(ps.Run("Import-Network -Path $args[0]", File("truncated.json")), "NetworkFileInvalid", ErrorCategory.InvalidData, File("truncated.json"));
            AssertError(ps.Run("Import-Network -Path $args[0]", File("future.json")), "NetworkFileVersionUnsupported", ErrorCategory.InvalidData, File("future.json"));
            AssertError(ps.Run("Import-Network -Path $args[0]", File("none.json")), "NetworkFileNotFound", ErrorCategory.ObjectNotFound, File("none.json"));

            var r = ps.Run("Import-Network -Path $args", File("good.json"), File("tampered.json"), File("good.json"));
            Assert.Equal(2, r.Objects.Count);
            Assert.Single(r.Errors);
            Assert.Null(r.Terminating);
        }

        [Fact]
        public void Import_takes_piped_paths_and_file_objects_and_wildcards()
        {
            var r = ps.Run(@"
                New-Network 2,3,2 -Seed 5 | Save-Network -Path $args[0]
                New-Network 2,4,2 -Seed 6 | Save-Network -Path $args[1]
                ($args[0] | Import-Network).Seed
                ([System.IO.FileInfo]::new($args[1]) | Import-Network).Seed
                (Import-Network -Path ([System.IO.Path]::Combine($args[2], 'p*.json'))).Count", File("p1.json"), File("p2.json"), folder).AssertNoErrors();
            Assert.Equal(new object[] { 5L, 6L, 2 }, r.Objects.ToArray());
        }

        [Fact]
        public void Onnx_export_writes_a_model_and_describes_it()
        {
            var r = ps.Run(@"
                $net = New-Network 4,8,3 -Seed 2
                $net | Export-NetworkOnnx -Path $args[0] -PassThru
                $net | Export-NetworkOnnx -Path $args[1] -Precision Single -PassThru", File("m.onnx"), File("m32.onnx")).AssertNoErrors();
            Assert.Equal("ONNX opset 13 (float64)", PS.Prop(r.Objects[0], "Format"));
            Assert.Equal("ONNX opset 13 (float32)", PS.Prop(r.Objects[1], "Format"));
            Assert.True((long)PS.Prop(r.Objects[1], "Length") < (long)PS.Prop(r.Objects[0], "Length"));
            Assert.Equal(2, Directory.GetFiles(folder).Length);
        }

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
            function Get-SheetNames($path) {
                $doc = [DocumentFormat.OpenXml.Packaging.SpreadsheetDocument]::Open($path, $false)
                try { ,@($doc.WorkbookPart.Workbook.Sheets.ChildElements | ForEach-Object { $_.Name.Value }) } finally { $doc.Dispose() }
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
        public void Append_keeps_other_sheets_replaces_same_names_and_says_so()
        {
            var r = ps.Run(ReadSheet + @"
                $net = New-Network 3,4,2 -Seed 4
                $net | Export-Workbook -Path $args[0]
                $other = New-Network 3,4,2 -Seed 99
                $other.Parameters[0].Value | Export-Workbook -Path $args[0] -Append -WorksheetName W1
                Get-SheetNames $args[0]
                Test-Grid (Read-Sheet $args[0] 'W1') $other.Parameters[0].Value
                Test-Grid (Read-Sheet $args[0] 'b2') $net.Parameters[3].Value", File("a.xlsx")).AssertNoErrors();
            Assert.Equal(new object[] { "W1", "b1", "W2", "b2" }, ((object[])r.Objects[0]).ToArray());
            Assert.Equal(0, r.Objects[1]);
            Assert.Equal(0, r.Objects[2]);
            Assert.Contains(r.Warnings, w => w.Message.Contains("Replaced existing worksheet(s) W1"));
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
        public void MaxRows_writes_the_first_rows_and_warns()
        {
            var r = ps.Run(ReadSheet + @"
                $t = [BackpropModule.Engine.Tensors.Tensor]::FromRows([double[][]]@(@(1.5, 2), @(3, 4), @(5, 6)))
                $t | Export-Workbook -Path $args[0] -WorksheetName Cut -MaxRows 2
                $cells = Read-Sheet $args[0] 'Cut'
                $cells.Count; $cells['B3']", File("m.xlsx")).AssertNoErrors();
            Assert.Equal(new object[] { 9, "3" }, r.Objects.ToArray());
            Assert.Contains(r.Warnings, w => w.Message.Contains("writing the first 2"));
        }

        [Fact]
        public void Unsupported_input_is_reported_and_skipped()
        {
            var r = ps.Run("New-Network 2,2 -Seed 1 | ForEach-Object { $_, 'text' } | Export-Workbook -Path $args[0] -PassThru", File("u.xlsx"));
            AssertError(r, "WorkbookInputUnsupported", ErrorCategory.InvalidArgument, "text");
            Assert.Equal(new object[] { "W1", "b1" }, ((System.Collections.IEnumerable)PS.Prop(r.Objects.Single(), "Sheets")).Cast<object>().ToArray());
        }

        [Fact]
        public void Rows_for_ImportExcel_have_one_property_set_and_numbers()
        {
            var r = ps.Run(@"
                $net = New-Network 3,4,2 -Seed 4
                $grad = $net | Invoke-Forward -InputObject @(@(1,2,3)) -Target 1 | Invoke-Backward
                ,@($net.Parameters[0].Value.ToRows()); ,@($grad.ToExcelRows()); ,@($net.ToExcelRows())").AssertNoErrors();
            foreach (var set in r.Objects.Cast<object[]>())
            {
                var names = PSObject.AsPSObject(set[0]).Properties.Select(p => p.Name).ToArray();
                foreach (var row in set)
                {
                    var props = PSObject.AsPSObject(row).Properties.ToArray();
                    Assert.Equal(names, props.Select(p => p.Name).ToArray());
                    Assert.All(props.Where(p => p.Name != "Name"), p => Assert.True(p.Value is double || p.Value is int, p.Name + " is " + p.Value?.GetType()));
                }
            }
            Assert.Equal(new[] { "Row", "C0", "C1", "C2", "C3" }, PSObject.AsPSObject(((object[])r.Objects[0])[0]).Properties.Select(p => p.Name).ToArray());
            Assert.Equal(4, ((object[])r.Objects[1]).Length);
        }

        [Fact]
        public void SavedFile_renders_through_its_view()
        {
            string text = ps.Render($"New-Network 2,2 -Seed 1 | Save-Network -Path '{File("v.json")}' -PassThru");
            Assert.Contains("Format", text);
            Assert.Contains("BackpropModule.Network v1", text);
            Assert.Contains("bytes", text);
        }

        [Fact]
        public void A_missing_folder_is_a_write_error_and_nothing_is_left_behind()
        {
            string target = Path.Combine(folder, "no-such-folder", "n.json");
            var r = ps.Run("New-Network 2,2 -Seed 1 | Save-Network -Path $args[0]", target);
            AssertError(r, "OutputFileWriteFailed", ErrorCategory.WriteError, target);
            Assert.Empty(Directory.GetFileSystemEntries(folder));
        }

        [Theory]
        [InlineData("net8.0")]
        [InlineData("netstandard2.0")]
        public void Both_builds_ship_the_Open_XML_SDK(string framework)
        {
            string dir = Path.Combine(ps.RepositoryRoot, "out", "BackpropModule", framework);
            Assert.True(System.IO.File.Exists(Path.Combine(dir, "DocumentFormat.OpenXml.dll")), dir);
            Assert.True(System.IO.File.Exists(Path.Combine(dir, "DocumentFormat.OpenXml.Framework.dll")), dir);
            Assert.True(System.IO.File.Exists(Path.Combine(dir, "System.IO.Packaging.dll")), dir);
        }

        /// <summary>The netstandard2.0 build (the one Windows PowerShell 5.1 loads) runs the save-and-export example in its own process.</summary>
        [Fact]
        public async System.Threading.Tasks.Task The_netstandard_build_saves_and_exports_in_a_fresh_process()
        {
            var start = new System.Diagnostics.ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "BackpropModule.ScriptRunner.dll"));
            start.ArgumentList.Add(Path.Combine(ps.RepositoryRoot, "examples", "06-SaveAndExport.ps1"));
            start.Environment["BACKPROP_BUILD"] = "netstandard2.0";
            using var process = System.Diagnostics.Process.Start(start);
            var stdoutTask = process.StandardOutput.ReadToEndAsync();
            var stderrTask = process.StandardError.ReadToEndAsync();
            using var timeout = new System.Threading.CancellationTokenSource(TimeSpan.FromMinutes(5));
            await process.WaitForExitAsync(timeout.Token);
            string stdout = await stdoutTask, stderr = await stderrTask;
            Assert.True(process.ExitCode == 0, stdout + stderr);
            Assert.Contains("ONNX opset 13 (float64)", stdout);
            Assert.Matches(@"toy\.json\s+True\s+True", System.Text.RegularExpressions.Regex.Replace(stdout, "\u001b\\[[0-9;]*m", ""));
        }

        [Theory]
        [InlineData("Save-Network")]
        [InlineData("Import-Network")]
        [InlineData("Export-NetworkOnnx")]
        [InlineData("Export-Workbook")]
        public void Help_shows_examples(string command)
        {
            var r = ps.Run($"Get-Help {command} -Examples | Out-Default").AssertNoErrors();
            Assert.Contains("Example 1", r.HostText);
            Assert.Contains("Example 2", r.HostText);
            var full = ps.Run($"(Get-Help {command} -Full).parameters.parameter | ForEach-Object {{ $_.name }}").AssertNoErrors();
            Assert.Contains("Path", full.Objects.Select(o => o?.ToString()));
        }
    }
}
