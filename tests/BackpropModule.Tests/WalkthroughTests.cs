using BackpropModule.Tests.Infrastructure;
using Xunit;

namespace BackpropModule.Tests
{
    public class WalkthroughTests : IClassFixture<PowerShellSession>
    {
        private readonly PowerShellSession ps;
        public WalkthroughTests(PowerShellSession session) => ps = session;

        [Fact]
        public void ForwardBackwardUpdateLowersTheLoss()
        {
            var r = ps.Run(@"
                $net = New-Network -LayerSizes 4,5,3 -Activation Sigmoid -Output Softmax -Seed 3
                $x = @(@(0.1,0.2,0.3,0.4), @(-1,0.5,2,0))
                $pass = $net | Invoke-Forward -InputObject $x -Target 2,0
                $grad = $pass | Invoke-Backward
                $net | Update-Network -Gradient $grad -LearningRate 0.5
                $after = $net | Invoke-Forward -InputObject $x -Target 2,0
                $pass.Loss; $after.Loss; $grad.dW1; $grad.db2").AssertNoErrors();
            var o = r.Objects;
            Assert.True((double)o[1] < (double)o[0]);
            Assert.Equal("BackpropModule.Engine.Tensors.Tensor", PS.TypeName(o[2]));
            Assert.Equal("4x5", PS.Shape(o[2]));
            Assert.Equal("1x3", PS.Shape(o[3]));
        }
    }
}
