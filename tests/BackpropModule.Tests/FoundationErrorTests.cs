using System;
using System.Linq;
using System.Management.Automation;
using BackpropModule.Tests.Infrastructure;
using Xunit;
using static BackpropModule.Tests.FoundationTests;

namespace BackpropModule.Tests
{
    /// <summary>
    /// Every refusal of the foundation cmdlets: its ErrorId, category and target object, with the
    /// network left bit-for-bit unchanged (same parameter bits, same version). Hosted because the ErrorRecord's
    /// category and TargetObject identity are what is asserted; the ErrorIds as users meet them: tests/Foundation.Tests.ps1.
    /// </summary>
    public class FoundationErrorTests : IClassFixture<PowerShellSession>
    {
        private readonly PowerShellSession ps;
        public FoundationErrorTests(PowerShellSession session) => ps = session;

        [Fact]
        public void InputWidthMismatchIsRefused()
        {
            var (e, unchanged) = Fail(ps, Net343, "$net | Invoke-Forward -InputObject @(@(1, 2), @(3, 4))");
            AssertError(e, "InputShapeMismatch", ErrorCategory.InvalidData);
            Assert.Equal("2x2", PS.Shape(Target(e)));
            Assert.Contains("takes 3", e.Exception.Message);
            Assert.True(unchanged);
        }

        [Theory]
        [InlineData("@(@(1, 2, 3), @(4, 5, 6))", "-Target @(@(1, 0, 0))", "1x3")]
        [InlineData("1, 2, 3", "-Target @(@(1, 0, 0, 0))", "1x4")]
        public void TargetShapeMismatchIsRefused(string x, string target, string shape)
        {
            var (e, unchanged) = Fail(ps, Net343, $"$net | Invoke-Forward -InputObject {x} {target}");
            AssertError(e, "TargetShapeMismatch", ErrorCategory.InvalidData);
            Assert.Equal(shape, PS.Shape(Target(e)));
            Assert.True(unchanged);
        }

        [Theory]
        [InlineData("-Target 3")]
        [InlineData("-Target -1")]
        [InlineData("-Target 1.5")]
        public void ClassIndexOutOfRangeIsRefused(string target)
        {
            var (e, unchanged) = Fail(ps, Net343, "$net | Invoke-Forward -InputObject 1, 2, 3 " + target);
            AssertError(e, "TargetClassOutOfRange", ErrorCategory.InvalidData);
            Assert.Equal("1x1", PS.Shape(Target(e)));
            Assert.Contains("0..2", e.Exception.Message);
            Assert.True(unchanged);
        }

        [Theory]
        [InlineData("[double]::NaN")]
        [InlineData("[double]::PositiveInfinity")]
        public void NonFiniteInputIsRefused(string bad)
        {
            var (e, unchanged) = Fail(ps, Net343, $"$net | Invoke-Forward -InputObject @(@(1, 2, 3), @(4, {bad}, 6))");
            AssertError(e, "InputNotFinite", ErrorCategory.InvalidData);
            Assert.Equal("2x3", PS.Shape(Target(e)));
            Assert.Contains("row 1, column 1", e.Exception.Message);
            Assert.True(unchanged);
        }

        [Fact]
        public void NonFiniteTargetIsRefused()
        {
            var (e, unchanged) = Fail(ps, Net343, "$net | Invoke-Forward -InputObject 1, 2, 3 -Target @(@(0, [double]::NaN, 1))");
            AssertError(e, "TargetNotFinite", ErrorCategory.InvalidData);
            Assert.Equal("1x3", PS.Shape(Target(e)));
            Assert.True(unchanged);
        }

        [Theory]
        [InlineData("@()")]
        [InlineData("([double[][]]::new(0))")]
        public void EmptyInputIsRefused(string empty)
        {
            var (e, unchanged) = Fail(ps, Net343, "$net | Invoke-Forward -InputObject " + empty);
            AssertError(e, "InputEmpty", ErrorCategory.InvalidData);
            Assert.True(Target(e) is Array a && a.Length == 0);
            Assert.True(unchanged);
        }

        [Theory]
        [InlineData("3", "LayerSizesTooFew", 1)]
        [InlineData("3,0,2", "LayerSizeInvalid", 3)]
        [InlineData("3,-4", "LayerSizeInvalid", 2)]
        public void BadLayerSizesAreRefused(string sizes, string id, int length)
        {
            var r = ps.Run($"try {{ New-Network -LayerSizes {sizes} }} catch {{ $_ }}").AssertNoErrors();
            var e = Assert.IsType<ErrorRecord>(r.Objects.Single());
            AssertError(e, id, ErrorCategory.InvalidArgument);
            Assert.Equal(length, ((int[])Target(e)).Length);
        }

        [Fact]
        public void UnknownActivationIsABindingErrorNamingTheChoices()
        {
            var r = ps.Run("try { New-Network -LayerSizes 3,4,3 -Activation Softplus } catch { $_ }").AssertNoErrors();
            var e = Assert.IsType<ErrorRecord>(r.Objects.Single());
            Assert.IsType<ParameterBindingException>(e.Exception);
            // PowerShell's own id for an argument that cannot be converted to the parameter's enum type.
            Assert.StartsWith("CannotConvertArgumentNoMessage,BackpropModule.Commands.NewNetworkCommand", e.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, e.CategoryInfo.Category);
            Assert.Contains("ReLU, Sigmoid, Tanh", e.Exception.Message);
        }

        [Fact]
        public void StalePassIsRefused()
        {
            var (e, unchanged) = Fail(ps, Net343 + @"
                $pass = $net | Invoke-Forward -InputObject 1, 2, 3 -Target 0
                $pass | Invoke-Backward | Update-Network",
                "$pass | Invoke-Backward");
            AssertError(e, "ForwardPassStale", ErrorCategory.InvalidOperation);
            Assert.Equal("BackpropModule.Engine.ForwardPass", PS.TypeName(e.TargetObject));
            Assert.True(unchanged);
        }

        [Fact]
        public void BackwardWithoutTargetIsRefused()
        {
            var (e, unchanged) = Fail(ps, Net343 + "$pass = $net | Invoke-Forward -InputObject 1, 2, 3", "$pass | Invoke-Backward");
            AssertError(e, "TargetMissing", ErrorCategory.InvalidOperation);
            Assert.Equal("BackpropModule.Engine.ForwardPass", PS.TypeName(e.TargetObject));
            Assert.True(unchanged);
        }

        [Fact]
        public void StaleGradientsAreRefused()
        {
            var (e, unchanged) = Fail(ps, Net343 + @"
                $grad = $net | Invoke-Forward -InputObject 1, 2, 3 -Target 0 | Invoke-Backward
                $grad | Update-Network", "$grad | Update-Network");
            AssertError(e, "GradientStale", ErrorCategory.InvalidOperation);
            Assert.Equal("BackpropModule.Engine.Gradients", PS.TypeName(e.TargetObject));
            Assert.True(unchanged);
        }

        [Theory]
        [InlineData("-LearningRate 0")]
        [InlineData("-LearningRate -0.1")]
        [InlineData("-LearningRate ([double]::NaN)")]
        public void BadLearningRateIsRefused(string lr)
        {
            var (e, unchanged) = Fail(ps, Net343 + "$grad = $net | Invoke-Forward -InputObject 1, 2, 3 -Target 0 | Invoke-Backward", "$grad | Update-Network " + lr);
            AssertError(e, "LearningRateInvalid", ErrorCategory.InvalidArgument);
            Assert.IsType<double>(Target(e));
            Assert.True(unchanged);
        }

        [Fact]
        public void GradientsOfAnotherNetworkAreRefused()
        {
            var (e, unchanged) = Fail(ps, Net343 + @"
                $other = New-Network -LayerSizes 3,4,3 -Seed 2
                $grad = $other | Invoke-Forward -InputObject 1, 2, 3 -Target 0 | Invoke-Backward",
                "$net | Update-Network -Gradient $grad");
            AssertError(e, "GradientNetworkMismatch", ErrorCategory.InvalidArgument);
            Assert.Equal("BackpropModule.Engine.Gradients", PS.TypeName(e.TargetObject));
            Assert.True(unchanged);
        }

        [Theory]
        [InlineData("-InputObject 'abc'", "InputNotConvertible")]
        [InlineData("-InputObject @(@(1, 'x', 3))", "InputNotConvertible")]
        [InlineData("-InputObject @(@(1, 2, 3), @(4, 5))", "InputNotConvertible")]
        [InlineData("-InputObject 1, 2, 3 -Target 'abc'", "TargetNotConvertible")]
        public void UnconvertibleInputOrTargetIsRefused(string arguments, string id)
        {
            var (e, unchanged) = Fail(ps, Net343, "$net | Invoke-Forward " + arguments);
            AssertError(e, id, ErrorCategory.InvalidArgument);
            Assert.NotNull(e.TargetObject);
            Assert.True(unchanged);
        }

    }
}
