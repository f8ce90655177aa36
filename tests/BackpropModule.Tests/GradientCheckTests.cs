using System.Linq;
using System.Management.Automation;
using System.Threading;
using BackpropModule.Tests.Infrastructure;
using Xunit;

namespace BackpropModule.Tests
{
    /// <summary>
    /// Test-Gradient where in-process hosting shows more than a prompt: the ErrorRecord of -Assert and of an
    /// unknown parameter, progress records, and Stop() mid-check. What users type: tests/Gradients.Tests.ps1.
    /// </summary>
    public class GradientCheckTests : IClassFixture<PowerShellSession>
    {
        private const string ResultType = "BackpropModule.Engine.Checking.GradientCheckResult";
        private readonly PowerShellSession ps;
        public GradientCheckTests(PowerShellSession session) => ps = session;

        /// <summary>Defines $x (3 seeded samples of width $args[0]) and $t (targets suiting output $args[1]).</summary>
        private const string Batch = @"
            $rng = [System.Random]::new(7)
            $x = [double[][]]::new(3)
            for ($i = 0; $i -lt 3; $i++) { $x[$i] = [double[]]::new($args[0]); for ($j = 0; $j -lt $args[0]; $j++) { $x[$i][$j] = $rng.NextDouble() * 2 - 1 } }
            $t = switch ($args[1]) {
                'Softmax'  { @(2, 0, 3) }
                'Identity' { @(@(0.5, -1, 2, 0), @(1, 1, 0, -0.5), @(0, 0.2, -0.3, 1)) }
                'Sigmoid'  { @(@(1, 0, 1, 1), @(0, 0, 1, 0), @(1, 1, 0, 0)) }
            }";

        [Fact]
        public void AssertTurnsAFailureIntoGradientCheckFailed()
        {
            var r = ps.Run(Batch + @"
                $net = New-Network -LayerSizes 10, 8, 4 -Activation Tanh -Output Softmax -Seed 5
                $g = $net | Invoke-Forward -X $x -T $t | Invoke-Backward
                $g.dW1[5,7] += 1e-3
                $g | Test-Gradient -Assert", 10, "Softmax");
            var e = r.SingleError();
            Assert.StartsWith("GradientCheckFailed", e.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidResult, e.CategoryInfo.Category);
            Assert.Equal(ResultType, PS.TypeName(e.TargetObject));
            Assert.Equal("W1", PS.Prop(e.TargetObject, "Parameter"));
            string m = e.Exception.Message;
            Assert.Contains("W1", m);
            Assert.Contains("row 5, column 7", m);
            Assert.Contains("analytic " + ((double)PS.Prop(e.TargetObject, "Analytic")).ToString("R", System.Globalization.CultureInfo.InvariantCulture), m);
            Assert.Contains("numerical " + ((double)PS.Prop(e.TargetObject, "Numerical")).ToString("R", System.Globalization.CultureInfo.InvariantCulture), m);
        }

        [Fact]
        public void StoppingMidCheckRestoresTheNetwork()
        {
            ps.Run(@"
                $global:stopNet = New-Network -LayerSizes 784, 100, 10 -Activation ReLU -Output Softmax -Seed 4
                $rng = [System.Random]::new(1)
                $global:stopX = [double[][]]::new(20)
                for ($i = 0; $i -lt 20; $i++) { $global:stopX[$i] = [double[]]::new(784); for ($j = 0; $j -lt 784; $j++) { $global:stopX[$i][$j] = $rng.NextDouble() } }
                $global:stopBefore = foreach ($p in $global:stopNet.Parameters) { $p.Value.Clone() }").AssertNoErrors();
            using (var shell = PowerShell.Create())
            {
                shell.Runspace = ps.Runspace;
                shell.AddScript("$global:stopNet | Test-Gradient -X $global:stopX -T (0..19 | ForEach-Object { $_ % 10 })");
                var started = new ManualResetEventSlim();
                shell.Streams.Progress.DataAdded += (s, e) => started.Set();
                var handle = shell.BeginInvoke();
                started.Wait(System.TimeSpan.FromMinutes(2));
                shell.Stop();
                try { shell.EndInvoke(handle); } catch (PipelineStoppedException) { }
                Assert.Equal(PSInvocationState.Stopped, shell.InvocationStateInfo.State);
            }
            var r = ps.Run(@"
                for ($i = 0; $i -lt 4; $i++) { $global:stopNet.Parameters[$i].Value.BitwiseEquals($global:stopBefore[$i]) }
                $global:stopNet.Version").AssertNoErrors();
            Assert.All(r.Objects.Take(4), v => Assert.True((bool)v));
            Assert.Equal(0L, r.Objects[4]);
        }

        [Fact]
        public void AnUnknownParameterNameIsReported()
        {
            var r = ps.Run(Batch + "New-Network -LayerSizes 6, 3, 4 -Seed 1 | Test-Gradient -X $x -T $t -Parameter W7", 6, "Softmax");
            var e = r.SingleError();
            Assert.StartsWith("GradientCheckParameterNotFound", e.FullyQualifiedErrorId);
            Assert.Equal("W7", e.TargetObject);
        }

        [Fact]
        public void ProgressIsReportedAndCompleted()
        {
            var r = ps.Run(Batch + "$null = New-Network -LayerSizes 6, 3, 4 -Seed 1 | Test-Gradient -X $x -T $t", 6, "Softmax").AssertNoErrors();
            Assert.Contains(r.Progress, p => p.Activity == "Test-Gradient" && p.StatusDescription.StartsWith("dW1"));
            Assert.Contains(r.Progress, p => p.Activity == "Test-Gradient" && p.RecordType == ProgressRecordType.Completed);
        }
    }
}
