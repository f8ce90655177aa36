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

        internal static void AssertError(RunResult r, string id, ErrorCategory category, object target)
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
                $cp.RandomState = [ulong[]](1, 2, 18446744073709551615, 4, 0, 0)
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
            System.IO.File.WriteAllText(File("future.json"), text.Replace("\"formatVersion\": 2", "\"formatVersion\": 9"));

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
            // The pinned pwsh from the repository's tool manifest (dotnet tool restore), in a fresh process.
            var start = new System.Diagnostics.ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = ps.RepositoryRoot,
            };
            foreach (string a in new[] { "pwsh", "-NoProfile", "-NonInteractive", "-Command",
                "$ErrorActionPreference = 'Stop'; Import-Module $env:BACKPROP_TEST_MODULE; & $env:BACKPROP_TEST_SCRIPT" })
                start.ArgumentList.Add(a);
            start.Environment["BACKPROP_TEST_MODULE"] = ps.ModuleManifest;
            start.Environment["BACKPROP_TEST_SCRIPT"] = Path.Combine(ps.RepositoryRoot, "examples", "06-SaveAndExport.ps1");
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
