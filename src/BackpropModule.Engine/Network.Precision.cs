using System;
using System.Globalization;

namespace BackpropModule.Engine
{
    /// <summary>The arithmetic training runs in.</summary>
    public enum NumericPrecision
    {
        /// <summary>IEEE 754 double precision (53-bit significand), the default.</summary>
        Double,
        /// <summary>
        /// IEEE 754 single precision (24-bit significand): Start-Training computes batches, gradients and
        /// optimizer steps in float, about twice as fast. Parameters stay stored as doubles that hold float values.
        /// </summary>
        Single,
    }

    // A network's precision: how Start-Training computes by default. Storage is always double.
    public sealed partial class Network
    {
        /// <summary>
        /// The precision Start-Training uses for this network unless told otherwise. Parameters are always
        /// stored as doubles; a Single network's values are floats widened exactly (set by
        /// <see cref="SetPrecision"/> and by every single-precision training run). Set-NetworkParameter and
        /// Update-Network work in double and may store values that are not floats; the next single-precision
        /// run rounds them when it starts.
        /// </summary>
        public NumericPrecision Precision { get; private set; }

        /// <summary>
        /// Sets the precision; Single also rounds every parameter to the nearest float (round to nearest,
        /// ties to even), so the stored values are what a single-precision run starts from.
        /// </summary>
        /// <exception cref="ArgumentOutOfRangeException">Not a defined precision.</exception>
        /// <exception cref="BackpropException">PrecisionRangeExceeded: Single, and a parameter is beyond float's range (nothing is changed).</exception>
        public void SetPrecision(NumericPrecision precision)
        {
            if (precision != NumericPrecision.Double && precision != NumericPrecision.Single)
                throw new ArgumentOutOfRangeException(nameof(precision), precision, "Unknown precision.");
            if (precision == NumericPrecision.Single)
            {
                CheckSingleRange();
                RoundParametersToSingle();
            }
            Precision = precision;
        }

        /// <summary>
        /// The precision of a network being created (New-Network -Precision): as <see cref="SetPrecision"/>, but
        /// the rounding is part of creating it, so the version stays 0.
        /// </summary>
        internal void InitializePrecision(NumericPrecision precision)
        {
            long version = Version;
            SetPrecision(precision);
            Version = version;
        }

        /// <summary>PrecisionRangeExceeded when a parameter is beyond float's range: rounding would make it ±∞.</summary>
        private void CheckSingleRange()
        {
            foreach (var p in Parameters)
                foreach (double v in p.Value.Data)
                    if (Math.Abs(v) > float.MaxValue)
                        throw new BackpropException(ErrorIds.PrecisionRangeExceeded, ErrorKind.InvalidData, this,
                            $"Parameter {p.Name} holds {v.ToString("G6", CultureInfo.InvariantCulture)}, beyond the range of single precision (±3.4e38): " +
                            "rounded to float it would be infinite; nothing was changed. Keep the network in double precision.");
        }

        /// <summary>Restores a saved precision without touching the values (they are what was saved).</summary>
        internal void RestorePrecision(NumericPrecision precision) => Precision = precision;

        /// <summary>
        /// Rounds every parameter to the nearest float, in place. Counts as an update (the version steps)
        /// only when a value changed, so a network that already holds floats keeps its version.
        /// </summary>
        /// <returns>True when a value changed.</returns>
        internal bool RoundParametersToSingle()
        {
            bool changed = false;
            foreach (var p in Parameters)
            {
                double[] d = p.Value.Data;
                for (int i = 0; i < d.Length; i++)
                {
                    double r = (float)d[i];
                    // NOTE: compared by bits, not ==, so −0 and NaN payloads count as they are.
                    if (BitConverter.DoubleToInt64Bits(r) != BitConverter.DoubleToInt64Bits(d[i])) { d[i] = r; changed = true; }
                }
            }
            if (changed) MarkUpdated();
            return changed;
        }
    }
}
