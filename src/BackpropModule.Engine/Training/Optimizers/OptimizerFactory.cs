using System;
using System.Collections.Generic;
using System.Linq;

namespace BackpropModule.Engine.Training.Optimizers
{
    /// <summary>Creates optimizers by name, from explicit settings or from a saved checkpoint.</summary>
    public static class OptimizerFactory
    {
        /// <summary>The names <see cref="Create"/> accepts, in teaching order.</summary>
        public static readonly IReadOnlyList<string> Names = new[] { "SGD", "Momentum", "AdaGrad", "RMSProp", "Adam" };

        private static readonly Dictionary<string, string[]> Allowed = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase)
        {
            ["SGD"] = new[] { "LearningRate", "WeightDecay" },
            ["Momentum"] = new[] { "LearningRate", "Momentum", "WeightDecay" },
            ["AdaGrad"] = new[] { "LearningRate", "Epsilon", "WeightDecay" },
            ["RMSProp"] = new[] { "LearningRate", "Decay", "Epsilon", "WeightDecay" },
            ["Adam"] = new[] { "LearningRate", "Beta1", "Beta2", "Epsilon", "WeightDecay" },
        };

        /// <summary>The canonical spelling of a name (case-insensitive match), or null.</summary>
        public static string Canonical(string name) => Names.FirstOrDefault(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));

        /// <summary>The learning rate an optimizer gets when none is given.</summary>
        /// <exception cref="BackpropException">OptimizerNameUnknown.</exception>
        public static double DefaultLearningRate(string name)
        {
            switch (Require(name))
            {
                case "SGD": return SgdOptimizer.DefaultLearningRate;
                case "Momentum": return MomentumOptimizer.DefaultLearningRate;
                case "AdaGrad": return AdaGradOptimizer.DefaultLearningRate;
                case "RMSProp": return RmsPropOptimizer.DefaultLearningRate;
                default: return AdamOptimizer.DefaultLearningRate;
            }
        }

        /// <summary>
        /// Creates an optimizer. Settings not given take the rule's defaults (LearningRate included);
        /// a setting the rule does not have is an error, so a typo never goes unnoticed.
        /// </summary>
        /// <exception cref="BackpropException">OptimizerNameUnknown, OptimizerSettingInvalid or LearningRateInvalid.</exception>
        public static OptimizerBase Create(string name, IReadOnlyDictionary<string, double> settings = null)
        {
            string canonical = Require(name);
            var s = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
            if (settings != null)
                foreach (var kv in settings)
                {
                    if (!Allowed[canonical].Contains(kv.Key, StringComparer.OrdinalIgnoreCase))
                        throw new BackpropException(ErrorIds.OptimizerSettingInvalid, ErrorKind.InvalidArgument, kv.Key,
                            $"{canonical} has no setting '{kv.Key}'; its settings are {string.Join(", ", Allowed[canonical])}.");
                    s[kv.Key] = kv.Value;
                }
            double Get(string key, double fallback) => s.TryGetValue(key, out double v) ? v : fallback;
            double lr = Get("LearningRate", DefaultLearningRate(canonical)), wd = Get("WeightDecay", 0);
            switch (canonical)
            {
                case "SGD": return new SgdOptimizer(lr, wd);
                case "Momentum": return new MomentumOptimizer(lr, Get("Momentum", 0.9), wd);
                case "AdaGrad": return new AdaGradOptimizer(lr, Get("Epsilon", 1e-8), wd);
                case "RMSProp": return new RmsPropOptimizer(lr, Get("Decay", 0.99), Get("Epsilon", 1e-8), wd);
                default: return new AdamOptimizer(lr, Get("Beta1", 0.9), Get("Beta2", 0.999), Get("Epsilon", 1e-8), wd);
            }
        }

        /// <summary>Recreates the optimizer of a checkpoint with its settings and state.</summary>
        /// <exception cref="BackpropException">The name, a setting or the state is invalid.</exception>
        public static OptimizerBase FromCheckpoint(TrainingCheckpoint checkpoint)
        {
            if (checkpoint == null) throw new ArgumentNullException(nameof(checkpoint));
            var optimizer = Create(checkpoint.OptimizerName, checkpoint.OptimizerSettings);
            if (checkpoint.OptimizerState != null) optimizer.LoadState(checkpoint.OptimizerState);
            return optimizer;
        }

        private static string Require(string name) =>
            Canonical(name) ?? throw new BackpropException(ErrorIds.OptimizerNameUnknown, ErrorKind.InvalidArgument, name,
                $"There is no optimizer named '{name}'; choose one of {string.Join(", ", Names)}.");
    }
}
