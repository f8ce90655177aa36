using System.Collections.Generic;
using System.Globalization;
using BackpropModule.Engine.Tensors;

namespace BackpropModule.Engine.Training
{
    /// <summary>
    /// One update step as Update-Network applies it: under the network's lock (so concurrent updates
    /// from several runspaces are applied one at a time and none is lost), refused while the network is
    /// being trained, and all or nothing: a step that would leave a parameter NaN or infinite is undone.
    /// </summary>
    public static class NetworkUpdate
    {
        /// <summary>
        /// Applies gradients to the network: plain gradient descent W ← W − η·dW when optimizer is null
        /// (η = learningRate, default 0.1), else the optimizer's step (learningRate, when given, becomes its rate).
        /// </summary>
        /// <exception cref="BackpropException">
        /// NetworkBusy, GradientNetworkMismatch, GradientNotFinite, BatchStatisticsNotFinite, GradientStale (unless force), LearningRateInvalid,
        /// OptimizerNetworkMismatch or UpdateNotFinite. On every refusal the network (weights and version) and the
        /// optimizer (state and learning rate) are unchanged.
        /// </exception>
        public static void Apply(Network network, Gradients gradients, IOptimizer optimizer = null, double? learningRate = null, bool force = false)
        {
            network.Mutate(() =>
            {
                network.CheckGradients(gradients);
                network.CheckStatisticsFoldable(gradients);
                if (gradients.IsStale && !force) throw StaleError(network, gradients);
                if (optimizer == null) network.ApplyGradientDescent(gradients, learningRate ?? 0.1);
                else OptimizerStep(network, optimizer, gradients.ByParameter, learningRate);
                // The step is taken, so the network moves its BatchNorm running statistics too (D25); a refused
                // step threw above and folds nothing.
                network.FoldStatistics(gradients);
            });
        }

        /// <summary>The GradientStale error for gradients computed before the network's last change.</summary>
        public static BackpropException StaleError(Network network, Gradients gradients) =>
            new BackpropException(ErrorIds.GradientStale, ErrorKind.InvalidOperation, gradients,
                $"These gradients were computed at parameter version {gradients.ParameterVersion}; the network is at version {network.Version}. " +
                "Applying them twice or after another update is usually a mistake; compute new ones, or use -Force.");

        private static void OptimizerStep(Network network, IOptimizer optimizer, IReadOnlyList<Tensor> gradients, double? learningRate)
        {
            double oldRate = optimizer.LearningRate;
            var snapshot = network.SnapshotParameters();
            long version = network.Version;
            var state = optimizer.SaveState();
            try
            {
                if (learningRate.HasValue) optimizer.LearningRate = learningRate.Value;
                optimizer.Step(network, gradients);
            }
            catch
            {
                optimizer.LearningRate = oldRate; // a refused step changes nothing, its rate included
                throw;
            }
            var ps = network.Parameters;
            for (int p = 0; p < ps.Count; p++)
            {
                var bad = ps[p].Value.FindNonFinite();
                if (bad == null) continue;
                double rate = optimizer.LearningRate;
                network.RollBack(snapshot, version);
                optimizer.LoadState(state);
                optimizer.LearningRate = oldRate;
                throw NotFinite(ps[p].Name, bad.Value.Row, bad.Value.Column, optimizer.Name + " step", rate);
            }
        }

        /// <summary>The UpdateNotFinite error.</summary>
        internal static BackpropException NotFinite(string parameter, int row, int column, string step, double rate) =>
            new BackpropException(ErrorIds.UpdateNotFinite, ErrorKind.InvalidResult, rate,
                $"A {step} with learning rate {rate.ToString("G6", CultureInfo.InvariantCulture)} would make {parameter} non-finite " +
                $"(row {row}, column {column}); nothing was changed. Use a smaller learning rate.");
    }
}
