using System.IO;
using System.Linq;
using BackpropModule.Tests.Infrastructure;
using Xunit;

namespace BackpropModule.Tests
{
    /// <summary>Whole-module scenarios that cross features: real data, save and resume, export of training records.</summary>
    public sealed class IntegrationTests : IClassFixture<PowerShellSession>
    {
        private readonly PowerShellSession ps;
        public IntegrationTests(PowerShellSession session) => ps = session;

        /// <summary>The CI check on real data: one epoch of 784-100-10 with Adam reaches 80 % test accuracy.</summary>
        [FashionMnistFact]
        public void OneEpochOnFashionMnistReachesEightyPercent()
        {
            var r = ps.Run(@"
                $train = Import-IdxDataset -Path $args[0] -Name train
                $test = Import-IdxDataset -Path $args[0] -Name t10k
                $net = New-Network 784,100,10 -Activation ReLU -Output Softmax -Seed 1
                $record = $net | Start-Training -TrainingData $train -Epochs 1 -BatchSize 100 -Optimizer Adam -LearningRate 0.001 -Seed 1
                $eval = $net | Test-Network -Data $test
                $record.TrainingLoss; $eval.Accuracy", FashionMnistFactAttribute.Folder).AssertNoErrors();
            double trainLoss = (double)r.Objects[0], accuracy = (double)r.Objects[1];
            Assert.True(trainLoss < 1.0, $"training loss after one epoch is {trainLoss}");
            Assert.True(accuracy >= 0.80, $"test accuracy after one epoch is {accuracy}");
        }

        /// <summary>Train 2 epochs, save, load in a fresh variable, resume 2: identical to 4 uninterrupted epochs, bit for bit.</summary>
        [Theory]
        [InlineData("Adam")]
        [InlineData("Momentum")]
        [InlineData("SGD")]
        public void ResumingFromASavedFileEqualsAnUninterruptedRun(string optimizer)
        {
            string dir = Directory.CreateTempSubdirectory("bpm-resume-").FullName;
            try
            {
                var r = ps.Run(@"
                    param($dir, $opt)
                    $data = New-Dataset -Kind Spiral -Count 40 -Seed 5
                    $a = New-Network 2,16,3 -Activation Tanh -Seed 9
                    $null = $a | Start-Training -TrainingData $data -Epochs 4 -BatchSize 16 -Optimizer $opt -Seed 3
                    $b = New-Network 2,16,3 -Activation Tanh -Seed 9
                    $null = $b | Start-Training -TrainingData $data -Epochs 2 -BatchSize 16 -Optimizer $opt -Seed 3
                    $file = [System.IO.Path]::Combine($dir, 'half.bpnet.json')
                    $b | Save-Network -Path $file
                    $c = Import-Network -Path $file
                    $records = $c | Start-Training -TrainingData $data -Epochs 2 -BatchSize 16 -Resume
                    $records[-1].Epoch
                    foreach ($i in 0..($a.Parameters.Count - 1)) { ,$a.Parameters[$i].Value.ToArray(); ,$c.Parameters[$i].Value.ToArray() }
                ".Replace("param($dir, $opt)", "$dir = $args[0]; $opt = $args[1]"), dir, optimizer).AssertNoErrors();
                var o = r.Objects;
                Assert.Equal(4, o[0]);
                for (int i = 1; i + 1 < o.Count; i += 2)
                {
                    var expected = ((double[][])o[i]).SelectMany(v => v).Select(System.BitConverter.DoubleToInt64Bits).ToArray();
                    var actual = ((double[][])o[i + 1]).SelectMany(v => v).Select(System.BitConverter.DoubleToInt64Bits).ToArray();
                    Assert.Equal(expected, actual);
                }
                Assert.True(o.Count >= 5);
            }
            finally { Directory.Delete(dir, true); }
        }

        /// <summary>Real training records go to the workbook's history sheet (one row per epoch).</summary>
        [Fact]
        public void TrainingRecordsExportToAWorkbookHistory()
        {
            string dir = Directory.CreateTempSubdirectory("bpm-history-").FullName;
            try
            {
                var r = ps.Run(@"
                    $data = New-Dataset -Kind Xor -Count 40 -Seed 1
                    $net = New-Network 2,8,2 -Activation Tanh -Seed 2
                    $history = $net | Start-Training -TrainingData $data -Epochs 5 -BatchSize 8 -Seed 1
                    $file = [System.IO.Path]::Combine($args[0], 'history.xlsx')
                    $history | Export-Workbook -Path $file -PassThru", dir).AssertNoErrors();
                Assert.Single(r.Objects);
                Assert.True(File.Exists(Path.Combine(dir, "history.xlsx")));
                var sheets = PS.Prop(r.Objects[0], "Sheets");
                Assert.Contains("TrainingHistory", ((System.Collections.IEnumerable)sheets).Cast<object>().Select(s => s.ToString()));
            }
            finally { Directory.Delete(dir, true); }
        }
    }
}
