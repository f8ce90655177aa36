using System.Management.Automation;
using BackpropModule.Engine.Data;
using BackpropModule.Engine.Randomness;
using BackpropModule.Infrastructure;

namespace BackpropModule.Commands
{
    /// <summary>
    /// Select-DatasetSample: a subset of a dataset as a new dataset: the first N (after skipping
    /// some), given indices, or a seeded random draw without replacement.
    /// </summary>
    [Cmdlet(VerbsCommon.Select, "DatasetSample", DefaultParameterSetName = RangeSet)]
    [OutputType(typeof(Dataset))]
    public sealed class SelectDatasetSampleCommand : BackpropCmdlet
    {
        private const string RangeSet = "Range";
        private const string IndexSet = "Index";
        private const string RandomSet = "Random";

        /// <summary>The dataset to take samples from.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        [ValidateNotNull]
        public Dataset InputObject { get; set; }

        /// <summary>Take this many samples (fewer when the dataset ends first).</summary>
        [Parameter(Position = 0, ParameterSetName = RangeSet)]
        [ValidateRange(1, int.MaxValue)]
        public int First { get; set; }

        /// <summary>Skip this many samples first.</summary>
        [Parameter(ParameterSetName = RangeSet)]
        [ValidateRange(0, int.MaxValue)]
        public int Skip { get; set; }

        /// <summary>The samples at these indices, in this order (negative counts from the end).</summary>
        [Parameter(Mandatory = true, ParameterSetName = IndexSet)]
        [ValidateNotNullOrEmpty]
        public int[] Index { get; set; }

        /// <summary>Draw this many samples at random, without replacement.</summary>
        [Parameter(Mandatory = true, ParameterSetName = RandomSet)]
        [ValidateRange(1, int.MaxValue)]
        public int Random { get; set; }

        /// <summary>Seed for -Random.</summary>
        [Parameter(ParameterSetName = RandomSet)]
        public int? Seed { get; set; }

        /// <inheritdoc/>
        protected override void EndProcessing() => ThrowIfPipelineWasEmpty(InputObject, "InputObject");

        /// <inheritdoc/>
        protected override void ProcessRecord()
        {
            Dataset result;
            switch (ParameterSetName)
            {
                case IndexSet:
                    result = Engine(() => DatasetSampling.ByIndex(InputObject, Index));
                    break;
                case RandomSet:
                    long seed = Seed ?? SeededRandom.NewSeed();
                    result = Engine(() => DatasetSampling.Random(InputObject, Random, seed));
                    break;
                default:
                    int? first = MyInvocation.BoundParameters.ContainsKey(nameof(First)) ? First : (int?)null;
                    result = Engine(() => DatasetSampling.Range(InputObject, Skip, first));
                    break;
            }
            WriteObject(result);
        }
    }
}
