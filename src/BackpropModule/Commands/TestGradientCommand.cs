using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using BackpropModule.Engine;
using BackpropModule.Engine.Checking;
using BackpropModule.Engine.Tensors;
using BackpropModule.Infrastructure;

namespace BackpropModule.Commands
{
    /// <summary>
    /// Test-Gradient: compares backprop's gradients (or gradients you supply) with central
    /// differences of the network's own loss, one result per parameter. The network is left
    /// exactly as it was, also when the check is stopped or fails.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "Gradient", DefaultParameterSetName = NetworkSet)]
    [OutputType(typeof(GradientCheckResult), typeof(GradientCheckSummary))]
    public sealed class TestGradientCommand : BackpropCmdlet
    {
        private const string NetworkSet = "Network";
        private const string GradientSet = "Gradient";
        private readonly CancellationTokenSource cancellation = new CancellationTokenSource();

        /// <summary>The network to check; its gradient is computed by backprop on -InputObject/-Target.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = NetworkSet)]
        public Network Network { get; set; }

        /// <summary>Gradients to check (from Invoke-Backward, possibly edited, or built elsewhere); their network is used.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = GradientSet)]
        [Alias("Gradients")]
        public Gradients Gradient { get; set; }

        /// <summary>
        /// The input batch (a Dataset brings its targets too); with -Gradient it defaults to the batch
        /// the gradients were computed on. Not mandatory to PowerShell, so that leaving it out gets a
        /// message saying what is missing instead of a generic binding error.
        /// </summary>
        [Parameter(Position = 0, ParameterSetName = NetworkSet)]
        [Parameter(Position = 0, ParameterSetName = GradientSet)]
        [Alias("X")]
        public object InputObject { get; set; }

        /// <summary>The target; with a Dataset as input, or with -Gradient, it defaults to theirs.</summary>
        [Parameter(Position = 1, ParameterSetName = NetworkSet)]
        [Parameter(Position = 1, ParameterSetName = GradientSet)]
        [Alias("T")]
        public object Target { get; set; }

        /// <summary>The step h of the central difference (L(w + h) − L(w − h)) / 2h.</summary>
        [Parameter]
        [ValidateRange(1e-12, 0.1)]
        public double Epsilon { get; set; } = GradientCheckOptions.DefaultEpsilon;

        /// <summary>A parameter passes when its maximum relative error is at most this.</summary>
        [Parameter]
        [ValidateRange(1e-16, 2.0)]
        public double Tolerance { get; set; } = GradientCheckOptions.DefaultTolerance;

        /// <summary>Check only this many elements per parameter (always including the largest gradient).</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int Sample { get; set; }

        /// <summary>Seed that picks the sampled elements.</summary>
        [Parameter]
        public int Seed { get; set; }

        /// <summary>Check only these parameters (W1, b1, dW2 …).</summary>
        [Parameter]
        [Alias("Parameter")]
        [ValidateNotNullOrEmpty]
        public string[] ParameterName { get; set; }

        /// <summary>Turn a failed check into a terminating GradientCheckFailed error.</summary>
        [Parameter]
        public SwitchParameter Assert { get; set; }

        /// <summary>Also return, per parameter, the full numerical gradient, the analytic one and their difference (NumericalGradient, AnalyticGradient, Difference).</summary>
        [Parameter]
        [Alias("Detailed")]
        public SwitchParameter IncludeGradients { get; set; }

        /// <summary>Write one summary object instead of one result per parameter.</summary>
        [Parameter]
        public SwitchParameter Summary { get; set; }

        /// <inheritdoc/>
        protected override void EndProcessing() => ThrowIfPipelineWasEmpty(Network ?? (object)Gradient, MyInvocation.BoundParameters.ContainsKey("Gradient") ? "Gradient" : "Network");

        /// <inheritdoc/>
        protected override void ProcessRecord()
        {
            Network net = ParameterSetName == GradientSet ? Gradient.Network : Network;
            if (ParameterSetName == GradientSet && Gradient.IsStale)
            {
                Fail(new BackpropException(ErrorIds.GradientStale, ErrorKind.InvalidOperation, Gradient,
                    $"These gradients were computed at parameter version {Gradient.ParameterVersion}; the network is at version {net.Version}, so they no longer describe it. Compute new ones with Invoke-Forward | Invoke-Backward."));
                return;
            }
            if (ParameterSetName == GradientSet && (InputObject == null) != (Target == null) && !(PSObject.AsPSObject(InputObject ?? 0).BaseObject is Engine.Data.Dataset))
            {
                Fail(new BackpropException(ErrorIds.GradientCheckDataMissing, ErrorKind.InvalidArgument, Gradient,
                    "Pass both -InputObject and -Target, or neither (to use the batch the gradients were computed on); a new input with the old target, or the reverse, describes no gradient."));
                return;
            }
            if (ParameterSetName == NetworkSet && InputObject == null)
            {
                Fail(new BackpropException(ErrorIds.GradientCheckDataMissing, ErrorKind.InvalidArgument, Network,
                    "Test-Gradient needs the batch to differentiate the loss on: pass -InputObject (a Dataset, or samples with -Target), or pipe gradients from Invoke-Backward, which carry their batch."));
                return;
            }
            Tensor x = Gradient?.Input, t = Gradient?.Target;
            if (InputObject != null) (x, t) = Engine(() => TensorConverter.ToBatch(InputObject, Target));
            if (ParameterSetName == NetworkSet && t == null)
            {
                Fail(new BackpropException(ErrorIds.GradientCheckDataMissing, ErrorKind.InvalidArgument, InputObject,
                    "Test-Gradient needs a target to compute the loss: pass -Target (class indices, one-hot rows or values), or a Dataset as -InputObject."));
                return;
            }
            if (x == null || t == null)
            {
                Fail(new BackpropException(ErrorIds.GradientCheckDataMissing, ErrorKind.InvalidArgument, Gradient,
                    "These gradients do not carry the input and target they were computed on (they were not made by Invoke-Backward). Pass -InputObject and -Target."));
                return;
            }
            var options = new GradientCheckOptions
            {
                Epsilon = Epsilon,
                Tolerance = Tolerance,
                Sample = MyInvocation.BoundParameters.ContainsKey(nameof(Sample)) ? Sample : (int?)null,
                Seed = Seed,
                Parameters = ParameterName,
                IncludeGradients = IncludeGradients,
            };
            var checker = Engine(() => new GradientChecker(net, x, t, options));
            // Gradients from Invoke-Backward are checked on the function their pass computed: its mode and, with
            // dropout, its masks; a check from scratch differentiates the training-mode loss with masks from -Seed.
            checker.Mode = Gradient?.Mode ?? ForwardMode.Training;
            checker.DropoutSeed = Gradient?.DropoutSeed ?? Seed;
            Gradients g = ParameterSetName == GradientSet ? Gradient : Engine(() => checker.ComputeAnalytic());
            IReadOnlyList<int> selected = Engine(() => checker.SelectParameters());
            var analytic = selected.Select(p => Engine(() => checker.AnalyticFor(g, p))).ToArray();
            Check(checker, selected, analytic);
        }

        /// <summary>One pipeline item cannot be checked: an error for that item, terminating with -Assert (a check that did not run did not pass).</summary>
        private void Fail(BackpropException e)
        {
            if (Assert) Throw(e);
            else WriteError(ToErrorRecord(e));
        }

        private void Check(GradientChecker checker, IReadOnlyList<int> selected, Tensor[] analytic)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            int total = selected.Select((p, k) => Math.Min(analytic[k].Count, checker.Options.Sample ?? int.MaxValue)).Sum(), before = 0;
            string activity = "Test-Gradient", status = "Checking " + checker.Network.Architecture;
            var results = new List<GradientCheckResult>();
            for (int k = 0; k < selected.Count; k++)
            {
                int p = selected[k], step = Math.Max(1, total / 200);
                string name = checker.Network.Parameters[p].GradientName;
                GradientCheckResult result;
                try
                {
                    result = checker.CheckParameter(p, analytic[k], cancellation.Token, (partial, done, count) =>
                    {
                        if (done % step != 0 && done != count) return;
                        WriteProgress(new ProgressRecord(1, activity, $"{name}: {done} of {count} element(s)")
                        {
                            CurrentOperation = partial.Describe(),
                            PercentComplete = (int)(100L * (before + done) / Math.Max(1, total)),
                        });
                    });
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                before += result.Checked;
                results.Add(result);
                if (!Summary) WriteObject(result);
            }
            WriteProgress(new ProgressRecord(1, activity, status) { RecordType = ProgressRecordType.Completed });
            var summary = new GradientCheckSummary(checker.Network.Architecture, results, clock.Elapsed);
            if (Summary) WriteObject(summary);
            if (Assert && !summary.Passed) ThrowFailure(summary);
        }

        private void ThrowFailure(GradientCheckSummary summary)
        {
            var r = summary.Results.Where(x => !x.Passed).OrderByDescending(x => x.MaxRelError).First();
            string message = string.Format(CultureInfo.InvariantCulture,
                "Gradient check failed for {0} ({1}) at row {2}, column {3}: analytic {4:R}, numerical {5:R}; relative error {6:G3} exceeds the tolerance {7:G3} ({8}). Failed: {9}.",
                r.Parameter, r.Gradient, r.WorstRow, r.WorstColumn, r.Analytic, r.Numerical, r.MaxRelError, r.Tolerance, r.Verdict, string.Join(", ", summary.Failed));
            Throw(ErrorIds.GradientCheckFailed, ErrorKind.InvalidResult, r, message);
        }

        /// <inheritdoc/>
        protected override void StopProcessing() => cancellation.Cancel();
    }
}
