using System;
using System.Collections.Generic;
using BackpropModule.Engine.Kernels;
using BenchmarkDotNet.Attributes;
using MathNet.Numerics;
using MathNet.Numerics.LinearAlgebra.Double;

namespace BackpropModule.Benchmarks
{
    /// <summary>A GEMM shape, C (m×n) = op(A) (m×k) · B (k×n); printed as m x k x n.</summary>
    public sealed class GemmShape
    {
        public GemmShape(int m, int k, int n, bool transA, string role) { M = m; K = k; N = n; TransA = transA; Role = role; }
        public int M { get; }
        public int K { get; }
        public int N { get; }
        public bool TransA { get; }
        public string Role { get; }
        public double Flops => 2.0 * M * N * K;
        public override string ToString() => $"{M}x{K}x{N}{(TransA ? " Aᵀ" : "")} {Role}";
    }

    /// <summary>Our kernel (default path, both cores when it pays) against MathNet's managed provider on the same operands.</summary>
    public class GemmBenchmarks
    {
        private double[] a, b, c;
        private DenseMatrix ma, mb, mc;

        public static IEnumerable<GemmShape> Shapes() => new[]
        {
            new GemmShape(100, 784, 100, false, "forward"),
            new GemmShape(784, 100, 100, true, "dW1"),
            new GemmShape(100, 100, 10, false, "layer2"),
            new GemmShape(1024, 1024, 1024, false, "cube"),
        };

        [ParamsSource(nameof(Shapes))]
        public GemmShape Shape { get; set; }

        [GlobalSetup]
        public void Setup()
        {
            Control.UseManaged();
            var rng = new Random(42);
            int aRows = Shape.TransA ? Shape.K : Shape.M, aCols = Shape.TransA ? Shape.M : Shape.K;
            ma = DenseMatrix.Create(aRows, aCols, (i, j) => rng.NextDouble() - 0.5);
            mb = DenseMatrix.Create(Shape.K, Shape.N, (i, j) => rng.NextDouble() - 0.5);
            mc = new DenseMatrix(Shape.M, Shape.N);
            a = ma.Values; b = mb.Values; c = new double[Shape.M * Shape.N];
        }

        [Benchmark(Baseline = true, Description = "MathNet managed")]
        public void MathNetManaged()
        {
            if (Shape.TransA) ma.TransposeThisAndMultiply(mb, mc);
            else ma.Multiply(mb, mc);
        }

        [Benchmark(Description = "Gemm (ours)")]
        public void Ours() =>
            Gemm.Multiply(Shape.TransA, false, Shape.M, Shape.N, Shape.K, 1.0, a, Shape.TransA ? Shape.K : Shape.M, b, Shape.K, 0.0, c, Shape.M);
    }
}
