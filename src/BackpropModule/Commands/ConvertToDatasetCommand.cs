using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using BackpropModule.Engine;
using BackpropModule.Engine.Data;
using BackpropModule.Infrastructure;

namespace BackpropModule.Commands
{
    /// <summary>
    /// ConvertTo-Dataset: turns pipeline rows (Import-Csv, Import-Excel, [pscustomobject],
    /// hashtables) into one dataset. Any bad row stops the conversion with an error naming the row
    /// number and property: silently dropping training rows would change the data behind the user's back.
    /// </summary>
    [Cmdlet(VerbsData.ConvertTo, "Dataset", DefaultParameterSetName = ClassificationSet)]
    [OutputType(typeof(Dataset))]
    public sealed class ConvertToDatasetCommand : BackpropCmdlet
    {
        private const string ClassificationSet = "Classification";
        private const string RegressionSet = "Regression";
        private DatasetBuilder builder;

        /// <summary>One row: an object with properties, or a hashtable / dictionary.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        [AllowNull]
        public PSObject InputObject { get; set; }

        /// <summary>The feature columns, in order. Default: every property of the first row except the label or targets.</summary>
        [Parameter(Position = 0)]
        [ValidateNotNullOrEmpty]
        public string[] FeatureProperty { get; set; }

        /// <summary>The class label column (classification): integer class indices or names.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ClassificationSet)]
        [ValidateNotNullOrEmpty]
        public string LabelProperty { get; set; }

        /// <summary>The numeric target columns (regression).</summary>
        [Parameter(Mandatory = true, ParameterSetName = RegressionSet)]
        [ValidateNotNullOrEmpty]
        public string[] TargetProperty { get; set; }

        /// <summary>Class names in class-index order; labels match a name or are an index into them.</summary>
        [Parameter(ParameterSetName = ClassificationSet)]
        [ValidateNotNullOrEmpty]
        public string[] ClassNames { get; set; }

        /// <summary>Number of classes for integer labels (default: largest label + 1).</summary>
        [Parameter(ParameterSetName = ClassificationSet)]
        [ValidateRange(1, 1 << 20)]
        public int ClassCount { get; set; }

        /// <summary>A name for the dataset.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; } = "dataset";

        private bool Classification => ParameterSetName == ClassificationSet;
        private string[] TargetColumns => Classification ? new[] { LabelProperty } : TargetProperty;

        /// <inheritdoc/>
        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            if (ClassNames != null && MyInvocation.BoundParameters.ContainsKey(nameof(ClassCount)) && ClassNames.Length != ClassCount)
                Throw(ErrorIds.ClassNamesCountInvalid, ErrorKind.InvalidArgument, ClassNames, $"{ClassNames.Length} class names were given for {ClassCount} classes.");
        }

        /// <inheritdoc/>
        protected override void ProcessRecord()
        {
            if (InputObject == null) { AddRow(null); return; }
            object baseObject = InputObject.BaseObject;
            if (!(baseObject is IDictionary) && !(baseObject is string) && baseObject is IEnumerable items)
            {
                // An array given with -InputObject: its elements are the rows.
                foreach (object item in items)
                {
                    if (Stopping) return;
                    AddRow(item == null ? null : PSObject.AsPSObject(item));
                }
                return;
            }
            AddRow(InputObject);
        }

        private void AddRow(PSObject row)
        {
            int number = (builder?.Count ?? 0) + 1;
            if (row == null)
                Throw(ErrorIds.DatasetRowPropertyMissing, ErrorKind.InvalidData, null, $"Row {number} is null.");
            if (builder == null) builder = CreateBuilder(row);
            var x = new object[builder.FeatureNames.Length];
            for (int j = 0; j < x.Length; j++) x[j] = Value(row, builder.FeatureNames[j], number);
            var t = new object[builder.TargetNames.Length];
            for (int j = 0; j < t.Length; j++) t[j] = Value(row, builder.TargetNames[j], number);
            Engine(() => builder.AddRow(x, t, row));
        }

        private DatasetBuilder CreateBuilder(PSObject first)
        {
            string[] features = FeatureProperty ?? Names(first).Where(n => !TargetColumns.Contains(n, StringComparer.OrdinalIgnoreCase)).ToArray();
            if (features.Length == 0)
                Throw(ErrorIds.DatasetRowPropertyMissing, ErrorKind.InvalidData, first,
                    "Row 1 has no properties besides the " + (Classification ? "label" : "targets") + "; name the features with -FeatureProperty.");
            WriteVerbose("Features: " + string.Join(", ", features));
            var b = new DatasetBuilder(features, TargetColumns, Classification) { ClassNames = ClassNames };
            if (MyInvocation.BoundParameters.ContainsKey(nameof(ClassCount))) b.ClassCount = ClassCount;
            return b;
        }

        /// <summary>Property names in their order; a plain Hashtable has none, so its keys are sorted.</summary>
        private static IEnumerable<string> Names(PSObject row)
        {
            if (row.BaseObject is IDictionary d)
            {
                var keys = d.Keys.Cast<object>().Select(k => Convert.ToString(k, CultureInfo.InvariantCulture));
                return d is Hashtable ? keys.OrderBy(k => k, StringComparer.Ordinal) : keys;
            }
            return row.Properties.Select(p => p.Name);
        }

        private object Value(PSObject row, string name, int number)
        {
            if (!TryValue(row, name, out object value))
                Throw(ErrorIds.DatasetRowPropertyMissing, ErrorKind.InvalidData, row,
                    $"Row {number} has no property '{name}' (it has: {string.Join(", ", Names(row))}).");
            return value is PSObject w ? w.BaseObject : value;
        }

        /// <summary>A property's value, or a dictionary entry's (exact key first, then case-insensitive).</summary>
        private static bool TryValue(PSObject row, string name, out object value)
        {
            value = null;
            if (row.BaseObject is IDictionary d)
            {
                object key = d.Contains(name) ? name : d.Keys.Cast<object>().FirstOrDefault(k => string.Equals(Convert.ToString(k, CultureInfo.InvariantCulture), name, StringComparison.OrdinalIgnoreCase));
                if (key == null) return false;
                value = d[key];
                return true;
            }
            var p = row.Properties[name];
            if (p == null) return false;
            value = p.Value;
            return true;
        }

        /// <inheritdoc/>
        protected override void EndProcessing()
        {
            var b = builder ?? new DatasetBuilder(FeatureProperty ?? new[] { "?" }, TargetColumns, Classification);
            var data = Engine(() => b.Build(Name));
            if (data.ClassNames != null && ClassNames == null)
                WriteVerbose("Classes: " + string.Join(", ", data.ClassNames.Select((n, i) => $"{i} = {n}")));
            WriteObject(data);
        }
    }
}
