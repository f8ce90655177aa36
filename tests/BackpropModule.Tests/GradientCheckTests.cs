using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using BackpropModule.Tests.Infrastructure;
using Xunit;

namespace BackpropModule.Tests
{
    /// <summary>Test-Gradient through PowerShell: combinations, a corrupted element, -Assert, restore, sampling, errors.</summary>
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

        public static IEnumerable<object[]> Combinations() =>
            from a in new[] { "ReLU", "Sigmoid", "Tanh" }
            from o in new[] { "Softmax", "Identity", "Sigmoid" }
            select new object[] { a, o };

        [Theory]
        [MemberData(nameof(Combinations))]
        public void EveryActivationAndOutputPasses(string activation, string output)
        {
            var r = ps.Run(Batch + @"
                $net = New-Network -LayerSizes 6, 5, 4, 4 -Activation $args[2] -Output $args[1] -Seed 3
                $net | Test-Gradient -InputObject $x -Target $t", 6, output, activation).AssertNoErrors();
            Assert.Equal(new[] { "W1", "b1", "W2", "b2", "W3", "b3" }, r.Output.Select(o => (string)PS.Prop(o, "Parameter")));
            foreach (var o in r.Output)
            {
                Assert.Equal(ResultType, PS.TypeName(o));
                Assert.True((bool)PS.Prop(o, "Passed"), o.ToString());
                Assert.True(PS.Num(o, "MaxRelError") <= 1e-7, o.ToString());
                Assert.Equal("Good", PS.Prop(o, "Verdict").ToString());
                Assert.Equal(PS.Prop(o, "Elements"), PS.Prop(o, "Checked"));
            }
        }

        [Theory]
        [InlineData("6, 4")]
        [InlineData("6, 5, 4")]
        [InlineData("6, 5, 4, 4, 4")]
        public void AnyDepthPassesAlsoAfterTraining(string sizes)
        {
            var r = ps.Run(Batch + @"
                $net = New-Network -LayerSizes " + sizes + @" -Activation Tanh -Output Softmax -Seed 2
                ($net | Test-Gradient -X $x -T $t -Summary).Passed
                ($net | Invoke-Forward -X $x -T $t).Loss
                for ($i = 0; $i -lt 20; $i++) { $net | Invoke-Forward -X $x -T $t | Invoke-Backward | ForEach-Object { $net | Update-Network -Gradient $_ -LearningRate 0.5 } }
                ($net | Invoke-Forward -X $x -T $t).Loss
                ($net | Test-Gradient -X $x -T $t -Summary).Passed
                $net.Version", 6, "Softmax").AssertNoErrors();
            Assert.Equal(true, r.Objects[0]);
            Assert.True((double)r.Objects[2] < (double)r.Objects[1], "training should lower the loss");
            Assert.Equal(true, r.Objects[3]);
            Assert.Equal(20L, r.Objects[4]);
        }

        [Fact]
        public void InputWithoutTargetForGradientsIsRefused()
        {
            var r = ps.Run(Batch + @"
                $g = New-Network -LayerSizes 6, 3, 4 -Seed 1 | Invoke-Forward -X $x -T $t | Invoke-Backward
                $g | Test-Gradient -InputObject $x", 6, "Softmax");
            Assert.StartsWith("GradientCheckDataMissing", r.SingleError().FullyQualifiedErrorId);
        }

        [Fact]
        public void ACorruptedElementOfdW1IsReportedAndFails()
        {
            var r = ps.Run(Batch + @"
                $net = New-Network -LayerSizes 10, 8, 4 -Activation Sigmoid -Output Softmax -Seed 5
                $g = $net | Invoke-Forward -X $x -T $t | Invoke-Backward
                $g.dW1[5,7] += 1e-3
                $g | Test-Gradient
                $g | Test-Gradient -Summary", 10, "Softmax").AssertNoErrors();
            var w1 = r.Output[0];
            Assert.Equal("W1", PS.Prop(w1, "Parameter"));
            Assert.False((bool)PS.Prop(w1, "Passed"));
            Assert.Equal(5, PS.Prop(w1, "WorstRow"));
            Assert.Equal(7, PS.Prop(w1, "WorstColumn"));
            Assert.Equal("(5,7)", PS.Prop(w1, "Worst"));
            Assert.InRange(PS.Num(w1, "Analytic") - PS.Num(w1, "Numerical"), 1e-3 - 1e-9, 1e-3 + 1e-9);
            Assert.All(r.Output.Skip(1).Take(3), o => Assert.True((bool)PS.Prop(o, "Passed")));
            var summary = r.Output[4];
            Assert.Equal("BackpropModule.Engine.Checking.GradientCheckSummary", PS.TypeName(summary));
            Assert.False((bool)PS.Prop(summary, "Passed"));
            Assert.Equal("W1", PS.Prop(summary, "WorstParameter"));
        }

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
        public void AssertIsSilentWhenTheCheckPasses()
        {
            var r = ps.Run(Batch + @"
                New-Network -LayerSizes 6, 4, 4 -Activation ReLU -Output Identity -Seed 2 | Test-Gradient -X $x -T $t -Assert -Summary", 6, "Identity").AssertNoErrors();
            Assert.True((bool)PS.Prop(r.Output.Single(), "Passed"));
        }

        [Fact]
        public void TheNetworkIsLeftBitForBitWithTheSameVersion()
        {
            var r = ps.Run(Batch + @"
                $net = New-Network -LayerSizes 6, 5, 4 -Activation ReLU -Output Softmax -Seed 9
                $net | Invoke-Forward -X $x -T $t | Invoke-Backward | ForEach-Object { $net | Update-Network -Gradient $_ }
                $before = foreach ($p in $net.Parameters) { $p.Value.Clone() }
                $version = $net.Version
                $null = $net | Test-Gradient -X $x -T $t -Epsilon 0.05
                $same = for ($i = 0; $i -lt $before.Count; $i++) { $net.Parameters[$i].Value.BitwiseEquals($before[$i]) }
                $same; $version; $net.Version", 6, "Softmax").AssertNoErrors();
            var o = r.Objects;
            Assert.All(o.Take(4), v => Assert.True((bool)v));
            Assert.Equal(o[4], o[5]);
            Assert.Equal(1L, o[4]);
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
        public void SampleChecksNElementsReproduciblyIncludingTheLargest()
        {
            var r = ps.Run(Batch + @"
                $net = New-Network -LayerSizes 30, 20, 4 -Activation Tanh -Output Softmax -Seed 1
                $g = $net | Invoke-Forward -X $x -T $t | Invoke-Backward
                $a = $g | Test-Gradient -Sample 15 -Seed 4
                $b = $g | Test-Gradient -Sample 15 -Seed 4
                $a; $b", 30, "Softmax").AssertNoErrors();
            var a = r.Output.Take(4).ToList();
            var b = r.Output.Skip(4).ToList();
            Assert.Equal(new[] { 15, 15, 15, 4 }, a.Select(o => (int)PS.Prop(o, "Checked")));
            for (int i = 0; i < 4; i++)
            {
                Assert.Equal(PS.Prop(a[i], "Worst"), PS.Prop(b[i], "Worst"));
                Assert.Equal(PS.Num(a[i], "MeanAbsError"), PS.Num(b[i], "MeanAbsError"));
            }
        }

        [Fact]
        public void GradientsWithoutTheirDataNeedInputAndTarget()
        {
            var r = ps.Run(Batch + @"
                $net = New-Network -LayerSizes 6, 3, 4 -Activation Sigmoid -Output Softmax -Seed 1
                $g = $net | Invoke-Forward -X $x -T $t | Invoke-Backward
                $copy = [BackpropModule.Engine.Gradients]::FromValues($net, [BackpropModule.Engine.Tensors.Tensor[]]@($g.dW1, $g.db1, $g.dW2, $g.db2))
                $copy | Test-Gradient -ErrorAction SilentlyContinue -ErrorVariable missing
                $missing[0].FullyQualifiedErrorId
                ($copy | Test-Gradient -X $x -T $t -Summary).Passed", 6, "Softmax");
            Assert.StartsWith("GradientCheckDataMissing", (string)r.Objects[0]);
            Assert.True((bool)r.Objects[1]);
        }

        [Fact]
        public void StaleGradientsAreRefused()
        {
            var r = ps.Run(Batch + @"
                $net = New-Network -LayerSizes 6, 3, 4 -Seed 1
                $g = $net | Invoke-Forward -X $x -T $t | Invoke-Backward
                $net | Update-Network -Gradient $g
                $g | Test-Gradient", 6, "Softmax");
            var e = r.SingleError();
            Assert.StartsWith("GradientStale", e.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidOperation, e.CategoryInfo.Category);
        }

        [Fact]
        public void WithAssertAStaleGradientIsATerminatingError()
        {
            // try/catch sees terminating errors only; without -Assert the same problem is a non-terminating error.
            var r = ps.Run(Batch + @"
                $net = New-Network -LayerSizes 6, 3, 4 -Seed 1
                $g = $net | Invoke-Forward -X $x -T $t | Invoke-Backward
                $net | Update-Network -Gradient $g
                try { $g | Test-Gradient -Assert; 'not reached' } catch { 'caught ' + $_.FullyQualifiedErrorId }
                try { $g | Test-Gradient -ErrorAction SilentlyContinue; 'continued' } catch { 'caught' }", 6, "Softmax");
            Assert.StartsWith("caught GradientStale", (string)r.Objects[0]);
            Assert.Equal("continued", r.Objects[1]);
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
        public void ParameterSelectsWhatIsChecked()
        {
            var r = ps.Run(Batch + "New-Network -LayerSizes 6, 3, 4 -Seed 1 | Test-Gradient -X $x -T $t -Parameter db2, W1", 6, "Softmax").AssertNoErrors();
            Assert.Equal(new[] { "W1", "b2" }, r.Output.Select(o => (string)PS.Prop(o, "Parameter")));
        }

        [Fact]
        public void ProgressIsReportedAndCompleted()
        {
            var r = ps.Run(Batch + "$null = New-Network -LayerSizes 6, 3, 4 -Seed 1 | Test-Gradient -X $x -T $t", 6, "Softmax").AssertNoErrors();
            Assert.Contains(r.Progress, p => p.Activity == "Test-Gradient" && p.StatusDescription.StartsWith("dW1"));
            Assert.Contains(r.Progress, p => p.Activity == "Test-Gradient" && p.RecordType == ProgressRecordType.Completed);
        }

        [Fact]
        public void TheTableViewShowsTheDocumentedColumns()
        {
            string text = ps.Render(Batch.Replace("$args[0]", "6").Replace("$args[1]", "'Softmax'") + "\nNew-Network -LayerSizes 6, 3, 4 -Seed 1 | Test-Gradient -X $x -T $t");
            foreach (var column in new[] { "Parameter", "Shape", "MaxRelError", "MeanAbsError", "Worst", "Kinks", "Verdict", "Passed" })
                Assert.Contains(column, text);
            Assert.All(text.Split('\n'), line =>
            {
                string plain = System.Text.RegularExpressions.Regex.Replace(line, "\x1b\\[[0-9;]*m", "").TrimEnd();
                Assert.True(plain.Length <= 80, "Wider than 80 columns: " + plain);
            });
            Assert.Contains("3x4", text);
            Assert.Contains("Good", text);
        }

        [Fact]
        public void TheSummaryViewShowsTheVerdictAndTheWorstElement()
        {
            string text = ps.Render(Batch.Replace("$args[0]", "6").Replace("$args[1]", "'Softmax'") + "\nNew-Network -LayerSizes 6, 3, 4 -Seed 1 | Test-Gradient -X $x -T $t -Summary");
            foreach (var label in new[] { "Architecture", "Passed", "WorstParameter", "MaxRelError", "Verdict", "Worst", "Checked", "Kinks", "Elapsed" })
                Assert.Contains(label, text);
            Assert.Contains("6-3-4", text);
        }

        [Fact]
        public void OutputTypesAreDeclared()
        {
            var r = ps.Run("(Get-Command Test-Gradient).OutputType | ForEach-Object { $_.Name }").AssertNoErrors();
            Assert.Contains(ResultType, r.Objects.Cast<string>());
            Assert.Contains("BackpropModule.Engine.Checking.GradientCheckSummary", r.Objects.Cast<string>());
        }
    }
}
