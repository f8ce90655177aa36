using System.Collections.Generic;
using System.Globalization;

namespace BackpropModule.Engine.Checking
{
    /// <summary>Settings of a gradient check: step, tolerance, and which elements to check.</summary>
    public sealed class GradientCheckOptions
    {
        /// <summary>
        /// The default step h of the central difference (L(w + h) − L(w − h)) / 2h.
        /// </summary>
        /// <remarks>
        /// NOTE: the estimate has two errors. Truncation: h²·|L‴|/6. Roundoff: each loss carries an
        /// error near u·|L| (u = 1.1e-16, times a small factor for the sums inside the forward pass),
        /// and dividing the difference by 2h turns it into about u·|L|/h. Their sum is smallest at
        /// h* = (3u·|L| / |L‴|)^(1/3); with |L| and |L‴| of order one (cross-entropy of a few
        /// classes, weights and inputs of order one) that is 7e-6, so 1e-5 sits at the optimum and
        /// gives an absolute error near 1e-11 (both terms ≈ 1e-11..1e-12). A smaller step, such as
        /// the 1e-7 some tutorials use, makes roundoff 100 times worse; a larger one crosses more
        /// ReLU kinks.
        /// </remarks>
        public const double DefaultEpsilon = 1e-5;

        /// <summary>
        /// The default pass/fail bound on the maximum relative error: the top of the
        /// <see cref="GradientVerdict.Good"/> band.
        /// </summary>
        public const double DefaultTolerance = GradientVerdicts.GoodBound;

        /// <summary>The step h; default <see cref="DefaultEpsilon"/>.</summary>
        public double Epsilon { get; set; } = DefaultEpsilon;

        /// <summary>A parameter passes when its maximum relative error is at most this.</summary>
        public double Tolerance { get; set; } = DefaultTolerance;

        /// <summary>Elements checked per parameter, or null for all of them.</summary>
        public int? Sample { get; set; }

        /// <summary>Seed that picks the sampled elements; the same seed picks the same elements.</summary>
        public long Seed { get; set; }

        /// <summary>Names of the parameters to check (W1, b1, dW1 …), or null for all.</summary>
        public IReadOnlyList<string> Parameters { get; set; }

        /// <summary>
        /// Keep, per parameter, the full numerical gradient, the analytic one and their difference
        /// as tensors (<see cref="GradientCheckResult.NumericalGradient"/> …), for side-by-side comparison.
        /// </summary>
        public bool IncludeGradients { get; set; }

        /// <summary>Checks the settings.</summary>
        /// <exception cref="BackpropException">A setting is out of range.</exception>
        public void Validate()
        {
            if (!(Epsilon > 0) || double.IsInfinity(Epsilon) || Epsilon >= 1)
                throw new BackpropException(ErrorIds.GradientCheckEpsilonInvalid, ErrorKind.InvalidArgument, Epsilon,
                    $"The step -Epsilon must be a positive number below 1; got {Epsilon.ToString("R", CultureInfo.InvariantCulture)}. The default, 1e-5, balances truncation and roundoff error in fp64.");
            if (!(Tolerance > 0) || double.IsInfinity(Tolerance))
                throw new BackpropException(ErrorIds.GradientCheckToleranceInvalid, ErrorKind.InvalidArgument, Tolerance,
                    $"The -Tolerance must be a positive finite number; got {Tolerance.ToString("R", CultureInfo.InvariantCulture)}.");
            if (Sample.HasValue && Sample.Value < 1)
                throw new BackpropException(ErrorIds.GradientCheckSampleInvalid, ErrorKind.InvalidArgument, Sample.Value,
                    $"-Sample must check at least one element per parameter; got {Sample.Value}.");
        }
    }
}
