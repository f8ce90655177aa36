using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation.Language;
using BackpropModule.ScriptRunner;
using BackpropModule.Tests.Infrastructure;
using Xunit;

namespace BackpropModule.Tests
{
    /// <summary>Every .ps1 in the repository parses with the real PowerShell parser; every example runs.</summary>
    public class ScriptFileTests : IClassFixture<PowerShellSession>
    {
        private readonly PowerShellSession ps;
        public ScriptFileTests(PowerShellSession session) => ps = session;

        private static string Root => ModuleLocator.RepositoryRoot();

        public static IEnumerable<object[]> AllScripts() =>
            Directory.EnumerateFiles(ModuleLocator.RepositoryRoot(), "*.ps*1", SearchOption.AllDirectories)
                .Where(f => f.EndsWith(".ps1") || f.EndsWith(".psm1") || f.EndsWith(".psd1"))
                .Select(f => Path.GetRelativePath(ModuleLocator.RepositoryRoot(), f))
                .Where(f => !f.StartsWith("out") && !f.Contains("/bin/") && !f.Contains("/obj/") && !f.StartsWith("TestResults"))
                .OrderBy(f => f).Select(f => new object[] { f });

        public static IEnumerable<object[]> Examples() =>
            Directory.EnumerateFiles(Path.Combine(ModuleLocator.RepositoryRoot(), "examples"), "*.ps1")
                .OrderBy(f => f).Select(f => new object[] { Path.GetFileName(f) });

        [Theory]
        [MemberData(nameof(AllScripts))]
        public void ScriptParsesWithoutErrors(string relativePath)
        {
            Parser.ParseFile(Path.Combine(Root, relativePath), out _, out ParseError[] errors);
            Assert.True(errors.Length == 0, relativePath + ": " + string.Join("; ", errors.Select(e => $"{e.Extent.StartLineNumber}:{e.Extent.StartColumnNumber} {e.Message}")));
        }

        [Fact]
        public void ThereAreScriptsToParse() => Assert.Contains(AllScripts(), s => ((string)s[0]).StartsWith("examples"));

        /// <summary>Runs each example; scripts with a -Quick switch get it, so the suite runs a shortened version.</summary>
        [Theory]
        [MemberData(nameof(Examples))]
        public void ExampleRunsWithoutErrors(string name)
        {
            string path = Path.Combine(Root, "examples", name);
            var ast = Parser.ParseFile(path, out _, out _);
            bool quick = ast.ParamBlock?.Parameters.Any(p => p.Name.VariablePath.UserPath == "Quick") == true;
            var r = quick ? ps.Run("& $args[0] -Quick | Out-Default", path) : ps.Run("& $args[0] | Out-Default", path);
            r.AssertNoErrors();
            Assert.False(string.IsNullOrWhiteSpace(r.HostText), name + " printed nothing.");
        }
    }
}
