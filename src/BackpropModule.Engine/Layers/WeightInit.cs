using System;
using BackpropModule.Engine.Randomness;
using BackpropModule.Engine.Tensors;

namespace BackpropModule.Engine.Layers
{
    /// <summary>How the biases start.</summary>
    public enum BiasInitKind
    {
        /// <summary>b = 0 (the default, as in most tutorials).</summary>
        Zero,
        /// <summary>b = scale · N(0, 1), drawn right after the layer's weights (tutorial 003's 0.01·randn).</summary>
        Normal,
    }

    /// <summary>How the weights are drawn; biases follow <see cref="BiasInitKind"/>.</summary>
    public enum WeightInitKind
    {
        /// <summary>He for ReLU, Xavier for Sigmoid and Tanh.</summary>
        Default,
        /// <summary>W = scale · N(0, 1), the classic 0.01·randn (scale from -WeightScale).</summary>
        Normal,
        /// <summary>W = N(0, 1) / √fan_in (Glorot/Xavier as used with sigmoid and tanh).</summary>
        Xavier,
        /// <summary>W = N(0, 1) · √(2 / fan_in) (He et al. 2015, for ReLU).</summary>
        He,
    }

    /// <summary>Draws initial weights from a seeded generator.</summary>
    public static class WeightInit
    {
        /// <summary>The kind <see cref="WeightInitKind.Default"/> stands for with this activation.</summary>
        public static WeightInitKind Resolve(WeightInitKind kind, ActivationKind activation)
        {
            if (kind != WeightInitKind.Default) return kind;
            return activation == ActivationKind.ReLU ? WeightInitKind.He : WeightInitKind.Xavier;
        }

        /// <summary>Standard deviation for a layer with fanIn inputs.</summary>
        public static double StandardDeviation(WeightInitKind kind, int fanIn, double scale)
        {
            switch (kind)
            {
                case WeightInitKind.Normal: return scale;
                case WeightInitKind.Xavier: return 1.0 / Math.Sqrt(fanIn);
                case WeightInitKind.He: return Math.Sqrt(2.0 / fanIn);
                default: throw new ArgumentOutOfRangeException(nameof(kind), kind, "Resolve the kind first.");
            }
        }

        /// <summary>A fanIn × fanOut weight matrix; values are drawn row by row (input by input).</summary>
        public static Tensor Draw(SeededRandom rng, int fanIn, int fanOut, double std)
        {
            var w = new Tensor(fanIn, fanOut);
            double[] d = w.Data;
            for (int r = 0; r < fanIn; r++)
                for (int c = 0; c < fanOut; c++) d[r + c * fanIn] = std * rng.NextNormal();
            return w;
        }
    }
}
