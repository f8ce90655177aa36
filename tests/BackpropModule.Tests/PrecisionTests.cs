using System;
using System.Management.Automation;
using BackpropModule.Tests.Infrastructure;
using Xunit;

namespace BackpropModule.Tests
{
    /// <summary>Ctrl+C (PowerShell.Stop()) during a single-precision run. What users type: tests/Precision.Tests.ps1.</summary>
    public class PrecisionTests : IClassFixture<PowerShellSession>
    {
        private readonly PowerShellSession ps;
        public PrecisionTests(PowerShellSession session) => ps = session;

        [Fact]
        public void StopInsideASingleEpochKeepsTheFloatWeightsAndResumesBitForBit()
        {
            ps.Run("$global:p1Net = New-Network -LayerSizes 2,20,3 -Seed 1 -Precision Single; $global:p1Data = New-Dataset -Kind Spiral -Count 100 -Seed 1; " +
                   "$global:p1Start = $global:p1Net.SnapshotParameters()").AssertNoErrors();
            ps.RunAndStopInEpoch3("$null = $global:p1Net | Start-Training -TrainingData $global:p1Data -Epochs 100000 -BatchSize 7 -Optimizer Adam -Seed 1");
            var r = ps.Run(@"
                $n = $global:p1Net; $cp = $n.Checkpoint
                $changed = $false; $floats = $true
                for ($i = 0; $i -lt $n.Parameters.Count; $i++) {
                    if (-not $n.Parameters[$i].Value.BitwiseEquals($global:p1Start[$i])) { $changed = $true }
                    foreach ($v in $n.Parameters[$i].Value.To2DArray()) { if ([double][float]$v -ne $v) { $floats = $false } }
                }
                $changed; $floats; $cp.EpochsCompleted
                $null = $n | Start-Training -TrainingData $global:p1Data -Epochs 1 -Resume
                $whole = New-Network -LayerSizes 2,20,3 -Seed 1 -Precision Single
                $null = $whole | Start-Training -TrainingData $global:p1Data -Epochs ($cp.EpochsCompleted + 1) -BatchSize 7 -Optimizer Adam -Seed 1
                $same = $true
                for ($i = 0; $i -lt $whole.Parameters.Count; $i++) { if (-not $whole.Parameters[$i].Value.BitwiseEquals($n.Parameters[$i].Value)) { $same = $false } }
                $same").AssertNoErrors();
            Assert.True((bool)r.Objects[0], "the stopped run kept nothing it learned");
            Assert.True((bool)r.Objects[1], "the written-back weights are not all floats");
            Assert.True(Convert.ToInt32(r.Objects[2]) >= 2);
            Assert.True((bool)r.Objects[3], "stop + resume differs from the uninterrupted single-precision run");
        }
    }
}
