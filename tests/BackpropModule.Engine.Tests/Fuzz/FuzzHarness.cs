using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;

namespace BackpropModule.Engine.Tests.Fuzz
{
    /// <summary>How one fuzzed file fared.</summary>
    public enum FuzzOutcome
    {
        /// <summary>Refused with a BackpropException (a clean ErrorId).</summary>
        Refused,
        /// <summary>Loaded, and equal to what the strict reference reads.</summary>
        Loaded,
        /// <summary>BAD: an exception other than BackpropException.</summary>
        RawException,
        /// <summary>BAD: allocated more than the documented budget for the bytes in the file.</summary>
        OverBudget,
        /// <summary>BAD: did not finish within the time limit.</summary>
        Hang,
        /// <summary>BAD: loaded, but not what the reference reads (or the reference says the file is invalid).</summary>
        SilentChange,
        /// <summary>BAD: refused a file the reference reads as valid.</summary>
        FalseRefusal,
    }

    /// <summary>One fuzz case: its seed, the mutation applied, the outcome and a detail for bad ones.</summary>
    public sealed class FuzzResult
    {
        public int Seed;
        public string Mutation;
        public FuzzOutcome Outcome;
        public string Detail;

        public bool IsBad => Outcome != FuzzOutcome.Refused && Outcome != FuzzOutcome.Loaded;

        public override string ToString() => $"seed {Seed} [{Mutation}] {Outcome}: {Detail}";
    }

    /// <summary>
    /// The fuzz harness shared by the IDX and network-file fuzzers: deterministic byte mutations,
    /// and a runner that loads one case on its own thread, with a time limit, measuring what that
    /// thread allocated (GC.GetAllocatedBytesForCurrentThread) against a budget.
    /// </summary>
    /// <remarks>
    /// The bounded run is a unit test; set BACKPROP_FUZZ_CASES (cases per reader) and
    /// BACKPROP_FUZZ_SEED (first seed) for a longer run, see docs/fuzzing.md.
    /// </remarks>
    public static class FuzzHarness
    {
        /// <summary>Cases per reader: BACKPROP_FUZZ_CASES, or <paramref name="bounded"/>.</summary>
        public static int Cases(int bounded) =>
            int.TryParse(Environment.GetEnvironmentVariable("BACKPROP_FUZZ_CASES"), NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0 ? n : bounded;

        /// <summary>The first seed: BACKPROP_FUZZ_SEED, or 1.</summary>
        public static int FirstSeed =>
            int.TryParse(Environment.GetEnvironmentVariable("BACKPROP_FUZZ_SEED"), NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : 1;

        /// <summary>
        /// Runs <paramref name="load"/> on a fresh thread. It returns null when what it loaded
        /// matches the reference, or why it does not; a BackpropException is a clean refusal.
        /// <paramref name="referenceValid"/> says whether the strict reference reads the file.
        /// </summary>
        public static FuzzResult Run(int seed, string mutation, Func<string> load, long budgetBytes, bool? referenceValid, TimeSpan timeout)
        {
            var result = new FuzzResult { Seed = seed, Mutation = mutation };
            long allocated = 0;
            Exception error = null;
            string mismatch = null;
            var thread = new Thread(() =>
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                try { mismatch = load(); }
                catch (Exception e) { error = e; }
                allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            }, 16 << 20) { IsBackground = true };
            thread.Start();
            if (!thread.Join(timeout))
            {
                result.Outcome = FuzzOutcome.Hang;
                result.Detail = $"no result after {timeout.TotalSeconds} s";
                return result;
            }
            if (allocated > budgetBytes)
            {
                result.Outcome = FuzzOutcome.OverBudget;
                result.Detail = $"allocated {allocated} bytes, budget {budgetBytes}" + (error != null ? $" ({error.GetType().Name})" : "");
            }
            else if (error is BackpropException be)
            {
                result.Outcome = referenceValid == true ? FuzzOutcome.FalseRefusal : FuzzOutcome.Refused;
                result.Detail = be.ErrorId + ": " + be.Message;
            }
            else if (error != null)
            {
                result.Outcome = FuzzOutcome.RawException;
                result.Detail = error.GetType().FullName + ": " + error.Message;
            }
            else if (mismatch != null || referenceValid == false)
            {
                result.Outcome = FuzzOutcome.SilentChange;
                result.Detail = mismatch ?? "loaded a file the strict reference refuses";
            }
            else result.Outcome = FuzzOutcome.Loaded;
            return result;
        }

        /// <summary>A byte-level mutation of <paramref name="data"/>: flips, truncation, insertion, deletion, overwrite or appended junk.</summary>
        public static byte[] Mutate(Random rng, byte[] data, out string what)
        {
            var b = new List<byte>(data);
            int kind = rng.Next(6);
            int at = b.Count == 0 ? 0 : rng.Next(b.Count);
            switch (kind)
            {
                case 0:
                    int flips = 1 + rng.Next(4);
                    for (int i = 0; i < flips && b.Count > 0; i++) { int p = rng.Next(b.Count); b[p] ^= (byte)(1 << rng.Next(8)); }
                    what = $"flip {flips} bit(s)";
                    break;
                case 1:
                    // Truncations favour the end of the file, where trailers and last items live.
                    int keep = rng.Next(2) == 0 ? Math.Max(0, b.Count - 1 - rng.Next(Math.Min(b.Count, 16))) : at;
                    b.RemoveRange(keep, b.Count - keep);
                    what = $"truncate to {keep}";
                    break;
                case 2:
                    int n = 1 + rng.Next(16);
                    b.InsertRange(at, RandomBytes(rng, n));
                    what = $"insert {n} at {at}";
                    break;
                case 3:
                    int del = Math.Min(b.Count - at, 1 + rng.Next(16));
                    b.RemoveRange(at, del);
                    what = $"delete {del} at {at}";
                    break;
                case 4:
                    int len = Math.Min(b.Count - at, 1 + rng.Next(8));
                    byte fill = new byte[] { 0x00, 0xFF, 0x7F, 0x80 }[rng.Next(4)];
                    for (int i = 0; i < len; i++) b[at + i] = rng.Next(3) == 0 ? (byte)rng.Next(256) : fill;
                    what = $"overwrite {len} at {at} with {fill:X2}";
                    break;
                default:
                    int junk = 1 + rng.Next(rng.Next(4) == 0 ? 70000 : 32);
                    b.AddRange(RandomBytes(rng, junk));
                    what = $"append {junk}";
                    break;
            }
            return b.ToArray();
        }

        private static byte[] RandomBytes(Random rng, int n)
        {
            var x = new byte[n];
            if (rng.Next(3) > 0) rng.NextBytes(x);
            return x;
        }

        /// <summary>Throws with a readable list of every bad case (at most 30 shown).</summary>
        public static void AssertNoBadOutcome(IReadOnlyList<FuzzResult> results, string reader)
        {
            var bad = results.Where(r => r.IsBad).ToList();
            if (bad.Count == 0) return;
            var sb = new StringBuilder();
            sb.AppendLine($"{bad.Count} bad outcome(s) of {results.Count} {reader} cases:");
            foreach (var r in bad.Take(30)) sb.AppendLine("  " + r);
            throw new Xunit.Sdk.XunitException(sb.ToString());
        }

        /// <summary>"Refused 812, Loaded 188" for the test output.</summary>
        public static string Summary(IEnumerable<FuzzResult> results) =>
            string.Join(", ", results.GroupBy(r => r.Outcome).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}"));
    }
}
