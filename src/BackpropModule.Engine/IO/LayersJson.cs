using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using BackpropModule.Engine.Layers;
using BackpropModule.Engine.Tensors;

namespace BackpropModule.Engine.IO
{
    /// <summary>
    /// What format version 3 of the network file added, all optional:
    /// <c>"biasInit": "Normal", "biasScale": 0.01</c>;
    /// <c>"hiddenLayers": [ { "batchNorm": true, "dropout": 0.2 }, … ]</c>, one entry per hidden block
    /// (absent: no BatchNorm, no Dropout), which decides which parameters follow (W1, b1, gamma1, beta1, W2, …);
    /// and <c>"runningStatistics"</c>, the tensors RunningMean1, RunningVariance1, … (1 × units) of every
    /// BatchNorm layer in block order, required exactly when some block has BatchNorm.
    /// </summary>
    internal static class LayersJson
    {
        /// <summary>The name and shape a parameter must have in the file.</summary>
        internal struct Shape
        {
            public string Name;
            public long Rows, Columns;
        }

        internal static void WriteLayers(JsonWriter w, Network n)
        {
            w.Name(2, "biasInit", false).String(n.BiasInit.ToString());
            w.Name(2, "biasScale", false).Raw(TensorCodec.FormatScalar(n.BiasScale));
            if (!n.HasModes) return;
            w.Name(2, "hiddenLayers", false).Raw("[");
            var options = n.HiddenLayers;
            for (int i = 0; i < options.BatchNorm.Count; i++)
            {
                if (i > 0) w.Raw(",");
                w.Indent(3).Raw("{ ").String("batchNorm").Raw(": ").Raw(options.BatchNorm[i] ? "true" : "false").Raw(", ")
                 .String("dropout").Raw(": ").Raw(TensorCodec.FormatScalar(options.DropoutRates[i])).Raw(" }");
            }
            w.Indent(2).Raw("]");
        }

        /// <summary>The running statistics as named tensors, in the order the file holds them.</summary>
        internal static IReadOnlyList<KeyValuePair<string, Tensor>> Statistics(Network n) =>
            n.BatchNorm.SelectMany(bn => new[]
            {
                new KeyValuePair<string, Tensor>(bn.RunningMeanName, bn.RunningMean),
                new KeyValuePair<string, Tensor>(bn.RunningVarianceName, bn.RunningVariance),
            }).ToList();

        /// <summary>The hidden-layer options in the payload, or null (a plain network) when it has none.</summary>
        internal static HiddenLayerOptions ReadOptions(JsonFields p, int[] sizes, object target)
        {
            if (!p.Has("hiddenLayers")) return null;
            var items = p.Get("hiddenLayers", JsonKind.Array).Items;
            int hidden = sizes.Length - 2;
            if (items.Count != hidden)
                throw JsonFields.Invalid(target, $"payload.hiddenLayers has {items.Count} entries; layer sizes {string.Join(",", sizes)} make {hidden} hidden block(s).");
            var batchNorm = new bool[hidden];
            var rates = new double[hidden];
            for (int i = 0; i < hidden; i++)
            {
                string at = $"payload.hiddenLayers[{i}]";
                var f = new JsonFields(items[i], at, target, "batchNorm", "dropout");
                var flag = items[i].Members.FirstOrDefault(m => m.Key == "batchNorm").Value;
                if (flag == null) throw JsonFields.Invalid(target, $"{at} has no 'batchNorm'.");
                if (flag.Kind != JsonKind.True && flag.Kind != JsonKind.False)
                    throw JsonFields.Invalid(target, $"{at}.batchNorm must be true or false.");
                batchNorm[i] = flag.Kind == JsonKind.True;
                double rate = TensorCodec.ParseScalar(f.Get("dropout", JsonKind.Number), at + ".dropout", target);
                if (!(rate >= 0 && rate < 1))
                    throw JsonFields.Invalid(target, $"{at}.dropout is {rate.ToString(CultureInfo.InvariantCulture)}; a dropout rate is in [0, 1).");
                rates[i] = rate;
            }
            return new HiddenLayerOptions(batchNorm, rates);
        }

        /// <summary>Names and shapes of the parameters, in order, for these sizes and options.</summary>
        internal static List<Shape> ParameterShapes(int[] sizes, HiddenLayerOptions options)
        {
            var shapes = new List<Shape>();
            for (int i = 0; i + 1 < sizes.Length; i++)
            {
                string k = (i + 1).ToString(CultureInfo.InvariantCulture);
                shapes.Add(new Shape { Name = "W" + k, Rows = sizes[i], Columns = sizes[i + 1] });
                shapes.Add(new Shape { Name = "b" + k, Rows = 1, Columns = sizes[i + 1] });
                if (options != null && i + 2 < sizes.Length && options.BatchNorm[i])
                {
                    shapes.Add(new Shape { Name = "gamma" + k, Rows = 1, Columns = sizes[i + 1] });
                    shapes.Add(new Shape { Name = "beta" + k, Rows = 1, Columns = sizes[i + 1] });
                }
            }
            return shapes;
        }

        internal static void ReadBias(JsonFields p, Network network, object target)
        {
            if (p.Has("biasInit")) network.BiasInit = p.Enum<BiasInitKind>("biasInit");
            if (p.Has("biasScale"))
            {
                double scale = TensorCodec.ParseScalar(p.Get("biasScale", JsonKind.Number), "payload.biasScale", target);
                if (!(scale > 0) || double.IsInfinity(scale)) throw JsonFields.Invalid(target, "payload.biasScale must be a positive finite number.");
                network.BiasScale = scale;
            }
        }

        /// <summary>
        /// Reads the running statistics into the network: required when it has BatchNorm, refused when it has none;
        /// non-finite values and negative variances are refused (NetworkFileInvalid).
        /// </summary>
        internal static void ReadStatistics(JsonFields p, Network network, object target,
            Func<JsonValue, string, IReadOnlyList<string>, IReadOnlyList<long>, List<KeyValuePair<string, Tensor>>> readTensors)
        {
            const string where = "payload.runningStatistics";
            if (!network.HasBatchNorm)
            {
                if (p.Has("runningStatistics") && p.Get("runningStatistics", JsonKind.Array).Items.Count > 0)
                    throw JsonFields.Invalid(target, $"{where} is given, but no hidden block has BatchNorm.");
                return;
            }
            if (!p.Has("runningStatistics"))
                throw JsonFields.Invalid(target, $"payload has no 'runningStatistics'; blocks {string.Join(", ", network.BatchNorm.Select(b => b.Block))} have BatchNorm and need them.");
            var names = network.BatchNorm.SelectMany(b => new[] { b.RunningMeanName, b.RunningVarianceName }).ToList();
            var units = network.BatchNorm.SelectMany(b => new long[] { b.Units, b.Units }).ToList();
            var tensors = readTensors(p.Get("runningStatistics", JsonKind.Array), where, names, units);
            for (int k = 0; k < network.BatchNorm.Count; k++)
            {
                try { network.SetRunningStatistics(network.BatchNorm[k].Block, tensors[2 * k].Value, tensors[2 * k + 1].Value); }
                catch (BackpropException e) when (e.ErrorId == ErrorIds.RunningStatisticsInvalid)
                {
                    throw JsonFields.Invalid(target, $"{where}: {e.Message}");
                }
            }
        }
    }
}
