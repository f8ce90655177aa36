using BackpropModule.Engine.Randomness;

namespace BackpropModule.Engine.Layers
{
    /// <summary>
    /// Inverted dropout: in training each unit is kept with probability 1 − p and scaled by 1/(1 − p),
    /// so the expected output equals the input and inference needs no rescaling (dropout is then the
    /// identity). Forward y = z ⊙ mask; backward dz = dy ⊙ mask, with mask ∈ {0, 1/(1 − p)}.
    /// </summary>
    public static class DropoutMask
    {
        /// <summary>
        /// Fills mask[0..count) in element order (column-major: down each unit's column) from the generator:
        /// 0 where u &lt; p (u uniform in [0, 1)), else 1/(1 − p).
        /// </summary>
        public static void Draw(SeededRandom rng, double rate, double[] mask, int count)
        {
            double keep = 1.0 / (1.0 - rate);
            for (int i = 0; i < count; i++) mask[i] = rng.NextDouble() < rate ? 0.0 : keep;
        }

        /// <summary>y = z ⊙ mask (also the backward dz = dy ⊙ mask).</summary>
        public static void Apply(double[] z, double[] mask, double[] y, int count)
        {
            for (int i = 0; i < count; i++) y[i] = z[i] * mask[i];
        }

        /// <summary>
        /// The seed of one training batch's masks, from the generator state its epoch's order was drawn from,
        /// the epoch and the batch (SplitMix64 finalisers), so a resumed run draws the same masks.
        /// </summary>
        public static long BatchSeed(long epochSeed, long batch) => unchecked((long)Mix((ulong)epochSeed ^ Mix((ulong)batch + 0x632BE59BD9B4E019UL)));

        /// <summary>The per-epoch base of <see cref="BatchSeed"/>: a hash of the generator state and the epoch number.</summary>
        public static long EpochSeed(ulong[] state, int epoch)
        {
            ulong h = Mix((ulong)epoch);
            if (state != null) foreach (ulong s in state) h = Mix(h ^ s);
            return unchecked((long)h);
        }

        private static ulong Mix(ulong z)
        {
            unchecked
            {
                z += 0x9E3779B97F4A7C15UL;
                z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
                z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
                return z ^ (z >> 31);
            }
        }
    }
}
