using System;
using System.Globalization;
using BackpropModule.Engine.Randomness;
using BackpropModule.Engine.Tensors;

namespace BackpropModule.Engine.Data
{
    /// <summary>
    /// Samples for training or evaluation, stored row-major (sample after sample) so a batch is a
    /// gather of contiguous rows. Features is Count × FeatureCount; Targets is Count × TargetWidth
    /// (one-hot rows for classification, values for regression); Labels holds class indices for
    /// classification data and is null for regression data.
    /// </summary>
    public sealed class Dataset
    {
        /// <summary>Creates a dataset; the arrays are taken, not copied.</summary>
        /// <exception cref="ArgumentException">The array lengths do not fit count and widths.</exception>
        public Dataset(string name, double[] features, int featureCount, double[] targets, int targetWidth, int[] labels, string[] classNames = null)
            : this(name, features == null ? null : new FeatureStore(features), featureCount, targets, targetWidth, labels, classNames)
        {
        }

        /// <summary>
        /// A dataset whose features are byte codes standing for table[code] (IDX pixels: 1 byte per
        /// value instead of 8); <see cref="Features"/> and training read the same doubles as if they
        /// had been stored. The arrays are taken, not copied.
        /// </summary>
        /// <exception cref="ArgumentException">The array lengths do not fit count and widths, or the table does not have 256 entries.</exception>
        internal Dataset(string name, byte[] featureCodes, double[] codeTable, int featureCount, double[] targets, int targetWidth, int[] labels, string[] classNames = null)
            : this(name, featureCodes == null ? null : new FeatureStore(featureCodes, codeTable), featureCount, targets, targetWidth, labels, classNames)
        {
        }

        private Dataset(string name, FeatureStore features, int featureCount, double[] targets, int targetWidth, int[] labels, string[] classNames)
        {
            if (featureCount <= 0) throw new ArgumentException("A dataset needs at least one feature.", nameof(featureCount));
            if (targetWidth <= 0) throw new ArgumentException("A dataset needs at least one target column.", nameof(targetWidth));
            if (features == null || features.Length % featureCount != 0) throw new ArgumentException("The feature array does not hold whole samples.", nameof(features));
            int count = features.Length / featureCount;
            if (targets == null || targets.Length != count * targetWidth) throw new ArgumentException($"The target array holds {targets?.Length ?? 0} values; {count} samples × {targetWidth} need {count * targetWidth}.", nameof(targets));
            if (labels != null && labels.Length != count) throw new ArgumentException($"There are {labels.Length} labels for {count} samples.", nameof(labels));
            Name = name ?? "dataset";
            Store = features;
            FeatureCount = featureCount;
            Targets = targets;
            TargetWidth = targetWidth;
            Labels = labels;
            Count = count;
            ClassNames = classNames;
        }

        /// <summary>A name for display (e.g. <c>fashion-mnist train</c>).</summary>
        public string Name { get; }

        /// <summary>Number of samples.</summary>
        public int Count { get; }

        /// <summary>Features per sample.</summary>
        public int FeatureCount { get; }

        /// <summary>Target values per sample (the number of classes for classification data).</summary>
        public int TargetWidth { get; }

        /// <summary>Number of classes, or 0 for regression data.</summary>
        public int ClassCount => Labels == null ? 0 : TargetWidth;

        /// <summary>True when the samples have class labels.</summary>
        public bool IsClassification => Labels != null;

        /// <summary>Optional names of the classes.</summary>
        public string[] ClassNames { get; }

        /// <summary>Row-major features, Count × FeatureCount.</summary>
        /// <remarks>
        /// NOTE: a dataset loaded from IDX files holds its pixels as bytes; the first read of this
        /// property converts them to doubles (8 bytes per value) and the dataset keeps those from then
        /// on, so writes to the array are seen by training. Training, validation and Test-Network do
        /// not read it and convert only the rows of each batch.
        /// </remarks>
        public double[] Features => Store.Values;

        /// <summary>The features as stored (doubles, or byte codes and their table).</summary>
        internal FeatureStore Store { get; }

        /// <summary>Row-major targets, Count × TargetWidth.</summary>
        public double[] Targets { get; }

        /// <summary>Class index per sample, or null for regression data.</summary>
        public int[] Labels { get; }

        /// <summary>Samples start..start+count as a new dataset (copied).</summary>
        /// <exception cref="ArgumentOutOfRangeException">The range is outside the dataset or empty.</exception>
        public Dataset Slice(int start, int count, string name = null)
        {
            if (start < 0 || count <= 0 || start + count > Count)
                throw new ArgumentOutOfRangeException(nameof(count), $"Samples {start}..{start + count - 1} are outside 0..{Count - 1}.");
            FeatureStore f = Store.SliceRows(start, count, FeatureCount);
            var t = new double[count * TargetWidth];
            Array.Copy(Targets, start * TargetWidth, t, 0, t.Length);
            int[] l = null;
            if (Labels != null) { l = new int[count]; Array.Copy(Labels, start, l, 0, count); }
            return new Dataset(name ?? Name + $" [{start}..{start + count - 1}]", f, FeatureCount, t, TargetWidth, l, ClassNames);
        }

        /// <summary>The samples at the given indices, in that order, as a new dataset.</summary>
        public Dataset Select(int[] indices, string name = null)
        {
            FeatureStore f = Store.SelectRows(indices, FeatureCount);
            var t = new double[indices.Length * TargetWidth];
            int[] l = Labels == null ? null : new int[indices.Length];
            for (int i = 0; i < indices.Length; i++)
            {
                int s = indices[i];
                if ((uint)s >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(indices), $"Sample {s} is outside 0..{Count - 1}.");
                Array.Copy(Targets, s * TargetWidth, t, i * TargetWidth, TargetWidth);
                if (l != null) l[i] = Labels[s];
            }
            return new Dataset(name ?? Name, f, FeatureCount, t, TargetWidth, l, ClassNames);
        }

        /// <summary>Splits off a shuffled fraction (seeded) as validation data: (training, validation).</summary>
        /// <exception cref="ArgumentOutOfRangeException">The fraction leaves either part empty.</exception>
        public (Dataset Training, Dataset Validation) Split(double validationFraction, long seed)
        {
            int nVal = (int)Math.Round(Count * validationFraction);
            if (!(validationFraction > 0 && validationFraction < 1) || nVal == 0 || nVal == Count)
                throw new ArgumentOutOfRangeException(nameof(validationFraction), $"A validation fraction of {validationFraction.ToString(CultureInfo.InvariantCulture)} of {Count} samples leaves a part empty.");
            var order = new int[Count];
            for (int i = 0; i < Count; i++) order[i] = i;
            new SeededRandom(seed).Shuffle(order);
            var val = new int[nVal]; var train = new int[Count - nVal];
            Array.Copy(order, 0, val, 0, nVal);
            Array.Copy(order, nVal, train, 0, train.Length);
            return (Select(train, Name + " (training)"), Select(val, Name + " (validation)"));
        }

        /// <summary>Features as a tensor (copy), for Invoke-Forward.</summary>
        public Tensor FeaturesTensor()
        {
            // Column-major tensor from row-major rows: gather all rows, then transpose (without
            // converting a compact store into doubles for good).
            var rows = new double[Count * FeatureCount];
            Store.CopyRows(null, 0, Count, FeatureCount, rows);
            return ToTensor(rows, Count, FeatureCount);
        }

        /// <summary>Targets as a tensor (copy).</summary>
        public Tensor TargetsTensor() => ToTensor(Targets, Count, TargetWidth);

        private static Tensor ToTensor(double[] rowMajor, int rows, int cols)
        {
            var t = new Tensor(rows, cols);
            double[] d = t.Data;
            for (int r = 0; r < rows; r++)
                for (int c = 0; c < cols; c++) d[r + c * rows] = rowMajor[r * cols + c];
            return t;
        }

        /// <inheritdoc/>
        public override string ToString() =>
            $"Dataset '{Name}': {Count} samples × {FeatureCount} features, " + (IsClassification ? $"{ClassCount} classes" : $"{TargetWidth} target value(s)");
    }
}
