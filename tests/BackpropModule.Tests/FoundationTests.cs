using System;
using System.Linq;
using System.Management.Automation;
using BackpropModule.Tests.Infrastructure;
using Xunit;

namespace BackpropModule.Tests
{
    /// <summary>
    /// New-Network, Invoke-Forward, Invoke-Backward and Update-Network as a user drives them:
    /// the README walkthrough, pipeline binding, every accepted input form, output types, -WhatIf
    /// and the two tutorial scenarios. The refusals are in <see cref="FoundationErrorTests"/>.
    /// </summary>
    public class FoundationTests : IClassFixture<PowerShellSession>
    {
        private const string Tensor = "BackpropModule.Engine.Tensors.Tensor";
        private readonly PowerShellSession ps;
        public FoundationTests(PowerShellSession session) => ps = session;

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

        /// <summary>The first powershell code block under the README's "Interactive walkthrough" heading.</summary>
        internal static string ReadmeWalkthrough(string root)
        {
            string readme = System.IO.File.ReadAllText(System.IO.Path.Combine(root, "README.md")).Replace("\r\n", "\n");
            int heading = readme.IndexOf("## Interactive walkthrough", StringComparison.Ordinal);
            Assert.True(heading >= 0, "README.md has no '## Interactive walkthrough' section.");
            int start = readme.IndexOf("```powershell\n", heading, StringComparison.Ordinal) + "```powershell\n".Length;
            int end = readme.IndexOf("```", start, StringComparison.Ordinal);
            return readme.Substring(start, end - start);
        }

        [Fact]
        public void ReadmeWalkthroughRunsEndToEnd()
        {
            string block = ReadmeWalkthrough(ps.RepositoryRoot);
            var r = ps.Run(block).AssertNoErrors();
            var types = r.Objects.Select(o => o?.GetType().FullName).ToList();
            Assert.Equal(new[] { "BackpropModule.Engine.Network", "BackpropModule.Engine.ForwardPass", "BackpropModule.Engine.Gradients", Tensor, Tensor, "System.Double", "System.Double" }, types);
            Assert.True((double)r.Objects[5] > (double)r.Objects[6], "one gradient-descent step must lower the loss");
            string text = ps.Render("& {\n" + block + "\n}");
            Assert.Contains("ForwardPass", text);
            Assert.Contains("dW1", text);
        }

        [Fact]
        public void NetworkPassAndGradientsAllTravelByPipeline()
        {
            var r = ps.Run(BitsFunction + Net343 + @"
                $before = Bits $net
                $grad = $net | Invoke-Forward -InputObject 1, 2, 3 -Target 0 | Invoke-Backward
                $grad | Update-Network -LearningRate 0.1
                (Bits $net) -cne $before
                $net.Version
                $grad.IsStale").AssertNoErrors();
            Assert.Equal(new object[] { true, 1L, true }, r.Objects);
        }

        [Fact]
        public void UpdateWithPipedNetworkAndNamedGradientsAppliesTheFormula()
        {
            var r = ps.Run(Net343 + @"
                $w = $net.Parameters[0].Value[1, 2]
                $grad = $net | Invoke-Forward -InputObject 1, 2, 3 -Target 0 | Invoke-Backward
                $g = $grad.dW1[1, 2]
                $out = $net | Update-Network -Gradient $grad -LearningRate 0.25 -PassThru
                $w - 0.25 * $g
                $net.Parameters[0].Value[1, 2]
                [object]::ReferenceEquals($out, $net)").AssertNoErrors();
            Assert.Equal((double)r.Objects[0], (double)r.Objects[1]);
            Assert.True((bool)r.Objects[2]);
        }

        [Theory]
        [InlineData("tensor", "$x = (New-Network -LayerSizes 3,2 -Seed 4).Parameters[0].Value")]
        [InlineData("double[][]", "$x = [double[][]]@([double[]]@(0.5, -1), [double[]]@(2, 0.25), [double[]]@(3, 1))")]
        [InlineData("double[,]", "$x = [double[,]]::new(3, 2); $x[0,0] = 0.5; $x[0,1] = -1; $x[1,0] = 2; $x[1,1] = 0.25; $x[2,0] = 3; $x[2,1] = 1")]
        [InlineData("arrays of arrays", "$x = @(@(0.5, -1), @(2, 0.25), @(3, 1))")]
        [InlineData("int arrays", "$x = @([int[]]@(1, -1), [int[]]@(2, 0), [int[]]@(3, 1))")]
        [InlineData("MathNet matrix", "$x = (New-Network -LayerSizes 3,2 -Seed 4).Parameters[0].Value.Matrix")]
        public void EveryInputFormGivesTheSameBatch(string form, string makeX)
        {
            // The reference batch is built as a Tensor from the same numbers, so each form is compared with its own values.
            var r = ps.Run(@"
                $net = New-Network -LayerSizes 2,4,3 -Seed 1
                " + makeX + @"
                $pass = $net | Invoke-Forward -InputObject $x
                $pass.Input.Shape
                $jagged = $x -is [array] -and $x.Rank -eq 1
                $same = $true
                for ($i = 0; $i -lt 3; $i++) {
                    for ($j = 0; $j -lt 2; $j++) {
                        $v = if ($jagged) { $x[$i][$j] } else { $x[$i, $j] }
                        if ($pass.Input[$i, $j] -ne [double]$v) { $same = $false }
                    }
                }
                $same").AssertNoErrors();
            Assert.Equal("3x2", r.Objects[0]);
            Assert.True((bool)r.Objects[1], form);
        }

        [Fact]
        public void AFlatArrayIsOneSampleEvenWithNegativeLiterals()
        {
            var r = ps.Run(@"
                $net = New-Network -LayerSizes 3,4,3 -Seed 1
                $a = $net | Invoke-Forward -InputObject 0.5, -1, 2
                $b = $net | Invoke-Forward -InputObject @(0.5, -1.0, 2.0)
                $a.Input.Shape; $a.Input[0, 1]
                $a.Output.BitwiseEquals($b.Output)").AssertNoErrors();
            Assert.Equal(new object[] { "1x3", -1.0, true }, r.Objects);
        }

        [Fact]
        public void TargetsAsOneHotRowsClassIndicesOrOneIndexGiveTheSameLoss()
        {
            var r = ps.Run(@"
                $net = New-Network -LayerSizes 3,4,3 -Seed 1
                $x = @(@(1, 2, 3), @(-1, 0.5, 0))
                ($net | Invoke-Forward -InputObject $x -Target @(@(0, 0, 1), @(1, 0, 0))).Loss
                ($net | Invoke-Forward -InputObject $x -Target 2, 0).Loss
                ($net | Invoke-Forward -InputObject 1, 2, 3 -Target 2).Loss
                ($net | Invoke-Forward -InputObject 1, 2, 3 -Target 0, 0, 1).Loss
                ($net | Invoke-Forward -InputObject $x -Target 2, 0).Target.ToArray()[0] -join ','").AssertNoErrors();
            Assert.Equal((double)r.Objects[0], (double)r.Objects[1]);
            Assert.Equal((double)r.Objects[2], (double)r.Objects[3]);
            Assert.Equal("0,0,1", r.Objects[4]);
        }

        [Fact]
        public void WhatIfChangesNothing()
        {
            var r = ps.Run(BitsFunction + Net343 + @"
                $grad = $net | Invoke-Forward -InputObject 1, 2, 3 -Target 0 | Invoke-Backward
                $before = Bits $net
                $grad | Update-Network -WhatIf -PassThru | ForEach-Object { 'unexpected' }
                (Bits $net) -ceq $before
                $net.Version
                $grad.IsStale").AssertNoErrors();
            Assert.Equal(new object[] { true, 0L, false }, r.Objects.Where(o => !"unexpected".Equals(o)).ToArray());
            Assert.Contains("What if", r.HostText);
        }

        [Theory]
        [InlineData("New-Network", "BackpropModule.Engine.Network")]
        [InlineData("Invoke-Forward", "BackpropModule.Engine.ForwardPass")]
        [InlineData("Invoke-Backward", "BackpropModule.Engine.Gradients")]
        [InlineData("Update-Network", "BackpropModule.Engine.Network")]
        public void OutputTypesAreDeclared(string cmdlet, string type)
        {
            // -Module names the imported module, so no command discovery (and its process-wide cache) is involved.
            var r = ps.Run("$c = @(Get-Command -Name $args[0] -Module BackpropModule -CommandType Cmdlet); $c.Count; foreach ($t in $c[0].OutputType) { $t.Name }", cmdlet).AssertNoErrors();
            Assert.True(r.Objects.Count == 2 && (int)r.Objects[0] == 1, $"Get-Command {cmdlet} gave: " + string.Join(", ", r.Objects));
            Assert.Equal(type, r.Objects[1]);
        }

        [Fact]
        public void CmdletsWriteTheirDeclaredTypes()
        {
            var r = ps.Run(Net343 + @"
                $net
                $pass = $net | Invoke-Forward -InputObject 1, 2, 3 -Target 0
                $pass
                $grad = $pass | Invoke-Backward
                $grad
                $grad | Update-Network -PassThru").AssertNoErrors();
            Assert.Equal(new[] { "BackpropModule.Engine.Network", "BackpropModule.Engine.ForwardPass", "BackpropModule.Engine.Gradients", "BackpropModule.Engine.Network" },
                r.Objects.Select(o => o.GetType().FullName));
        }

        [Fact]
        public void GradientsHaveOnePropertyPerParameterWithItsShape()
        {
            var r = ps.Run(@"
                $net = New-Network -LayerSizes 5,4,3,2 -Activation Tanh -Output Sigmoid -Seed 1
                $grad = $net | Invoke-Forward -InputObject 1, 2, 3, 4, 5 -Target @(@(0, 1)) | Invoke-Backward
                foreach ($p in $net.Parameters) { '{0}={1}/{2}' -f $p.GradientName, $grad.($p.GradientName).Shape, $p.Shape }").AssertNoErrors();
            Assert.Equal(6, r.Objects.Count);
            foreach (string line in r.Objects.Cast<string>())
            {
                string[] parts = line.Split('=', '/');
                Assert.Equal(parts[2], parts[1]);
            }
        }

        [Fact]
        public void ThreeFourThreeScenarioPrintsTheLossAndEveryGradient()
        {
            // examples/01b-ThreeFourThree.ps1: one random sample through a 3-4-3 ReLU/softmax network.
            var r = ps.Run(@"
                $out = & ([System.IO.Path]::Combine($args[0], 'examples', '01b-ThreeFourThree.ps1')) -Seed 5
                $out
                $pass = $out | Where-Object { $_ -is [BackpropModule.Engine.ForwardPass] }
                $grad = ($pass | Invoke-Backward)
                $yMinusT = @(0..2 | ForEach-Object { $pass.Output[0, $_] - $pass.Target[0, $_] })
                $same = $true
                for ($k = 0; $k -lt 3; $k++) { if ([Math]::Abs($grad.db2[0, $k] - $yMinusT[$k]) -gt 1e-15) { $same = $false } }
                $same", ps.RepositoryRoot).AssertNoErrors();
            var tensors = r.Objects.Where(o => PS.TypeName(o) == Tensor).Select(PS.Shape).ToList();
            Assert.Equal(new[] { "3x4", "1x4", "4x3", "1x3" }, tensors);
            var text = r.Objects.OfType<string>().ToList();
            Assert.Contains(text, l => l.Contains("loss (cross-entropy) = "));
            foreach (string g in new[] { "dW1", "db1", "dW2", "db2" }) Assert.Contains(text, l => l.StartsWith(g + " = dL/d"));
            Assert.True((bool)r.Objects.Last(), "for one sample, db2 must equal y - t");
        }

        [Fact]
        public void FashionShapedBatchOneStepAtLearningRateTenthLowersTheLoss()
        {
            // examples/01-Walkthrough.ps1: 784-50-10 sigmoid/softmax, a batch of 100 inputs in [0,1], one SGD step at 0.1.
            var r = ps.Run("& ([System.IO.Path]::Combine($args[0], 'examples', '01-Walkthrough.ps1')) -Seed 3 | Where-Object { $_ -isnot [string] }", ps.RepositoryRoot).AssertNoErrors();
            object summary = r.Output.Last();
            Assert.True(PS.Num(summary, "LossAfter") < PS.Num(summary, "LossBefore"));
            Assert.True((bool)PS.Prop(summary, "Lowered"));
            // Random labels among 10 classes: the starting loss is near ln 10.
            Assert.InRange(PS.Num(summary, "LossBefore"), 1.5, 3.5);
        }

        [Fact]
        public void HelpExamplesOfTheFoundationCmdletsRun()
        {
            foreach (string cmdlet in new[] { "New-Network", "Invoke-Forward", "Invoke-Backward", "Update-Network" })
            {
                var examples = ps.Run("@((Get-Help $args[0] -Examples).examples.example) | ForEach-Object { [string]$_.code }", cmdlet).AssertNoErrors().Objects.Cast<string>().ToList();
                Assert.True(examples.Count >= 2, cmdlet);
                foreach (string code in examples)
                    ps.Run(code).AssertNoErrors();
            }
        }

        [Fact]
        public void SeedGivesTheSameWeightsAcrossCalls()
        {
            var r = ps.Run(BitsFunction + @"
                (Bits (New-Network -LayerSizes 6,5,4 -Seed 11)) -ceq (Bits (New-Network -LayerSizes 6,5,4 -Seed 11))
                (Bits (New-Network -LayerSizes 6,5,4 -Seed 11)) -ceq (Bits (New-Network -LayerSizes 6,5,4 -Seed 12))
                (New-Network -LayerSizes 6,5,4).Seed -is [long]").AssertNoErrors();
            Assert.Equal(new object[] { true, false, true }, r.Objects);
        }
    }
}
