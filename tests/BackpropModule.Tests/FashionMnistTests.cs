using System.IO;
using System.Linq;
using BackpropModule.Tests.Infrastructure;
using Xunit;

namespace BackpropModule.Tests
{
    /// <summary>A fact that is skipped, saying why, when the real Fashion-MNIST files are not installed.</summary>
    public sealed class FashionMnistFactAttribute : FactAttribute
    {
        /// <summary>Where the dataset-fashion-mnist package puts the gzipped IDX files.</summary>
        public const string Folder = "/usr/share/datasets/fashion-mnist";

        public FashionMnistFactAttribute()
        {
            if (!File.Exists(Path.Combine(Folder, "t10k-images-idx3-ubyte.gz")) || !File.Exists(Path.Combine(Folder, "t10k-labels-idx1-ubyte.gz")))
                Skip = $"Fashion-MNIST is not installed in {Folder} (install the dataset-fashion-mnist package to run this test).";
        }
    }

    /// <summary>The real Fashion-MNIST test set through Import-IdxDataset.</summary>
    public sealed class FashionMnistTests : IClassFixture<PowerShellSession>
    {
        private readonly PowerShellSession ps;
        public FashionMnistTests(PowerShellSession session) => ps = session;

        [FashionMnistFact]
        public void TestSetHasTenThousandBalancedSamples()
        {
            var r = ps.Run(@"
                $d = Import-IdxDataset -Path $args[0] -Name t10k
                $d.Count; $d.FeatureCount; $d.ClassCount
                [System.Linq.Enumerable]::Min($d.Features); [System.Linq.Enumerable]::Max($d.Features)
                ,$d.Labels; ,$d.ClassNames
                $d.Targets[$d.Labels[0]]", FashionMnistFactAttribute.Folder).AssertNoErrors();
            var o = r.Objects;
            Assert.Equal(new object[] { 10000, 784, 10, 0.0, 1.0 }, o.Take(5));
            var histogram = ((int[])o[5]).GroupBy(l => l).OrderBy(g => g.Key).Select(g => g.Count()).ToArray();
            Assert.Equal(Enumerable.Repeat(1000, 10), histogram);
            Assert.Equal("T-shirt/top", ((string[])o[6])[0]);
            Assert.Equal("Ankle boot", ((string[])o[6])[9]);
            Assert.Equal(1.0, o[7]);
        }
    }
}
