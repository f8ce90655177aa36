using System.Linq;
using System.Management.Automation;
using BackpropModule.Tests.Infrastructure;
using Xunit;
using static BackpropModule.Tests.FoundationTests;

namespace BackpropModule.Tests
{
    /// <summary>
    /// Set-NetworkParameter and New-Network -Parameters in a hosted runspace: every refusal's ErrorId,
    /// category and target object, the network bit-for-bit unchanged; the declared output type.
    /// </summary>
    public class ParameterTests : IClassFixture<PowerShellSession>
    {
        private readonly PowerShellSession ps;
        public ParameterTests(PowerShellSession session) => ps = session;

        [Fact]
        public void AWrongShapeIsRefusedWithTheValueAsTarget()
        {
            var (e, unchanged) = Fail(ps, Net343, "$net | Set-NetworkParameter -Parameters ([ordered]@{ b1 = 1, 2, 3, 4; W2 = @(1, 2) })");
            AssertError(e, "ParameterShapeMismatch", ErrorCategory.InvalidData);
            Assert.Equal("1x2", PS.Shape(Target(e)));
            Assert.Contains("W2 must be 4x3", e.Exception.Message);
            Assert.True(unchanged);
        }

        [Fact]
        public void ANonFiniteValueIsRefused()
        {
            var (e, unchanged) = Fail(ps, Net343, "$net | Set-NetworkParameter -Name b2 -Value 1, ([double]::PositiveInfinity), 3");
            AssertError(e, "ParameterNotFinite", ErrorCategory.InvalidData);
            Assert.Equal("1x3", PS.Shape(Target(e)));
            Assert.True(unchanged);
        }

        [Fact]
        public void AnUnknownNameIsRefusedWithTheNameAsTarget()
        {
            var (e, unchanged) = Fail(ps, Net343, "$net | Set-NetworkParameter -Name W7 -Value 1");
            AssertError(e, "ParameterNotFound", ErrorCategory.ObjectNotFound);
            Assert.Equal("W7", Target(e));
            Assert.True(unchanged);
        }

        [Fact]
        public void TextThatIsNoNumberIsRefused()
        {
            var (e, unchanged) = Fail(ps, Net343, "$net | Set-NetworkParameter -Name b2 -Value ([pscustomobject]@{ A = '1'; B = '1,5'; C = '2' })");
            AssertError(e, "ParameterValueNotConvertible", ErrorCategory.InvalidData);
            Assert.Contains("'1,5'", e.Exception.Message);
            Assert.True(unchanged);
        }

        [Fact]
        public void AGapInANewNetworksParametersIsRefused()
        {
            var r = ps.Run("try { New-Network -Parameters @{ W1 = @(, @(1, 2)); b1 = 0, 0; b2 = , 0 } } catch { $_ }").AssertNoErrors();
            var e = Assert.IsType<ErrorRecord>(r.Objects.Single());
            AssertError(e, "ParameterMissing", ErrorCategory.InvalidArgument);
        }

        [Fact]
        public void OutputTypeIsTheNetworkAndPassThruWritesIt()
        {
            var r = ps.Run(Net343 + @"
                (Get-Command Set-NetworkParameter).OutputType.Name
                ($net | Set-NetworkParameter -Name b1 -Value 1, 2, 3, 4 -PassThru).Version").AssertNoErrors();
            Assert.Equal("BackpropModule.Engine.Network", r.Objects[0]);
            Assert.Equal(1L, r.Objects[1]);
        }
    }
}
