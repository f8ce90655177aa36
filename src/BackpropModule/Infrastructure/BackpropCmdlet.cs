using System;
using System.Management.Automation;
using BackpropModule.Engine;

namespace BackpropModule.Infrastructure
{
    /// <summary>Base for the module's cmdlets: turns engine errors into PowerShell error records.</summary>
    public abstract class BackpropCmdlet : PSCmdlet
    {
        /// <summary>Maps an engine error kind to a PowerShell category.</summary>
        public static ErrorCategory ToCategory(ErrorKind kind)
        {
            switch (kind)
            {
                case ErrorKind.InvalidArgument: return ErrorCategory.InvalidArgument;
                case ErrorKind.InvalidData: return ErrorCategory.InvalidData;
                case ErrorKind.InvalidOperation: return ErrorCategory.InvalidOperation;
                case ErrorKind.InvalidResult: return ErrorCategory.InvalidResult;
                case ErrorKind.ReadError: return ErrorCategory.ReadError;
                case ErrorKind.WriteError: return ErrorCategory.WriteError;
                case ErrorKind.ObjectNotFound: return ErrorCategory.ObjectNotFound;
                case ErrorKind.PermissionDenied: return ErrorCategory.PermissionDenied;
                default: return ErrorCategory.NotSpecified;
            }
        }

        /// <summary>An error record for an engine error.</summary>
        public static ErrorRecord ToErrorRecord(BackpropException e) =>
            new ErrorRecord(e, e.ErrorId, ToCategory(e.Kind), e.TargetObject);

        /// <summary>Stops the pipeline with this engine error.</summary>
        protected void Throw(BackpropException e) => ThrowTerminatingError(ToErrorRecord(e));

        /// <summary>Stops the pipeline with a new error.</summary>
        protected void Throw(string errorId, ErrorKind kind, object target, string message) =>
            Throw(new BackpropException(errorId, kind, target, message));

        /// <summary>
        /// Call from EndProcessing with the value of the cmdlet's pipeline parameter: when the
        /// command stood after a pipe but nothing came down it (e.g. a variable left empty by a
        /// command that failed), that is an error, not a silent no-op.
        /// </summary>
        /// <returns>True when input came but PowerShell refused to bind all of it (e.g. `$null | Cmd`,
        /// already reported as ParameterArgumentValidationErrorNullNotAllowed): the caller ends quietly.</returns>
        protected bool ThrowIfPipelineWasEmpty(object boundValue, string parameterName)
        {
            if (boundValue != null || !MyInvocation.ExpectingInput || MyInvocation.BoundParameters.ContainsKey(parameterName)) return false;
            // A second error would only confuse.
            if (PipelineInputWasRefused()) return true;
            Throw(ErrorIds.PipelineInputMissing, ErrorKind.InvalidArgument, parameterName,
                $"Nothing came down the pipeline for -{parameterName}, so {MyInvocation.MyCommand.Name} had nothing to work on. " +
                "Was the variable before the pipe left empty by a command that failed (e.g. Import-Network on a missing file)?");
            return false;
        }

        private object newestErrorAtBegin;

        /// <summary>Notes the newest entry of $Error, so errors of this invocation can be told apart later (derived classes call it first).</summary>
        protected override void BeginProcessing()
        {
            newestErrorAtBegin = SessionState.PSVariable.GetValue("Error") is System.Collections.IList errors && errors.Count > 0 ? errors[0] : null;
        }

        private bool PipelineInputWasRefused()
        {
            if (!(SessionState.PSVariable.GetValue("Error") is System.Collections.IList errors)) return false;
            // $Error is newest first: look only at what this invocation added.
            foreach (var item in errors)
            {
                if (ReferenceEquals(item, newestErrorAtBegin)) break;
                if (item is ErrorRecord record && record.Exception is ParameterBindingException
                    && ReferenceEquals(record.InvocationInfo?.MyCommand, MyInvocation.MyCommand)) return true;
            }
            return false;
        }

        /// <summary>Runs engine work, turning its errors into terminating errors.</summary>
        protected T Engine<T>(Func<T> work)
        {
            try { return work(); }
            catch (BackpropException e) { Throw(e); return default(T); }
        }

        /// <summary>Runs engine work, turning its errors into terminating errors.</summary>
        protected void Engine(Action work)
        {
            try { work(); }
            catch (BackpropException e) { Throw(e); }
        }
    }
}
