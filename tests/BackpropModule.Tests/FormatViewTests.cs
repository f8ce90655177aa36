using System.Linq;
using System.Text.RegularExpressions;
using BackpropModule.Tests.Infrastructure;
using Xunit;

namespace BackpropModule.Tests
{
    /// <summary>
    /// What a user sees: every view renders through Out-Default with its headings, big tensors are
    /// truncated with ellipses, and nothing a cmdlet writes is unrolled into loose values.
    /// </summary>
    public class FormatViewTests : IClassFixture<PowerShellSession>
    {
        private readonly PowerShellSession ps;
        public FormatViewTests(PowerShellSession session) => ps = session;

        private const string Setup = @"
            $net = New-Network -LayerSizes 784,50,10 -Activation Sigmoid -Seed 1
            $x = [double[][]]::new(100)
            $rng = [System.Random]::new(5)
            for ($i = 0; $i -lt 100; $i++) { $x[$i] = [double[]]::new(784); for ($j = 0; $j -lt 784; $j++) { $x[$i][$j] = $rng.NextDouble() } }
            $t = [int[]](0..99 | ForEach-Object { $_ % 10 })
            $pass = $net | Invoke-Forward -InputObject $x -Target $t
            $grad = $pass | Invoke-Backward
";

        /// <summary>Renders without the ANSI styling PowerShell 7 puts on table headers.</summary>
        private string Render(string script) => Regex.Replace(ps.Render("& {" + Setup + script + "\n}"), "\u001b\\[[0-9;]*m", "");

        private static string[] Lines(string text) => text.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();

        [Fact]
        public void NetworkViewShowsArchitectureAndLayerTable()
        {
            string text = Render("$net");
            Assert.Contains("Network      784-50-10 Sigmoid → Softmax/CrossEntropy", text);
            Assert.Contains("Parameters   39,760, init Xavier, seed 1", text);
            Assert.Matches(@"Layer\s+Kind\s+Inputs\s+Outputs\s+Parameters\s+Count", text);
            Assert.Contains("W1 784x50, b1 1x50", text);
            Assert.Contains("Affine+Softmax", text);
        }

        [Fact]
        public void ForwardPassViewShowsLossShapesAndLayers()
        {
            string text = Render("$pass");
            foreach (string heading in new[] { "ForwardPass", "Loss", "CrossEntropy, mean over 100 sample(s)", "Accuracy", "Input        100x784", "Output       100x10", "Stale        no", "PreActivation", "Output min .. max" })
                Assert.Contains(heading, text);
        }

        [Fact]
        public void GradientsViewShowsOneRowPerGradient()
        {
            string text = Render("$grad");
            Assert.Contains("Gradients    784-50-10", text);
            Assert.Matches(@"Name\s+Shape\s+Norm\s+MaxAbs", text);
            foreach (string row in new[] { "dW1    784x50", "db1    1x50", "dW2    50x10", "db2    1x10" }) Assert.Contains(row, text);
            Assert.Contains("Deltas", text);
        }

        [Fact]
        public void BigTensorRendersAsATruncatedGridWithEllipses()
        {
            string[] lines = Lines(Render("$pass.Input"));
            string first = lines.First(l => l.Length > 0);
            Assert.Equal("Tensor 100x784", first);
            string header = lines.SkipWhile(l => l != first).Skip(1).First();
            Assert.Contains("[0]", header);
            Assert.Contains("…", header);
            Assert.Contains("[783]", header);
            Assert.Contains(lines, l => l.TrimStart().StartsWith("…"));
            Assert.Contains(lines, l => l.TrimStart().StartsWith("[99]"));
            Assert.True(lines.Count(l => l.Length > 0) <= 13, "the grid must be truncated to a screenful");
        }

        [Fact]
        public void LayerTraceViewIsATable()
        {
            string[] lines = Lines(Render("$pass.Layers"));
            Assert.Contains(lines, l => Regex.IsMatch(l, @"^Layer\s+Activation\s+Input\s+PreActivation\s+Output"));
            Assert.Contains(lines, l => Regex.IsMatch(l, @"^\s+1\s+Sigmoid\s+100x784\s+100x50\s+100x50"));
            Assert.Contains(lines, l => Regex.IsMatch(l, @"^\s+2\s+Softmax\s+100x50\s+100x10\s+100x10"));
        }

        [Fact]
        public void ParameterViewIsATable()
        {
            string[] lines = Lines(Render("$net.Parameters"));
            Assert.Contains(lines, l => Regex.IsMatch(l, @"^Name\s+Layer\s+Shape\s+MaxAbs"));
            Assert.Contains(lines, l => Regex.IsMatch(l, @"^W1\s+1\s+784x50\s+\d"));
            Assert.Contains(lines, l => Regex.IsMatch(l, @"^b2\s+2\s+1x10\s+0$"));
        }

        [Fact]
        public void CustomViewsRenderAfterATableOfAnotherType()
        {
            // The custom views are out of band, so a table before them does not swallow them.
            string text = Render("$net.Parameters; $net; $grad.db2");
            Assert.Matches(@"Name\s+Layer\s+Shape\s+MaxAbs", text);
            Assert.Contains("Network 784-50-10", text);
            Assert.Contains("Tensor 1x10", text);
        }

        [Fact]
        public void EachCmdletWritesExactlyOneObjectPerInput()
        {
            var r = ps.Run(@"
                $a = New-Network -LayerSizes 3,4,3 -Seed 1
                $b = New-Network -LayerSizes 3,4,3 -Seed 2
                @(New-Network -LayerSizes 3,4,3 -Seed 1).Count
                $passes = @($a, $b | Invoke-Forward -InputObject @(@(1, 2, 3), @(4, 5, 6)) -Target 0, 1)
                $passes.Count
                $grads = @($passes | Invoke-Backward)
                $grads.Count
                @($grads | Update-Network -PassThru).Count
                @($grads | Update-Network -Force).Count
                @($passes[0].Output | ForEach-Object { $_ }).Count
                @($grads[0].dW1 | ForEach-Object { $_ }).Count
                @($passes[0].Layers).Count").AssertNoErrors();
            Assert.Equal(new object[] { 1, 2, 2, 2, 0, 1, 1, 2 }, r.Objects);
        }

        [Fact]
        public void TensorsStayWholeOnThePipeline()
        {
            var r = ps.Run(Setup + @"
                $grad.dW1 | ForEach-Object { $_.GetType().FullName + ' ' + $_.Shape }
                $pass.Output | ForEach-Object { $_.Shape }").AssertNoErrors();
            Assert.Equal(new object[] { "BackpropModule.Engine.Tensors.Tensor 784x50", "100x10" }, r.Objects);
        }
    }
}
