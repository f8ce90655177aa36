using System.Linq;
using BackpropModule.Engine.Layers;
using BackpropModule.Engine.Losses;
using BackpropModule.Engine.Randomness;
using BackpropModule.Engine.Tensors;

namespace BackpropModule.Engine.Tests.Checking
{
    /// <summary>Seeded networks and batches for the gradient-check tests.</summary>
    internal static class CheckingFixtures
    {
        /// <summary>A network of the given sizes and a batch of n samples with a target that suits its output.</summary>
        public static (Network Net, Tensor X, Tensor T) Problem(int[] sizes, ActivationKind activation, OutputKind output, int n, long seed)
        {
            var net = new Network(sizes, activation, output, seed: seed);
            var rng = new SeededRandom(seed + 1);
            var x = new Tensor(n, sizes[0]);
            for (int r = 0; r < n; r++)
                for (int c = 0; c < sizes[0]; c++) x[r, c] = rng.NextNormal();
            int k = sizes[sizes.Length - 1];
            var t = new Tensor(n, k);
            for (int r = 0; r < n; r++)
            {
                if (output == OutputKind.Softmax) t[r, rng.NextInt(k)] = 1;
                else for (int c = 0; c < k; c++) t[r, c] = output == OutputKind.Sigmoid ? rng.NextInt(2) : rng.NextNormal();
            }
            return (net, x, t);
        }

        /// <summary>Copies of every parameter, to compare bit for bit after a check.</summary>
        public static Tensor[] Snapshot(Network net) => net.Parameters.Select(p => p.Value.Clone()).ToArray();

        /// <summary>True when every parameter has exactly the bits of the snapshot.</summary>
        public static bool Unchanged(Network net, Tensor[] snapshot) =>
            net.Parameters.Select((p, i) => p.Value.BitwiseEquals(snapshot[i])).All(b => b);
    }
}
