using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using BackpropModule.Engine;
using BackpropModule.Engine.Data;
using BackpropModule.Engine.IO;
using BackpropModule.Engine.Tensors;
using BackpropModule.Engine.Training;
using BackpropModule.Infrastructure;
using BackpropModule.Plotting;

namespace BackpropModule.Commands
{
    /// <summary>
    /// Export-Plot: writes a PNG or SVG picture of whatever is piped to it: training records (loss
    /// and accuracy curves), a tensor (heat map), a network or gradients (a diagram when small,
    /// heat maps of every parameter otherwise), a forward pass (one sample on the diagram: what each unit passes on,
    /// the units its dropout mask dropped), networks with -Data (the fit of a 1-D regression
    /// or the decision regions of a 2-D classifier), Test-Network's result (confusion matrix).
    /// -Kind overrides the choice (e.g. WeightTiles for a first layer on 28×28 images).
    /// </summary>
    [Cmdlet(VerbsData.Export, "Plot", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(SavedFile))]
    public sealed class ExportPlotCommand : FileWritingCmdlet
    {
        /// <summary>Layers up to this size are drawn as a diagram when no -Kind is given.</summary>
        private const int DiagramUnits = 20;

        /// <summary>Training records, a Tensor, a Network (several: snapshots), Gradients, a ForwardPass, Test-Network's result, or a Dataset (instead of -Data).</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        [ValidateNotNull]
        public PSObject InputObject { get; set; }

        /// <summary>The kind of picture; by default chosen from the input.</summary>
        [Parameter]
        public PlotKind? Kind { get; set; }

        /// <summary>The dataset drawn with a network: a 1-input regression (fit) or a 2-input classification (decision regions).</summary>
        [Parameter]
        public Dataset Data { get; set; }

        /// <summary>Width in pixels. Default 800.</summary>
        [Parameter]
        [ValidateRange(160, 8000)]
        public int Width { get; set; } = 800;

        /// <summary>Height in pixels. Default 600.</summary>
        [Parameter]
        [ValidateRange(120, 8000)]
        public int Height { get; set; } = 600;

        /// <summary>A title instead of the picture's own.</summary>
        [Parameter]
        public string Title { get; set; }

        /// <summary>With a forward pass: which of its samples (a row, from 0) to draw. Default 0.</summary>
        [Parameter]
        [ValidateRange(0, int.MaxValue)]
        public int Sample { get; set; }

        /// <summary>Draw losses on a logarithmic axis.</summary>
        [Parameter]
        public SwitchParameter LogScale { get; set; }

        private string fullPath;
        private PlotFormat format;
        private readonly HistoryTable history = new HistoryTable();
        private readonly List<KeyValuePair<string, Tensor>> tensors = new List<KeyValuePair<string, Tensor>>();
        private readonly List<KeyValuePair<string, Network>> networks = new List<KeyValuePair<string, Network>>();
        private readonly List<Gradients> gradients = new List<Gradients>();
        private ForwardPass pass;
        private readonly List<EvaluationResult> evaluations = new List<EvaluationResult>();
        private Dataset pipedData;

        /// <inheritdoc/>
        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            fullPath = ResolveOutputPath();
            var f = PlotOptions.FormatOf(fullPath);
            if (f == null)
                Throw(ErrorIds.PlotFormatUnsupported, ErrorKind.InvalidArgument, Path,
                    $"Export-Plot writes .png and .svg files; got '{System.IO.Path.GetExtension(fullPath)}'.");
            format = f.Value;
        }

        /// <inheritdoc/>
        protected override void ProcessRecord()
        {
            switch (InputObject.BaseObject)
            {
                case Network n:
                    // A snapshot: the network may be trained further before the pipeline ends (tutorial 003's five pictures).
                    string label = n.Checkpoint == null ? "untrained" : "epoch " + n.Checkpoint.EpochsCompleted.ToString(CultureInfo.InvariantCulture);
                    networks.Add(new KeyValuePair<string, Network>(label, Snapshot(n)));
                    break;
                case Gradients g: gradients.Add(g.Clone()); break;
                case ForwardPass p:
                    // The picture pairs the pass's values with its network's weights: they must still be the pass's.
                    if (p.IsStale)
                        WriteWarning("The network was updated after this pass; the diagram's edges show the current weights, not the ones the pass used. Run Invoke-Forward again for a consistent picture.");
                    pass = p;
                    break;
                case Tensor t: tensors.Add(new KeyValuePair<string, Tensor>("Tensor " + (tensors.Count + 1).ToString(CultureInfo.InvariantCulture), t.Clone())); break;
                case EvaluationResult e: evaluations.Add(e); break;
                case Dataset d: pipedData = d; break;
                default:
                    if (InputObject.Properties["Epoch"] != null) history.Add(InputObject);
                    else
                        WriteError(ToErrorRecord(new BackpropException(ErrorIds.PlotInputUnsupported, ErrorKind.InvalidArgument, InputObject,
                            $"Export-Plot draws training records, tensors, networks, gradients, forward passes, datasets and Test-Network results; got {InputObject.BaseObject.GetType().FullName}. It was skipped.")));
                    break;
            }
        }

        // Copy keeps the BatchNorm/Dropout structure and the running statistics the inference pass needs.
        private static Network Snapshot(Network n) => n.Copy();

        /// <inheritdoc/>
        protected override void EndProcessing()
        {
            if (ThrowIfPipelineWasEmpty(InputObject, nameof(InputObject))) return;
            PlotKind kind = Kind ?? ChooseKind();
            if (pass == null && MyInvocation.BoundParameters.ContainsKey(nameof(Sample)))
                WriteWarning("-Sample picks a sample of a forward pass; no pass was piped, so it was not used.");
            var options = new PlotOptions { Width = Width, Height = Height, Title = Title, LogScale = LogScale, Format = format };
            Func<byte[]> draw = Drawing(kind, options);
            string what = format.ToString().ToUpperInvariant() + " picture (" + kind + ", " + options.Width.ToString(CultureInfo.InvariantCulture) + "x" + options.Height.ToString(CultureInfo.InvariantCulture) + ")";
            if (!ShouldWrite(fullPath, what)) return;
            byte[] bytes = Engine(draw);
            Engine(() => AtomicFile.WriteStream(fullPath, stream => stream.Write(bytes, 0, bytes.Length), force: Force));
            WriteVerbose($"Wrote {what} to {fullPath}.");
            if (PassThru) WriteObject(new SavedFile(fullPath, format.ToString().ToLowerInvariant(), what));
        }

        private Dataset DataOrPiped => Data ?? pipedData;

        private PlotKind ChooseKind()
        {
            if (evaluations.Count > 0) return PlotKind.ConfusionMatrix;
            if (networks.Count > 0 && DataOrPiped != null)
                return DataOrPiped.IsClassification ? PlotKind.DecisionRegions : PlotKind.RegressionFit;
            if (networks.Count > 0 || gradients.Count > 0)
            {
                var net = networks.Count > 0 ? networks[networks.Count - 1].Value : gradients[gradients.Count - 1].Network;
                return net.LayerSizes.Max() <= DiagramUnits ? PlotKind.NetworkDiagram : PlotKind.ParameterHeatmaps;
            }
            if (pass != null) return PlotKind.NetworkDiagram;
            if (tensors.Count > 0) return tensors.Count == 1 ? PlotKind.Heatmap : PlotKind.ParameterHeatmaps;
            if (history.Count > 0) return PlotKind.TrainingCurves;
            Throw(ErrorIds.PlotInputEmpty, ErrorKind.InvalidArgument, InputObject,
                "There is nothing to draw: pipe training records, a tensor, a network, gradients, a forward pass or a Test-Network result to Export-Plot.");
            return default;
        }

        /// <summary>The drawing for a kind, after checking that its input is there (so -WhatIf reports missing input too).</summary>
        private Func<byte[]> Drawing(PlotKind kind, PlotOptions options)
        {
            Network last = networks.Count > 0 ? networks[networks.Count - 1].Value : gradients.Count > 0 ? gradients[gradients.Count - 1].Network : null;
            switch (kind)
            {
                case PlotKind.TrainingCurves:
                    var h = new TrainingHistory(history.Columns, history.Rows);
                    return () => Plotter.TrainingCurves(h, options);
                case PlotKind.Heatmap:
                    var one = tensors.Count > 0 ? tensors[tensors.Count - 1] : Need<KeyValuePair<string, Tensor>>("a tensor");
                    return () => Plotter.Heatmap(one.Value, tensors.Count == 1 ? "Tensor" : one.Key, options);
                case PlotKind.ParameterHeatmaps:
                    return ParameterHeatmaps(options);
                case PlotKind.RegressionFit:
                    if (networks.Count == 0) Need<Network>("a network");
                    var fitData = DataOrPiped ?? Need<Dataset>("a dataset (-Data)");
                    return () => Plotter.RegressionFit(fitData, networks, options);
                case PlotKind.DecisionRegions:
                    if (last == null) Need<Network>("a network");
                    var regionData = DataOrPiped ?? Need<Dataset>("a dataset (-Data)");
                    return () => Plotter.DecisionRegions(last, regionData, options);
                case PlotKind.WeightTiles:
                    if (last == null) Need<Network>("a network");
                    return () => Plotter.WeightTiles(last, options);
                case PlotKind.ConfusionMatrix:
                    var e = evaluations.Count > 0 ? evaluations[evaluations.Count - 1] : Need<EvaluationResult>("a Test-Network result");
                    string title = e.Accuracy.HasValue
                        ? string.Format(CultureInfo.InvariantCulture, "Confusion matrix on {0}: accuracy {1:P1}", e.Dataset, e.Accuracy.Value)
                        : "Confusion matrix on " + e.Dataset;
                    return () => Plotter.ConfusionMatrix(e.ConfusionMatrix, title, options);
                case PlotKind.NetworkDiagram:
                    if (last == null && pass != null)
                    {
                        var drawn = pass;
                        if (Sample >= drawn.BatchSize)
                            Throw(ErrorIds.PlotSampleOutOfRange, ErrorKind.InvalidArgument, Sample,
                                $"The pass has {drawn.BatchSize} sample(s), rows 0 to {drawn.BatchSize - 1}; -Sample {Sample} is not one of them.");
                        return () => Plotter.PassDiagram(drawn, Sample, options);
                    }
                    if (last == null) Need<Network>("a network, gradients or a forward pass");
                    var grad = networks.Count == 0 && gradients.Count > 0 ? gradients[gradients.Count - 1] : null;
                    return () => Plotter.NetworkDiagram(last, grad, options);
                default:
                    throw new ArgumentOutOfRangeException(nameof(kind));
            }
        }

        private Func<byte[]> ParameterHeatmaps(PlotOptions options)
        {
            var draw = ParameterHeatmapsOf(options, out var names);
            // Small multiples get room per panel (one row per block) unless the size was asked for.
            if (!MyInvocation.BoundParameters.ContainsKey(nameof(Width)) && !MyInvocation.BoundParameters.ContainsKey(nameof(Height)))
                (options.Width, options.Height) = HeatmapLayout.SuggestedSize(names);
            return draw;
        }

        private Func<byte[]> ParameterHeatmapsOf(PlotOptions options, out List<string> names)
        {
            if (networks.Count > 0)
            {
                var net = networks[networks.Count - 1].Value;
                var list = net.Parameters.Select(p => new KeyValuePair<string, Tensor>(p.Name, p.Value)).ToList();
                // The running statistics after the parameters: the inference pass normalises with them.
                foreach (var bn in net.BatchNorm)
                {
                    list.Add(new KeyValuePair<string, Tensor>(bn.RunningMeanName, bn.RunningMean));
                    list.Add(new KeyValuePair<string, Tensor>(bn.RunningVarianceName, bn.RunningVariance));
                }
                names = list.Select(t => t.Key).ToList();
                return () => Plotter.ParameterHeatmaps(list, "Parameters of " + net.Architecture, options);
            }
            if (gradients.Count > 0)
            {
                var g = gradients[gradients.Count - 1];
                var list = g.Names.Select((name, i) => new KeyValuePair<string, Tensor>(name, g.GetByIndex(i))).ToList();
                names = list.Select(t => t.Key).ToList();
                return () => Plotter.ParameterHeatmaps(list, "Gradients of " + g.Network.Architecture, options);
            }
            if (tensors.Count == 0) Need<Tensor>("a network, gradients or tensors");
            names = tensors.Select(t => t.Key).ToList();
            return () => Plotter.ParameterHeatmaps(tensors, "Tensors", options);
        }

        private T Need<T>(string what)
        {
            Throw(ErrorIds.PlotInputEmpty, ErrorKind.InvalidArgument, Kind,
                $"A {Kind} picture needs {what}; none was given.");
            return default;
        }
    }
}
