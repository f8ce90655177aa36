using System;
using BackpropModule.Engine.Randomness;
using BackpropModule.Engine.Tensors;
using Xunit;

namespace BackpropModule.Engine.Tests.Foundation
{
    /// <summary>
    /// Central-difference derivatives and the relative-error measure the gradient tests share.
    /// </summary>
    /// <remarks>
    /// NOTE: a plain central difference D(h) = (f(x+h) − f(x−h)) / 2h has truncation error
    /// c·h² and rounding error about ε·|f| / h. With h = 1e-5 the rounding term is ~1e-11
    /// absolute, too coarse for a 1e-7 relative bound on entries near 1e-4. One Richardson step,
    /// R = (4·D(h/2) − D(h)) / 3, cancels the h² term, so h can be 1e-3 and both terms stay
    /// near 1e-13. It is still a central difference (the five-point stencil).
    /// </remarks>
    public static class NumericGradient
    {
        /// <summary>Step used for every check; inputs are drawn so no ReLU kink lies within it.</summary>
        public const double Step = 1e-3;

        /// <summary>The bound every backward pass must meet in fp64.</summary>
        public const double Tolerance = 1e-7;

        /// <summary>df/dx at x[r, c], perturbing the tensor in place and restoring it exactly.</summary>
        public static double Derivative(Func<double> f, Tensor x, int r, int c)
        {
            double saved = x[r, c];
            double Central(double h)
            {
                x[r, c] = saved + h; double plus = f();
                x[r, c] = saved - h; double minus = f();
                x[r, c] = saved;
                return (plus - minus) / (2 * h);
            }
            double coarse = Central(Step), fine = Central(Step / 2);
            x[r, c] = saved;
            return (4 * fine - coarse) / 3;
        }

        /// <summary>The numerical gradient of f with respect to every element of x.</summary>
        public static Tensor Of(Func<double> f, Tensor x)
        {
            var g = new Tensor(x.Rows, x.Columns);
            for (int r = 0; r < x.Rows; r++)
                for (int c = 0; c < x.Columns; c++) g[r, c] = Derivative(f, x, r, c);
            return g;
        }

        /// <summary>
        /// max over elements of |a − n| / max(|a|, |n|): every entry must agree to the tolerance,
        /// not just the average (an average hides a single wrong entry).
        /// </summary>
        public static double MaxRelativeError(Tensor analytic, Tensor numeric)
        {
            Assert.Equal(analytic.Shape, numeric.Shape);
            double worst = 0;
            for (int r = 0; r < analytic.Rows; r++)
                for (int c = 0; c < analytic.Columns; c++)
                {
                    double a = analytic[r, c], n = numeric[r, c];
                    double scale = Math.Max(Math.Abs(a), Math.Abs(n));
                    double rel = scale == 0 ? 0 : Math.Abs(a - n) / scale;
                    worst = Math.Max(worst, rel);
                }
            return worst;
        }

        /// <summary>Asserts the relative error is below <see cref="Tolerance"/>, naming what was checked.</summary>
        public static void AssertClose(Tensor analytic, Tensor numeric, string what)
        {
            double err = MaxRelativeError(analytic, numeric);
            Assert.True(err < Tolerance, $"{what}: max relative error {err:E3} ≥ {Tolerance:E0}.");
        }

        /// <summary>A tensor of uniform values in [lo, hi).</summary>
        public static Tensor Uniform(SeededRandom rng, int rows, int columns, double lo, double hi)
        {
            var t = new Tensor(rows, columns);
            for (int r = 0; r < rows; r++)
                for (int c = 0; c < columns; c++) t[r, c] = lo + (hi - lo) * rng.NextDouble();
            return t;
        }

        /// <summary>
        /// Values whose magnitude lies in [lo, hi) with a random sign: kept away from 0 so a
        /// ReLU kink never falls inside the finite-difference step, and so no gradient is tiny.
        /// </summary>
        public static Tensor AwayFromZero(SeededRandom rng, int rows, int columns, double lo, double hi)
        {
            var t = Uniform(rng, rows, columns, lo, hi);
            for (int r = 0; r < rows; r++)
                for (int c = 0; c < columns; c++) if (rng.NextDouble() < 0.5) t[r, c] = -t[r, c];
            return t;
        }

        /// <summary>Σ dout ⊙ y: the scalar whose gradient with respect to y is dout.</summary>
        public static double Dot(Tensor y, Tensor dout)
        {
            double s = 0;
            for (int r = 0; r < y.Rows; r++)
                for (int c = 0; c < y.Columns; c++) s += y[r, c] * dout[r, c];
            return s;
        }

        /// <summary>Named shapes every layer is checked over: batch of one, tall and wide.</summary>
        public static readonly (string Name, int Rows, int Columns)[] Shapes =
        {
            ("batch1", 1, 5),
            ("tall", 17, 3),
            ("wide", 2, 31),
        };
    }
}
