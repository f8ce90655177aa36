using System;
using System.Globalization;
using BackpropModule.Engine.Tensors;

namespace BackpropModule.Engine.Checking
{
    /// <summary>
    /// The gradient check of one parameter (W1, b1, …): how far the analytic gradient a is from the
    /// central-difference estimate n over the checked elements, and where it is farthest.
    /// </summary>
    /// <remarks>
    /// Across a ReLU kink the loss is not differentiable and the difference quotient measures the
    /// kink, not the gradient. An element whose ±h perturbation crosses one is counted in
    /// <see cref="Kinks"/> and retried with h/10 and h/100; if a smaller step crosses none, it is
    /// judged with that step. If every step crosses one, it is counted in <see cref="UnresolvedKinks"/>
    /// and left out of the maximum errors and the worst element (unless every checked element is
    /// like that, since nothing else is left to judge).
    /// </remarks>
    public sealed class GradientCheckResult
    {
        internal GradientCheckResult(string parameter, int layer, int rows, int columns)
        {
            Parameter = parameter;
            Layer = layer;
            Rows = rows;
            Columns = columns;
        }

        /// <summary>The parameter's name, e.g. <c>W1</c>.</summary>
        public string Parameter { get; }

        /// <summary>The gradient's name, e.g. <c>dW1</c>.</summary>
        public string Gradient => "d" + Parameter;

        /// <summary>1-based layer that owns the parameter.</summary>
        public int Layer { get; }

        /// <summary>Rows of the parameter.</summary>
        public int Rows { get; }

        /// <summary>Columns of the parameter.</summary>
        public int Columns { get; }

        /// <summary>The shape as text, e.g. <c>784x50</c>.</summary>
        public string Shape => Rows.ToString(CultureInfo.InvariantCulture) + "x" + Columns.ToString(CultureInfo.InvariantCulture);

        /// <summary>Number of elements of the parameter.</summary>
        public int Elements => Rows * Columns;

        /// <summary>Number of elements checked (all, or the -Sample size).</summary>
        public int Checked { get; internal set; }

        /// <summary>Largest |a − n| over the judged elements.</summary>
        public double MaxAbsError { get; internal set; }

        /// <summary>
        /// Largest relative error over the judged elements, net of roundoff:
        /// max(0, |a − n| − σ) / max(|a|, |n|), 0 when both are 0. σ is the resolution of the
        /// central difference for that element (<see cref="NoiseFloor"/>); without it, a correct
        /// gradient of 1e-7 looks wrong only because fp64 cannot resolve it to 1e-7 relative.
        /// </summary>
        public double MaxRelError { get; internal set; }

        /// <summary>Largest plain |a − n| / max(|a|, |n|) over the judged elements (0 when both are 0).</summary>
        public double RawMaxRelError { get; internal set; }

        /// <summary>
        /// The largest σ = 4·2⁻⁵²·(|L(w + h)| + |L(w − h)|) / 2h among the checked elements: how far apart
        /// two derivatives can be and still be indistinguishable by a central difference in fp64.
        /// </summary>
        public double NoiseFloor { get; internal set; }

        /// <summary>Mean |a − n| over all checked elements, the figure classic tutorials print.</summary>
        public double MeanAbsError { get; internal set; }

        /// <summary>Row of the element with the largest relative error (the largest absolute error breaks ties).</summary>
        public int WorstRow { get; internal set; }

        /// <summary>Column of that element.</summary>
        public int WorstColumn { get; internal set; }

        /// <summary>The worst element's position as <c>(row,col)</c>.</summary>
        public string Worst => "(" + WorstRow.ToString(CultureInfo.InvariantCulture) + "," + WorstColumn.ToString(CultureInfo.InvariantCulture) + ")";

        /// <summary>The analytic (backprop) gradient at the worst element.</summary>
        public double Analytic { get; internal set; }

        /// <summary>The central-difference estimate at the worst element.</summary>
        public double Numerical { get; internal set; }

        /// <summary>Checked elements whose ±h perturbation flipped the sign of some hidden ReLU pre-activation.</summary>
        public int Kinks { get; internal set; }

        /// <summary>Of those, the elements that still crossed a kink with h/100; they are not judged.</summary>
        public int UnresolvedKinks { get; internal set; }

        /// <summary>Largest plain relative error of the kink-crossing elements at the step h itself (0 without kinks): what the kinks would have cost.</summary>
        public double KinkMaxRelError { get; internal set; }

        /// <summary>The band <see cref="MaxRelError"/> falls in.</summary>
        public GradientVerdict Verdict => GradientVerdicts.FromRelativeError(MaxRelError);

        /// <summary>True when <see cref="MaxRelError"/> is at most <see cref="Tolerance"/>.</summary>
        public bool Passed => MaxRelError <= Tolerance;

        /// <summary>The tolerance this result was judged against.</summary>
        public double Tolerance { get; internal set; }

        /// <summary>The step h of the central difference.</summary>
        public double Epsilon { get; internal set; }

        /// <summary>
        /// With -IncludeGradients: the central-difference estimate of every checked element, the
        /// parameter's shape (NaN where -Sample left an element unchecked); otherwise null.
        /// </summary>
        public Tensor NumericalGradient { get; private set; }

        /// <summary>With -IncludeGradients: the analytic (backprop) gradient checked against (a copy); otherwise null.</summary>
        public Tensor AnalyticGradient { get; private set; }

        /// <summary>With -IncludeGradients: analytic − numerical per element (NaN where unchecked); otherwise null.</summary>
        public Tensor Difference { get; private set; }

        /// <summary>
        /// With -IncludeGradients: one tensor holding the numerical gradient, the analytic one and their
        /// difference side by side (columns 0..c−1, c..2c−1, 2c..3c−1 for a parameter of c columns),
        /// the sheet Export-Workbook writes; otherwise null.
        /// </summary>
        public Tensor SideBySide()
        {
            if (NumericalGradient == null) return null;
            var t = new Tensor(Rows, 3 * Columns);
            for (int r = 0; r < Rows; r++)
                for (int c = 0; c < Columns; c++)
                {
                    t[r, c] = NumericalGradient[r, c];
                    t[r, Columns + c] = AnalyticGradient[r, c];
                    t[r, 2 * Columns + c] = Difference[r, c];
                }
            return t;
        }

        internal static Tensor NaNGrid(int rows, int columns)
        {
            var t = new Tensor(rows, columns);
            for (int r = 0; r < rows; r++) for (int c = 0; c < columns; c++) t[r, c] = double.NaN;
            return t;
        }

        internal void SetGradients(Tensor numerical, Tensor analytic)
        {
            NumericalGradient = numerical;
            AnalyticGradient = analytic.Clone();
            Difference = new Tensor(Rows, Columns);
            for (int r = 0; r < Rows; r++)
                for (int c = 0; c < Columns; c++) Difference[r, c] = analytic[r, c] - numerical[r, c];
        }

        /// <summary>A one-line description naming the parameter, the worst element and both values.</summary>
        public string Describe() => string.Format(CultureInfo.InvariantCulture,
            "{0} {1}: max relative error {2:G3} (plain {11:G3}) at row {3}, column {4} (analytic {5:R}, numerical {6:R}); {7}, {8} of {9} element(s) checked, {10} kink(s).",
            Gradient, Passed ? "passed" : "FAILED", MaxRelError, WorstRow, WorstColumn, Analytic, Numerical, Verdict, Checked, Elements, Kinks, RawMaxRelError);

        /// <inheritdoc/>
        public override string ToString() => Describe();
    }
}
