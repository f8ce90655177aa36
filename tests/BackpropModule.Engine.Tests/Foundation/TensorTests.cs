using System;
using System.Data;
using System.Linq;
using BackpropModule.Engine.Tensors;
using MathNet.Numerics.LinearAlgebra.Double;
using Xunit;

namespace BackpropModule.Engine.Tests.Foundation
{
    /// <summary>The tensor type users see: indexer, construction, copies out, the grid and bitwise equality.</summary>
    public class TensorTests
    {
        private static Tensor Sample() => Tensor.FromRows(new[] { new[] { 1.0, 2, 3 }, new[] { 4.0, 5, 6 } });

        [Fact]
        public void IndexerReadsAndWritesRowColumn()
        {
            var t = Sample();
            Assert.Equal("2x3", t.Shape);
            Assert.Equal(6, t.Count);
            Assert.Equal(2.0, t[0, 1]);
            Assert.Equal(4.0, t[1, 0]);
            t[1, 2] = -7;
            Assert.Equal(-7.0, t[1, 2]);
            Assert.Equal(-7.0, t.Matrix[1, 2]);
        }

        [Theory]
        [InlineData(2, 0)]
        [InlineData(0, 3)]
        [InlineData(-1, 0)]
        [InlineData(0, -1)]
        public void IndexOutsideTheTensorIsAnEngineError(int r, int c)
        {
            var t = Sample();
            var e = Assert.Throws<BackpropException>(() => t[r, c]);
            Assert.Equal(ErrorIds.TensorIndexOutOfRange, e.ErrorId);
            Assert.Same(t, e.TargetObject);
            Assert.Contains("2x3", e.Message);
            Assert.Throws<BackpropException>(() => t[r, c] = 1);
        }

        [Fact]
        public void FromRowsRefusesRaggedRows()
        {
            var e = Assert.Throws<ArgumentException>(() => Tensor.FromRows(new[] { new[] { 1.0, 2 }, new[] { 3.0 } }));
            Assert.Contains("Row 1", e.Message);
            Assert.Throws<ArgumentException>(() => Tensor.FromRows(new[] { new[] { 1.0 }, null }));
            Assert.Throws<ArgumentNullException>(() => Tensor.FromRows(null));
        }

        [Fact]
        public void ConstructionFromArraysAndMatrices()
        {
            var fromArray = Tensor.FromArray(new double[,] { { 1, 2, 3 }, { 4, 5, 6 } });
            Assert.True(fromArray.BitwiseEquals(Sample()));
            var row = Tensor.FromRow(new[] { 1.0, 2.0 });
            Assert.Equal("1x2", row.Shape);
            var m = DenseMatrix.OfArray(new double[,] { { 1, 2, 3 }, { 4, 5, 6 } });
            var wrapped = new Tensor(m);
            Assert.Same(m, wrapped.Matrix);
            Assert.True(wrapped.BitwiseEquals(Sample()));
            Assert.Throws<ArgumentOutOfRangeException>(() => new Tensor(-1, 2));
        }

        [Fact]
        public void ToArrayAndTo2DArrayAreRowMajorCopies()
        {
            var t = Sample();
            double[][] rows = t.ToArray();
            Assert.Equal(new[] { 1.0, 2, 3 }, rows[0]);
            Assert.Equal(new[] { 4.0, 5, 6 }, rows[1]);
            rows[0][0] = 99;
            Assert.Equal(1.0, t[0, 0]);
            double[,] grid = t.To2DArray();
            Assert.Equal(2, grid.GetLength(0));
            Assert.Equal(3, grid.GetLength(1));
            Assert.Equal(6.0, grid[1, 2]);
        }

        [Fact]
        public void ToDataTableHasARowColumnThenOneColumnPerTensorColumn()
        {
            DataTable table = Sample().ToDataTable();
            Assert.Equal(new[] { "Row", "C0", "C1", "C2" }, table.Columns.Cast<DataColumn>().Select(c => c.ColumnName));
            Assert.Equal(typeof(int), table.Columns["Row"].DataType);
            Assert.Equal(typeof(double), table.Columns["C2"].DataType);
            Assert.Equal(2, table.Rows.Count);
            Assert.Equal(1, table.Rows[1]["Row"]);
            Assert.Equal(5.0, table.Rows[1]["C1"]);
            var dicts = Sample().RowDictionaries().ToList();
            Assert.Equal(6.0, dicts[1]["C2"]);
        }

        [Fact]
        public void GridStringShowsSmallTensorsWhole()
        {
            string s = Sample().ToGridString(8, 8);
            Assert.StartsWith("Tensor 2x3", s);
            Assert.Contains("[2]", s);
            Assert.DoesNotContain("…", s);
            Assert.Contains("6", s);
        }

        [Fact]
        public void GridStringTruncatesBigTensorsWithEllipses()
        {
            var t = new Tensor(100, 784);
            t[0, 0] = 1.5; t[99, 783] = -2.25; t[50, 400] = 123456;
            string s = t.ToGridString(6, 4);
            string[] lines = s.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
            Assert.Equal("Tensor 100x784", lines[0]);
            // A header line, 3 head rows, an ellipsis row, 2 tail rows.
            Assert.Equal(1 + 1 + 6 + 1, lines.Length);
            Assert.Contains("[783]", lines[1]);
            Assert.Contains("…", lines[1]);
            Assert.StartsWith("…", lines[5].TrimStart());
            Assert.Contains("[99]", lines[8]);
            Assert.Contains("-2.25", lines[8]);
            Assert.Contains("1.5", lines[2]);
            Assert.DoesNotContain("123456", s);
            Assert.Equal(t.ToGridString(8, 8), t.ToString());
        }

        [Fact]
        public void BitwiseEqualsComparesBitsNotValues()
        {
            var a = Tensor.FromRow(new[] { 0.0, double.NaN });
            var b = Tensor.FromRow(new[] { 0.0, double.NaN });
            Assert.True(a.BitwiseEquals(b));          // NaN == NaN bit for bit
            b[0, 0] = -0.0;
            Assert.False(a.BitwiseEquals(b));         // 0.0 and −0.0 differ in the sign bit
            Assert.False(a.BitwiseEquals(Tensor.FromRows(new[] { new[] { 0.0 }, new[] { double.NaN } })));
            Assert.False(a.BitwiseEquals(null));
        }

        [Fact]
        public void CloneIsDeepAndFindNonFiniteLocates()
        {
            var t = Sample();
            var c = t.Clone();
            c[0, 0] = 42;
            Assert.Equal(1.0, t[0, 0]);
            Assert.Null(t.FindNonFinite());
            t[1, 2] = double.NegativeInfinity;
            Assert.Equal((1, 2), t.FindNonFinite().Value);
            Assert.Equal(double.PositiveInfinity, t.MaxAbs());
        }
    }
}
