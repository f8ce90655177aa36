using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace BackpropModule.Engine.Data
{
    /// <summary>How <see cref="IdxReader.Load"/> turns IDX images and labels into a dataset.</summary>
    public sealed class IdxLoadOptions
    {
        /// <summary>Load only the first N samples (null: all). Only the bytes of those samples are read.</summary>
        public int? First { get; set; }

        /// <summary>Number of classes; every label must be below it. Default 10.</summary>
        public int ClassCount { get; set; } = 10;

        /// <summary>Scale pixels from 0..255 to [0,1] (x / 255). Default true.</summary>
        public bool Scale { get; set; } = true;

        /// <summary>Names of the classes (length ClassCount), or null.</summary>
        public string[] ClassNames { get; set; }

        /// <summary>The dataset's display name; null derives one from the file names.</summary>
        public string Name { get; set; }

        /// <summary>Called on the loading thread with (pixel bytes read, pixel bytes to read) after each block.</summary>
        public Action<long, long> Progress { get; set; }

        /// <summary>Stops the load between blocks (throws <see cref="OperationCanceledException"/>).</summary>
        public CancellationToken Cancellation { get; set; }
    }

    /// <summary>
    /// Reads MNIST-style IDX files (raw or gzipped, detected by the gzip magic 1F 8B, not by the
    /// file name): an image file with magic 0x00000803 (unsigned bytes, 3 dimensions: count, rows,
    /// columns) and a label file with magic 0x00000801 (unsigned bytes, 1 dimension: count).
    /// </summary>
    public static class IdxReader
    {
        /// <summary>Magic number of an unsigned-byte, 3-dimensional (image) IDX file.</summary>
        public const int ImageMagic = 0x00000803;

        /// <summary>Magic number of an unsigned-byte, 1-dimensional (label) IDX file.</summary>
        public const int LabelMagic = 0x00000801;

        /// <summary>The ten Fashion-MNIST classes, in label order.</summary>
        public static string[] FashionMnistClassNames() => new[]
        {
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
        };

        /// <summary>
        /// Finds <c>&lt;name&gt;-images-idx3-ubyte</c> and <c>&lt;name&gt;-labels-idx1-ubyte</c> in a
        /// folder, with or without <c>.gz</c>; the dotted spelling <c>&lt;name&gt;-images.idx3-ubyte</c> is
        /// accepted too.
        /// </summary>
        /// <exception cref="BackpropException">IdxFileNotFound: the folder or a file is missing.</exception>
        public static (string ImagePath, string LabelPath) FindFiles(string folder, string name)
        {
            if (File.Exists(folder))
                throw new BackpropException(ErrorIds.IdxFileNotFound, ErrorKind.ObjectNotFound, folder,
                    $"'{folder}' is a file, not a folder; give the folder holding the IDX files as -Path, or the files as -ImagePath and -LabelPath.");
            if (!Directory.Exists(folder))
                throw new BackpropException(ErrorIds.IdxFileNotFound, ErrorKind.ObjectNotFound, folder, $"The folder '{folder}' does not exist.");
            return (Find(folder, name, "images", 3), Find(folder, name, "labels", 1));
        }

        private static string Find(string folder, string name, string kind, int dims)
        {
            string[] stems = { $"{name}-{kind}-idx{dims}-ubyte", $"{name}-{kind}.idx{dims}-ubyte" };
            foreach (string stem in stems)
                foreach (string ext in new[] { ".gz", "" })
                {
                    string p = Path.Combine(folder, stem + ext);
                    if (File.Exists(p)) return p;
                }
            string expected = Path.Combine(folder, stems[0]);
            throw new BackpropException(ErrorIds.IdxFileNotFound, ErrorKind.ObjectNotFound, expected,
                $"The IDX {kind} file '{expected}' (or '{expected}.gz') for the set '{name}' does not exist.");
        }

        /// <summary>
        /// Loads images and labels: Features are the pixels row by row (Count × rows·columns), scaled
        /// to [0,1] unless <see cref="IdxLoadOptions.Scale"/> is false; Targets are one-hot rows;
        /// Labels keep the class indices.
        /// </summary>
        /// <exception cref="BackpropException">IdxFileNotFound, IdxMagicInvalid, IdxDimensionInvalid, IdxTruncated,
        /// IdxTrailingData, IdxGzipInvalid, IdxReadFailed, IdxCountMismatch, IdxLabelOutOfRange.</exception>
        /// <exception cref="ArgumentOutOfRangeException">ClassCount is below 1 or First is negative.</exception>
        /// <exception cref="OperationCanceledException">The load was cancelled through <see cref="IdxLoadOptions.Cancellation"/>.</exception>
        public static Dataset Load(string imagePath, string labelPath, IdxLoadOptions options = null)
        {
            options = options ?? new IdxLoadOptions();
            if (options.ClassCount < 1) throw new ArgumentOutOfRangeException(nameof(options), "ClassCount must be at least 1.");
            if (options.First < 0) throw new ArgumentOutOfRangeException(nameof(options), "First must not be negative.");
            if (options.ClassNames != null && options.ClassNames.Length != options.ClassCount)
                throw new ArgumentOutOfRangeException(nameof(options), $"{options.ClassNames.Length} class names were given for {options.ClassCount} classes.");
            imagePath = IO.FileChecks.FullPath(imagePath);
            labelPath = IO.FileChecks.FullPath(labelPath);
            using (var images = IdxFile.Open(imagePath, 3, "image"))
            using (var labels = IdxFile.Open(labelPath, 1, "label"))
            {
                int declared = images.Dimensions[0];
                if (labels.Dimensions[0] != declared)
                    throw new BackpropException(ErrorIds.IdxCountMismatch, ErrorKind.InvalidData, labelPath,
                        $"The label file '{labelPath}' declares {labels.Dimensions[0]} labels but the image file '{imagePath}' declares {declared} images.");
                int count = options.First.HasValue ? Math.Min(options.First.Value, declared) : declared;
                if (count == 0)
                    throw new BackpropException(ErrorIds.IdxDimensionInvalid, ErrorKind.InvalidData, imagePath, $"The image file '{imagePath}' declares no images.");
                int features = images.ItemSize;
                if ((long)count * features > 0x7FFFFFC7L)
                    throw new BackpropException(ErrorIds.IdxDimensionInvalid, ErrorKind.InvalidData, imagePath,
                        $"{count} images of {features} pixels are too many for one dataset; load fewer with -First.");
                bool all = count == declared;
                byte[] labelBytes = labels.ReadItems(count, all, "label");
                var classIndex = new int[count];
                for (int i = 0; i < count; i++)
                {
                    if (labelBytes[i] >= options.ClassCount)
                        throw new BackpropException(ErrorIds.IdxLabelOutOfRange, ErrorKind.InvalidData, labelPath,
                            $"Label {i} in '{labelPath}' is {labelBytes[i]}, not below the class count {options.ClassCount} (use -ClassCount).");
                    classIndex[i] = labelBytes[i];
                }
                byte[] x = ReadPixels(images, count, all, options);
                var t = new double[(long)count * options.ClassCount];
                for (int i = 0; i < count; i++) t[(long)i * options.ClassCount + classIndex[i]] = 1.0;
                string name = options.Name ?? DefaultName(imagePath, count, declared);
                // The pixels stay bytes (1 byte per value instead of 8); batches convert their rows through the table.
                return new Dataset(name, x, Table(options.Scale), features, t, options.ClassCount, classIndex, options.ClassNames);
            }
        }

        /// <summary>Reads the pixels as bytes, reporting progress and honouring cancellation after each block.</summary>
        /// <exception cref="OperationCanceledException">The load was cancelled.</exception>
        private static byte[] ReadPixels(IdxFile images, int count, bool all, IdxLoadOptions options)
        {
            long total = (long)count * images.ItemSize;
            return images.ReadItems(count, all, "image", (data, offset, n) =>
            {
                options.Progress?.Invoke(offset + (long)n, total);
                options.Cancellation.ThrowIfCancellationRequested();
            });
        }

        private static double[] Table(bool scale)
        {
            var lut = new double[256];
            for (int v = 0; v < 256; v++) lut[v] = scale ? v / 255.0 : v;
            return lut;
        }

        /// <summary>"fashion-mnist t10k" from ".../fashion-mnist/t10k-images-idx3-ubyte.gz", plus the range when partial.</summary>
        private static string DefaultName(string imagePath, int count, int declared)
        {
            string file = Path.GetFileName(imagePath);
            int cut = file.IndexOf("-images", StringComparison.OrdinalIgnoreCase);
            string set = cut > 0 ? file.Substring(0, cut) : file;
            string folder = Path.GetFileName(Path.GetDirectoryName(imagePath) ?? "");
            string name = string.IsNullOrEmpty(folder) ? set : folder + " " + set;
            return count == declared ? name : $"{name} (first {count} of {declared})";
        }
    }
}
