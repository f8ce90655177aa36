using System;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using BackpropModule.Tests.Infrastructure;
using Xunit;

namespace BackpropModule.Tests
{
    public class TrainingTests : IClassFixture<PowerShellSession>
    {
        private readonly PowerShellSession ps;
        public TrainingTests(PowerShellSession session) => ps = session;

        private const string Spiral = "$data = New-Dataset -Kind Spiral -Count 50 -Seed 3; $net = New-Network -LayerSizes 2,20,3 -Activation ReLU -Output Softmax -Seed 1; ";

        [Fact]
        public void NewDatasetMakesBuiltInDatasetsWithAView()
        {
            var r = ps.Run("New-Dataset -Kind Spiral -Seed 1; New-Dataset Sine; New-Dataset -Kind Xor").AssertNoErrors();
            Assert.All(r.Objects, o => Assert.Equal("BackpropModule.Engine.Data.Dataset", PS.TypeName(o)));
            Assert.Equal(300, PS.Num(r.Objects[0], "Count"));
            Assert.Equal(63, PS.Num(r.Objects[1], "Count"));
            Assert.Equal(4, PS.Num(r.Objects[2], "Count"));
            string text = ps.Render("New-Dataset -Kind Spiral -Seed 1 -Count 10");
            Assert.Contains("3 classes", text);
            Assert.Contains("spiral", text);
        }

        [Fact]
        public void NewDatasetRejectsBadOptions()
        {
            var e = ps.Run("New-Dataset -Kind Spiral -Classes 1").SingleError();
            Assert.StartsWith("DatasetOptionInvalid", e.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, e.CategoryInfo.Category);
        }

        [Fact]
        public void NewOptimizerShowsItsSettings()
        {
            var r = ps.Run("New-Optimizer -Name Adam -LearningRate 0.002 -Beta2 0.99").AssertNoErrors();
            var o = r.Objects.Single();
            Assert.Equal("BackpropModule.Engine.Training.Optimizers.AdamOptimizer", PS.TypeName(o));
            Assert.Equal(0.002, PS.Num(o, "LearningRate"));
            Assert.Equal(0.99, PS.Num(o, "Beta2"));
            Assert.Equal(0.9, PS.Num(o, "Beta1"));
            string text = ps.Render("New-Optimizer Momentum");
            Assert.Contains("Momentum=0.9", text);
            Assert.Contains("0.01", text);
        }

        [Theory]
        [InlineData("New-Optimizer -Name SGD -Beta1 0.5", "OptimizerSettingInvalid")]
        [InlineData("New-Optimizer -Name Adam -Beta1 1.5", "OptimizerSettingInvalid")]
        [InlineData("New-Optimizer -Name Adamax", "OptimizerNameUnknown")]
        [InlineData("New-Optimizer -Name Adam -LearningRate 0", "LearningRateInvalid")]
        public void NewOptimizerRejectsBadInput(string script, string id)
        {
            var e = ps.Run(script).SingleError();
            Assert.StartsWith(id, e.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, e.CategoryInfo.Category);
        }

        [Fact]
        public void UpdateNetworkStepsWithAnOptimizerThatKeepsItsState()
        {
            var r = ps.Run(@"
                $net = New-Network -LayerSizes 2,4,2 -Activation Tanh -Seed 5
                $opt = New-Optimizer Momentum -LearningRate 0.1
                $x = @(@(0.5, -1), @(1, 0.25)); $t = 0, 1
                $l0 = ($net | Invoke-Forward $x $t).Loss
                foreach ($i in 1..20) { $g = $net | Invoke-Forward $x $t | Invoke-Backward; $net | Update-Network -Gradient $g -Optimizer $opt }
                $l1 = ($net | Invoke-Forward $x $t).Loss
                $g = $net | Invoke-Forward $x $t | Invoke-Backward
                $net | Update-Network -Gradient $g -Optimizer $opt -LearningRate 0.05
                $opt.Steps; $opt.LearningRate; $l0; $l1").AssertNoErrors();
            Assert.Equal(21L, Convert.ToInt64(r.Objects[0]));
            Assert.Equal(0.05, (double)r.Objects[1]);
            Assert.True((double)r.Objects[3] < (double)r.Objects[2]);
            var stale = ps.Run(@"
                $net = New-Network -LayerSizes 2,2 -Seed 1; $opt = New-Optimizer Adam
                $g = $net | Invoke-Forward @(1,2) 0 | Invoke-Backward
                $net | Update-Network -Gradient $g -Optimizer $opt
                $net | Update-Network -Gradient $g -Optimizer $opt").SingleError();
            Assert.StartsWith("GradientStale", stale.FullyQualifiedErrorId);
        }

        [Fact]
        public void StartTrainingWritesEpochRecordsProgressAndTheNetwork()
        {
            var r = ps.Run(Spiral + "$valid = New-Dataset -Kind Spiral -Count 20 -Seed 4; " +
                "$net | Start-Training -TrainingData $data -ValidationData $valid -Epochs 30 -BatchSize 15 -Optimizer Adam -LearningRate 0.01 -Seed 2 -PassThru").AssertNoErrors();
            var records = r.Objects.Take(30).ToList();
            Assert.All(records, o => Assert.Equal("BackpropModule.Engine.Training.EpochRecord", PS.TypeName(o)));
            Assert.Equal("BackpropModule.Engine.Network", PS.TypeName(r.Objects[30]));
            Assert.Equal(31, r.Objects.Count);
            Assert.True(PS.Num(records[29], "TrainingLoss") < PS.Num(records[0], "TrainingLoss"));
            Assert.True(PS.Num(records[29], "ValidationAccuracy") > PS.Num(records[0], "ValidationAccuracy"));
            Assert.Equal("Adam", PS.Prop(records[0], "Optimizer"));
            Assert.Equal(0.01, PS.Num(records[0], "LearningRate"));
            var progress = r.Progress.Where(p => p.Activity.StartsWith("Training 2-20-3")).ToList();
            Assert.True(progress.Count(p => p.RecordType == ProgressRecordType.Processing) >= 30, "at least one progress record per epoch");
            Assert.Contains(progress, p => p.StatusDescription.Contains("Epoch 30/30") && p.SecondsRemaining >= 0);
            Assert.Equal(ProgressRecordType.Completed, progress.Last().RecordType);
            string text = ps.Render(Spiral + "$net | Start-Training $data -Epochs 2 -Seed 1");
            Assert.Contains("TrainLoss", text);
            Assert.Contains("Samples/s", text);
        }

        [Fact]
        public void TheSameSeedGivesTheSameRunAndResumeContinuesIt()
        {
            var r = ps.Run(@"
                $data = New-Dataset -Kind Spiral -Count 30 -Seed 3
                $a = New-Network -LayerSizes 2,20,3 -Seed 1; $b = New-Network -LayerSizes 2,20,3 -Seed 1
                $ra = $a | Start-Training $data -Epochs 4 -BatchSize 16 -Optimizer Adam -Seed 9
                $null = $b | Start-Training $data -Epochs 2 -BatchSize 16 -Optimizer Adam -Seed 9
                $rb = $b | Start-Training $data -Epochs 2 -BatchSize 16 -Resume
                $same = $true
                for ($i = 0; $i -lt $a.Parameters.Count; $i++) { if (-not $a.Parameters[$i].Value.BitwiseEquals($b.Parameters[$i].Value)) { $same = $false } }
                $same; $rb[0].Epoch; $rb[1].TrainingLoss -eq $ra[3].TrainingLoss; $b.Checkpoint.EpochsCompleted").AssertNoErrors();
            Assert.True((bool)r.Objects[0]);
            Assert.Equal(3, Convert.ToInt32(r.Objects[1]));
            Assert.True((bool)r.Objects[2]);
            Assert.Equal(4, Convert.ToInt32(r.Objects[3]));
        }

        [Fact]
        public void TheCheckpointShowsTheOptimizerAndItsState()
        {
            string text = ps.Render(Spiral + "$null = $net | Start-Training $data -Epochs 2 -Optimizer Adam -Seed 1; $net.Checkpoint");
            Assert.Contains("EpochsCompleted", text);
            Assert.Contains("Adam (LearningRate=0.001", text);
            Assert.Contains("M.W1 2x20", text);
        }

        [Fact]
        public void UpdateNetworkWhatIfLeavesNetworkAndOptimizerAlone()
        {
            var r = ps.Run(@"
                $net = New-Network -LayerSizes 2,2 -Seed 1; $opt = New-Optimizer Adam; $v = $net.Version
                $g = $net | Invoke-Forward @(1,2) 0 | Invoke-Backward
                $net | Update-Network -Gradient $g -Optimizer $opt -WhatIf
                $net.Version - $v; $opt.Steps").AssertNoErrors();
            Assert.Equal(0L, Convert.ToInt64(r.Objects[0]));
            Assert.Equal(0L, Convert.ToInt64(r.Objects[1]));
        }

        [Fact]
        public void DataThatDoesNotFitIsATerminatingErrorAndTheNetworkIsUnchanged()
        {
            var r = ps.Run("$sine = New-Dataset Sine; $net = New-Network -LayerSizes 2,3 -Seed 1; $v = $net.Version; " +
                "try { $net | Start-Training $sine -Epochs 1 } finally { $global:versionAfter = $net.Version - $v }");
            var e = r.SingleError();
            Assert.StartsWith("DatasetFeatureMismatch", e.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidData, e.CategoryInfo.Category);
            Assert.Equal("BackpropModule.Engine.Data.Dataset", PS.TypeName(e.TargetObject));
            Assert.Equal(0L, Convert.ToInt64(ps.Run("$global:versionAfter").Objects[0]));
            Assert.StartsWith("TrainingCheckpointMissing", ps.Run("$d = New-Dataset Sine; New-Network 1,1 -Output Identity | Start-Training $d -Resume").SingleError().FullyQualifiedErrorId);
            Assert.StartsWith("OptimizerNameUnknown", ps.Run("$d = New-Dataset Sine; New-Network 1,1 -Output Identity | Start-Training $d -Optimizer Nesterov").SingleError().FullyQualifiedErrorId);
        }

        [Fact]
        public void DivergenceIsATerminatingErrorThatLeavesAFiniteNetwork()
        {
            var r = ps.Run("$sine = New-Dataset Sine; $global:divNet = New-Network -LayerSizes 1,3,1 -Activation Sigmoid -Output Identity -Seed 1; " +
                "$global:divNet | Start-Training $sine -Epochs 50 -BatchSize 1 -LearningRate 1e6 -NoShuffle");
            var e = r.SingleError();
            Assert.StartsWith("TrainingDiverged", e.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidResult, e.CategoryInfo.Category);
            Assert.Contains("epoch", e.Exception.Message);
            Assert.Contains("batch", e.Exception.Message);
            var finite = ps.Run("foreach ($p in $global:divNet.Parameters) { $null -eq $p.Value.FindNonFinite() }").AssertNoErrors();
            Assert.All(finite.Objects, o => Assert.True((bool)o));
        }

        [Fact]
        public void EarlyStoppingEndsAfterPatienceAndSaysItRestoredTheBestEpoch()
        {
            var r = ps.Run(@"
                $train = New-Dataset -Kind Spiral -Count 8 -Seed 1 -Noise 0.6; $valid = New-Dataset -Kind Spiral -Count 60 -Seed 2 -Noise 0.6
                $net = New-Network -LayerSizes 2,100,3 -Seed 3
                $net | Start-Training $train -ValidationData $valid -Epochs 400 -BatchSize 24 -Optimizer Adam -LearningRate 0.05 -Seed 1 -EarlyStopping -Patience 10 -Verbose").AssertNoErrors();
            Assert.True(r.Objects.Count < 400);
            var last = r.Objects[^1];
            Assert.Equal(PS.Num(last, "BestEpoch") + 10, PS.Num(last, "Epoch"));
            Assert.Contains(r.Verbose, v => v.Contains("Stopped early") && v.Contains("restored"));
        }

        [Fact]
        public void TestNetworkReportsAccuracyConfusionMatrixAndPerClassFigures()
        {
            var r = ps.Run(Spiral + "$null = $net | Start-Training $data -Epochs 20 -Optimizer Adam -LearningRate 0.02 -Seed 1; $net | Test-Network -Data $data").AssertNoErrors();
            var result = r.Objects.Single();
            Assert.Equal("BackpropModule.Engine.Training.EvaluationResult", PS.TypeName(result));
            var counts = (int[,])PS.Prop(PS.Prop(result, "ConfusionMatrix"), "Counts");
            Assert.Equal(150, counts.Cast<int>().Sum());
            int diagonal = counts[0, 0] + counts[1, 1] + counts[2, 2];
            Assert.Equal(diagonal / 150.0, PS.Num(result, "Accuracy"), 12);
            var classes = ((System.Collections.IEnumerable)PS.Prop(result, "Classes")).Cast<object>().ToList();
            Assert.Equal(3, classes.Count);
            Assert.Equal(50, PS.Num(classes[0], "Support"));
            string text = ps.Render(Spiral + "$net | Test-Network $data");
            Assert.Contains("Confusion matrix", text);
            Assert.Contains("Precision", text);
            string regression = ps.Render("$d = New-Dataset Sine; New-Network 1,4,1 -Output Identity -Seed 1 | Test-Network $d");
            Assert.Contains("MAE", regression);
        }

        [Fact]
        public void CtrlCStopsAtABatchBoundaryKeepingTheRecordsAndWhatWasLearned()
        {
            ps.Run("$global:stopNet = New-Network -LayerSizes 2,50,3 -Seed 1; $global:stopData = New-Dataset -Kind Spiral -Count 100 -Seed 1; $global:stopV0 = $global:stopNet.Version").AssertNoErrors();
            using var shell = PowerShell.Create();
            shell.Runspace = ps.Runspace;
            shell.AddScript("$global:stopNet | Start-Training -TrainingData $global:stopData -Epochs 100000 -BatchSize 1 -Seed 1");
            var output = new PSDataCollection<PSObject>();
            int added = 0;
            output.DataAdded += (s, e) => { if (Interlocked.Increment(ref added) == 1) shell.BeginStop(null, null); };
            var async = shell.BeginInvoke<PSObject, PSObject>(null, output);
            Assert.True(async.AsyncWaitHandle.WaitOne(TimeSpan.FromMinutes(3)), "the pipeline did not stop");
            try { shell.EndInvoke(async); } catch (PipelineStoppedException) { }
            Assert.Equal(PSInvocationState.Stopped, shell.InvocationStateInfo.State);
            Assert.InRange(output.Count, 1, 99999);
            Assert.Equal(1, PS.Num(output[0], "Epoch"));
            var progress = shell.Streams.Progress.Where(p => p.Activity.StartsWith("Training 2-50-3")).ToList();
            Assert.Contains(progress, p => p.StatusDescription.StartsWith("Epoch 1/100000") && p.SecondsRemaining >= 0);
            var r = ps.Run(@"
                $n = $global:stopNet
                $finite = $true; foreach ($p in $n.Parameters) { if ($null -ne $p.Value.FindNonFinite()) { $finite = $false } }
                $finite; $n.Version - $global:stopV0; $n.Checkpoint.EpochsCompleted").AssertNoErrors();
            Assert.True((bool)r.Objects[0]);
            long steps = Convert.ToInt64(r.Objects[1]);
            Assert.True(steps >= 300, "at least the first epoch's 300 steps were kept; got " + steps);
            Assert.True(Convert.ToInt32(r.Objects[2]) >= 1);
        }

        [Fact]
        public void StopInsideAnEpochThenResumeEqualsAnUninterruptedRunAndTheHistoryIsOnTheNetwork()
        {
            ps.Run("$global:s2Net = New-Network -LayerSizes 2,20,3 -Seed 1; $global:s2Data = New-Dataset -Kind Spiral -Count 100 -Seed 1; " +
                   "$global:s2V0 = $global:s2Net.Version; $global:s2H = 'old'").AssertNoErrors();
            using var shell = PowerShell.Create();
            shell.Runspace = ps.Runspace;
            shell.AddScript("$global:s2H = $global:s2Net | Start-Training -TrainingData $global:s2Data -Epochs 100000 -BatchSize 7 -Optimizer Adam -Seed 1");
            // The records go to the variable, not to the output, so the stop is triggered from the progress stream.
            int stopped = 0;
            shell.Streams.Progress.DataAdded += (s, e) =>
            {
                var p = shell.Streams.Progress[e.Index];
                if (p.CurrentOperation != null && !p.CurrentOperation.StartsWith("Epoch 1") && !p.CurrentOperation.StartsWith("Epoch 2") &&
                    Interlocked.Exchange(ref stopped, 1) == 0) shell.BeginStop(null, null);
            };
            var async = shell.BeginInvoke();
            Assert.True(async.AsyncWaitHandle.WaitOne(TimeSpan.FromMinutes(3)), "the pipeline did not stop");
            try { shell.EndInvoke(async); } catch (PipelineStoppedException) { }
            Assert.Equal(PSInvocationState.Stopped, shell.InvocationStateInfo.State);
            var r = ps.Run(@"
                $n = $global:s2Net; $cp = $n.Checkpoint
                $global:s2H
                $n.History.Count; $cp.EpochsCompleted; $cp.SamplesCompleted; $n.Version - $global:s2V0
                $null = $n | Start-Training -TrainingData $global:s2Data -Epochs 1 -Resume
                $whole = New-Network -LayerSizes 2,20,3 -Seed 1
                $null = $whole | Start-Training -TrainingData $global:s2Data -Epochs ($cp.EpochsCompleted + 1) -BatchSize 7 -Optimizer Adam -Seed 1
                $same = $true
                for ($i = 0; $i -lt $whole.Parameters.Count; $i++) { if (-not $whole.Parameters[$i].Value.BitwiseEquals($n.Parameters[$i].Value)) { $same = $false } }
                $same
                ($n.History.TrainingLoss -join ',') -eq ($whole.History.TrainingLoss -join ',')").AssertNoErrors();
            Assert.Equal("old", r.Objects[0].ToString());          // PowerShell did not assign the stopped command's output...
            int completed = Convert.ToInt32(r.Objects[2]), samples = Convert.ToInt32(r.Objects[3]);
            Assert.Equal(completed, Convert.ToInt32(r.Objects[1])); // ...but the network kept a record per completed epoch
            Assert.True(completed >= 2);
            Assert.Equal(0, samples % 7);
            Assert.Equal(completed * 43L + samples / 7, Convert.ToInt64(r.Objects[4])); // the checkpoint is where the weights are
            Assert.True((bool)r.Objects[5], "stop + resume differs from the uninterrupted run");
            Assert.True((bool)r.Objects[6]);
        }

        [Theory]
        [InlineData("Start-Training")]
        [InlineData("Test-Network")]
        [InlineData("New-Optimizer")]
        [InlineData("New-Dataset")]
        public void EveryCommandHasHelpWithExamples(string command)
        {
            var r = ps.Run($"Get-Help {command} -Full").AssertNoErrors();
            var help = r.Output.Single();
            Assert.False(string.IsNullOrWhiteSpace(PS.Prop(help, "Synopsis")?.ToString()));
            var examples = ps.Run($"(Get-Help {command} -Examples).examples.example").AssertNoErrors();
            Assert.True(examples.Objects.Count >= 2, command + " has fewer than two examples");
            var parameters = ps.Run($"(Get-Help {command}).parameters.parameter | ForEach-Object {{ $_.name }}").AssertNoErrors().Objects.Select(o => o.ToString()).ToList();
            var declared = ps.Run($"(Get-Command {command}).Parameters.Keys").AssertNoErrors().Objects.Select(o => o.ToString())
                .Where(n => !new[] { "Verbose", "Debug", "ErrorAction", "WarningAction", "InformationAction", "ProgressAction", "ErrorVariable", "WarningVariable", "InformationVariable", "OutVariable", "OutBuffer", "PipelineVariable" }.Contains(n));
            Assert.All(declared, n => Assert.Contains(n, parameters));
        }
    }
}
