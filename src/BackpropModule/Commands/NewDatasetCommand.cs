using System.Management.Automation;
using BackpropModule.Engine.Data;
using BackpropModule.Engine.Randomness;
using BackpropModule.Infrastructure;

namespace BackpropModule.Commands
{
    /// <summary>New-Dataset: a built-in synthetic dataset (Sine, Xor, Spiral) that needs no file.</summary>
    [Cmdlet(VerbsCommon.New, "Dataset")]
    [OutputType(typeof(Dataset))]
    public sealed class NewDatasetCommand : BackpropCmdlet
    {
        /// <summary>Which dataset.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        public BuiltInDatasetKind Kind { get; set; }

        /// <summary>Samples (Sine: default 63; Xor: default 4) or samples per class (Spiral: default 100).</summary>
        [Parameter]
        public int? Count { get; set; }

        /// <summary>Seed of the noise; the same seed gives the same data everywhere. Without it a seed is drawn.</summary>
        [Parameter]
        public int? Seed { get; set; }

        /// <summary>Standard deviation of Gaussian noise (Sine: on the targets, Xor: on the features, Spiral: on the angle, default 0.2).</summary>
        [Parameter]
        public double? Noise { get; set; }

        /// <summary>Number of spiral arms (classes), 2 to 10; Spiral only.</summary>
        [Parameter]
        public int? Classes { get; set; }

        /// <inheritdoc/>
        protected override void ProcessRecord()
        {
            long seed = Seed ?? SeededRandom.NewSeed();
            WriteObject(Engine(() => BuiltInDatasets.Create(Kind, Count, seed, Noise, Classes)));
        }
    }
}
