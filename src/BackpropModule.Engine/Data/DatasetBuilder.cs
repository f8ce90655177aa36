using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace BackpropModule.Engine.Data
{
    /// <summary>
    /// Collects rows of loosely typed values (strings from a CSV file, doubles from a workbook,
    /// numbers from script) into a <see cref="Dataset"/>. Numbers are parsed with the invariant
    /// culture. Class labels are either all non-negative integers (the class index, as given) or
    /// names, numbered in ordinal sorted order so the mapping does not depend on row order.
    /// </summary>
    public sealed class DatasetBuilder
    {
        private readonly List<double> features = new List<double>();
        private readonly List<double> targets = new List<double>();
        private readonly List<object> labels = new List<object>();
        private readonly List<object> labelRows = new List<object>();

        /// <summary>Starts a classification (one label per row) or regression (targets per row) dataset.</summary>
        /// <param name="featureNames">Names of the feature columns, for messages.</param>
        /// <param name="targetNames">For classification the label column (one name); for regression the target columns.</param>
        /// <param name="classification">True: one class label per row; false: numeric targets.</param>
        /// <exception cref="ArgumentException">No feature or target names.</exception>
        public DatasetBuilder(string[] featureNames, string[] targetNames, bool classification)
        {
            if (featureNames == null || featureNames.Length == 0) throw new ArgumentException("At least one feature is needed.", nameof(featureNames));
            if (targetNames == null || targetNames.Length == 0 || (classification && targetNames.Length != 1))
                throw new ArgumentException(classification ? "Classification needs exactly one label column." : "Regression needs at least one target column.", nameof(targetNames));
            FeatureNames = featureNames;
            TargetNames = targetNames;
            IsClassification = classification;
        }

        /// <summary>Names of the feature columns.</summary>
        public string[] FeatureNames { get; }

        /// <summary>The label column, or the target columns.</summary>
        public string[] TargetNames { get; }

        /// <summary>True for class labels, false for numeric targets.</summary>
        public bool IsClassification { get; }

        /// <summary>Rows added so far.</summary>
        public int Count { get; private set; }

        /// <summary>Class names that fix the class order (labels match a name, or are an index into them).</summary>
        public string[] ClassNames { get; set; }

        /// <summary>Number of classes for integer labels (null: the largest label + 1).</summary>
        public int? ClassCount { get; set; }

        /// <summary>Adds one row. <paramref name="row"/> is the source object, the TargetObject of errors.</summary>
        /// <exception cref="BackpropException">DatasetRowValueInvalid: a feature or target is not a finite number; DatasetLabelInvalid: an empty label.</exception>
        public void AddRow(object[] featureValues, object[] targetValues, object row)
        {
            int number = Count + 1;
            var x = new double[FeatureNames.Length];
            for (int j = 0; j < x.Length; j++) x[j] = ToNumber(featureValues[j], number, FeatureNames[j], row);
            object label = null;
            double[] t = null;
            if (IsClassification)
            {
                label = NormalizeLabel(targetValues[0]);
                if (label == null)
                    throw new BackpropException(ErrorIds.DatasetLabelInvalid, ErrorKind.InvalidData, row, $"Row {number}: the label '{TargetNames[0]}' is empty.");
            }
            else
            {
                t = new double[TargetNames.Length];
                for (int j = 0; j < t.Length; j++) t[j] = ToNumber(targetValues[j], number, TargetNames[j], row);
            }
            features.AddRange(x);
            if (IsClassification) { labels.Add(label); labelRows.Add(row); }
            else targets.AddRange(t);
            Count++;
        }

        /// <summary>Builds the dataset from the rows added.</summary>
        /// <exception cref="BackpropException">DatasetEmpty: no rows; DatasetLabelInvalid: a label is unknown or out of range.</exception>
        public Dataset Build(string name)
        {
            if (Count == 0)
                throw new BackpropException(ErrorIds.DatasetEmpty, ErrorKind.InvalidData, null, "No rows reached ConvertTo-Dataset; a dataset needs at least one sample.");
            double[] x = features.ToArray();
            if (!IsClassification) return new Dataset(name, x, FeatureNames.Length, targets.ToArray(), TargetNames.Length, null);
            string[] names;
            int[] index = IndexLabels(out names);
            int k = names?.Length ?? ClassCount ?? (index.Max() + 1);
            var t = new double[(long)Count * k];
            for (int i = 0; i < Count; i++) t[(long)i * k + index[i]] = 1.0;
            return new Dataset(name, x, FeatureNames.Length, t, k, index, names);
        }

        private int[] IndexLabels(out string[] names)
        {
            var index = new int[Count];
            if (ClassNames != null)
            {
                names = ClassNames;
                for (int i = 0; i < Count; i++) index[i] = ByName(i, ClassNames);
                return index;
            }
            if (labels.All(l => l is long))
            {
                names = null;
                for (int i = 0; i < Count; i++)
                {
                    long v = (long)labels[i];
                    if (v < 0 || (ClassCount.HasValue && v >= ClassCount.Value) || v >= 1 << 20)
                        throw new BackpropException(ErrorIds.DatasetLabelInvalid, ErrorKind.InvalidData, labelRows[i],
                            $"Row {i + 1}: the label '{TargetNames[0]}' is {v}; class indices run from 0 to {(ClassCount ?? 1 << 20) - 1}.");
                    index[i] = (int)v;
                }
                return index;
            }
            var distinct = labels.Select(LabelText).Distinct(StringComparer.Ordinal).OrderBy(s => s, StringComparer.Ordinal).ToList();
            if (ClassCount.HasValue && ClassCount.Value < distinct.Count)
                throw new BackpropException(ErrorIds.DatasetLabelInvalid, ErrorKind.InvalidData, distinct,
                    $"The label '{TargetNames[0]}' has {distinct.Count} distinct values but the class count is {ClassCount.Value}.");
            for (int c = distinct.Count; c < (ClassCount ?? 0); c++) distinct.Add("class " + c.ToString(CultureInfo.InvariantCulture));
            names = distinct.ToArray();
            var lookup = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int c = 0; c < names.Length; c++) lookup[names[c]] = c;
            for (int i = 0; i < Count; i++) index[i] = lookup[LabelText(labels[i])];
            return index;
        }

        private int ByName(int i, string[] names)
        {
            string text = LabelText(labels[i]);
            int c = Array.FindIndex(names, n => string.Equals(n, text, StringComparison.Ordinal));
            if (c < 0) c = Array.FindIndex(names, n => string.Equals(n, text, StringComparison.OrdinalIgnoreCase));
            if (c < 0 && labels[i] is long v && v >= 0 && v < names.Length) c = (int)v;
            if (c < 0)
                throw new BackpropException(ErrorIds.DatasetLabelInvalid, ErrorKind.InvalidData, labelRows[i],
                    $"Row {i + 1}: the label '{TargetNames[0]}' is '{text}', which is neither one of the class names ({string.Join(", ", names)}) nor a class index below {names.Length}.");
            return c;
        }

        private static string LabelText(object label) => label is long v ? v.ToString(CultureInfo.InvariantCulture) : (string)label;

        /// <summary>An integer-valued label becomes a long, anything else its trimmed text; null when empty.</summary>
        private static object NormalizeLabel(object value)
        {
            switch (value)
            {
                case null: return null;
                case string s:
                    s = s.Trim();
                    if (s.Length == 0) return null;
                    return long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out long n) ? (object)n : s;
                case bool b: return b ? "True" : "False";
                case double d: return IsIntegral(d) ? (object)(long)d : d.ToString("R", CultureInfo.InvariantCulture);
                case float f: return IsIntegral(f) ? (object)(long)f : f.ToString("R", CultureInfo.InvariantCulture);
                case decimal m: return m == decimal.Truncate(m) && Math.Abs(m) < 1e15m ? (object)(long)m : m.ToString(CultureInfo.InvariantCulture);
                case byte _: case sbyte _: case short _: case ushort _: case int _: case uint _: case long _:
                    return Convert.ToInt64(value, CultureInfo.InvariantCulture);
                default:
                    string text = Convert.ToString(value, CultureInfo.InvariantCulture)?.Trim();
                    return string.IsNullOrEmpty(text) ? null : text;
            }
        }

        private static bool IsIntegral(double d) => Math.Floor(d) == d && Math.Abs(d) < 1e15;

        /// <summary>
        /// A value as a finite double: numbers as they are, booleans as 1/0, strings parsed with the
        /// invariant culture (so "0.5" is one half whatever the thread culture says).
        /// </summary>
        /// <exception cref="BackpropException">DatasetRowValueInvalid.</exception>
        public static double ToNumber(object value, int rowNumber, string property, object row)
        {
            double d;
            bool ok;
            switch (value)
            {
                case null: ok = false; d = 0; break;
                case string s: ok = double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out d); break;
                case bool b: ok = true; d = b ? 1 : 0; break;
                case char _: ok = false; d = 0; break;
                case IConvertible c:
                    try { d = c.ToDouble(CultureInfo.InvariantCulture); ok = true; }
                    catch (Exception e) when (e is FormatException || e is InvalidCastException || e is OverflowException) { d = 0; ok = false; }
                    break;
                default: ok = false; d = 0; break;
            }
            if (!ok || double.IsNaN(d) || double.IsInfinity(d))
                throw new BackpropException(ErrorIds.DatasetRowValueInvalid, ErrorKind.InvalidData, row,
                    $"Row {rowNumber}: the value '{value ?? "(null)"}' of '{property}' is not a finite number.");
            return d;
        }
    }
}
