using BackpropModule.Engine.Tensors;

namespace BackpropModule.Engine.Layers
{
    /// <summary>
    /// Affine: y = x·W + b.  Backward: dx = dout·Wᵀ, dW = xᵀ·dout, db = Σ rows of dout.
    /// Stateless apart from its parameters; the input x is read from the forward pass, never kept.
    /// </summary>
    public sealed class AffineLayer
    {
        internal AffineLayer(int index, Tensor w, Tensor b)
        {
            Index = index;
            W = new Parameter("W" + index, index, w);
            B = new Parameter("b" + index, index, b);
        }

        /// <summary>1-based position in the network.</summary>
        public int Index { get; }

        /// <summary>Weights, inputs × outputs.</summary>
        public Parameter W { get; }

        /// <summary>Bias, 1 × outputs.</summary>
        public Parameter B { get; }

        /// <summary>Number of inputs.</summary>
        public int Inputs => W.Value.Rows;

        /// <summary>Number of outputs.</summary>
        public int Outputs => W.Value.Columns;

        /// <summary>y = x·W + b.</summary>
        public void Forward(Tensor x, Tensor y)
        {
            TensorMath.MatMul(x, false, W.Value, false, y);
            TensorMath.AddRowVector(y, B.Value);
        }

        /// <summary>dW = xᵀ·dout, db = Σ rows of dout, and dx = dout·Wᵀ when dx is not null.</summary>
        public void Backward(Tensor x, Tensor dout, Tensor dW, Tensor db, Tensor dx)
        {
            TensorMath.MatMul(x, true, dout, false, dW);
            TensorMath.SumRows(dout, db);
            if (dx != null) TensorMath.MatMul(dout, false, W.Value, true, dx);
        }
    }
}
