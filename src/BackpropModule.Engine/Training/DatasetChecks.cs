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
            if (!AllFinite(data.Features))
                throw new BackpropException(ErrorIds.DatasetNotFinite, ErrorKind.InvalidData, data, $"The {role} data '{data.Name}' has NaN or infinite features.");
            if (!AllFinite(data.Targets))
                throw new BackpropException(ErrorIds.DatasetNotFinite, ErrorKind.InvalidData, data, $"The {role} data '{data.Name}' has NaN or infinite targets.");
        }

        /// <summary>True when every value is finite. Sums x − x, which is 0 for finite x and NaN for ±∞ or NaN, a vector at a time.</summary>
        public static bool AllFinite(double[] d)
        {
            int w = Vector<double>.Count, i = 0;
            var acc = Vector<double>.Zero;
            for (; i <= d.Length - w; i += w)
            {
                var v = new Vector<double>(d, i);
                acc += v - v;
            }
            double s = 0;
            for (; i < d.Length; i++) s += d[i] - d[i];
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
