using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using BackpropModule.Engine.Layers;
using BackpropModule.Engine.Tensors;

// Running statistics by name (RunningMeanK, RunningVarianceK): what New-Network -Parameters and
// Set-NetworkParameter accept besides the parameters, so a BatchNorm network can be rebuilt from
// its Excel sheets or a tutorial's numbers. They are not parameters: no optimizer sees them.
namespace BackpropModule.Engine
{
    public sealed partial class Network
    {
        /// <summary>True for RunningMeanK or RunningVarianceK (any case, K ≥ 1 written without leading zeros).</summary>
        internal static bool IsStatisticName(string name) => StatisticBlock(name, out _) > 0;

        /// <summary>K for RunningMeanK or RunningVarianceK, else 0; <paramref name="isVariance"/> tells which.</summary>
        internal static int StatisticBlock(string name, out bool isVariance)
        {
            isVariance = false;
            if (name == null) return 0;
            string digits;
            if (name.StartsWith("RunningVariance", StringComparison.OrdinalIgnoreCase)) { digits = name.Substring(15); isVariance = true; }
            else if (name.StartsWith("RunningMean", StringComparison.OrdinalIgnoreCase)) digits = name.Substring(11);
            else return 0;
            return digits.Length > 0 && int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out int k)
                && k >= 1 && digits == k.ToString(CultureInfo.InvariantCulture) ? k : 0;
        }

        /// <summary>
        /// Checks running statistics given by name against this network and returns, per BatchNorm layer that
        /// gets any, the (mean, variance) pair to set, the one not given being the current value. Nothing is changed.
        /// </summary>
        /// <exception cref="BackpropException">ParameterDuplicate, or RunningStatisticsInvalid (no BatchNorm in that block,
        /// a wrong shape, a non-finite value or a negative variance).</exception>
        internal List<(BatchNormLayer Layer, Tensor Mean, Tensor Variance)> CheckStatistics(IEnumerable<KeyValuePair<string, Tensor>> values)
        {
            var given = new Dictionary<int, (Tensor Mean, Tensor Variance)>();
            foreach (var kv in values)
            {
                int k = StatisticBlock(kv.Key, out bool isVariance);
                var bn = batchNormLayers.FirstOrDefault(b => b.Block == k);
                if (bn == null)
                    throw new BackpropException(ErrorIds.RunningStatisticsInvalid, ErrorKind.InvalidArgument, kv.Key,
                        $"{kv.Key} is for the BatchNorm of block {k}, but " + (batchNormLayers.Length == 0
                            ? "this network has no BatchNorm."
                            : $"the blocks with BatchNorm are {string.Join(", ", batchNormLayers.Select(b => b.Block))}."));
                given.TryGetValue(k, out var pair);
                if ((isVariance ? pair.Variance : pair.Mean) != null)
                    throw new BackpropException(ErrorIds.ParameterDuplicate, ErrorKind.InvalidArgument, kv.Key, $"{kv.Key} is given twice.");
                given[k] = isVariance ? (pair.Mean, kv.Value) : (kv.Value, pair.Variance);
            }
            var result = new List<(BatchNormLayer, Tensor, Tensor)>();
            foreach (var entry in given.OrderBy(e => e.Key))
            {
                var bn = batchNormLayers.First(b => b.Block == entry.Key);
                var mean = entry.Value.Mean ?? bn.RunningMean;
                var variance = entry.Value.Variance ?? bn.RunningVariance;
                CheckStatistic(bn.RunningMeanName, mean, bn.Units, false);
                CheckStatistic(bn.RunningVarianceName, variance, bn.Units, true);
                result.Add((bn, mean, variance));
            }
            return result;
        }

        /// <summary>Shape, finiteness and (for a variance) sign of one running statistic.</summary>
        private static void CheckStatistic(string name, Tensor t, int units, bool isVariance)
        {
            if (t == null || t.Rows != 1 || t.Columns != units)
                throw new BackpropException(ErrorIds.RunningStatisticsInvalid, ErrorKind.InvalidData, t,
                    $"{name} must be 1x{units}; got {t?.Shape ?? "nothing"}.");
            if (t.FindNonFinite() != null || (isVariance && t.Data.Any(v => v < 0)))
                throw new BackpropException(ErrorIds.RunningStatisticsInvalid, ErrorKind.InvalidData, t,
                    $"{name} must be finite" + (isVariance ? " and not negative." : "."));
        }

        /// <summary>Copies checked statistics in (see <see cref="CheckStatistics"/>).</summary>
        internal static void WriteStatistics(IEnumerable<(BatchNormLayer Layer, Tensor Mean, Tensor Variance)> checkedValues)
        {
            foreach (var (bn, mean, variance) in checkedValues)
            {
                if (!ReferenceEquals(mean, bn.RunningMean)) mean.CopyTo(bn.RunningMean);
                if (!ReferenceEquals(variance, bn.RunningVariance)) variance.CopyTo(bn.RunningVariance);
            }
        }
    }
}
