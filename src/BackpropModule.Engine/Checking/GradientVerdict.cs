namespace BackpropModule.Engine.Checking
{
    /// <summary>
    /// How to read a maximum relative error |a − n| / max(|a|, |n|) between the analytic gradient a
    /// and the central-difference estimate n, in fp64. The bands follow the usual rule of thumb
    /// (CS231n): the estimate itself carries an error near 1e-10 relative, so anything far above
    /// that is the gradient's fault, not the check's.
    /// </summary>
    public enum GradientVerdict
    {
        /// <summary>≤ 1e-7: the gradient is right.</summary>
        Good,
        /// <summary>≤ 1e-4: acceptable where the loss has kinks (ReLU); too high for a smooth network.</summary>
        Acceptable,
        /// <summary>≤ 1e-2: probably a bug (a missing factor, a wrong index in a few elements).</summary>
        Suspect,
        /// <summary>&gt; 1e-2: the gradient is wrong.</summary>
        Wrong,
    }

    /// <summary>Maps relative errors to verdict bands.</summary>
    public static class GradientVerdicts
    {
        /// <summary>Upper bound of <see cref="GradientVerdict.Good"/>.</summary>
        public const double GoodBound = 1e-7;

        /// <summary>Upper bound of <see cref="GradientVerdict.Acceptable"/>.</summary>
        public const double AcceptableBound = 1e-4;

        /// <summary>Upper bound of <see cref="GradientVerdict.Suspect"/>.</summary>
        public const double SuspectBound = 1e-2;

        /// <summary>The band a maximum relative error falls in; NaN is <see cref="GradientVerdict.Wrong"/>.</summary>
        public static GradientVerdict FromRelativeError(double relativeError)
        {
            if (relativeError <= GoodBound) return GradientVerdict.Good;
            if (relativeError <= AcceptableBound) return GradientVerdict.Acceptable;
            if (relativeError <= SuspectBound) return GradientVerdict.Suspect;
            return GradientVerdict.Wrong;
        }
    }
}
