using System;

namespace BackpropModule.Engine.Checking
{
    /// <summary>Accumulates per-element errors into the figures of a <see cref="GradientCheckResult"/>.</summary>
    internal sealed class ErrorTally
    {
        private int count, kinks, unresolved;
        private double kinkMaxRel;
        private double sumAbs, maxNoise;
        private Worst smooth = Worst.None, atKinks = Worst.None;

        /// <summary>Creates a tally; with <paramref name="numericalGrid"/>, every checked element's estimate is also written there.</summary>
        public ErrorTally(Tensors.Tensor numericalGrid = null) => Numerical = numericalGrid;

        /// <summary>The numerical estimate per checked element (NaN where unchecked), or null.</summary>
        public Tensors.Tensor Numerical { get; }

        /// <summary>The worst element of a group, plus the group's largest absolute error.</summary>
        private struct Worst
        {
            public static readonly Worst None = new Worst { Rel = -1, Abs = -1 };
            public double Rel, RawRel, Abs, MaxAbs, MaxRawRel, Analytic, Numerical;
            public int Row, Column;

            public bool IsEmpty => Rel < 0;

            public void Consider(Worst e)
            {
                double maxAbs = Math.Max(MaxAbs, e.Abs), maxRawRel = Math.Max(MaxRawRel, e.RawRel);
                if (IsEmpty || e.Rel > Rel || (e.Rel == Rel && (e.RawRel > RawRel || (e.RawRel == RawRel && e.Abs > Abs)))) this = e;
                MaxAbs = maxAbs;
                MaxRawRel = maxRawRel;
            }
        }

        /// <summary>
        /// |a − n| / max(|a|, |n|), 0 when both are 0, +∞ when either is not finite (so a NaN
        /// gradient is judged wrong rather than silently skipped by comparisons).
        /// </summary>
        public static double RelativeError(double a, double n)
        {
            if (double.IsNaN(a) || double.IsNaN(n) || double.IsInfinity(a) || double.IsInfinity(n)) return double.PositiveInfinity;
            double scale = Math.Max(Math.Abs(a), Math.Abs(n));
            return scale == 0 ? 0 : Math.Abs(a - n) / scale;
        }

        /// <summary>
        /// The part of the relative error that roundoff cannot explain: max(0, |a − n| − σ) / max(|a|, |n|),
        /// where σ is the resolution of the central difference (see <see cref="GradientChecker"/>).
        /// </summary>
        public static double ExcessRelativeError(double a, double n, double noiseFloor)
        {
            double raw = RelativeError(a, n);
            if (double.IsInfinity(raw) || raw == 0) return raw;
            return Math.Max(0, Math.Abs(a - n) - noiseFloor) / Math.Max(Math.Abs(a), Math.Abs(n));
        }

        /// <summary>Counts an element whose ±h perturbation crossed a kink, with the estimate at that step.</summary>
        public void AddKink(double analytic, double numerical)
        {
            kinks++;
            kinkMaxRel = Math.Max(kinkMaxRel, RelativeError(analytic, numerical));
        }

        /// <summary>
        /// Adds one checked element whose numerical estimate is uncertain by <paramref name="noiseFloor"/>;
        /// <paramref name="kink"/> means even the smallest step crossed a kink, so it is not judged.
        /// </summary>
        public void Add(int row, int column, double analytic, double numerical, double noiseFloor, bool kink)
        {
            double raw = RelativeError(analytic, numerical);
            double rel = ExcessRelativeError(analytic, numerical, noiseFloor);
            double abs = double.IsInfinity(raw) ? double.PositiveInfinity : Math.Abs(analytic - numerical);
            var e = new Worst { Rel = rel, RawRel = raw, Abs = abs, MaxAbs = abs, MaxRawRel = raw, Analytic = analytic, Numerical = numerical, Row = row, Column = column };
            count++;
            sumAbs += abs;
            if (Numerical != null) Numerical[row, column] = numerical;
            if (noiseFloor > maxNoise) maxNoise = noiseFloor;
            if (kink) { unresolved++; atKinks.Consider(e); }
            else smooth.Consider(e);
        }

        /// <summary>Writes the figures so far into a result.</summary>
        public void WriteTo(GradientCheckResult r)
        {
            r.Checked = count;
            r.Kinks = kinks;
            r.MeanAbsError = count == 0 ? 0 : sumAbs / count;
            r.UnresolvedKinks = unresolved;
            r.KinkMaxRelError = kinkMaxRel;
            // Every checked element crossed a kink at every step: judge those, since nothing else is left.
            var w = smooth.IsEmpty ? atKinks : smooth;
            if (w.IsEmpty) return;
            r.MaxRelError = w.Rel;
            r.RawMaxRelError = w.MaxRawRel;
            r.NoiseFloor = maxNoise;
            r.MaxAbsError = w.MaxAbs;
            r.WorstRow = w.Row;
            r.WorstColumn = w.Column;
            r.Analytic = w.Analytic;
            r.Numerical = w.Numerical;
        }
    }
}
