using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using BackpropModule.Engine.Tensors;

namespace BackpropModule.Engine.Training.Optimizers
{
    /// <summary>
    /// Shared machinery of the update rules: learning rate and weight decay, per-parameter state
    /// tensors created on first use, a step counter, and saving/restoring that state exactly.
    /// </summary>
    /// <remarks>
    /// Weight decay is the classic L2 penalty ½λ‖W‖² added to the loss, so λ·W is added to the
    /// gradient of every weight matrix before the rule sees it (biases are not decayed). For Adam this
    /// is "Adam with L2", not AdamW's decoupled decay (Loshchilov &amp; Hutter 2019); the reported loss
    /// does not include the penalty. One optimizer serves one network: its state is bound to the
    /// shapes of the parameters it first stepped.
    /// </remarks>
    public abstract partial class OptimizerBase : IOptimizer
    {
        private double learningRate;
        private Tensor[][] slots;     // [slot][parameter]
        private string[] parameterNames;
        private double[][] scratch;   // reused per step: the slots of the parameter being updated

        /// <summary>Sets the learning rate and weight decay.</summary>
        /// <exception cref="BackpropException">LearningRateInvalid or OptimizerSettingInvalid.</exception>
        protected OptimizerBase(double learningRate, double weightDecay)
        {
            LearningRate = learningRate;
            if (!(weightDecay >= 0) || double.IsInfinity(weightDecay))
                throw Invalid("WeightDecay", weightDecay, "a finite number ≥ 0");
            WeightDecay = weightDecay;
        }

        /// <inheritdoc/>
        public abstract string Name { get; }

        /// <summary>The step size η; must be positive and finite.</summary>
        /// <exception cref="BackpropException">LearningRateInvalid.</exception>
        public double LearningRate
        {
            get => learningRate;
            set
            {
                if (!(value > 0) || double.IsInfinity(value))
                    throw new BackpropException(ErrorIds.LearningRateInvalid, ErrorKind.InvalidArgument, value,
                        $"The learning rate must be a positive finite number; got {Format(value)}.");
                learningRate = value;
            }
        }

        /// <summary>The L2 coefficient λ added to weight gradients as λ·W.</summary>
        public double WeightDecay { get; }

        /// <summary>Steps taken since the state was created (the t of Adam's bias correction).</summary>
        public long Steps { get; private set; }

        /// <summary>True once the first step has created the state.</summary>
        public bool HasState => slots != null;

        /// <inheritdoc/>
        public IReadOnlyDictionary<string, double> Settings
        {
            get
            {
                var d = new Dictionary<string, double> { ["LearningRate"] = LearningRate };
                foreach (var kv in Hyperparameters) d[kv.Key] = kv.Value;
                d["WeightDecay"] = WeightDecay;
                return d;
            }
        }

        /// <summary>The rule's own hyperparameters (not the learning rate or weight decay), in display order.</summary>
        protected abstract IEnumerable<KeyValuePair<string, double>> Hyperparameters { get; }

        /// <summary>Names of the per-parameter state tensors (e.g. <c>Velocity</c>); empty for plain SGD.</summary>
        protected abstract string[] SlotNames { get; }

        /// <summary>
        /// Updates one parameter in place. w and g are the column-major values of the parameter and
        /// its gradient; decay is λ for weights and 0 for biases; state holds this parameter's slots.
        /// </summary>
        protected abstract void Update(double[] w, double[] g, double decay, double[][] state);

        /// <summary>Called once per step before the parameters are updated, after <see cref="Steps"/> has incremented.</summary>
        protected virtual void BeginStep() { }

        /// <summary>Extra state beyond the per-parameter slots (e.g. Adam's β powers).</summary>
        protected virtual IEnumerable<KeyValuePair<string, Tensor>> ExtraState() { yield break; }

        /// <summary>Restores one entry of <see cref="ExtraState"/>; false when the key is not one.</summary>
        protected virtual bool LoadExtra(string key, Tensor value) => false;

        /// <summary>Forgets the state: the next step starts as the first.</summary>
        public virtual void Reset()
        {
            slots = null; parameterNames = null; Steps = 0;
        }

        /// <inheritdoc/>
        /// <exception cref="BackpropException">GradientNetworkMismatch (count or shapes) or OptimizerNetworkMismatch (state of other shapes).</exception>
        public void Step(Network network, IReadOnlyList<Tensor> gradients)
        {
            if (network == null) throw new ArgumentNullException(nameof(network));
            var ps = network.Parameters;
            if (gradients == null || gradients.Count != ps.Count)
                throw new BackpropException(ErrorIds.GradientNetworkMismatch, ErrorKind.InvalidArgument, gradients,
                    $"The network has {ps.Count} parameters; got {gradients?.Count ?? 0} gradients.");
            for (int p = 0; p < ps.Count; p++)
                if (gradients[p].Rows != ps[p].Value.Rows || gradients[p].Columns != ps[p].Value.Columns)
                    throw new BackpropException(ErrorIds.GradientNetworkMismatch, ErrorKind.InvalidArgument, gradients,
                        $"Gradient {ps[p].GradientName} is {gradients[p].Shape}; parameter {ps[p].Name} is {ps[p].Shape}.");
            EnsureState(network);
            Steps++;
            BeginStep();
            int slotCount = slots.Length;
            var state = scratch ?? (scratch = new double[slotCount][]);
            for (int p = 0; p < ps.Count; p++)
            {
                for (int s = 0; s < slotCount; s++) state[s] = slots[s][p].Data;
                double decay = ps[p].Name.StartsWith("W", StringComparison.Ordinal) ? WeightDecay : 0.0;
                Update(ps[p].Value.Data, gradients[p].Data, decay, state);
            }
            network.MarkUpdated();
        }

        private void EnsureState(Network network)
        {
            var ps = network.Parameters;
            if (slots != null && parameterNames != null)
            {
                bool same = slots.Length == 0 ? parameterNames.Length == ps.Count : slots[0].Length == ps.Count;
                for (int p = 0; same && p < ps.Count; p++)
                    same = parameterNames[p] == ps[p].Name && (slots.Length == 0 ||
                        (slots[0][p].Rows == ps[p].Value.Rows && slots[0][p].Columns == ps[p].Value.Columns));
                if (!same)
                    throw new BackpropException(ErrorIds.OptimizerNetworkMismatch, ErrorKind.InvalidOperation, this,
                        $"This {Name} optimizer holds state for parameters {string.Join(", ", parameterNames)} of other shapes than {network.Architecture}. " +
                        "Use one optimizer per network (New-Optimizer), or call its Reset() method.");
                return;
            }
            CreateState(ps);
        }

        // Kept apart from EnsureState so the lambdas' closure is not allocated on every step.
        private void CreateState(IReadOnlyList<Layers.Parameter> ps)
        {
            parameterNames = ps.Select(p => p.Name).ToArray();
            if (slots != null) return; // state without slots (plain SGD) restored before the first step
            slots = SlotNames.Select(_ => ps.Select(p => new Tensor(p.Value.Rows, p.Value.Columns)).ToArray()).ToArray();
        }

        /// <inheritdoc/>
        public IReadOnlyList<KeyValuePair<string, Tensor>> SaveState()
        {
            var list = new List<KeyValuePair<string, Tensor>>();
            if (slots == null) return list;
            var steps = new Tensor(1, 1);
            steps[0, 0] = Steps;
            list.Add(new KeyValuePair<string, Tensor>("Steps", steps));
            foreach (var kv in ExtraState()) list.Add(new KeyValuePair<string, Tensor>(kv.Key, kv.Value.Clone()));
            for (int s = 0; s < slots.Length; s++)
                for (int p = 0; p < slots[s].Length; p++)
                    list.Add(new KeyValuePair<string, Tensor>(SlotNames[s] + "." + parameterNames[p], slots[s][p].Clone()));
            return list;
        }

        /// <inheritdoc/>
        /// <exception cref="BackpropException">OptimizerStateInvalid: an entry is unknown or missing, or shapes disagree.</exception>
        public void LoadState(IReadOnlyList<KeyValuePair<string, Tensor>> state)
        {
            if (state == null || state.Count == 0) { Reset(); return; }
            long steps = -1;
            var names = new List<string>();
            var bySlot = SlotNames.Select(_ => new List<Tensor>()).ToArray();
            foreach (var kv in state)
            {
                int dot = kv.Key?.IndexOf('.') ?? -1;
                if (kv.Key == "Steps" && kv.Value != null && kv.Value.Count == 1) { steps = (long)kv.Value[0, 0]; continue; }
                if (kv.Value != null && LoadExtra(kv.Key, kv.Value.Clone())) continue;
                string slot = dot > 0 ? kv.Key.Substring(0, dot) : null, param = dot > 0 ? kv.Key.Substring(dot + 1) : null;
                int s = Array.IndexOf(SlotNames, slot);
                if (s < 0 || kv.Value == null)
                    throw new BackpropException(ErrorIds.OptimizerStateInvalid, ErrorKind.InvalidData, state,
                        $"'{kv.Key}' is not part of a {Name} optimizer's state (expected Steps and {string.Join(", ", SlotNames.Select(n => n + ".<parameter>"))}).");
                if (s == 0) names.Add(param);
                bySlot[s].Add(kv.Value.Clone());
            }
            if (steps < 0 || bySlot.Any(b => b.Count != names.Count) ||
                bySlot.Any(b => b.Select((t, i) => t.Rows != bySlot[0][i].Rows || t.Columns != bySlot[0][i].Columns).Any(x => x)))
                throw new BackpropException(ErrorIds.OptimizerStateInvalid, ErrorKind.InvalidData, state,
                    $"The saved {Name} state is incomplete: it needs Steps and one tensor per parameter for each of {string.Join(", ", SlotNames)}.");
            Steps = steps;
            parameterNames = SlotNames.Length == 0 ? null : names.ToArray();
            slots = bySlot.Select(b => b.ToArray()).ToArray();
        }

        /// <summary>An OptimizerSettingInvalid error for a hyperparameter outside its range.</summary>
        protected BackpropException Invalid(string setting, double value, string range) =>
            new BackpropException(ErrorIds.OptimizerSettingInvalid, ErrorKind.InvalidArgument, value,
                $"{Name} setting {setting} must be {range}; got {Format(value)}.");

        /// <summary>Checks 0 ≤ value &lt; 1, the range of momentum, decay and β.</summary>
        protected double UnitInterval(string setting, double value)
        {
            if (!(value >= 0 && value < 1)) throw Invalid(setting, value, "in [0, 1)");
            return value;
        }

        /// <summary>Checks value &gt; 0 and finite, the range of ε.</summary>
        protected double Positive(string setting, double value)
        {
            if (!(value > 0) || double.IsInfinity(value)) throw Invalid(setting, value, "a positive finite number");
            return value;
        }

        /// <summary>Invariant G6 text for a number.</summary>
        protected static string Format(double v) => v.ToString("G6", CultureInfo.InvariantCulture);

        /// <summary>The settings as <c>Name=value</c> pairs.</summary>
        public string SettingsText => string.Join(", ", Settings.Select(kv => kv.Key + "=" + Format(kv.Value)));

        /// <inheritdoc/>
        public override string ToString()
        {
            var sb = new StringBuilder(Name).Append(" (").Append(SettingsText).Append(')');
            sb.Append(", ").Append(Steps.ToString(CultureInfo.InvariantCulture)).Append(Steps == 1 ? " step" : " steps");
            return sb.ToString();
        }
    }
}
