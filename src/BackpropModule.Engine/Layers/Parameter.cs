using BackpropModule.Engine.Tensors;

namespace BackpropModule.Engine.Layers
{
    /// <summary>
    /// A named learnable matrix (<c>W1</c>, <c>b1</c>, …). Optimizers change <see cref="Value"/> in
    /// place, so everything holding the network sees each update.
    /// </summary>
    public sealed class Parameter
    {
        internal Parameter(string name, int layer, Tensor value)
        {
            Name = name;
            Layer = layer;
            Value = value;
        }

        /// <summary>Name, e.g. <c>W1</c> or <c>b2</c>; the gradient's name adds a leading <c>d</c>.</summary>
        public string Name { get; }

        /// <summary>1-based index of the layer that owns it.</summary>
        public int Layer { get; }

        /// <summary>The values (shared, updated in place).</summary>
        public Tensor Value { get; }

        /// <summary>The shape as text.</summary>
        public string Shape => Value.Shape;

        /// <summary>Name of the matching gradient, e.g. <c>dW1</c>.</summary>
        public string GradientName => "d" + Name;

        /// <inheritdoc/>
        public override string ToString() => Name + " " + Shape;
    }
}
