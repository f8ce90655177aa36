using System;
using BackpropModule.Engine.Layers;
using BackpropModule.Engine.Losses;
using BackpropModule.Engine.Tensors;

namespace BackpropModule.Engine.Checking
{
    /// <summary>
    /// The <see cref="IncrementalLossProbe"/> idea for networks with BatchNorm or Dropout, from a pass cached
    /// once in the checker's mode with its masks. BatchNorm and Dropout act per column, so an element of
    /// block l (W_l[i, j], b_l[j], γ_l[j] or β_l[j]) still changes only column j of the block's output:
    /// <code>
    ///   a_l[:, j] += d·x_l[:, i] (W) or d (b)     then BN of that column alone (its own batch statistics)
    ///   bn_l[:, j] = γ·x̂_l[:, j] + β              for γ or β (x̂ is cached)
    ///   out_l[:, j] = f(bn_l[:, j]) ⊙ mask_l[:, j]     a_l+1 += Δout ⊗ W_l+1[j, :]   (a rank-1 update)
    /// </code>
    /// and each deeper block is recomputed whole from its changed a (BatchNorm over the batch, activation,
    /// mask) and passed on by one GEMM of the change. It never writes to the network, so threads can share it.
    /// </summary>
    /// <remarks>
    /// NOTE: as in the incremental probe, cached parts round the same at w + h and w − h and cancel in
    /// L₊ − L₋; BatchNorm of a changed column is recomputed from scratch with the kernel the pass uses.
    /// </remarks>
    internal sealed class BlockLossProbe : LossProbe
    {
        private readonly Network network;
        private readonly Tensor target;
        private readonly int n, last;
        private readonly bool training;
        private readonly LayerTrace[] traces;
        private readonly int[] blockOf, kindOf;
        private readonly IActivation f;
        private readonly IOutputLoss g;

        /// <summary>Caches the pass of <paramref name="network"/> on (x, t) in <paramref name="mode"/> with the masks of <paramref name="dropoutSeed"/>.</summary>
        public BlockLossProbe(Network network, Tensor x, Tensor t, ForwardMode mode, long dropoutSeed)
        {
            this.network = network;
            var pass = network.Forward(x, t, mode, dropoutSeed);
            target = pass.Target;
            n = x.Rows;
            last = network.Blocks.Count - 1;
            training = mode == ForwardMode.Training;
            traces = new LayerTrace[last + 1];
            for (int l = 0; l <= last; l++) traces[l] = pass.Layers[l];
            blockOf = new int[network.Parameters.Count];
            kindOf = new int[network.Parameters.Count];
            foreach (var b in network.Blocks)
                for (int k = 0; k < b.ParameterCount; k++) { blockOf[b.FirstParameter + k] = b.Index - 1; kindOf[b.FirstParameter + k] = k; }
            f = network.HiddenActivation;
            g = network.OutputLoss;
        }

        /// <summary>The loss of the cached pass, for tests.</summary>
        internal double BaseLoss => LossOf(traces[last].PreActivation, (Scratch)CreateScratch());

        public override bool IsThreadSafe => true;

        public override ProbeScratch CreateScratch() => new Scratch(this);

        public override double LossWith(int p, int i, double value, ProbeScratch scratch, bool[] signs, out int signCount)
        {
            var s = (Scratch)scratch;
            int l = blockOf[p], kind = kindOf[p];
            Tensor parameter = network.Parameters[p].Value;
            int row = i % parameter.Rows, j = i / parameter.Rows, off = j * n;
            double d = value - parameter.Data[i];
            double[] col = s.Column.Data, a = traces[l].PreActivation.Data;
            if (kind == 0) { double[] x = traces[l].Input.Data; int xo = row * n; for (int r = 0; r < n; r++) col[r] = a[off + r] + d * x[xo + r]; }
            else if (kind == 1) for (int r = 0; r < n; r++) col[r] = a[off + r] + d;
            signCount = 0;
            if (l == last)
            {
                double[] o = s.Pre[last].Data;
                Array.Copy(a, o, a.Length);
                Array.Copy(col, 0, o, off, n);
                return LossOf(s.Pre[last], s);
            }
            ColumnActivationInput(l, j, kind, value, s);
            double[] mask = traces[l].DropoutMask?.Data;
            // A dropped unit's kink is no kink of the loss (its output is multiplied by 0): it is recorded as a
            // constant, so it does not send an element down the one-sided path with its truncation error.
            if (signs != null) for (int r = 0; r < n; r++) signs[signCount++] = s.ColumnIn.Data[r] > 0 && (mask == null || mask[off + r] != 0);
            f.Forward(s.ColumnIn, s.ColumnOut);
            double[] fz = s.ColumnOut.Data, z = traces[l].BlockOutput.Data, dz = s.ColumnDelta;
            for (int r = 0; r < n; r++) dz[r] = (mask == null ? fz[r] : fz[r] * mask[off + r]) - z[off + r];
            RankOneUpdate(l + 1, j, dz, s);
            for (int m = l + 1; m < last; m++)
            {
                Tensor h = BlockActivationInput(m, s);
                double[] maskm = traces[m].DropoutMask?.Data, hv = h.Data;
                if (signs != null) for (int k = 0; k < hv.Length; k++) signs[signCount++] = hv[k] > 0 && (maskm == null || maskm[k] != 0);
                f.Forward(h, s.Out[m]);
                double[] om = s.Out[m].Data, basez = traces[m].BlockOutput.Data, delta = s.Delta[m].Data;
                for (int k = 0; k < delta.Length; k++) delta[k] = (maskm == null ? om[k] : om[k] * maskm[k]) - basez[k];
                Array.Copy(traces[m + 1].PreActivation.Data, s.Pre[m + 1].Data, s.Pre[m + 1].Count);
                TensorMath.MatMul(s.Delta[m], false, network.Layers[m + 1].W.Value, false, s.Pre[m + 1], accumulate: true);
            }
            return LossOf(s.Pre[last], s);
        }

        /// <summary>Column j of block l's activation input after the change, into s.ColumnIn (col holds the new a for W and b).</summary>
        private void ColumnActivationInput(int l, int j, int kind, double value, Scratch s)
        {
            var bn = network.Blocks[l].BatchNorm;
            double[] col = s.Column.Data, h = s.ColumnIn.Data;
            if (bn == null) { Array.Copy(col, h, n); return; }
            s.Gamma[0] = kind == 2 ? value : bn.Gamma.Value.Data[j];
            s.Beta[0] = kind == 3 ? value : bn.Beta.Value.Data[j];
            if (kind >= 2)
            {
                // γ or β: x̂ does not change; bn = γ·x̂ + β as BatchNormMath computes it.
                double[] xhat = traces[l].Normalized.Data;
                for (int r = 0; r < n; r++) h[r] = s.Gamma[0] * xhat[j * n + r] + s.Beta[0];
            }
            else if (training)
                BatchNormMath.TrainingForward(col, n, 1, s.Gamma, s.Beta, bn.Epsilon, s.Mean, s.Variance, s.InvStd, s.ColumnXhat, h);
            else
            {
                s.Mean[0] = bn.RunningMean.Data[j]; s.Variance[0] = bn.RunningVariance.Data[j];
                BatchNormMath.InferenceForward(col, n, 1, s.Gamma, s.Beta, bn.Epsilon, s.Mean, s.Variance, null, null, h);
            }
        }

        /// <summary>Block m's activation input from its changed a (s.Pre[m]): BatchNorm over the batch, or a itself.</summary>
        private Tensor BlockActivationInput(int m, Scratch s)
        {
            var bn = network.Blocks[m].BatchNorm;
            if (bn == null) return s.Pre[m];
            int units = bn.Units;
            if (training)
                BatchNormMath.TrainingForward(s.Pre[m].Data, n, units, bn.Gamma.Value.Data, bn.Beta.Value.Data, bn.Epsilon,
                    s.BlockMean[m], s.BlockVariance[m], s.BlockInvStd[m], s.Xhat[m].Data, s.Bn[m].Data);
            else
                BatchNormMath.InferenceForward(s.Pre[m].Data, n, units, bn.Gamma.Value.Data, bn.Beta.Value.Data, bn.Epsilon,
                    bn.RunningMean.Data, bn.RunningVariance.Data, null, null, s.Bn[m].Data);
            return s.Bn[m];
        }

        /// <summary>a_m = cached a_m + Δout ⊗ W_m[j, :].</summary>
        private void RankOneUpdate(int m, int j, double[] dz, Scratch s) =>
            RankOneUpdate(traces[m].PreActivation.Data, s.Pre[m].Data, n, traces[m].PreActivation.Columns,
                network.Layers[m].W.Value.Data, network.Layers[m].Inputs, j, dz);

        private double LossOf(Tensor a, Scratch s) => LossOf(g, a, s.Y, target);

        /// <summary>One thread's buffers: the changed column and, per block after it, a, BatchNorm, outputs and changes.</summary>
        private sealed class Scratch : ProbeScratch
        {
            public Scratch(BlockLossProbe probe) : base(SignCapacity(probe))
            {
                int n = probe.n, blocks = probe.last + 1;
                Column = new Tensor(n, 1); ColumnIn = new Tensor(n, 1); ColumnOut = new Tensor(n, 1);
                ColumnDelta = new double[n]; ColumnXhat = new double[n];
                Pre = new Tensor[blocks]; Out = new Tensor[blocks]; Delta = new Tensor[blocks];
                Xhat = new Tensor[blocks]; Bn = new Tensor[blocks];
                BlockMean = new double[blocks][]; BlockVariance = new double[blocks][]; BlockInvStd = new double[blocks][];
                for (int m = 0; m < blocks; m++)
                {
                    int width = probe.traces[m].PreActivation.Columns;
                    Pre[m] = new Tensor(n, width);
                    if (m == probe.last) continue;
                    Out[m] = new Tensor(n, width);
                    Delta[m] = new Tensor(n, width);
                    if (!probe.network.Blocks[m].HasBatchNorm) continue;
                    Xhat[m] = new Tensor(n, width); Bn[m] = new Tensor(n, width);
                    BlockMean[m] = new double[width]; BlockVariance[m] = new double[width]; BlockInvStd[m] = new double[width];
                }
                Y = new Tensor(n, probe.traces[probe.last].PreActivation.Columns);
            }

            public Tensor Column { get; }
            public Tensor ColumnIn { get; }
            public Tensor ColumnOut { get; }
            public double[] ColumnDelta { get; }
            public double[] ColumnXhat { get; }
            public double[] Gamma { get; } = new double[1];
            public double[] Beta { get; } = new double[1];
            public double[] Mean { get; } = new double[1];
            public double[] Variance { get; } = new double[1];
            public double[] InvStd { get; } = new double[1];
            public Tensor[] Pre { get; }
            public Tensor[] Out { get; }
            public Tensor[] Delta { get; }
            public Tensor[] Xhat { get; }
            public Tensor[] Bn { get; }
            public double[][] BlockMean { get; }
            public double[][] BlockVariance { get; }
            public double[][] BlockInvStd { get; }
            public Tensor Y { get; }

            private static int SignCapacity(BlockLossProbe probe)
            {
                int count = probe.n;
                for (int m = 0; m < probe.last; m++) count += probe.traces[m].PreActivation.Count;
                return count;
            }
        }
    }
}
