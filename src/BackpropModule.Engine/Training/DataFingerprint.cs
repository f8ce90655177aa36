using System;
using System.Collections.Generic;
using System.Globalization;
using BackpropModule.Engine.Data;

namespace BackpropModule.Engine.Training
{
    /// <summary>
    /// A cheap identity of a training dataset, kept in a checkpoint so that <c>-Resume</c> can tell
    /// whether it is given the data the run started on: the sample count, the widths, and a 64-bit
    /// FNV-1a hash of the bits of up to <see cref="SampledRows"/> evenly spaced rows (features and targets).
    /// </summary>
    /// <remarks>
    /// It is not a cryptographic digest and does not read every row: two datasets that agree on the
    /// sampled rows compare equal. It does catch the usual slips (another file, another split, another
    /// seed of a built-in dataset, other preprocessing) at a cost independent of the data's size.
    /// The hash reads the IEEE-754 bits, so it is the same on every platform.
    /// </remarks>
    public sealed class DataFingerprint : IEquatable<DataFingerprint>
    {
        /// <summary>Rows read, at most.</summary>
        public const int SampledRows = 256;

        /// <summary>Creates a fingerprint from its parts (for reading a saved checkpoint).</summary>
        public DataFingerprint(int count, int featureCount, int targetWidth, ulong hash)
        {
            Count = count; FeatureCount = featureCount; TargetWidth = targetWidth; Hash = hash;
        }

        /// <summary>Samples in the data.</summary>
        public int Count { get; }

        /// <summary>Features per sample.</summary>
        public int FeatureCount { get; }

        /// <summary>Target values per sample (classes for classification data).</summary>
        public int TargetWidth { get; }

        /// <summary>The FNV-1a hash of the sampled rows.</summary>
        public ulong Hash { get; }

        /// <summary>The fingerprint of a dataset.</summary>
        public static DataFingerprint Of(Dataset data)
        {
            if (data == null) throw new ArgumentNullException(nameof(data));
            const ulong prime = 1099511628211UL;
            ulong h = 14695981039346656037UL;
            void Mix(ulong word)
            {
                for (int b = 0; b < 64; b += 8) h = unchecked((h ^ ((word >> b) & 0xFF)) * prime);
            }
            Mix((ulong)data.Count); Mix((ulong)data.FeatureCount); Mix((ulong)data.TargetWidth);
            int rows = Math.Min(SampledRows, data.Count);
            for (int k = 0; k < rows; k++)
            {
                long row = rows == 1 ? 0 : (long)k * (data.Count - 1) / (rows - 1);
                Mix((ulong)row);
                for (int j = 0; j < data.FeatureCount; j++) Mix(unchecked((ulong)BitConverter.DoubleToInt64Bits(data.Store[(int)(row * data.FeatureCount + j)])));
                for (int j = 0; j < data.TargetWidth; j++) Mix(unchecked((ulong)BitConverter.DoubleToInt64Bits(data.Targets[row * data.TargetWidth + j])));
            }
            return new DataFingerprint(data.Count, data.FeatureCount, data.TargetWidth, h);
        }

        /// <summary>The hash as 16 lowercase hex digits.</summary>
        public string HashText => Hash.ToString("x16", CultureInfo.InvariantCulture);

        /// <summary>What differs from another fingerprint, in words, or an empty list when they agree.</summary>
        public IReadOnlyList<string> Differences(DataFingerprint other)
        {
            var d = new List<string>();
            if (Count != other.Count) d.Add($"{Count} samples, not {other.Count}");
            if (FeatureCount != other.FeatureCount) d.Add($"{FeatureCount} features per sample, not {other.FeatureCount}");
            if (TargetWidth != other.TargetWidth) d.Add($"{TargetWidth} targets per sample, not {other.TargetWidth}");
            if (d.Count == 0 && Hash != other.Hash) d.Add($"the same shape but other values (fingerprint {HashText}, not {other.HashText})");
            return d;
        }

        /// <summary>The reason the fingerprint is impossible, or null.</summary>
        public string Problem() =>
            Count < 1 || FeatureCount < 1 || TargetWidth < 1 ? "the data's count and widths must be at least 1" : null;

        /// <inheritdoc/>
        public bool Equals(DataFingerprint other) =>
            other != null && Count == other.Count && FeatureCount == other.FeatureCount && TargetWidth == other.TargetWidth && Hash == other.Hash;

        /// <inheritdoc/>
        public override bool Equals(object obj) => Equals(obj as DataFingerprint);

        /// <inheritdoc/>
        public override int GetHashCode() => Hash.GetHashCode();

        /// <inheritdoc/>
        public override string ToString() => $"{Count} x {FeatureCount} -> {TargetWidth}, fingerprint {HashText}";
    }
}
