using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using System.Threading;
using BackpropModule.Engine;
using BackpropModule.Engine.Data;
using BackpropModule.Infrastructure;

namespace BackpropModule.Commands
{
    /// <summary>
    /// Import-IdxDataset: loads MNIST / Fashion-MNIST IDX image and label files (raw or gzipped) as
    /// a classification dataset: pixels scaled to [0,1], one-hot targets, class indices in Labels.
    /// </summary>
    [Cmdlet(VerbsData.Import, "IdxDataset", DefaultParameterSetName = FolderSet)]
    [OutputType(typeof(Dataset))]
    public sealed class ImportIdxDatasetCommand : BackpropCmdlet, IDisposable
    {
        private const string FolderSet = "Folder";
        private const string FilesSet = "Files";
        private const int ProgressActivityId = 0x1D8;
        private readonly CancellationTokenSource stop = new CancellationTokenSource();

        /// <summary>The folder holding &lt;name&gt;-images-idx3-ubyte[.gz] and &lt;name&gt;-labels-idx1-ubyte[.gz].</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = FolderSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("FullName", "PSPath")]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; }

        /// <summary>The set(s) to load from the folder: train, t10k, or another file-name prefix.</summary>
        [Parameter(Position = 1, ParameterSetName = FolderSet)]
        [ValidateNotNullOrEmpty]
        public string[] Name { get; set; } = { "train" };

        /// <summary>The image file (magic 0x00000803).</summary>
        [Parameter(Mandatory = true, ParameterSetName = FilesSet)]
        [ValidateNotNullOrEmpty]
        public string ImagePath { get; set; }

        /// <summary>The label file (magic 0x00000801).</summary>
        [Parameter(Mandatory = true, ParameterSetName = FilesSet)]
        [ValidateNotNullOrEmpty]
        public string LabelPath { get; set; }

        /// <summary>Load only the first N samples; only their bytes are read.</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int First { get; set; }

        /// <summary>Number of classes (labels must be below it). Default 10.</summary>
        [Parameter]
        [ValidateRange(1, 256)]
        public int ClassCount { get; set; } = 10;

        /// <summary>Names of the classes in label order. Default: the Fashion-MNIST names when the folder name contains "fashion" and there are 10 classes.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[] ClassNames { get; set; }

        /// <summary>Keep pixel values 0..255 instead of scaling them to [0,1].</summary>
        [Parameter]
        public SwitchParameter NoScale { get; set; }

        /// <inheritdoc/>
        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            if (ClassNames != null && ClassNames.Length != ClassCount)
                Throw(ErrorIds.ClassNamesCountInvalid, ErrorKind.InvalidArgument, ClassNames,
                    $"{ClassNames.Length} class names were given for {ClassCount} classes; give one name per class or set -ClassCount.");
        }

        /// <inheritdoc/>
        protected override void ProcessRecord()
        {
            if (ParameterSetName == FilesSet)
            {
                string images = Resolve(ImagePath), labels = Resolve(LabelPath);
                WriteObject(Load(images, labels, System.IO.Path.GetDirectoryName(images)));
                return;
            }
            string folder = Resolve(Path);
            foreach (string set in Name)
            {
                if (Stopping) return;
                var files = Engine(() => IdxReader.FindFiles(folder, set));
                WriteObject(Load(files.ImagePath, files.LabelPath, folder));
            }
        }

        private Dataset Load(string images, string labels, string folder)
        {
            string[] names = ClassNames;
            string folderName = System.IO.Path.GetFileName((folder ?? "").TrimEnd(System.IO.Path.DirectorySeparatorChar, System.IO.Path.AltDirectorySeparatorChar));
            if (names == null && ClassCount == 10 && folderName.IndexOf("fashion", StringComparison.OrdinalIgnoreCase) >= 0)
            {
                names = IdxReader.FashionMnistClassNames();
                WriteVerbose("The folder name says Fashion-MNIST: using its class names (give -ClassNames to override).");
            }
            var options = new IdxLoadOptions
            {
                First = MyInvocation.BoundParameters.ContainsKey(nameof(First)) ? First : (int?)null,
                ClassCount = ClassCount,
                Scale = !NoScale.IsPresent,
                ClassNames = names,
                Cancellation = stop.Token,
            };
            // A new record per update: hosts may keep the records they were given.
            string file = System.IO.Path.GetFileName(images);
            options.Progress = (done, total) => WriteProgress(new ProgressRecord(ProgressActivityId, "Import-IdxDataset",
                string.Format(CultureInfo.InvariantCulture, "Reading {0}: {1:F1} of {2:F1} MB", file, done / 1048576.0, total / 1048576.0))
            { PercentComplete = (int)(100 * done / total) });
            var clock = Stopwatch.StartNew();
            Dataset data;
            try
            {
                data = Engine(() => IdxReader.Load(images, labels, options));
            }
            catch (OperationCanceledException)
            {
                throw new PipelineStoppedException();
            }
            finally
            {
                WriteProgress(new ProgressRecord(ProgressActivityId, "Import-IdxDataset", "Done") { RecordType = ProgressRecordType.Completed });
            }
            WriteVerbose(string.Format(CultureInfo.InvariantCulture, "Loaded {0} samples × {1} features from '{2}' and '{3}' in {4:F0} ms.",
                data.Count, data.FeatureCount, images, labels, clock.Elapsed.TotalMilliseconds));
            return data;
        }

        /// <inheritdoc/>
        protected override void StopProcessing() => stop.Cancel();

        /// <summary>Releases the cancellation source.</summary>
        public void Dispose() => stop.Dispose();

        private string Resolve(string path) => Engine(() => FilePaths.ForReading(this, path, false, ErrorIds.IdxFileNotFound)[0]);
    }
}
