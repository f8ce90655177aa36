using System.Linq;
using Xunit;

namespace BackpropModule.Plotting.Tests
{
    /// <summary>Small multiples put each block on its own row and each kind of parameter in its own column.</summary>
    public sealed class HeatmapLayoutTests
    {
        [Fact]
        public void A_BatchNorm_network_gets_one_row_per_block_with_kinds_in_columns()
        {
            var names = new[] { "W1", "b1", "gamma1", "beta1", "W2", "b2", "gamma2", "beta2", "W3", "b3", "RunningMean1", "RunningVariance1", "RunningMean2", "RunningVariance2" };
            int[] slots = HeatmapLayout.Slots(names, out int columns, out int rows);
            Assert.Equal(6, columns);
            Assert.Equal(3, rows);
            Assert.Equal(new[] { 0, 1, 2, 3, 6, 7, 8, 9, 12, 13, 4, 5, 10, 11 }, slots);
            Assert.Equal(names.Length, slots.Distinct().Count());
        }

        [Fact]
        public void Three_plain_layers_stack_W_over_W_instead_of_filling_a_square()
        {
            HeatmapLayout.Slots(new[] { "dW1", "db1", "dW2", "db2", "dW3", "db3" }, out int columns, out int rows);
            Assert.Equal((2, 3), (columns, rows));
        }

        [Fact]
        public void A_picture_too_narrow_for_a_block_row_wraps_into_panels_that_fit()
        {
            // -Width 800 for a BatchNorm network: six panels a row left 133 px each, all colour bar and no heat map.
            var names = new[] { "W1", "b1", "gamma1", "beta1", "RunningMean1", "RunningVariance1", "W2", "b2" };
            int[] slots = HeatmapLayout.Slots(names, out int columns, out int rows, width: 800);
            Assert.Equal(3, columns);
            Assert.Equal(3, rows);
            Assert.Equal(Enumerable.Range(0, 8), slots);
            HeatmapLayout.Slots(names, out int wide, out _, width: 1500);
            Assert.Equal(6, wide);
            HeatmapLayout.Slots(new[] { "a", "b", "c", "d", "e", "f", "g", "h", "i" }, out int grid, out _, width: 300);
            Assert.Equal(1, grid);
        }

        [Fact]
        public void Names_without_block_numbers_fill_a_near_square_grid_in_order()
        {
            int[] slots = HeatmapLayout.Slots(new[] { "a", "b", "c", "d", "e" }, out int columns, out int rows);
            Assert.Equal((3, 2), (columns, rows));
            Assert.Equal(new[] { 0, 1, 2, 3, 4 }, slots);
        }

        [Fact]
        public void The_suggested_size_grows_with_the_grid_and_never_shrinks_below_800_by_600()
        {
            Assert.Equal((800, 600), HeatmapLayout.SuggestedSize(new[] { "W1", "b1", "W2", "b2" }));
            var bn = new[] { "W1", "b1", "gamma1", "beta1", "RunningMean1", "RunningVariance1", "W2", "b2" };
            Assert.Equal((1500, 600), HeatmapLayout.SuggestedSize(bn));
        }
    }
}
