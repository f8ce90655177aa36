using System.Linq;
using BackpropModule.Tests.Infrastructure;
using Xunit;

namespace BackpropModule.Tests
{
    /// <summary>
    /// The hosted counterpart of tests/Help.Tests.ps1: Test-Gradient's help is complete, and every
    /// exported cmdlet that has MAML help has complete help (cmdlets are enumerated from the module).
    /// </summary>
    public class GradientHelpTests : IClassFixture<PowerShellSession>
    {
        private readonly PowerShellSession ps;
        public GradientHelpTests(PowerShellSession session) => ps = session;

        /// <summary>For each cmdlet: name, whether it has MAML help, and the problems found (empty when complete).</summary>
        private const string Audit = @"
            $common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
            foreach ($c in Get-Command -Module BackpropModule -CommandType Cmdlet) {
                $help = Get-Help $c.Name -Full
                $hasMaml = $help.description -and ($help.Synopsis.Trim() -notlike ($c.Name + ' *'))
                $problems = @(
                    if (-not $help.Synopsis -or $help.Synopsis.Trim() -like ($c.Name + ' *')) { 'synopsis' }
                    if (-not ($help.description.Text -join '')) { 'description' }
                    foreach ($p in $c.Parameters.Keys) {
                        if ($p -in $common) { continue }
                        $doc = $help.parameters.parameter | Where-Object { $_.name -eq $p }
                        if (-not $doc -or -not ($doc.description.Text -join '')) { 'parameter ' + $p }
                    }
                    $examples = @($help.examples.example)
                    if ($examples.Count -lt 1 -or -not $examples[0].code) { 'examples' }
                )
                [pscustomobject]@{ Name = $c.Name; HasMaml = [bool]$hasMaml; Problems = $problems -join '; '; Examples = @($help.examples.example).Count }
            }";

        [Fact]
        public void TestGradientHelpIsComplete()
        {
            var r = ps.Run(Audit).AssertNoErrors();
            var row = r.Output.Single(o => (string)PS.Prop(o, "Name") == "Test-Gradient");
            Assert.Equal("", PS.Prop(row, "Problems"));
            Assert.True((int)PS.Prop(row, "Examples") >= 2);
        }

        [Fact]
        public void EveryCmdletWithHelpHasCompleteHelp()
        {
            var r = ps.Run(Audit).AssertNoErrors();
            Assert.Contains(r.Output, o => (string)PS.Prop(o, "Name") == "Test-Gradient");
            foreach (var o in r.Output.Where(o => (bool)PS.Prop(o, "HasMaml")))
                Assert.True((string)PS.Prop(o, "Problems") == "", PS.Prop(o, "Name") + ": " + PS.Prop(o, "Problems"));
        }

        [Fact]
        public void ExamplesAreShownByGetHelpExamples()
        {
            var r = ps.Run("Get-Help Test-Gradient -Examples | Out-Default").AssertNoErrors();
            Assert.Contains("Example 1", r.HostText);
            Assert.Contains("Example 2", r.HostText);
            Assert.Contains("$g.dW1[5,7] += 1e-3", r.HostText);
        }

        [Fact]
        public void TheAboutTopicExplainsRelativeError()
        {
            string about = System.IO.File.ReadAllText(System.IO.Path.Combine(ps.RepositoryRoot, "en-US", "about_BackpropModule.help.txt"));
            int start = about.IndexOf("CHECKING GRADIENTS: READING RELATIVE ERROR"), end = about.IndexOf("TRAINING A NETWORK");
            Assert.True(start >= 0 && end > start);
            string section = about.Substring(start, end - start);
            foreach (var phrase in new[] { "|a - n| / max(|a|, |n|)", "1e-7", "Kinks", "-Epsilon", "GradientCheckFailed", "PassGradientCheck" })
                Assert.Contains(phrase, section);
        }
    }
}
