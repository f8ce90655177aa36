using System;

namespace BackpropModule.Engine.Randomness
{
    /// <summary>
    /// A seeded pseudo-random generator (xoshiro256**, state expanded from the seed with SplitMix64)
    /// whose output is the same on every run, runtime and platform.
    /// </summary>
    /// <remarks>
    /// System.Random is avoided on purpose: its seeded algorithm is an implementation detail of the
    /// runtime. Normal deviates use Marsaglia's polar method with <see cref="DeterministicMath.Log"/>,
    /// which is built from IEEE-754 basic operations only, so the weights a seed gives are identical
    /// bit for bit wherever the module runs. Instances are not thread-safe; nothing here is static.
    /// </remarks>
    public sealed class SeededRandom
    {
        private ulong s0, s1, s2, s3;
        private double spareNormal;
        private bool hasSpare;

        /// <summary>Creates a generator from a 64-bit seed.</summary>
        public SeededRandom(long seed)
        {
            Seed = seed;
            ulong x = unchecked((ulong)seed);
            s0 = SplitMix(ref x); s1 = SplitMix(ref x); s2 = SplitMix(ref x); s3 = SplitMix(ref x);
        }

        /// <summary>The seed this generator was created with.</summary>
        public long Seed { get; private set; }

        /// <summary>Starts the sequence of <paramref name="seed"/> again in this instance (as <c>new SeededRandom(seed)</c>, without allocating).</summary>
        public void Reseed(long seed)
        {
            Seed = seed;
            ulong x = unchecked((ulong)seed);
            s0 = SplitMix(ref x); s1 = SplitMix(ref x); s2 = SplitMix(ref x); s3 = SplitMix(ref x);
            hasSpare = false;
            spareNormal = 0;
        }

        /// <summary>Creates a seed from the clock and a GUID, for callers that gave none.</summary>
        public static int NewSeed()
        {
            byte[] g = Guid.NewGuid().ToByteArray();
            return BitConverter.ToInt32(g, 0) & int.MaxValue;
        }

        private static ulong SplitMix(ref ulong x)
        {
            unchecked
            {
                x += 0x9E3779B97F4A7C15UL;
                ulong z = x;
                z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
                z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
                return z ^ (z >> 31);
            }
        }

        private static ulong Rotl(ulong x, int k) => (x << k) | (x >> (64 - k));

        /// <summary>The next raw 64-bit value.</summary>
        public ulong NextUInt64()
        {
            unchecked
            {
                ulong result = Rotl(s1 * 5, 7) * 9;
                ulong t = s1 << 17;
                s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3;
                s2 ^= t;
                s3 = Rotl(s3, 45);
                return result;
            }
        }

        /// <summary>A uniform double in [0, 1) with 53 random bits.</summary>
        public double NextDouble() => (NextUInt64() >> 11) * (1.0 / 9007199254740992.0);

        /// <summary>A uniform integer in [0, maxExclusive), without modulo bias.</summary>
        /// <exception cref="ArgumentOutOfRangeException">maxExclusive is not positive.</exception>
        public int NextInt(int maxExclusive)
        {
            if (maxExclusive <= 0) throw new ArgumentOutOfRangeException(nameof(maxExclusive));
            ulong bound = (ulong)maxExclusive;
            ulong threshold = unchecked(0UL - bound) % bound;
            // A draw is rejected with probability threshold/2⁶⁴ < 2⁻³³, so 64 rejections in a row do not happen
            // with a valid state; the bound makes a hang impossible even if a broken state slipped through.
            for (int attempt = 0; attempt < 64; attempt++)
            {
                ulong r = NextUInt64();
                if (r >= threshold) return (int)(r % bound);
            }
            throw new InvalidOperationException("The generator is stuck (an all-zero state); no bounded draw is possible.");
        }

        /// <summary>A standard normal deviate (mean 0, variance 1), Marsaglia's polar method.</summary>
        public double NextNormal()
        {
            if (hasSpare) { hasSpare = false; return spareNormal; }
            double u, v, s;
            do
            {
                u = 2.0 * NextDouble() - 1.0;
                v = 2.0 * NextDouble() - 1.0;
                s = u * u + v * v;
            } while (s >= 1.0 || s == 0.0);
            double f = Math.Sqrt(-2.0 * DeterministicMath.Log(s) / s); // sqrt is correctly rounded everywhere
            spareNormal = v * f;
            hasSpare = true;
            return u * f;
        }

        /// <summary>Shuffles the array in place (Fisher–Yates).</summary>
        public void Shuffle(int[] items)
        {
            for (int i = items.Length - 1; i > 0; i--)
            {
                int j = NextInt(i + 1);
                int tmp = items[i]; items[i] = items[j]; items[j] = tmp;
            }
        }

        /// <summary>The complete generator state, for saving a training run.</summary>
        public ulong[] GetState() => new[] { s0, s1, s2, s3, hasSpare ? 1UL : 0UL, unchecked((ulong)BitConverter.DoubleToInt64Bits(spareNormal)) };

        /// <summary>Restores a state returned by <see cref="GetState"/>.</summary>
        /// <exception cref="ArgumentException">The state does not have six words, or its four generator words are all zero
        /// (xoshiro256** never leaves that state: every draw would be 0).</exception>
        public void SetState(ulong[] state)
        {
            if (state == null || state.Length != 6) throw new ArgumentException("A generator state has six words.", nameof(state));
            if ((state[0] | state[1] | state[2] | state[3]) == 0) throw new ArgumentException("A generator state cannot be all zeros.", nameof(state));
            s0 = state[0]; s1 = state[1]; s2 = state[2]; s3 = state[3];
            hasSpare = state[4] != 0;
            spareNormal = BitConverter.Int64BitsToDouble(unchecked((long)state[5]));
        }
    }

    /// <summary>Elementary functions built from IEEE-754 basic operations only, so they round the same everywhere.</summary>
    public static class DeterministicMath
    {
        // ln 2 split in two (fdlibm): Ln2Hi has its low 21 bits zero, so e·Ln2Hi is exact for every exponent.
        private static readonly double Ln2Hi = BitConverter.Int64BitsToDouble(0x3FE62E42FEE00000L);
        private static readonly double Ln2Lo = BitConverter.Int64BitsToDouble(0x3DEA39EF35793C76L);

        /// <summary>
        /// Natural logarithm of a positive finite x (NaN otherwise). Splits x = m·2^e with m in
        /// [√½, √2) and f = m − 1 (exact), then ln(1+f) = 2·atanh(s), s = f/(2+f), |s| ≤ 0.172,
        /// written as f − (f²/2 − s·(f²/2 + R)) with R = Σ 2s^(2k)/(2k+1) (fdlibm's arrangement),
        /// so the exact f carries the result and rounding only touches the small correction.
        /// </summary>
        /// <remarks>NOTE: within 1–2 ulp of Math.Log (tested over subnormals and normals); what matters
        /// here is that it is identical on every platform, which basic operations guarantee.</remarks>
        public static double Log(double x)
        {
            if (!(x > 0) || double.IsInfinity(x)) return double.NaN;
            long bits = BitConverter.DoubleToInt64Bits(x);
            int e = (int)((bits >> 52) & 0x7FF);
            if (e == 0)
            {   // subnormal: scale up exactly by 2^54
                x *= 18014398509481984.0;
                bits = BitConverter.DoubleToInt64Bits(x);
                e = (int)((bits >> 52) & 0x7FF) - 54;
            }
            e -= 1023;
            double m = BitConverter.Int64BitsToDouble((bits & 0x000FFFFFFFFFFFFFL) | 0x3FF0000000000000L);
            if (m > 1.4142135623730951) { m *= 0.5; e++; }
            double f = m - 1.0;                 // exact (Sterbenz: m is within a factor 2 of 1)
            double s = f / (2.0 + f);
            double z = s * s;
            double power = z, r = 0.0;
            for (int k = 1; k < 40; k++)
            {
                double add = 2.0 * power / (2 * k + 1);
                if (r + add == r) break;
                r += add;
                power *= z;
            }
            double hfsq = 0.5 * f * f;
            return e * Ln2Hi - ((hfsq - (s * (hfsq + r) + e * Ln2Lo)) - f);
        }
    }
}
