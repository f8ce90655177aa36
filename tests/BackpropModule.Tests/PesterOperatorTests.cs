using System.Linq;
using BackpropModule.Tests.Infrastructure;
using Xunit;

namespace BackpropModule.Tests
{
    /// <summary>
    /// Should -PassGradientCheck without Pester: a stand-in Add-ShouldOperator captures what the
    /// module registers on import, and the captured test script block is invoked the way Pester does.
    /// NOT a lasting home: these scenarios (accepted inputs, failure message, -Negate, tolerance)
    /// belong in tests/Gradients.Tests.ps1 with the operator's other tests, and go when it has them;
    /// the registration and every activation × output already run there in real Pester.
    /// </summary>
    public class PesterOperatorTests : IClassFixture<PowerShellSession>
    {
        private readonly PowerShellSession ps;

        public PesterOperatorTests(PowerShellSession session)
        {
            ps = session;
            ps.Run(@"
                function global:Add-ShouldOperator {
                    param([string] $Name, [scriptblock] $Test, [string[]] $Alias, [string] $InternalName, [switch] $SupportsArrayInput)
                    $global:capturedShould = @{ Name = $Name; Test = $Test; SupportsArrayInput = [bool] $SupportsArrayInput }
                }
                Import-Module -Name $args[0] -Force -ErrorAction Stop", ps.ModuleManifest).AssertNoErrors();
        }

        private const string Setup = @"
            $x = @(@(0.1, -0.2, 0.3, 0.4, 0.9, -1), @(-1, 0.5, 2, 0, 1, 1), @(0.3, 0.3, -0.7, 0.2, 0, 0.5))
            $net = New-Network -LayerSizes 6, 8, 4 -Activation Sigmoid -Output Softmax -Seed 5
            $pass = $net | Invoke-Forward -X $x -T 2, 0, 3
            $good = $pass | Invoke-Backward
            $broken = $pass | Invoke-Backward
            $broken.dW1[5, 7] += 1e-3
            $should = $global:capturedShould.Test
";

        [Theory]
        [InlineData("$pass")]
        [InlineData("$good")]
        [InlineData("@($net | Test-Gradient -X $x -T 2, 0, 3)")]
        [InlineData("($good | Test-Gradient -Summary)")]
        public void ACorrectGradientSucceeds(string actual)
        {
            var r = ps.Run(Setup + "& $should -ActualValue " + actual).AssertNoErrors();
            Assert.True((bool)PS.Prop(r.Output.Single(), "Succeeded"), (string)PS.Prop(r.Output.Single(), "FailureMessage"));
        }

        [Fact]
        public void ABrokenGradientFailsWithParameterRowColumnAndValues()
        {
            var r = ps.Run(Setup + "& $should -ActualValue $broken -Because 'backprop must be right'").AssertNoErrors();
            var o = r.Output.Single();
            Assert.False((bool)PS.Prop(o, "Succeeded"));
            string m = (string)PS.Prop(o, "FailureMessage");
            Assert.Contains("because backprop must be right", m);
            Assert.Contains("dW1 at row 5, column 7", m);
            Assert.Contains("analytic", m);
            Assert.Contains("numerical", m);
        }

        [Fact]
        public void NegateInvertsTheOutcome()
        {
            var r = ps.Run(Setup + "(& $should -ActualValue $broken -Negate).Succeeded; (& $should -ActualValue $good -Negate).Succeeded").AssertNoErrors();
            Assert.Equal(true, r.Objects[0]);
            Assert.Equal(false, r.Objects[1]);
        }

        [Fact]
        public void ExpectedValueIsTheTolerance()
        {
            // A relative error |a − n| / max(|a|, |n|) of finite values never exceeds 2, so 5 passes anything finite.
            var r = ps.Run(Setup + "(& $should -ActualValue $broken -ExpectedValue 5).Succeeded").AssertNoErrors();
            Assert.Equal(true, r.Objects[0]);
        }

        [Fact]
        public void SomethingElseFailsWithAnExplanation()
        {
            var r = ps.Run(Setup + "& $should -ActualValue $net").AssertNoErrors();
            var o = r.Output.Single();
            Assert.False((bool)PS.Prop(o, "Succeeded"));
            Assert.Contains("needs a ForwardPass", (string)PS.Prop(o, "FailureMessage"));
        }
    }
}
