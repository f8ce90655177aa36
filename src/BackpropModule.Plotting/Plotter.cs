using System.Collections.Generic;
using System.Linq;
using BackpropModule.Engine;
using BackpropModule.Engine.Data;
using BackpropModule.Engine.Tensors;
using BackpropModule.Engine.Training;

namespace BackpropModule.Plotting
{
    /// <summary>
    /// The pictures, one method per kind; each returns the bytes of a PNG or SVG file. Input is
    /// checked first (errors are <see cref="BackpropException"/>s with ErrorIds.Plot*); the native
    /// graphics library is loaded on the first picture, never when the module is imported.
    /// </summary>
    public static class Plotter
    {
        /// <summary>Runs a drawing, turning a native library that will not load into PlotUnsupportedOnThisPlatform.</summary>
        private static byte[] Draw(System.Func<byte[]> draw)
        {
            NativeLibraries.EnsureLoaded();
            try { return draw(); }
            catch (System.Exception e) when (e is System.DllNotFoundException || e is System.TypeInitializationException || e is System.BadImageFormatException || e is System.EntryPointNotFoundException)
            {
                var cause = e;
                while (cause.InnerException != null) cause = cause.InnerException;
                throw NativeLibraries.Unsupported(cause.Message, e);
            }
        }

        /// <summary>Loss (and accuracy) per epoch, training and validation.</summary>
        /// <exception cref="BackpropException">PlotInputEmpty: no records with a loss.</exception>
        public static byte[] TrainingCurves(TrainingHistory history, PlotOptions options)
        {
            return Draw(() => TrainingCurvesPlot.Render(history, options));
        }

        /// <summary>One matrix as a heat map centred on zero, with a colour bar.</summary>
        /// <exception cref="BackpropException">PlotInputEmpty: an empty tensor.</exception>
        public static byte[] Heatmap(Tensor tensor, string name, PlotOptions options)
        {
            return Draw(() => HeatmapPlots.Render(tensor, name, options));
        }

        /// <summary>One heat map per named tensor (parameters or gradients), small multiples.</summary>
        /// <exception cref="BackpropException">PlotInputEmpty: no tensors.</exception>
        public static byte[] ParameterHeatmaps(IReadOnlyList<KeyValuePair<string, Tensor>> tensors, string title, PlotOptions options)
        {
            return Draw(() => HeatmapPlots.Render(tensors, title, options));
        }

        /// <summary>A 1-input regression dataset with the curve of each network (label, network) overlaid.</summary>
        /// <exception cref="BackpropException">PlotInputEmpty, PlotKindMismatch: not 1 input → 1 output regression.</exception>
        public static byte[] RegressionFit(Dataset data, IReadOnlyList<KeyValuePair<string, Network>> networks, PlotOptions options)
        {
            RegressionFitPlot.Check(data, networks);
            return Draw(() => RegressionFitPlot.Render(data, networks, options));
        }

        /// <summary>Decision regions of a 2-input classifier with the dataset's points.</summary>
        /// <exception cref="BackpropException">PlotInputEmpty, PlotKindMismatch: not 2 inputs, or not classification.</exception>
        public static byte[] DecisionRegions(Network network, Dataset data, PlotOptions options)
        {
            DecisionRegionsPlot.Check(network, data);
            return Draw(() => DecisionRegionsPlot.Render(network, data, options));
        }

        /// <summary>First-layer weights as one square image tile per hidden unit.</summary>
        /// <exception cref="BackpropException">PlotKindMismatch: the input is not a square image.</exception>
        public static byte[] WeightTiles(Network network, PlotOptions options)
        {
            WeightTilesPlot.Check(network);
            return Draw(() => WeightTilesPlot.Render(network, options));
        }

        /// <summary>A confusion matrix as a labelled heat map.</summary>
        /// <exception cref="BackpropException">PlotInputEmpty: no matrix.</exception>
        public static byte[] ConfusionMatrix(ConfusionMatrix matrix, string title, PlotOptions options)
        {
            return Draw(() => ConfusionMatrixPlot.Render(matrix, title, options));
        }

        /// <summary>A diagram of a small network; with gradients, edges show |gradient| instead of |weight|.</summary>
        /// <exception cref="BackpropException">PlotNetworkTooLarge: a layer wider than the diagram allows.</exception>
        public static byte[] NetworkDiagram(Network network, Gradients gradients, PlotOptions options)
        {
            NetworkDiagramPlot.Check(network);
            IReadOnlyList<Tensor> values = gradients != null
                ? Enumerable.Range(0, gradients.Names.Count).Select(gradients.GetByIndex).ToArray()
                : network.Parameters.Select(p => p.Value).ToArray();
            return Draw(() => NetworkDiagramPlot.Render(network, values, gradients != null ? "gradient" : "weight", options));
        }

        /// <summary>
        /// One sample of a forward pass on the diagram of its network: each unit filled with the value it passes on
        /// (written beside it when the layers are short), the units this pass's dropout mask dropped greyed and crossed.
        /// </summary>
        /// <exception cref="BackpropException">PlotSampleOutOfRange: no such row; PlotNetworkTooLarge: a layer wider than the diagram allows.</exception>
        public static byte[] PassDiagram(ForwardPass pass, int sample, PlotOptions options)
        {
            NetworkDiagramPlot.Check(pass.Network);
            var units = PassUnits.Of(pass, sample);
            var values = pass.Network.Parameters.Select(p => p.Value).ToArray();
            return Draw(() => NetworkDiagramPlot.Render(pass.Network, values, "weight", options, units));
        }
    }
}
