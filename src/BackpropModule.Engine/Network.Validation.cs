using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using BackpropModule.Engine.Losses;
using BackpropModule.Engine.Tensors;

// Input and target checks: every public entry point validates before it touches a parameter.
namespace BackpropModule.Engine
{
    public sealed partial class Network
    {
        /// <summary>Checks that x is a non-empty, finite batch of the right width.</summary>
        /// <exception cref="BackpropException">It is not.</exception>
        public void CheckInput(Tensor x)
        {
            if (x == null || x.Rows == 0 || x.Columns == 0)
                throw new BackpropException(ErrorIds.InputEmpty, ErrorKind.InvalidData, x, "The input holds no samples.");
            if (x.Columns != InputSize)
                throw new BackpropException(ErrorIds.InputShapeMismatch, ErrorKind.InvalidData, x,
                    $"The input has {x.Columns} features per sample (shape {x.Shape}); this network's first layer takes {InputSize}.");
            var bad = x.FindNonFinite();
            if (bad != null)
                throw new BackpropException(ErrorIds.InputNotFinite, ErrorKind.InvalidData, x,
                    $"The input is NaN or infinite at row {bad.Value.Row}, column {bad.Value.Column}.");
        }

        /// <summary>
        /// Validates a target for a batch of n samples and returns it as an n × outputs tensor.
        /// A softmax network with several outputs also takes an n × 1 column of class indices,
        /// which becomes one-hot rows.
        /// </summary>
        /// <exception cref="BackpropException">Wrong shape, class index out of range, or not finite.</exception>
        public Tensor PrepareTarget(Tensor t, int n)
        {
            if (t == null) throw new ArgumentNullException(nameof(t));
            var bad = t.FindNonFinite();
            if (bad != null)
                throw new BackpropException(ErrorIds.TargetNotFinite, ErrorKind.InvalidData, t,
                    $"The target is NaN or infinite at row {bad.Value.Row}, column {bad.Value.Column}.");
            if (Output == OutputKind.Softmax && OutputSize > 1 && t.Columns == 1 && t.Rows == n)
                return OneHot(t);
            if (t.Rows != n || t.Columns != OutputSize)
                throw new BackpropException(ErrorIds.TargetShapeMismatch, ErrorKind.InvalidData, t,
                    $"The target is {t.Shape}; for {n} sample(s) this network needs {n}x{OutputSize}" +
                    (Output == OutputKind.Softmax && OutputSize > 1 ? $" (one-hot rows) or {n}x1 (class indices 0..{OutputSize - 1})." : "."));
            return t;
        }

        private Tensor OneHot(Tensor indices)
        {
            var hot = new Tensor(indices.Rows, OutputSize);
            for (int r = 0; r < indices.Rows; r++)
            {
                double v = indices.Data[r];
                if (v != Math.Floor(v) || v < 0 || v >= OutputSize)
                    throw new BackpropException(ErrorIds.TargetClassOutOfRange, ErrorKind.InvalidData, indices,
                        $"Target row {r} is class {v.ToString(CultureInfo.InvariantCulture)}; this network has classes 0..{OutputSize - 1}.");
                hot.Data[r + (int)v * indices.Rows] = 1.0;
            }
            return hot;
        }
    }
}
