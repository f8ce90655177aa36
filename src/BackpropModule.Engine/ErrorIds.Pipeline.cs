namespace BackpropModule.Engine
{
    /// <summary>Error identifiers about what reaches a command through the pipeline.</summary>
    public static partial class ErrorIds
    {
        /// <summary>A command stood after a pipe, but nothing (not even $null) came down it.</summary>
        public const string PipelineInputMissing = "PipelineInputMissing";
    }
}
