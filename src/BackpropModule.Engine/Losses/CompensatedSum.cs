using System;

namespace BackpropModule.Engine.Losses
{
    /// <summary>
    /// A running sum with Neumaier's compensation: the low-order bits each addition rounds away are kept in a
    /// second double and added back at the end, so the result is as if summed in about twice the precision.
    /// </summary>
    /// <remarks>
    /// NOTE: a batch loss is a sum of N similar per-sample terms. Summed plainly, each addition rounds at the
    /// accumulator's magnitude (≈ N·ℓ), and N copies of the same term round the same way, so the error grows
    /// like N·ε·ℓ. Test-Gradient divides two such losses' difference by 2h: at N = 300 that alone gave
    /// numerical derivatives off by 5e-10 where the true derivative is 0 (b2 of a network whose hidden units
    /// are all dropped, on balanced classes), a correct gradient reported Wrong. Compensated, the error is a
    /// few units in the last place of the loss, which the checker's noise floor accounts for.
    /// </remarks>
    internal struct CompensatedSum
    {
        private double sum, compensation;

        /// <summary>Adds v.</summary>
        public void Add(double v)
        {
            double t = sum + v;
            compensation += Math.Abs(sum) >= Math.Abs(v) ? (sum - t) + v : (v - t) + sum;
            sum = t;
        }

        /// <summary>The sum so far.</summary>
        public double Value => sum + compensation;
    }
}
