using System;
using System.Collections.Generic;
using System.Globalization;
using BackpropModule.Engine.Randomness;

namespace BackpropModule.Engine.Data
{
    /// <summary>A dataset split into training and validation parts, with the seed that reproduces it.</summary>
    public sealed class DatasetSplit
    {
        /// <summary>Creates a split.</summary>
        public DatasetSplit(Dataset training, Dataset validation, long seed, bool stratified)
        {
            Training = training ?? throw new ArgumentNullException(nameof(training));
            Validation = validation ?? throw new ArgumentNullException(nameof(validation));
            Seed = seed;
            Stratified = stratified;
        }

        /// <summary>The samples to train on.</summary>
        public Dataset Training { get; }

        /// <summary>The held-out samples.</summary>
        public Dataset Validation { get; }

        /// <summary>The seed of the shuffle; the same seed and dataset give the same split.</summary>
        public long Seed { get; }

        /// <summary>True when every class keeps its share in both parts.</summary>
        public bool Stratified { get; }

        /// <summary>Validation samples as a fraction of all samples.</summary>
        public double ValidationFraction => (double)Validation.Count / (Training.Count + Validation.Count);

        /// <inheritdoc/>
        public override string ToString() =>
            $"Split (seed {Seed.ToString(CultureInfo.InvariantCulture)}{(Stratified ? ", stratified" : "")}): {Training.Count} training, {Validation.Count} validation";
    }

    /// <summary>Seeded splitting and sampling of datasets.</summary>
    public static class DatasetSampling
    {
        /// <summary>
        /// Splits off <paramref name="validationCount"/> shuffled samples. Without stratification the
        /// shuffle is exactly the one of <see cref="Dataset.Split"/>, so both give the same parts for
        /// the same seed. Stratified: each class gives round-to-quota of its samples (largest
        /// remainder, so the total is exact), drawn from its own shuffled order.
        /// </summary>
        /// <exception cref="BackpropException">DatasetSplitInvalid: a part would be empty; stratified on regression data.</exception>
        public static DatasetSplit Split(Dataset data, int validationCount, long seed, bool stratify)
        {
            if (validationCount <= 0 || validationCount >= data.Count)
                throw new BackpropException(ErrorIds.DatasetSplitInvalid, ErrorKind.InvalidArgument, validationCount,
                    $"Splitting {validationCount} of {data.Count} samples off as validation data leaves a part empty.");
            if (stratify && !data.IsClassification)
                throw new BackpropException(ErrorIds.DatasetSplitInvalid, ErrorKind.InvalidArgument, data, $"'{data.Name}' has no class labels to stratify by.");
            var rng = new SeededRandom(seed);
            var order = new int[data.Count];
            for (int i = 0; i < order.Length; i++) order[i] = i;
            rng.Shuffle(order);
            int[] val, train;
            if (!stratify)
            {
                val = new int[validationCount];
                train = new int[data.Count - validationCount];
                Array.Copy(order, 0, val, 0, val.Length);
                Array.Copy(order, validationCount, train, 0, train.Length);
            }
            else
            {
                StratifiedParts(data, order, validationCount, out val, out train);
            }
            return new DatasetSplit(data.Select(train, data.Name + " (training)"), data.Select(val, data.Name + " (validation)"), seed, stratify);
        }

        private static void StratifiedParts(Dataset data, int[] order, int validationCount, out int[] val, out int[] train)
        {
            int k = data.ClassCount;
            var byClass = new List<int>[k];
            for (int c = 0; c < k; c++) byClass[c] = new List<int>();
            foreach (int i in order) byClass[data.Labels[i]].Add(i);
            // quota_c = n_c · v / N; floors first, then the largest remainders get one more each.
            var quota = new int[k];
            var remainder = new double[k];
            int given = 0;
            for (int c = 0; c < k; c++)
            {
                double exact = (double)byClass[c].Count * validationCount / data.Count;
                quota[c] = (int)Math.Floor(exact);
                remainder[c] = exact - quota[c];
                given += quota[c];
            }
            while (given < validationCount)
            {
                int best = -1;
                for (int c = 0; c < k; c++)
                    if (quota[c] < byClass[c].Count && (best < 0 || remainder[c] > remainder[best])) best = c;
                quota[best]++; remainder[best] = -1; given++;
            }
            var v = new List<int>(validationCount);
            var t = new List<int>(data.Count - validationCount);
            for (int c = 0; c < k; c++)
                for (int j = 0; j < byClass[c].Count; j++) (j < quota[c] ? v : t).Add(byClass[c][j]);
            // Class-by-class lists would batch one class after another; keep the shuffled order instead.
            var inVal = new bool[data.Count];
            foreach (int i in v) inVal[i] = true;
            val = new int[v.Count];
            train = new int[t.Count];
            int a = 0, b = 0;
            foreach (int i in order) { if (inVal[i]) val[a++] = i; else train[b++] = i; }
        }

        /// <summary>The number of validation samples for a fraction: round(Count · fraction).</summary>
        /// <exception cref="BackpropException">DatasetSplitInvalid: the fraction is not inside (0, 1).</exception>
        public static int CountForFraction(Dataset data, double fraction)
        {
            if (!(fraction > 0 && fraction < 1))
                throw new BackpropException(ErrorIds.DatasetSplitInvalid, ErrorKind.InvalidArgument, fraction,
                    $"The validation fraction must be between 0 and 1 (exclusive); it is {fraction.ToString(CultureInfo.InvariantCulture)}.");
            return (int)Math.Round(data.Count * fraction);
        }

        /// <summary><paramref name="count"/> samples drawn without replacement in seeded random order.</summary>
        /// <exception cref="BackpropException">DatasetSampleOutOfRange: count is not 1..Count.</exception>
        public static Dataset Random(Dataset data, int count, long seed)
        {
            if (count <= 0 || count > data.Count)
                throw new BackpropException(ErrorIds.DatasetSampleOutOfRange, ErrorKind.InvalidArgument, count, $"Cannot draw {count} samples from the {data.Count} of '{data.Name}'.");
            var order = new int[data.Count];
            for (int i = 0; i < order.Length; i++) order[i] = i;
            new SeededRandom(seed).Shuffle(order);
            var pick = new int[count];
            Array.Copy(order, pick, count);
            return data.Select(pick, $"{data.Name} (random {count}, seed {seed.ToString(CultureInfo.InvariantCulture)})");
        }

        /// <summary>Samples at the given indices (negative indices count from the end, as in PowerShell).</summary>
        /// <exception cref="BackpropException">DatasetSampleOutOfRange: an index is outside the dataset, or none given.</exception>
        public static Dataset ByIndex(Dataset data, int[] indices)
        {
            if (indices == null || indices.Length == 0)
                throw new BackpropException(ErrorIds.DatasetSampleOutOfRange, ErrorKind.InvalidArgument, indices, "No sample indices were given.");
            var pick = new int[indices.Length];
            for (int i = 0; i < pick.Length; i++)
            {
                int s = indices[i] < 0 ? data.Count + indices[i] : indices[i];
                if (s < 0 || s >= data.Count)
                    throw new BackpropException(ErrorIds.DatasetSampleOutOfRange, ErrorKind.InvalidArgument, indices[i], $"Sample {indices[i]} is outside 0..{data.Count - 1} of '{data.Name}'.");
                pick[i] = s;
            }
            return data.Select(pick, indices.Length == 1 ? $"{data.Name} [{pick[0]}]" : $"{data.Name} ({pick.Length} selected)");
        }

        /// <summary>Samples skip..skip+first-1 (first clipped to what is left, like Select-Object).</summary>
        /// <exception cref="BackpropException">DatasetSampleOutOfRange: nothing is left after skipping.</exception>
        public static Dataset Range(Dataset data, int skip, int? first)
        {
            int available = data.Count - skip;
            int n = Math.Min(first ?? available, available);
            if (skip < 0 || n <= 0)
                throw new BackpropException(ErrorIds.DatasetSampleOutOfRange, ErrorKind.InvalidArgument, skip,
                    $"Skipping {skip} and taking {first?.ToString(CultureInfo.InvariantCulture) ?? "the rest"} of the {data.Count} samples of '{data.Name}' leaves none.");
            return data.Slice(skip, n, $"{data.Name} [{skip}..{skip + n - 1}]");
        }
    }
}
