namespace BackpropModule.Engine
{
    /// <summary>Error identifiers of setting parameter values (Set-NetworkParameter, New-Network -Parameters).</summary>
    public static partial class ErrorIds
    {
        /// <summary>A parameter name (W1, b1, …) does not exist in the network.</summary>
        public const string ParameterNotFound = "ParameterNotFound";

        /// <summary>A value does not have the parameter's shape (or the shapes of a new network do not chain).</summary>
        public const string ParameterShapeMismatch = "ParameterShapeMismatch";

        /// <summary>A value holds NaN or an infinity.</summary>
        public const string ParameterNotFinite = "ParameterNotFinite";

        /// <summary>A value cannot be read as a matrix of numbers.</summary>
        public const string ParameterValueNotConvertible = "ParameterValueNotConvertible";

        /// <summary>A new network's values are missing a parameter (W1, b1, … must all be given).</summary>
        public const string ParameterMissing = "ParameterMissing";

        /// <summary>The same parameter was given twice (names are case-insensitive).</summary>
        public const string ParameterDuplicate = "ParameterDuplicate";

        /// <summary>The bias initialisation scale is not a positive finite number.</summary>
        public const string BiasScaleInvalid = "BiasScaleInvalid";
    }
}
