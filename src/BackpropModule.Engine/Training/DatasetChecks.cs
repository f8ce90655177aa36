using System.Numerics;
using BackpropModule.Engine.Data;
using BackpropModule.Engine.Tensors;

namespace BackpropModule.Engine.Training
{
    /// <summary>Checks that a dataset fits a network, and cheap finiteness scans for the training loop.</summary>
    public static class DatasetChecks
    {
        /// <summary>Throws unless the dataset has samples, one feature per network input, one target per output, and only finite values.</summary>
        /// <exception cref="BackpropException">DatasetEmpty, DatasetFeatureMismatch, DatasetTargetMismatch or DatasetNotFinite, with the dataset as target.</exception>
        public static void CheckFits(Network network, Dataset data, string role)
        {
            if (data == null) throw new System.ArgumentNullException(nameof(data));
            if (data.Count == 0)
                throw new BackpropException(ErrorIds.DatasetEmpty, ErrorKind.InvalidData, data, $"The {role} data '{data.Name}' holds no samples.");
            if (data.FeatureCount != network.InputSize)
                throw new BackpropException(ErrorIds.DatasetFeatureMismatch, ErrorKind.InvalidData, data,
                    $"The {role} data '{data.Name}' has {data.FeatureCount} features per sample; the network {network.Architecture} takes {network.InputSize} inputs.");
            if (data.TargetWidth != network.OutputSize)
                throw new BackpropException(ErrorIds.DatasetTargetMismatch, ErrorKind.InvalidData, data,
                    $"The {role} data '{data.Name}' has " + (data.IsClassification ? $"{data.ClassCount} classes" : $"{data.TargetWidth} target values") +
                    $" per sample; the network {network.Architecture} has {network.OutputSize} outputs.");
            if (!data.Store.AllFinite())
                throw new BackpropException(ErrorIds.DatasetNotFinite, ErrorKind.InvalidData, data, $"The {role} data '{data.Name}' has NaN or infinite features.");
            if (!AllFinite(data.Targets))
                throw new BackpropException(ErrorIds.DatasetNotFinite, ErrorKind.InvalidData, data, $"The {role} data '{data.Name}' has NaN or infinite targets.");
        }

        /// <summary>True when every value is finite. Sums x − x, which is 0 for finite x and NaN for ±∞ or NaN, a vector at a time.</summary>
        /// <remarks>
        /// The training loop runs this over every gradient before each step, so it is kept cheap: four
        /// independent vector sums let the additions overlap instead of each waiting for the one before
        /// (a single running sum is bound by the latency of the add). Any NaN reaches the final sum
        /// whichever partial sum it lands in, so the answer does not depend on how the values are split.
        /// </remarks>
        public static bool AllFinite(double[] d)
        {
            int w = Vector<double>.Count, i = 0, n = d.Length;
            Vector<double> a0 = Vector<double>.Zero, a1 = a0, a2 = a0, a3 = a0;
            for (; i <= n - 4 * w; i += 4 * w)
            {
                var v0 = new Vector<double>(d, i);
                var v1 = new Vector<double>(d, i + w);
                var v2 = new Vector<double>(d, i + 2 * w);
                var v3 = new Vector<double>(d, i + 3 * w);
                a0 += v0 - v0; a1 += v1 - v1; a2 += v2 - v2; a3 += v3 - v3;
            }
            for (; i <= n - w; i += w)
            {
                var v = new Vector<double>(d, i);
                a0 += v - v;
            }
            var acc = (a0 + a1) + (a2 + a3);
            double s = 0;
            for (; i < n; i++) s += d[i] - d[i];
            for (int k = 0; k < w; k++) s += acc[k];
            return s == 0;
        }

        /// <summary>True when every tensor holds only finite values.</summary>
        public static bool AllFinite(System.Collections.Generic.IReadOnlyList<Tensor> tensors)
        {
            for (int i = 0; i < tensors.Count; i++) if (!AllFinite(tensors[i].Data)) return false;
            return true;
        }
    }
}
