namespace BackpropModule.Engine
{
    /// <summary>Error identifiers of the gradient check (Test-Gradient).</summary>
    public static partial class ErrorIds
    {
        /// <summary>The finite-difference step is not a positive finite number.</summary>
        public const string GradientCheckEpsilonInvalid = "GradientCheckEpsilonInvalid";

        /// <summary>The pass/fail tolerance is not a positive finite number.</summary>
        public const string GradientCheckToleranceInvalid = "GradientCheckToleranceInvalid";

        /// <summary>The sample size is not at least one element.</summary>
        public const string GradientCheckSampleInvalid = "GradientCheckSampleInvalid";

        /// <summary>Gradients were given without the input and target they were computed on.</summary>
        public const string GradientCheckDataMissing = "GradientCheckDataMissing";

        /// <summary>A parameter named with -Parameter does not exist in the network.</summary>
        public const string GradientCheckParameterNotFound = "GradientCheckParameterNotFound";
    }
}
