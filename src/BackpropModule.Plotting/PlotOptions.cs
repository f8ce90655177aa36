using System;

namespace BackpropModule.Plotting
{
    /// <summary>The kinds of picture Export-Plot draws.</summary>
    public enum PlotKind
    {
        /// <summary>Loss and accuracy per epoch, training and validation (from training records).</summary>
        TrainingCurves,
        /// <summary>One matrix as a heat map on a diverging scale centred on zero, with a colour bar.</summary>
        Heatmap,
        /// <summary>One heat map per parameter or gradient of a network, side by side.</summary>
        ParameterHeatmaps,
        /// <summary>A 1-D regression dataset and the curve of one or more networks (snapshots overlaid).</summary>
        RegressionFit,
        /// <summary>The class a 2-input classifier predicts over the input plane, with the dataset's points.</summary>
        DecisionRegions,
        /// <summary>First-layer weights of a network on 28×28 images: one 28×28 tile per hidden unit.</summary>
        WeightTiles,
        /// <summary>Test-Network's confusion matrix as a labelled heat map.</summary>
        ConfusionMatrix,
        /// <summary>A small network drawn as units and edges, coloured by sign, thick with |weight| (or |gradient|).</summary>
        NetworkDiagram,
    }

    /// <summary>File formats of a picture.</summary>
    public enum PlotFormat
    {
        /// <summary>Portable Network Graphics (raster).</summary>
        Png,
        /// <summary>Scalable Vector Graphics (text, one element per mark).</summary>
        Svg,
    }

    /// <summary>Size, title and scale of a picture.</summary>
    public sealed class PlotOptions
    {
        /// <summary>Width in pixels. Default 800.</summary>
        public int Width { get; set; } = 800;

        /// <summary>Height in pixels. Default 600.</summary>
        public int Height { get; set; } = 600;

        /// <summary>A title replacing the picture's own; null keeps the default title.</summary>
        public string Title { get; set; }

        /// <summary>Draw losses on a logarithmic axis.</summary>
        public bool LogScale { get; set; }

        /// <summary>PNG or SVG.</summary>
        public PlotFormat Format { get; set; } = PlotFormat.Png;

        /// <summary>The title to use: the user's, or the given default.</summary>
        internal string TitleOr(string fallback) => string.IsNullOrEmpty(Title) ? fallback : Title;

        /// <summary>The format that fits a file name (.png or .svg), or null.</summary>
        public static PlotFormat? FormatOf(string path)
        {
            string ext = System.IO.Path.GetExtension(path ?? "");
            if (string.Equals(ext, ".png", StringComparison.OrdinalIgnoreCase)) return PlotFormat.Png;
            if (string.Equals(ext, ".svg", StringComparison.OrdinalIgnoreCase)) return PlotFormat.Svg;
            return null;
        }
    }
}
