using System;
using BackpropModule.Engine.Kernels;

namespace BackpropModule.Engine.Data
{
    /// <summary>
    /// The features of a dataset, row-major (sample after sample), held either as doubles or, for
    /// data that came as bytes (IDX pixels), as one byte code per value plus a 256-entry table of
    /// the doubles the codes stand for: 1 byte per pixel instead of 8 (Fashion-MNIST's 60,000
    /// training images take 47 MB instead of 376 MB). Rows are converted as they are gathered into
    /// a batch, through the same table, so training sees exactly the doubles a double store holds.
    /// </summary>
    /// <remarks>
    /// The first read of <see cref="Values"/> turns a compact store into a double one (the array
    /// users may write to is then the data training reads), so the public double[] view keeps its
    /// meaning; the training and evaluation paths never call it.
    /// </remarks>
    internal sealed class FeatureStore
    {
        private readonly object gate = new object();
        private volatile double[] values;
        private readonly byte[] codes;
        private readonly double[] table;

        /// <summary>A store around doubles (taken, not copied).</summary>
        public FeatureStore(double[] values)
        {
            this.values = values ?? throw new ArgumentNullException(nameof(values));
            Length = values.Length;
        }

        /// <summary>A compact store: value i is table[codes[i]] (both taken, not copied).</summary>
        public FeatureStore(byte[] codes, double[] table)
        {
            if (table == null || table.Length != 256) throw new ArgumentException("The code table needs 256 entries.", nameof(table));
            this.codes = codes ?? throw new ArgumentNullException(nameof(codes));
            this.table = table;
            Length = codes.Length;
        }

        /// <summary>Number of values.</summary>
        public int Length { get; }

        /// <summary>True while the values are held as byte codes.</summary>
        public bool IsCompact => values == null;

        /// <summary>The values as doubles; a compact store converts once and from then on holds doubles.</summary>
        public double[] Values
        {
            get
            {
                double[] v = values;
                if (v != null) return v;
                lock (gate)
                {
                    if (values != null) return values;
                    v = new double[codes.Length];
                    for (int i = 0; i < v.Length; i++) v[i] = table[codes[i]];
                    // The codes stay: a gather that read 'values' as null just before may still be using them.
                    values = v;
                    return v;
                }
            }
        }

        /// <summary>Value i.</summary>
        public double this[int i]
        {
            get
            {
                double[] v = values;
                return v != null ? v[i] : table[codes[i]];
            }
        }

        /// <summary>
        /// Rows order[start + r] (or start + r without an order) for r &lt; n, each <paramref name="width"/>
        /// values, copied to dst[r·width ..], converting codes on the way.
        /// </summary>
        /// <exception cref="ArgumentOutOfRangeException">A row is outside the data, or the rows do not fit dst.</exception>
        public void CopyRows(int[] order, int start, int n, int width, double[] dst)
        {
            double[] v = values;
            if (v != null) RowGather.Copy(v, order, start, n, width, dst);
            else RowGather.Decode(codes, table, order, start, n, width, dst);
        }

        /// <summary><see cref="CopyRows"/> into a float batch: each value rounded to float (codes through a float copy of the table).</summary>
        /// <exception cref="ArgumentOutOfRangeException">A row is outside the data, or the rows do not fit dst.</exception>
        public void CopyRowsSingle(int[] order, int start, int n, int width, float[] dst)
        {
            double[] v = values;
            if (v != null) RowGatherSingle.Copy(v, order, start, n, width, dst);
            else RowGatherSingle.Decode(codes, singleTable ?? (singleTable = Array.ConvertAll(table, x => (float)x)), order, start, n, width, dst);
        }

        private float[] singleTable;

        /// <summary>True when every value is finite (a table of finite values makes every code finite).</summary>
        public bool AllFinite()
        {
            double[] v = values;
            return Training.DatasetChecks.AllFinite(v ?? table);
        }

        /// <summary>The largest magnitude of any value (of the code table for a compact store), without converting codes.</summary>
        public double MaxAbs()
        {
            double[] v = values ?? table;
            double max = 0;
            for (int i = 0; i < v.Length; i++) max = Math.Max(max, Math.Abs(v[i]));
            return max;
        }

        /// <summary>The rows at the given indices (each checked), in that order, as a new store of the same kind.</summary>
        /// <exception cref="ArgumentOutOfRangeException">An index is outside 0..rows−1.</exception>
        public FeatureStore SelectRows(int[] indices, int width)
        {
            int rows = Length / width;
            foreach (int s in indices)
                if ((uint)s >= (uint)rows) throw new ArgumentOutOfRangeException(nameof(indices), $"Sample {s} is outside 0..{rows - 1}.");
            double[] v = values;
            if (v != null)
            {
                var f = new double[indices.Length * width];
                for (int i = 0; i < indices.Length; i++) Array.Copy(v, (long)indices[i] * width, f, (long)i * width, width);
                return new FeatureStore(f);
            }
            var c = new byte[indices.Length * width];
            for (int i = 0; i < indices.Length; i++) Array.Copy(codes, (long)indices[i] * width, c, (long)i * width, width);
            return new FeatureStore(c, table);
        }

        /// <summary>Rows start..start+count−1 as a new store of the same kind.</summary>
        public FeatureStore SliceRows(int start, int count, int width)
        {
            double[] v = values;
            if (v != null)
            {
                var f = new double[count * width];
                Array.Copy(v, (long)start * width, f, 0, f.Length);
                return new FeatureStore(f);
            }
            var c = new byte[count * width];
            Array.Copy(codes, (long)start * width, c, 0, c.Length);
            return new FeatureStore(c, table);
        }
    }
}
