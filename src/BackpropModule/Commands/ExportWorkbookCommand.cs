using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using BackpropModule.Engine;
using BackpropModule.Engine.IO;
using BackpropModule.Engine.Tensors;
using BackpropModule.Infrastructure;

namespace BackpropModule.Commands
{
    /// <summary>
    /// Export-Workbook: writes networks, forward passes, gradients, tensors and training records to
    /// an .xlsx file without Excel: one heat-mapped grid per matrix, and one history table with
    /// native loss and accuracy line charts. All pipeline input goes into one workbook, written
    /// when the pipeline ends.
    /// </summary>
    [Cmdlet(VerbsData.Export, "Workbook", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(SavedFile))]
    public sealed class ExportWorkbookCommand : FileWritingCmdlet
    {
        /// <summary>A Network, ForwardPass, Gradients, Tensor, or a record with an Epoch property (e.g. from Start-Training).</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        [ValidateNotNull]
        public PSObject InputObject { get; set; }

        /// <summary>Add the sheets to an existing workbook, replacing sheets of the same name; without it the file is replaced.</summary>
        [Parameter]
        public SwitchParameter Append { get; set; }

        /// <summary>Sheet name for a piped tensor (default Tensor) or for the training history (default TrainingHistory).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string WorksheetName { get; set; }

        /// <summary>Text put before the sheet names of networks, passes and gradients (e.g. "Epoch5." gives Epoch5.W1).</summary>
        [Parameter]
        public string Prefix { get; set; } = "";

        /// <summary>Write at most this many rows of each matrix (e.g. the first samples of a large forward pass); the rest is left out with a warning.</summary>
        [Parameter]
        [ValidateRange(1, WorkbookWriter.MaxRows - 1)]
        public int MaxRows { get; set; } = WorkbookWriter.MaxRows - 1;

        /// <summary>Leave out the colour-scale heat maps.</summary>
        [Parameter]
        public SwitchParameter NoHeatMap { get; set; }

        /// <summary>Leave out the loss and accuracy charts of the history sheet.</summary>
        [Parameter]
        public SwitchParameter NoChart { get; set; }

        private string fullPath;
        private readonly List<WorkbookSheet> sheets = new List<WorkbookSheet>();
        private readonly HashSet<string> names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        private readonly HistoryTable history = new HistoryTable();
        private bool worksheetNameUsed;

        /// <inheritdoc/>
        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            fullPath = ResolveOutputPath();
        }

        /// <inheritdoc/>
        protected override void ProcessRecord()
        {
            switch (InputObject.BaseObject)
            {
                case Network n:
                    foreach (var p in n.Parameters) Add(Prefix + p.Name, p.Value);
                    // Running statistics are not parameters, but the inference pass needs them.
                    foreach (var bn in n.BatchNorm)
                    {
                        Add(Prefix + bn.RunningMeanName, bn.RunningMean);
                        Add(Prefix + bn.RunningVarianceName, bn.RunningVariance);
                    }
                    break;
                case ForwardPass pass:
                    foreach (var l in pass.Layers)
                    {
                        string k = Prefix + "L" + l.Layer.ToString(CultureInfo.InvariantCulture);
                        Add(k + ".Input", l.Input);
                        Add(k + ".PreActivation", l.PreActivation);
                        AddIfPresent(k + ".Mean", l.Mean);
                        AddIfPresent(k + ".Variance", l.Variance);
                        AddIfPresent(k + ".Normalized", l.Normalized);
                        AddIfPresent(k + ".BatchNorm", l.BatchNormOutput);
                        Add(k + ".Output", l.Output);
                        AddIfPresent(k + ".DropoutMask", l.DropoutMask);
                        AddIfPresent(k + ".Dropout", l.DropoutOutput);
                    }
                    if (pass.Target != null) Add(Prefix + "Target", pass.Target);
                    break;
                case Gradients g:
                    for (int i = 0; i < g.Names.Count; i++) Add(Prefix + g.Names[i], g.GetByIndex(i));
                    for (int i = 0; i < g.Deltas.Count; i++) Add(Prefix + "L" + (i + 1).ToString(CultureInfo.InvariantCulture) + ".Delta", g.Deltas[i]);
                    foreach (var l in g.Layers)
                    {
                        string k = Prefix + "L" + l.Layer.ToString(CultureInfo.InvariantCulture);
                        AddIfPresent(k + ".dBatchNorm", l.BatchNormOutput);
                        AddIfPresent(k + ".dDropout", l.DropoutOutput);
                    }
                    break;
                case Engine.Checking.GradientCheckResult r when r.NumericalGradient != null:
                    // Test-Gradient -IncludeGradients: numerical | analytic | difference on one sheet.
                    Add(Prefix + r.Gradient + ".Check", r.SideBySide());
                    break;
                case Tensor t:
                    Add(WorksheetName ?? "Tensor", t);
                    worksheetNameUsed = true;
                    break;
                default:
                    if (InputObject.Properties["Epoch"] != null) history.Add(InputObject);
                    else
                        WriteError(ToErrorRecord(new BackpropException(ErrorIds.WorkbookInputUnsupported, ErrorKind.InvalidArgument, InputObject,
                            $"Export-Workbook writes networks, forward passes, gradients, tensors and records with an Epoch property; got {InputObject.BaseObject.GetType().FullName}. It was skipped.")));
                    break;
            }
        }

        private void AddIfPresent(string name, Tensor t)
        {
            if (t != null) Add(name, t);
        }

        private void Add(string name, Tensor t)
        {
            if (t.Rows > MaxRows)
            {
                WriteWarning($"{name} has {t.Rows} rows; writing the first {MaxRows} (-MaxRows).");
                t = Tensor.FromRows(Enumerable.Range(0, MaxRows).Select(t.GetRow).ToArray());
            }
            string unique = name;
            for (int n = 2; !names.Add(unique); n++) unique = name + " (" + n.ToString(CultureInfo.InvariantCulture) + ")";
            sheets.Add(WorkbookSheet.ForTensor(unique, t, !NoHeatMap));
        }

        /// <inheritdoc/>
        protected override void EndProcessing()
        {
            ThrowIfPipelineWasEmpty(InputObject, nameof(InputObject));
            if (history.Count > 0) worksheetNameUsed = true;
            if (WorksheetName != null && !worksheetNameUsed && sheets.Count > 0)
                WriteWarning($"-WorksheetName '{WorksheetName}' names the sheet of a piped tensor or training history; none came, so it was not used. Networks, passes and gradients name their sheets after what they hold (W1, dW1, …): use -Prefix to tell several apart.");
            if (history.Count > 0)
            {
                string name = WorksheetName ?? "TrainingHistory";
                sheets.Add(WorkbookSheet.ForTable(name, history.Columns, history.Rows, NoChart ? null : WorkbookSheet.HistoryCharts(history.Columns)));
            }
            if (sheets.Count == 0) return;
            var sheetNames = sheets.Select(s => s.Name).ToList();
            string what = "workbook sheets " + string.Join(", ", sheetNames.Take(8)) + (sheetNames.Count > 8 ? $" and {sheetNames.Count - 8} more" : "");
            if (!ShouldWrite(fullPath, what, editsExisting: Append)) return;
            var progress = new ProgressRecord(1, "Export-Workbook", "Writing " + fullPath);
            var replaced = Engine(() => WorkbookWriter.Write(fullPath, sheets, Append, i =>
            {
                // Ctrl+C abandons the temporary file; the existing workbook is left as it was.
                if (Stopping) throw new PipelineStoppedException();
                progress.StatusDescription = "Wrote sheet " + sheets[i].Name;
                progress.PercentComplete = (int)(100L * (i + 1) / sheets.Count);
                WriteProgress(progress);
            }, Force));
            progress.RecordType = ProgressRecordType.Completed;
            WriteProgress(progress);
            if (replaced.Count > 0)
                WriteWarning($"Replaced existing worksheet(s) {string.Join(", ", replaced)} in {fullPath}.");
            WriteVerbose($"Wrote {sheets.Count} sheet(s) to {fullPath}.");
            if (PassThru) WriteObject(new SavedFile(fullPath, "xlsx", what, sheetNames, replaced));
        }
    }
}
