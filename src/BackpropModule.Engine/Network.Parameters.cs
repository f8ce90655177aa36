using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using BackpropModule.Engine.Layers;
using BackpropModule.Engine.Losses;
using BackpropModule.Engine.Tensors;

// Setting parameter values from outside: all-or-nothing, shape- and finiteness-checked, one version step.
namespace BackpropModule.Engine
{
    public sealed partial class Network
    {
        /// <summary>
        /// Replaces the values of one or more parameters (by name: W1, b1, …; case-insensitive) and, for a network
        /// with BatchNorm, running statistics (RunningMeanK, RunningVarianceK).
        /// Everything is validated before anything is copied, so on refusal the network is bit for
        /// bit unchanged; on success <see cref="Version"/> increments once.
        /// </summary>
        /// <exception cref="BackpropException">ParameterNotFound, ParameterDuplicate, ParameterShapeMismatch, ParameterNotFinite or RunningStatisticsInvalid.</exception>
        public void SetParameters(IReadOnlyList<KeyValuePair<string, Tensor>> values)
        {
            if (values == null) throw new ArgumentNullException(nameof(values));
            var statistics = CheckStatistics(values.Where(v => IsStatisticName(v.Key)));
            var targets = new Parameter[values.Count];
            for (int i = 0; i < values.Count; i++)
            {
                string name = values[i].Key;
                if (IsStatisticName(name)) continue;
                Parameter p = FindParameter(name) ?? throw new BackpropException(ErrorIds.ParameterNotFound, ErrorKind.ObjectNotFound, name,
                    $"The network has no parameter '{name}'; it has {string.Join(", ", parameters.Select(q => q.Name))}"
                    + string.Concat(batchNormLayers.Select(b => $", {b.RunningMeanName}, {b.RunningVarianceName}")) + ".");
                if (Array.IndexOf(targets, p) >= 0)
                    throw new BackpropException(ErrorIds.ParameterDuplicate, ErrorKind.InvalidArgument, name, $"Parameter {p.Name} is given twice.");
                CheckValue(p.Name, values[i].Value, p.Value.Rows, p.Value.Columns);
                targets[i] = p;
            }
            for (int i = 0; i < targets.Length; i++)
                if (targets[i] != null) Array.Copy(values[i].Value.Data, targets[i].Value.Data, targets[i].Value.Count);
            WriteStatistics(statistics);
            // Running statistics change what an inference pass gives, so they make older passes stale too.
            if (values.Count > 0) Version++;
        }

        /// <summary>
        /// A network whose parameters are the given values (W1, b1, …, WL, bL, all of them; copied).
        /// The layer sizes are read from the shapes: W1 is inputs × units1, Wi is unitsᵢ₋₁ × unitsᵢ,
        /// bi is 1 × unitsᵢ. With <paramref name="layerSizes"/>, the shapes must match them too.
        /// gammaK and betaK (both, 1 × unitsₖ) put BatchNorm in hidden block K, its running statistics 0 and 1 unless
        /// RunningMeanK and RunningVarianceK (1 × unitsₖ, finite, the variance ≥ 0; either may be given alone) say otherwise;
        /// <paramref name="dropout"/> gives the hidden blocks' dropout rates as New-Network -Dropout does.
        /// </summary>
        /// <exception cref="BackpropException">ParameterMissing, ParameterNotFound, ParameterDuplicate, ParameterShapeMismatch,
        /// ParameterNotFinite, RunningStatisticsInvalid, DropoutRateInvalid or LayerOptionsMismatch.</exception>
        public static Network FromValues(IReadOnlyList<KeyValuePair<string, Tensor>> values, ActivationKind activation, OutputKind output,
            IReadOnlyList<int> layerSizes = null, IReadOnlyList<double> dropout = null)
        {
            if (values == null) throw new ArgumentNullException(nameof(values));
            var byName = new Dictionary<string, Tensor>(StringComparer.OrdinalIgnoreCase);
            var norm = new Dictionary<string, Tensor>(StringComparer.OrdinalIgnoreCase);
            var statistics = new List<KeyValuePair<string, Tensor>>();
            foreach (var kv in values)
            {
                if (IsStatisticName(kv.Key))
                {
                    statistics.Add(new KeyValuePair<string, Tensor>(kv.Key, kv.Value ?? throw new BackpropException(
                        ErrorIds.ParameterValueNotConvertible, ErrorKind.InvalidArgument, kv.Key, $"The value of {kv.Key} is null.")));
                    continue;
                }
                bool normName = NormBlock(kv.Key) > 0;
                if (!IsParameterName(kv.Key) && !normName)
                    throw new BackpropException(ErrorIds.ParameterNotFound, ErrorKind.InvalidArgument, kv.Key,
                        $"'{kv.Key}' is not a parameter name; use W1, b1, W2, b2, … (weights Wi, biases bi, layers numbered from 1), and gammaK, betaK (RunningMeanK, RunningVarianceK) for BatchNorm.");
                var into = normName ? norm : byName;
                if (into.ContainsKey(kv.Key))
                    throw new BackpropException(ErrorIds.ParameterDuplicate, ErrorKind.InvalidArgument, kv.Key, $"Parameter {kv.Key} is given twice.");
                into.Add(kv.Key, kv.Value ?? throw new BackpropException(ErrorIds.ParameterValueNotConvertible, ErrorKind.InvalidArgument, kv.Key, $"The value of {kv.Key} is null."));
            }
            int layerCount = byName.Count / 2;
            if (layerCount == 0 || byName.Count % 2 != 0 || Enumerable.Range(1, layerCount).Any(i => !byName.ContainsKey("W" + i) || !byName.ContainsKey("b" + i)))
            {
                int l = Math.Max(1, (byName.Count + 1) / 2);
                string missing = string.Join(", ", Enumerable.Range(1, l).SelectMany(i => new[] { "W" + i, "b" + i }).Where(n => !byName.ContainsKey(n)));
                throw new BackpropException(ErrorIds.ParameterMissing, ErrorKind.InvalidArgument, values,
                    $"A network needs W1, b1, …, WL, bL with no gaps; got {string.Join(", ", byName.Keys)}" + (missing.Length > 0 ? $" (missing {missing})." : "."));
            }
            var sizes = new List<int> { byName["W1"].Rows };
            for (int i = 1; i <= layerCount; i++) sizes.Add(byName["W" + i].Columns);
            if (layerSizes != null && !layerSizes.SequenceEqual(sizes))
                throw new BackpropException(ErrorIds.ParameterShapeMismatch, ErrorKind.InvalidArgument, layerSizes,
                    $"-LayerSizes says {string.Join(",", layerSizes)}, but the weights' shapes say {string.Join(",", sizes)}.");
            var batchNorm = NormBlocks(norm, layerCount);
            var ordered = new List<Tensor>();
            for (int i = 1; i <= layerCount; i++)
            {
                CheckValue("W" + i, byName["W" + i], sizes[i - 1], sizes[i]);
                CheckValue("b" + i, byName["b" + i], 1, sizes[i]);
                ordered.Add(byName["W" + i]);
                ordered.Add(byName["b" + i]);
                if (i == layerCount || !batchNorm[i - 1]) continue;
                CheckValue("gamma" + i, norm["gamma" + i], 1, sizes[i]);
                CheckValue("beta" + i, norm["beta" + i], 1, sizes[i]);
                ordered.Add(norm["gamma" + i]);
                ordered.Add(norm["beta" + i]);
            }
            var rates = HiddenLayerOptions.Create(layerCount - 1, false, dropout).DropoutRates;
            var network = new Network(sizes, activation, output, ordered, WeightInitKind.Default, 0, new HiddenLayerOptions(batchNorm, rates)) { FromGivenValues = true };
            WriteStatistics(network.CheckStatistics(statistics));
            return network;
        }

        /// <summary>K for gammaK or betaK, else 0.</summary>
        private static int NormBlock(string name)
        {
            if (name == null) return 0;
            string digits = name.StartsWith("gamma", StringComparison.OrdinalIgnoreCase) ? name.Substring(5)
                : name.StartsWith("beta", StringComparison.OrdinalIgnoreCase) ? name.Substring(4) : null;
            return digits != null && digits.Length > 0 && int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out int k)
                && k >= 1 && digits == k.ToString(CultureInfo.InvariantCulture) ? k : 0;
        }

        /// <summary>Which hidden blocks have BatchNorm: those given both gammaK and betaK.</summary>
        private static bool[] NormBlocks(Dictionary<string, Tensor> norm, int layerCount)
        {
            var flags = new bool[layerCount - 1];
            foreach (string name in norm.Keys)
            {
                int k = NormBlock(name);
                if (k >= layerCount)
                    throw new BackpropException(ErrorIds.ParameterNotFound, ErrorKind.InvalidArgument, name,
                        $"{name} would normalise block {k}, but BatchNorm belongs to hidden blocks and this network's are 1..{layerCount - 1}.");
                string other = name.StartsWith("gamma", StringComparison.OrdinalIgnoreCase) ? "beta" + k : "gamma" + k;
                if (!norm.ContainsKey(other))
                    throw new BackpropException(ErrorIds.ParameterMissing, ErrorKind.InvalidArgument, name,
                        $"BatchNorm in block {k} needs both gamma{k} and beta{k}; {other} is missing.");
                flags[k - 1] = true;
            }
            return flags;
        }

        /// <summary>True when the parameters were given (New-Network -Parameters) rather than drawn.</summary>
        public bool FromGivenValues { get; private set; }

        private static bool IsParameterName(string name) =>
            name != null && name.Length >= 2 && (name[0] == 'W' || name[0] == 'w' || name[0] == 'b' || name[0] == 'B')
            && int.TryParse(name.Substring(1), NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= 1
            && name.Substring(1) == n.ToString(CultureInfo.InvariantCulture);

        private static void CheckValue(string name, Tensor value, int rows, int columns)
        {
            if (value == null)
                throw new BackpropException(ErrorIds.ParameterValueNotConvertible, ErrorKind.InvalidArgument, name, $"The value of {name} is null.");
            if (value.Rows != rows || value.Columns != columns)
                throw new BackpropException(ErrorIds.ParameterShapeMismatch, ErrorKind.InvalidData, value,
                    $"{name} must be {rows}x{columns}; the value given is {value.Shape}." +
                    (rows == 1 && value.Columns == 1 && value.Rows == columns ? " (A bias is one row: pass it as a flat array or a 1-row table.)" : ""));
            var bad = value.FindNonFinite();
            if (bad != null)
                throw new BackpropException(ErrorIds.ParameterNotFinite, ErrorKind.InvalidData, value,
                    $"{name} is NaN or infinite at row {bad.Value.Row}, column {bad.Value.Column}; nothing was changed.");
        }
    }
}
