using System;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using BackpropModule.ScriptRunner;
using BackpropModule.Tests.Infrastructure;
using Xunit;

namespace BackpropModule.Tests
{
    /// <summary>
    /// Help for every exported cmdlet (whoever wrote it), the about topic, the manifest, the
    /// shipped layout, and both builds (net8.0 and netstandard2.0) running in a fresh process.
    /// </summary>
    public class HelpTests : IClassFixture<PowerShellSession>
    {
        private readonly PowerShellSession ps;
        public HelpTests(PowerShellSession session) => ps = session;

        private static string Root => ModuleLocator.RepositoryRoot();

        /// <summary>The manifest as data, read with PowerShell's own parser (no code runs).</summary>
        private static Hashtable Manifest()
        {
            var ast = Parser.ParseFile(Path.Combine(Root, "BackpropModule.psd1"), out _, out ParseError[] errors);
            Assert.Empty(errors);
            return (Hashtable)((HashtableAst)ast.Find(a => a is HashtableAst, false)).SafeGetValue();
        }

        private static string[] Strings(object value) => ((IEnumerable)value ?? new object[0]).Cast<object>().Select(o => o.ToString()).ToArray();

        public static IEnumerable<object[]> ExportedCmdlets() => Strings(Manifest()["CmdletsToExport"]).Select(c => new object[] { c });

        [Theory]
        [MemberData(nameof(ExportedCmdlets))]
        public void CmdletHasSynopsisDescriptionExamplesAndEveryParameter(string cmdlet)
        {
            var r = ps.Run(@"
                $name = $args[0]
                $h = Get-Help $name -Full
                $h.Synopsis
                (@($h.description) | ForEach-Object { $_.Text }) -join ' '
                @($h.examples.example).Count
                $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
                $documented = @{}
                foreach ($p in @($h.parameters.parameter)) { $documented[$p.name] = (@($p.description) | ForEach-Object { $_.Text }) -join ' ' }
                $missing = @((Get-Command -Name $name -Module BackpropModule -CommandType Cmdlet).Parameters.Keys | Where-Object { $common -notcontains $_ } | Where-Object { -not $documented[$_] })
                $missing -join ', '", cmdlet).AssertNoErrors();
            string synopsis = ((string)r.Objects[0]).Trim();
            Assert.False(string.IsNullOrWhiteSpace(synopsis), cmdlet + " has no synopsis.");
            Assert.False(synopsis.StartsWith(cmdlet, StringComparison.OrdinalIgnoreCase), cmdlet + "'s synopsis is the bare syntax: no MAML help was found.");
            Assert.True(((string)r.Objects[1]).Length > 40, cmdlet + " has no real description.");
            Assert.True((int)r.Objects[2] >= 2, $"{cmdlet} has {r.Objects[2]} example(s); it needs at least two.");
            Assert.True((string)r.Objects[3] == "", $"{cmdlet} does not document: {r.Objects[3]}");
        }

        [Theory]
        [MemberData(nameof(ExportedCmdlets))]
        public void GetHelpExamplesShowsTheExamples(string cmdlet)
        {
            string text = ps.Render($"Get-Help {cmdlet} -Examples");
            Assert.Contains("Example 1", text);
            Assert.Contains("Example 2", text);
            Assert.Contains(cmdlet, text);
        }

        [Fact]
        public void AboutTopicIsFound()
        {
            string text = ps.Render("Get-Help about_BackpropModule");
            Assert.Contains("about_BackpropModule", text);
            Assert.Contains("SHORT DESCRIPTION", text);
            Assert.Contains("CHAIN RULE", text);
            Assert.Contains("Invoke-Backward", text);
        }

        [Fact]
        public void AboutTopicFitsIn80Columns()
        {
            string[] lines = File.ReadAllLines(Path.Combine(Root, "en-US", "about_BackpropModule.help.txt"));
            // The region markers (<!-- ... -->) are for merging and are stripped before release.
            var wide = lines.Select((l, i) => (l, i)).Where(x => x.l.Length > 80 && !x.l.StartsWith("<!--")).Select(x => $"line {x.i + 1} ({x.l.Length})").ToList();
            Assert.True(wide.Count == 0, "Lines wider than 80 columns: " + string.Join(", ", wide));
        }

        [Fact]
        public void ManifestDeclaresEditionsVersionAndExplicitExports()
        {
            Hashtable m = Manifest();
            Assert.Equal(new[] { "Desktop", "Core" }, Strings(m["CompatiblePSEditions"]));
            Assert.Equal("5.1", m["PowerShellVersion"]);
            string[] cmdlets = Strings(m["CmdletsToExport"]);
            Assert.DoesNotContain(cmdlets, c => c.Contains("*"));
            Assert.Empty(Strings(m["FunctionsToExport"]));
            Assert.Empty(Strings(m["VariablesToExport"]));
            Assert.Empty(Strings(m["AliasesToExport"]));

            var r = ps.Run(@"
                $m = Get-Module BackpropModule
                $m.ExportedCmdlets.Keys -join ','").AssertNoErrors();
            var exported = ((string)r.Objects.Single()).Split(',').OrderBy(c => c, StringComparer.OrdinalIgnoreCase);
            Assert.Equal(cmdlets.OrderBy(c => c, StringComparer.OrdinalIgnoreCase), exported);
        }

        [Fact]
        public void ManifestHasGalleryMetadata()
        {
            var psData = (Hashtable)((Hashtable)Manifest()["PrivateData"])["PSData"];
            string[] tags = Strings(psData["Tags"]);
            Assert.Contains("PSEdition_Desktop", tags);
            Assert.Contains("PSEdition_Core", tags);
            Assert.True(tags.Length >= 4);
            Assert.True(Uri.IsWellFormedUriString((string)psData["LicenseUri"], UriKind.Absolute));
            Assert.True(Uri.IsWellFormedUriString((string)psData["ProjectUri"], UriKind.Absolute));
        }

        [Fact]
        public void ModuleLoadsOnlyWhatItExports()
        {
            var r = ps.Run(@"
                $m = Get-Module BackpropModule
                $m.ExportedFunctions.Count; $m.ExportedVariables.Count; $m.ExportedAliases.Count").AssertNoErrors();
            Assert.Equal(new object[] { 0, 0, 0 }, r.Objects);
        }

        [Fact]
        public void ShippedLayoutHasBothBuildsAndNoPowerShellAssembly()
        {
            string module = Path.Combine(Root, "out", "BackpropModule");
            foreach (string tfm in new[] { "net8.0", "netstandard2.0" })
            {
                Assert.True(File.Exists(Path.Combine(module, tfm, "BackpropModule.dll")), tfm + "/BackpropModule.dll is missing.");
                Assert.True(File.Exists(Path.Combine(module, tfm, "BackpropModule.Engine.dll")), tfm + "/BackpropModule.Engine.dll is missing.");
                Assert.True(File.Exists(Path.Combine(module, tfm, "en-US", "BackpropModule.dll-Help.xml")), tfm + " has no help next to the assembly.");
            }
            var sma = Directory.EnumerateFiles(module, "System.Management.Automation*.dll", SearchOption.AllDirectories).ToList();
            Assert.True(sma.Count == 0, "Shipped PowerShell assemblies: " + string.Join(", ", sma));
            foreach (string f in new[] { "BackpropModule.psd1", "BackpropModule.psm1", "BackpropModule.Format.ps1xml", "BackpropModule.Types.ps1xml", Path.Combine("en-US", "about_BackpropModule.help.txt") })
                Assert.True(File.Exists(Path.Combine(module, f)), f + " is missing.");
        }

        /// <summary>
        /// Runs tools/ScriptRunner in a child process with BACKPROP_BUILD set, so the loader picks
        /// that build; the script reports which assembly it got and does a forward/backward/update.
        /// </summary>
        [Theory]
        [InlineData("net8.0")]
        [InlineData("netstandard2.0")]
        public void ScriptRunnerRunsTheChosenBuild(string build)
        {
            string runner = Path.Combine(AppContext.BaseDirectory, "BackpropModule.ScriptRunner.dll");
            Assert.True(File.Exists(runner), runner);
            string script = Path.Combine(AppContext.BaseDirectory, $"build-check-{build}-{Guid.NewGuid():N}.ps1");
            File.WriteAllText(script, @"
$net = New-Network -LayerSizes 3,4,3 -Seed 1
$pass = $net | Invoke-Forward -InputObject 1, 2, 3 -Target 0
$pass | Invoke-Backward | Update-Network
$after = $net | Invoke-Forward -InputObject 1, 2, 3 -Target 0
'loaded ' + [System.IO.Path]::GetFileName([System.IO.Path]::GetDirectoryName([BackpropModule.Engine.Network].Assembly.Location))
'lowered ' + ($after.Loss -lt $pass.Loss)
");
            try
            {
                var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
                {
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                    UseShellExecute = false,
                };
                start.ArgumentList.Add(runner);
                start.ArgumentList.Add(script);
                start.Environment["BACKPROP_BUILD"] = build;
                using var p = Process.Start(start);
                var stderr = p.StandardError.ReadToEndAsync();
                string output = p.StandardOutput.ReadToEnd();
                Assert.True(p.WaitForExit(120_000), "the script runner did not finish");
                Assert.True(p.ExitCode == 0, $"exit code {p.ExitCode}\n{output}\n{stderr.Result}");
                Assert.Contains("loaded " + build, output);
                Assert.Contains("lowered True", output);
            }
            finally { File.Delete(script); }
        }
    }
}
