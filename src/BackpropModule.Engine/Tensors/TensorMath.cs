using System;
using BackpropModule.Engine.Kernels;

namespace BackpropModule.Engine.Tensors
{
    /// <summary>Shape-checked tensor products and reductions used by the layers. Results go into caller buffers.</summary>
    public static class TensorMath
    {
        /// <summary>c = op(a)·op(b) (+ c when accumulate). Shapes are checked; the message prints both.</summary>
        /// <exception cref="ArgumentException">The shapes do not fit.</exception>
        public static void MatMul(Tensor a, bool transA, Tensor b, bool transB, Tensor c, bool accumulate = false)
        {
            int m = transA ? a.Columns : a.Rows, k = transA ? a.Rows : a.Columns;
            int kb = transB ? b.Columns : b.Rows, n = transB ? b.Rows : b.Columns;
            if (k != kb || c.Rows != m || c.Columns != n)
                throw new ArgumentException($"Cannot multiply {(transA ? "(" + a.Shape + ")ᵀ" : a.Shape)} by {(transB ? "(" + b.Shape + ")ᵀ" : b.Shape)} into {c.Shape}.");
            Gemm.Multiply(transA, transB, m, n, k, 1.0, a.Data, Math.Max(1, a.Rows), b.Data, Math.Max(1, b.Rows),
                accumulate ? 1.0 : 0.0, c.Data, Math.Max(1, c.Rows));
        }

        /// <summary>Adds the 1 × n row vector b to every row of x, in place.</summary>
        public static void AddRowVector(Tensor x, Tensor b)
        {
            if (b.Rows != 1 || b.Columns != x.Columns) throw new ArgumentException($"Cannot add a {b.Shape} bias to {x.Shape}.");
            VectorMath.AddColumnBias(x.Data, x.Rows, x.Columns, b.Data);
        }

        /// <summary>sums[0, c] = Σ over rows of x[r, c] (overwrites sums).</summary>
        /// <remarks>NOTE: the rows are added in vector-wide partial sums, a fixed order that differs from left-to-right only by rounding.</remarks>
        public static void SumRows(Tensor x, Tensor sums)
        {
            if (sums.Rows != 1 || sums.Columns != x.Columns) throw new ArgumentException($"Cannot sum the rows of {x.Shape} into {sums.Shape}.");
            VectorMath.SumColumns(x.Data, x.Rows, x.Columns, sums.Data);
        }
    }
}
