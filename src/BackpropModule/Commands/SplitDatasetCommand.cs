using System.Management.Automation;
using BackpropModule.Engine.Data;
using BackpropModule.Engine.Randomness;
using BackpropModule.Infrastructure;

namespace BackpropModule.Commands
{
    /// <summary>
    /// Split-Dataset: splits a dataset into training and validation parts by a seeded shuffle,
    /// optionally stratified by class. Returns one DatasetSplit (.Training, .Validation, .Seed).
    /// </summary>
    [Cmdlet(VerbsCommon.Split, "Dataset", DefaultParameterSetName = FractionSet)]
    [OutputType(typeof(DatasetSplit))]
    public sealed class SplitDatasetCommand : BackpropCmdlet
    {
        private const string FractionSet = "Fraction";
        private const string CountSet = "Count";

        /// <summary>The dataset to split.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        [ValidateNotNull]
        public Dataset InputObject { get; set; }

        /// <summary>The share of samples held out for validation, in (0, 1); rounded to whole samples.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = FractionSet)]
        [ValidateRange(0.0, 1.0)]
        public double ValidationFraction { get; set; }

        /// <summary>The number of samples held out for validation.</summary>
        [Parameter(Mandatory = true, ParameterSetName = CountSet)]
        [ValidateRange(1, int.MaxValue)]
        public int ValidationCount { get; set; }

        /// <summary>Seed of the shuffle; without it a seed is drawn and kept in the result's Seed.</summary>
        [Parameter]
        public int? Seed { get; set; }

        /// <summary>Keep each class's share equal in both parts (classification data only).</summary>
        [Parameter]
        public SwitchParameter Stratify { get; set; }

        /// <inheritdoc/>
        protected override void EndProcessing() => ThrowIfPipelineWasEmpty(InputObject, "InputObject");

        /// <inheritdoc/>
        protected override void ProcessRecord()
        {
            long seed = Seed ?? SeededRandom.NewSeed();
            var split = Engine(() =>
            {
                int n = ParameterSetName == CountSet ? ValidationCount : DatasetSampling.CountForFraction(InputObject, ValidationFraction);
                return DatasetSampling.Split(InputObject, n, seed, Stratify.IsPresent);
            });
            WriteVerbose(split.ToString());
            WriteObject(split);
        }
    }
}
