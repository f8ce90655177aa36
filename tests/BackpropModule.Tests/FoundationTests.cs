using System.Management.Automation;
using BackpropModule.Tests.Infrastructure;
using Xunit;

namespace BackpropModule.Tests
{
    /// <summary>
    /// Helpers for <see cref="FoundationErrorTests"/>, which asserts the ErrorRecords of the
    /// foundation cmdlets' refusals (category, TargetObject). The scenarios users type (input forms,
    /// output types, -WhatIf, views) are tested once, in tests/Foundation.Tests.ps1; the README
    /// walkthrough and the examples in tests/Examples.Tests.ps1.
    /// </summary>
    public static class FoundationTests
    {
        /// <summary>Defines Bits: every parameter's IEEE-754 bits as one string, to compare before and after.</summary>
        internal const string BitsFunction = @"
            function Bits($n) {
                ($n.Parameters | ForEach-Object { $_.Value.ToArray() | ForEach-Object { $_ | ForEach-Object { [BitConverter]::DoubleToInt64Bits($_) } } }) -join ','
            }";

        /// <summary>Runs a failing command after $net is set up; returns its ErrorRecord and whether $net kept its bits and version.</summary>
        internal static (ErrorRecord Error, bool Unchanged) Fail(PowerShellSession ps, string setup, string failing)
        {
            var r = ps.Run(BitsFunction + setup + @"
                $before = Bits $net; $version = $net.Version; $err = $null
                try { " + failing + @" } catch { $err = $_ }
                $err
                ((Bits $net) -ceq $before) -and ($net.Version -eq $version)");
            r.AssertNoErrors();
            Assert.True(r.Objects[0] is ErrorRecord, "the command did not fail: " + r.Objects[0]);
            return ((ErrorRecord)r.Objects[0], (bool)r.Objects[1]);
        }

        internal static void AssertError(ErrorRecord e, string id, ErrorCategory category)
        {
            Assert.StartsWith(id + ",", e.FullyQualifiedErrorId);
            Assert.Equal(category, e.CategoryInfo.Category);
        }

        internal static object Target(ErrorRecord e) => e.TargetObject is PSObject p ? p.BaseObject : e.TargetObject;

        internal const string Net343 = "$net = New-Network -LayerSizes 3,4,3 -Seed 1\n";
    }
}
