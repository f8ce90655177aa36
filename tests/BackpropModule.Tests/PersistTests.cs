using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using BackpropModule.Tests.Infrastructure;
using Xunit;

namespace BackpropModule.Tests
{
    /// <summary>
    /// Save-Network, Import-Network and Export-NetworkOnnx where in-process hosting shows more than a prompt:
    /// ErrorRecord category and TargetObject of each refusal, -WhatIf on the host UI. What users type: tests/Persist.Tests.ps1.
    /// </summary>
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

        /// <summary>That no file is written is Pester's (Persist.Tests.ps1); what -WhatIf tells the host UI is seen here.</summary>
        [Theory]
        [InlineData("Save-Network", "a.json")]
        [InlineData("Export-NetworkOnnx", "a.onnx")]
        [InlineData("Export-Workbook", "a.xlsx")]
        public void WhatIf_tells_the_host_which_file_it_would_write(string command, string name)
        {
            var r = ps.Run("New-Network 2,3,2 -Seed 1 | " + command + " -Path $args[0] -WhatIf", File(name)).AssertNoErrors();
            Assert.Contains("What if", r.HostText);
            Assert.Contains(name, r.HostText);
            Assert.Empty(Directory.GetFiles(folder));
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
        public void A_missing_folder_is_a_write_error_and_nothing_is_left_behind()
        {
            string target = Path.Combine(folder, "no-such-folder", "n.json");
            var r = ps.Run("New-Network 2,2 -Seed 1 | Save-Network -Path $args[0]", target);
            AssertError(r, "OutputFileWriteFailed", ErrorCategory.WriteError, target);
            Assert.Empty(Directory.GetFileSystemEntries(folder));
        }
    }
}
