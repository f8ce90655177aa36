using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using BackpropModule.Engine;
using BackpropModule.Engine.Data;
using BackpropModule.Engine.Tensors;
using BackpropModule.Infrastructure;
using BackpropModule.Plotting;

namespace BackpropModule.Commands
{
    /// <summary>
    /// Show-Plot: draws a line chart as text (Unicode braille) for a quick look without leaving the
    /// shell: the loss per epoch of training records, or a 1-input network's curve over a
    /// regression dataset (-Data). As wide as the console unless -Width is given.
    /// </summary>
    [Cmdlet(VerbsCommon.Show, "Plot")]
    [OutputType(typeof(string))]
    public sealed class ShowPlotCommand : BackpropCmdlet
    {
        /// <summary>Training records (objects with Epoch and TrainingLoss / ValidationLoss), or networks to draw over -Data.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        [ValidateNotNull]
        public PSObject InputObject { get; set; }

        /// <summary>A 1-input regression dataset to draw the networks' curves over.</summary>
        [Parameter]
        public Dataset Data { get; set; }

        /// <summary>Characters per line; default the console's width (80 when it has none).</summary>
        [Parameter]
        [ValidateRange(30, 1000)]
        public int Width { get; set; }

        /// <summary>Rows of the plot area. Default 15.</summary>
        [Parameter]
        [ValidateRange(3, 200)]
        public int Height { get; set; } = 15;

        /// <summary>A title above the chart.</summary>
        [Parameter]
        public string Title { get; set; }

        /// <summary>Logarithmic y axis (losses).</summary>
        [Parameter]
        public SwitchParameter LogScale { get; set; }

        /// <summary>Plain characters only, no ANSI colours.</summary>
        [Parameter]
        public SwitchParameter NoColor { get; set; }

        private readonly HistoryTable history = new HistoryTable();
        private readonly List<Network> networks = new List<Network>();

        /// <inheritdoc/>
        protected override void ProcessRecord()
        {
            if (InputObject.BaseObject is Network n)
                networks.Add(n.Copy());
            else if (InputObject.Properties["Epoch"] != null) history.Add(InputObject);
            else
                WriteError(ToErrorRecord(new BackpropException(ErrorIds.PlotInputUnsupported, ErrorKind.InvalidArgument, InputObject,
                    $"Show-Plot draws training records and networks (with -Data); got {InputObject.BaseObject.GetType().FullName}. It was skipped.")));
        }

        /// <inheritdoc/>
        protected override void EndProcessing()
        {
            if (ThrowIfPipelineWasEmpty(InputObject, nameof(InputObject))) return;
            int width = Width > 0 ? Width : ConsoleWidth(this);
            bool color = !NoColor && UseColor(this);
            string[] lines;
            if (networks.Count > 0) lines = Fit(width, color);
            else if (history.Count > 0) lines = Engine(() => LossChart(new TrainingHistory(history.Columns, history.Rows), width, Height, Title, LogScale, color));
            else
            {
                Throw(ErrorIds.PlotInputEmpty, ErrorKind.InvalidArgument, null, "There is nothing to draw: pipe training records or networks (with -Data) to Show-Plot.");
                return;
            }
            WriteObject(string.Join(Environment.NewLine, lines));
        }

        /// <summary>Training and validation loss per epoch as text.</summary>
        /// <exception cref="PSArgumentException">No loss values.</exception>
        internal static string[] LossChart(TrainingHistory h, int width, int height, string title, bool log, bool color)
        {
            var series = new List<TextSeries>();
            foreach (var (column, name) in new[] { ("TrainingLoss", "training loss"), ("ValidationLoss", "validation loss") })
            {
                var (x, y) = h.Points(column);
                if (x.Length > 0) series.Add(new TextSeries(name, x, y));
            }
            if (series.Count == 0)
                throw new BackpropException(ErrorIds.PlotInputEmpty, ErrorKind.InvalidData, null, "There is nothing to draw: the records have no TrainingLoss or ValidationLoss values.");
            return TextChart.Render(series, width, height, title ?? "Loss per epoch", "epoch", log, color);
        }

        private string[] Fit(int width, bool color)
        {
            var data = Data;
            if (data == null || data.FeatureCount != 1 || data.TargetWidth != 1 || networks.Any(n => n.InputSize != 1 || n.OutputSize != 1))
                Throw(ErrorIds.PlotKindMismatch, ErrorKind.InvalidArgument, data,
                    "Show-Plot draws networks with 1 input and 1 output over a 1-input regression dataset given with -Data.");
            var series = new List<TextSeries> { new TextSeries("data", data.Features, data.Targets, pointsOnly: true) };
            double lo = data.Features.Min(), hi = data.Features.Max();
            double[] xs = Enumerable.Range(0, 200).Select(i => lo + (hi - lo) * i / 199).ToArray();
            var grid = Tensor.FromRows(xs.Select(x => new[] { x }).ToArray());
            foreach (var n in networks)
            {
                var y = Engine(() => n.Predict(grid).Output);
                string name = n.Checkpoint == null ? "untrained" : "epoch " + n.Checkpoint.EpochsCompleted.ToString(CultureInfo.InvariantCulture);
                series.Add(new TextSeries(name, xs, Enumerable.Range(0, xs.Length).Select(i => y[i, 0]).ToArray()));
            }
            return TextChart.Render(series, width, Height, Title ?? "Network fit to " + data.Name, "input x", LogScale, color);
        }

        /// <summary>The console's width, or 80 when the host has none (redirected, hosted).</summary>
        internal static int ConsoleWidth(PSCmdlet cmdlet)
        {
            try
            {
                int w = cmdlet.Host?.UI?.RawUI?.WindowSize.Width ?? 0;
                return w >= 30 ? w - 1 : 80;
            }
            catch (Exception e) when (e is NotImplementedException || e is NotSupportedException || e is System.Management.Automation.Host.HostException || e is System.IO.IOException || e is InvalidOperationException)
            {
                return 80;
            }
        }

        /// <summary>ANSI colours when the host renders them and NO_COLOR is not set.</summary>
        internal static bool UseColor(PSCmdlet cmdlet) =>
            string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR")) && (cmdlet.Host?.UI?.SupportsVirtualTerminal ?? false)
            && !Console.IsOutputRedirected;
    }
}
