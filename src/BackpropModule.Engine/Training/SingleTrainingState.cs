using System;
using BackpropModule.Engine.Data;
using BackpropModule.Engine.Kernels;
using BackpropModule.Engine.Training.Optimizers;

namespace BackpropModule.Engine.Training
{
    /// <summary>
    /// What a single-precision run (<c>Start-Training -Precision Single</c>) trains on: float copies of the
    /// parameters and of the optimizer's state, a float batch workspace, and the float step. The trainer
    /// writes both back to the network and the optimizer (<see cref="WriteBack"/>) at every epoch end and
    /// when stopped, so the network, its checkpoint and the optimizer always agree as in a double run.
    /// </summary>
    /// <remarks>
    /// NOTE: float → double is exact, and the run starts by rounding the parameters and the optimizer state
    /// to float, so the double copies always hold floats: a checkpoint taken at any write-back resumes bit
    /// for bit (narrowing a widened float is exact). The optimizer's step count and Adam's β powers stay in
    /// double in the optimizer itself; only per-element arithmetic is float.
    /// </remarks>
    internal sealed class SingleTrainingState
    {
        private readonly Network net;
        private readonly OptimizerBase optimizer;
        private readonly float[][] values;     // [parameter]
        private readonly float[][][] slots;    // [parameter][slot]
        private readonly float[] decay;        // [parameter]: λ for weights, 0 for biases

        private SingleTrainingState(Network network, OptimizerBase optimizer, int batchSize)
        {
            net = network;
            this.optimizer = optimizer;
            var ps = net.Parameters;
            values = new float[ps.Count][];
            slots = new float[ps.Count][][];
            decay = new float[ps.Count];
            for (int p = 0; p < ps.Count; p++)
            {
                values[p] = ToSingle(ps[p].Value.Data);
                slots[p] = new float[optimizer.SlotCount][];
                for (int s = 0; s < slots[p].Length; s++) slots[p][s] = ToSingle(optimizer.SlotTensor(s, p).Data);
                decay[p] = (float)optimizer.DecayFor(ps[p]);
            }
            Workspace = new BatchWorkspaceSingle(net, values, batchSize);
        }

        /// <summary>The float batch workspace (its gradients are what <see cref="Step"/> applies).</summary>
        internal BatchWorkspaceSingle Workspace { get; }

        /// <summary>Refuses what the float path cannot train, before anything is changed.</summary>
        /// <exception cref="BackpropException">PrecisionNotSupported or PrecisionRangeExceeded.</exception>
        internal static void CheckSupported(Network network, IOptimizer optimizer)
        {
            if (!(optimizer is OptimizerBase ob) || !ob.SupportsSingle)
                throw new BackpropException(ErrorIds.PrecisionNotSupported, ErrorKind.InvalidArgument, optimizer,
                    $"The optimizer {optimizer?.Name} has no single-precision version; use SGD, Momentum, AdaGrad, RMSProp or Adam, or train with -Precision Double.");
            // Every block has a float version (Affine, BatchNorm, the activations, Dropout), so the network is
            // refused only for values float cannot hold.
            var ps = network.Parameters;
            foreach (var p in ps)
            {
                double[] d = p.Value.Data;
                for (int i = 0; i < d.Length; i++)
                    if (Math.Abs(d[i]) > float.MaxValue)
                        throw new BackpropException(ErrorIds.PrecisionRangeExceeded, ErrorKind.InvalidData, network,
                            $"Parameter {p.Name} holds {d[i].ToString("G6", System.Globalization.CultureInfo.InvariantCulture)}, beyond the range of single precision (±3.4e38); nothing was changed. Train it with -Precision Double.");
            }
        }

        /// <summary>
        /// Refuses training data that float cannot hold (a feature or target beyond ±3.4e38 would become ±∞ in the
        /// float batch, and the run would then report a divergence that no learning rate can cure).
        /// </summary>
        /// <exception cref="BackpropException">PrecisionRangeExceeded.</exception>
        internal static void CheckData(Dataset data)
        {
            double features = data.Store.MaxAbs(), targets = 0;
            foreach (double t in data.Targets) targets = Math.Max(targets, Math.Abs(t));
            if (features > float.MaxValue || targets > float.MaxValue)
                throw new BackpropException(ErrorIds.PrecisionRangeExceeded, ErrorKind.InvalidData, data,
                    $"The training data '{data.Name}' holds a {(features > float.MaxValue ? "feature" : "target")} of magnitude " +
                    $"{Math.Max(features, targets).ToString("G6", System.Globalization.CultureInfo.InvariantCulture)}, beyond the range of single precision (±3.4e38); " +
                    "nothing was changed. Scale the data, or train with -Precision Double.");
        }

        /// <summary>
        /// Rounds the network's parameters and the optimizer's state to float in place (creating the state as
        /// a first step would), then takes the float copies. Call after <see cref="CheckSupported"/>.
        /// </summary>
        internal static SingleTrainingState Begin(Network network, IOptimizer optimizer, int batchSize)
        {
            var ob = (OptimizerBase)optimizer;
            ob.PrepareState(network);
            network.RoundParametersToSingle();
            var state = new SingleTrainingState(network, ob, batchSize);
            state.WriteBackState();
            return state;
        }

        /// <summary>Forward and backward on one batch in float, with the dropout masks of <paramref name="dropoutSeed"/>.</summary>
        internal BatchResult TrainBatch(Dataset data, int[] order, int start, int n, long dropoutSeed) => Workspace.TrainBatch(data, order, start, n, dropoutSeed);

        /// <summary>True when every gradient of the last batch is finite.</summary>
        internal bool GradientsFinite()
        {
            foreach (var g in Workspace.Gradients) if (!VectorMathSingle.AllFinite(g)) return false;
            return true;
        }

        /// <summary>
        /// Gradient clipping by global norm, as <see cref="Trainer.ClipByGlobalNorm"/>: the sum of squares is
        /// taken in double (in one fixed order) from the float gradients, the scale c/‖g‖ applied in float.
        /// </summary>
        internal double ClipByGlobalNorm(double c)
        {
            double sum = 0;
            foreach (var g in Workspace.Gradients)
                for (int i = 0; i < g.Length; i++) sum += (double)g[i] * g[i];
            double norm = Math.Sqrt(sum);
            if (!(norm > c)) return norm;
            float scale = (float)(c / norm);
            foreach (var g in Workspace.Gradients)
                for (int i = 0; i < g.Length; i++) g[i] *= scale;
            return norm;
        }

        /// <summary>One optimizer step in float on the float parameters (the network's parameters are not touched until <see cref="WriteBack"/>), then the batch's BatchNorm statistics are folded into the network's running statistics.</summary>
        internal void Step()
        {
            optimizer.AdvanceStep();
            var grads = Workspace.Gradients;
            for (int p = 0; p < values.Length; p++) optimizer.UpdateSingle(values[p], grads[p], decay[p], slots[p]);
            // NOTE: the running statistics are not parameters and stay double on the network: they move now, with
            // the step, as in a double run, so snapshots, checkpoints and restores of the network need no write-back.
            Workspace.FoldStatistics();
        }

        /// <summary>Widens the float parameters and optimizer state into the network and the optimizer (exact), marking the network updated.</summary>
        internal void WriteBack()
        {
            var ps = net.Parameters;
            for (int p = 0; p < values.Length; p++) Widen(values[p], ps[p].Value.Data);
            WriteBackState();
            net.MarkUpdated();
        }

        private void WriteBackState()
        {
            for (int p = 0; p < slots.Length; p++)
                for (int s = 0; s < slots[p].Length; s++) Widen(slots[p][s], optimizer.SlotTensor(s, p).Data);
        }

        private static float[] ToSingle(double[] d)
        {
            var f = new float[d.Length];
            for (int i = 0; i < d.Length; i++) f[i] = (float)d[i];
            return f;
        }

        private static void Widen(float[] f, double[] d)
        {
            for (int i = 0; i < f.Length; i++) d[i] = f[i];
        }
    }
}
