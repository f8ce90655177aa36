using System;
using BackpropModule.Engine.Kernels;
using BackpropModule.Engine.Tensors;

namespace BackpropModule.Engine.Layers
{
    /// <summary>The hidden-layer nonlinearities.</summary>
    public enum ActivationKind
    {
        /// <summary>z = max(0, a); dz/da = 1 where a &gt; 0, else 0.</summary>
        ReLU,
        /// <summary>z = 1 / (1 + e^−a); dz/da = z(1 − z).</summary>
        Sigmoid,
        /// <summary>z = tanh a; dz/da = 1 − z².</summary>
        Tanh,
    }

    /// <summary>
    /// An elementwise function z = f(a). Stateless: forward reads a and writes z; backward reads
    /// a, z and the upstream gradient dz and writes da. Neither mutates its inputs.
    /// </summary>
    public interface IActivation
    {
        /// <summary>Display name, e.g. <c>ReLU</c>.</summary>
        string Name { get; }

        /// <summary>z = f(a), elementwise.</summary>
        void Forward(Tensor a, Tensor z);

        /// <summary>da = dz ⊙ f′(a), elementwise.</summary>
        void Backward(Tensor a, Tensor z, Tensor dz, Tensor da);
    }

    /// <summary>Creates activation objects by kind.</summary>
    public static class Activations
    {
        /// <summary>The activation for a kind.</summary>
        public static IActivation Create(ActivationKind kind)
        {
            switch (kind)
            {
                case ActivationKind.ReLU: return new ReLU();
                case ActivationKind.Sigmoid: return new Sigmoid();
                case ActivationKind.Tanh: return new Tanh();
                default: throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown activation.");
            }
        }

        /// <summary>Logistic function without overflow: for a &lt; 0 it is computed as e^a / (1 + e^a).</summary>
        /// <remarks>NOTE: e^−a overflows for a &lt; −709; this form only ever exponentiates a non-positive number.</remarks>
        public static double Logistic(double a)
        {
            if (a >= 0) return 1.0 / (1.0 + Math.Exp(-a));
            double e = Math.Exp(a);
            return e / (1.0 + e);
        }

        internal static void CheckSameShape(Tensor x, Tensor y, string what)
        {
            if (x.Rows != y.Rows || x.Columns != y.Columns)
                throw new ArgumentException($"{what}: shapes {x.Shape} and {y.Shape} differ.");
        }
    }

    /// <summary>ReLU: z = max(0, a);  da = dz where a &gt; 0, else 0 (the kink at 0 takes gradient 0).</summary>
    public sealed class ReLU : IActivation
    {
        public string Name => "ReLU";

        public void Forward(Tensor a, Tensor z)
        {
            Activations.CheckSameShape(a, z, Name);
            VectorMath.Relu(a.Data, z.Data, a.Count);
        }

        public void Backward(Tensor a, Tensor z, Tensor dz, Tensor da)
        {
            Activations.CheckSameShape(a, dz, Name);
            Activations.CheckSameShape(a, da, Name);
            VectorMath.ReluBackward(a.Data, dz.Data, da.Data, a.Count);
        }
    }

    /// <summary>Sigmoid: z = 1 / (1 + e^−a);  da = dz ⊙ z(1 − z).</summary>
    public sealed class Sigmoid : IActivation
    {
        public string Name => "Sigmoid";

        public void Forward(Tensor a, Tensor z)
        {
            Activations.CheckSameShape(a, z, Name);
            double[] x = a.Data, y = z.Data;
            for (int i = 0; i < x.Length; i++) y[i] = Activations.Logistic(x[i]);
        }

        public void Backward(Tensor a, Tensor z, Tensor dz, Tensor da)
        {
            Activations.CheckSameShape(z, dz, Name);
            Activations.CheckSameShape(z, da, Name);
            VectorMath.SigmoidBackward(z.Data, dz.Data, da.Data, z.Count);
        }
    }

    /// <summary>Tanh: z = tanh a;  da = dz ⊙ (1 − z²).</summary>
    public sealed class Tanh : IActivation
    {
        public string Name => "Tanh";

        public void Forward(Tensor a, Tensor z)
        {
            Activations.CheckSameShape(a, z, Name);
            double[] x = a.Data, y = z.Data;
            for (int i = 0; i < x.Length; i++) y[i] = Math.Tanh(x[i]);
        }

        public void Backward(Tensor a, Tensor z, Tensor dz, Tensor da)
        {
            Activations.CheckSameShape(z, dz, Name);
            Activations.CheckSameShape(z, da, Name);
            VectorMath.TanhBackward(z.Data, dz.Data, da.Data, z.Count);
        }
    }
}
