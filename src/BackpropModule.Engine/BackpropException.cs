using System;

namespace BackpropModule.Engine
{
    /// <summary>What kind of problem an engine error is; the cmdlets map it to a PowerShell ErrorCategory.</summary>
    public enum ErrorKind
    {
        /// <summary>An argument has a value that cannot be used (sizes, names, options).</summary>
        InvalidArgument,
        /// <summary>Data (inputs, targets, files) is malformed or does not fit the network.</summary>
        InvalidData,
        /// <summary>The call is not valid in the object's current state (stale pass, no target).</summary>
        InvalidOperation,
        /// <summary>A computation gave a result that fails a check (gradient check, divergence).</summary>
        InvalidResult,
        /// <summary>A file or stream could not be read or written.</summary>
        ReadError,
        /// <summary>A file could not be written.</summary>
        WriteError,
        /// <summary>A file or object was not found.</summary>
        ObjectNotFound,
        /// <summary>The operating system refused access to a file or folder (permissions).</summary>
        PermissionDenied,
    }

    /// <summary>
    /// The one exception type the engine throws for bad input or state. It carries a stable
    /// <see cref="ErrorId"/> (see <see cref="ErrorIds"/>), a <see cref="Kind"/> and the offending object.
    /// </summary>
    [Serializable]
    public sealed class BackpropException : Exception
    {
        /// <summary>Creates an engine error.</summary>
        public BackpropException(string errorId, ErrorKind kind, object targetObject, string message, Exception inner = null)
            : base(message, inner)
        {
            ErrorId = errorId;
            Kind = kind;
            TargetObject = targetObject;
        }

        /// <summary>The stable identifier of the problem, one of <see cref="ErrorIds"/>.</summary>
        public string ErrorId { get; }

        /// <summary>What kind of problem this is.</summary>
        public ErrorKind Kind { get; }

        /// <summary>The object that caused the problem.</summary>
        public object TargetObject { get; }
    }

    /// <summary>Stable error identifiers, named noun + problem. Scripts and Pester tests match on these.</summary>
    public static partial class ErrorIds
    {
        public const string LayerSizesTooFew = "LayerSizesTooFew";
        public const string LayerSizeInvalid = "LayerSizeInvalid";
        public const string WeightScaleInvalid = "WeightScaleInvalid";
        public const string InputEmpty = "InputEmpty";
        public const string InputNotConvertible = "InputNotConvertible";
        public const string InputShapeMismatch = "InputShapeMismatch";
        public const string InputNotFinite = "InputNotFinite";
        public const string TargetNotConvertible = "TargetNotConvertible";
        public const string TargetShapeMismatch = "TargetShapeMismatch";
        public const string TargetClassOutOfRange = "TargetClassOutOfRange";
        public const string TargetNotFinite = "TargetNotFinite";
        public const string TargetMissing = "TargetMissing";
        public const string ForwardPassStale = "ForwardPassStale";
        public const string GradientNetworkMismatch = "GradientNetworkMismatch";
        public const string GradientStale = "GradientStale";
        public const string GradientNotFinite = "GradientNotFinite";
        public const string LearningRateInvalid = "LearningRateInvalid";
        public const string GradientCheckFailed = "GradientCheckFailed";
        public const string TensorIndexOutOfRange = "TensorIndexOutOfRange";
    }
}
