using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace BackpropModule.Engine.Checking
{
    /// <summary>The gradient check of a whole network: did every parameter pass, and which one is worst.</summary>
    public sealed class GradientCheckSummary
    {
        /// <summary>Summarises per-parameter results.</summary>
        /// <exception cref="ArgumentNullException">results is null.</exception>
        public GradientCheckSummary(string architecture, IReadOnlyList<GradientCheckResult> results, TimeSpan elapsed)
        {
            if (results == null) throw new ArgumentNullException(nameof(results));
            Architecture = architecture;
            Results = results.ToArray();
            Elapsed = elapsed;
            WorstResult = Results.OrderByDescending(r => r.MaxRelError).ThenByDescending(r => r.MaxAbsError).FirstOrDefault();
        }

        /// <summary>The network, e.g. <c>784-50-10 ReLU → Softmax/CrossEntropy</c>.</summary>
        public string Architecture { get; }

        /// <summary>One result per checked parameter.</summary>
        public IReadOnlyList<GradientCheckResult> Results { get; }

        /// <summary>True when every parameter passed.</summary>
        public bool Passed => Results.All(r => r.Passed);

        /// <summary>Names of the parameters that failed.</summary>
        public string[] Failed => Results.Where(r => !r.Passed).Select(r => r.Parameter).ToArray();

        /// <summary>The result with the largest relative error, or null when nothing was checked.</summary>
        public GradientCheckResult WorstResult { get; }

        /// <summary>The worst parameter's name.</summary>
        public string WorstParameter => WorstResult?.Parameter;

        /// <summary>The largest relative error over all parameters.</summary>
        public double MaxRelError => WorstResult?.MaxRelError ?? 0;

        /// <summary>The largest absolute error over all parameters.</summary>
        public double MaxAbsError => Results.Count == 0 ? 0 : Results.Max(r => r.MaxAbsError);

        /// <summary>The band of the worst parameter.</summary>
        public GradientVerdict Verdict => GradientVerdicts.FromRelativeError(MaxRelError);

        /// <summary>Elements checked over all parameters.</summary>
        public int Checked => Results.Sum(r => r.Checked);

        /// <summary>Kink-crossing elements over all parameters.</summary>
        public int Kinks => Results.Sum(r => r.Kinks);

        /// <summary>Elements left unjudged because every step crossed a kink, over all parameters.</summary>
        public int UnresolvedKinks => Results.Sum(r => r.UnresolvedKinks);

        /// <summary>How long the check took.</summary>
        public TimeSpan Elapsed { get; }

        /// <inheritdoc/>
        public override string ToString() => string.Format(CultureInfo.InvariantCulture,
            "Gradient check {0}: {1}; worst {2} max relative error {3:G3} ({4}); {5} element(s), {6} kink(s), {7:F2} s.",
            Architecture, Passed ? "passed" : "FAILED (" + string.Join(", ", Failed) + ")", WorstParameter ?? "-", MaxRelError, Verdict, Checked, Kinks, Elapsed.TotalSeconds);
    }
}
