using System;
using System.Globalization;

namespace BackpropModule.Engine.Training
{
    /// <summary>The learning-rate schedules of Start-Training.</summary>
    public enum ScheduleKind
    {
        /// <summary>η = η₀ · γ^⌊(e−1)/StepSize⌋: multiplied by γ every StepSize epochs.</summary>
        Step,
        /// <summary>η = η₀ · γ^(e−1): multiplied by γ every epoch.</summary>
        Exponential,
        /// <summary>η = η_min + ½(η₀ − η_min)(1 + cos(π·(e−1)/T)) for epochs 1..T, then the rate of epoch T (Loshchilov and Hutter 2017, without restarts).</summary>
        Cosine,
        /// <summary>η multiplied by γ (not below η_min) when the monitored loss has not improved for Patience epochs.</summary>
        ReduceOnPlateau,
    }

    /// <summary>
    /// A learning-rate schedule: the rate of epoch e (counted from 1 over all runs of a network) from the
    /// base rate η₀, set on the optimizer before the epoch's first step. Saved in the checkpoint with its
    /// state, so a resumed run continues the schedule exactly.
    /// </summary>
    /// <remarks>
    /// NOTE: γ^k is computed by repeated squaring from basic operations, so Step and Exponential rates are
    /// identical on every platform; Cosine uses Math.Cos, which is the same on one runtime and machine
    /// (a resume there is bit-exact) but may differ in the last bit elsewhere.
    /// </remarks>
    public sealed class LearningRateSchedule
    {
        /// <summary>The kind of schedule.</summary>
        public ScheduleKind Kind { get; set; }

        /// <summary>Epochs between reductions (Step). Default 10.</summary>
        public int StepSize { get; set; } = 10;

        /// <summary>The factor γ in (0, 1): per StepSize epochs, per epoch, or per plateau. Default 0.1 (Exponential 0.95).</summary>
        public double? Gamma { get; set; }

        /// <summary>The lowest rate (Cosine's end, ReduceOnPlateau's floor). Default 0.</summary>
        public double MinRate { get; set; }

        /// <summary>Epochs without improvement before a reduction (ReduceOnPlateau). Default 5.</summary>
        public int Patience { get; set; } = 5;

        /// <summary>The epochs T of a cosine cycle; 0 takes the epochs of the run that starts it.</summary>
        public int TotalEpochs { get; set; }

        /// <summary>η₀: the rate of epoch 1 (set when a run starts).</summary>
        public double BaseRate { get; set; }

        /// <summary>ReduceOnPlateau's current rate (0 until the first epoch).</summary>
        public double CurrentRate { get; set; }

        /// <summary>ReduceOnPlateau's best monitored loss so far (+∞ at first).</summary>
        public double BestLoss { get; set; } = double.PositiveInfinity;

        /// <summary>ReduceOnPlateau's epochs since the last improvement or reduction.</summary>
        public int Wait { get; set; }

        /// <summary>γ with its default.</summary>
        public double EffectiveGamma => Gamma ?? (Kind == ScheduleKind.Exponential ? 0.95 : 0.1);

        /// <summary>The rate of epoch e (1-based).</summary>
        public double RateFor(int epoch)
        {
            switch (Kind)
            {
                case ScheduleKind.Step: return BaseRate * Power(EffectiveGamma, (epoch - 1) / StepSize);
                case ScheduleKind.Exponential: return BaseRate * Power(EffectiveGamma, epoch - 1);
                case ScheduleKind.Cosine:
                    // Stops at the last epoch of the cycle (t = T − 1), so the rate never reaches a minimum of 0.
                    int t = Math.Min(epoch - 1, TotalEpochs - 1);
                    return MinRate + 0.5 * (BaseRate - MinRate) * (1 + Math.Cos(Math.PI * t / TotalEpochs));
                default: return CurrentRate > 0 ? CurrentRate : BaseRate;
            }
        }

        /// <summary>After an epoch: ReduceOnPlateau watches the monitored loss (improvement = lower by more than minDelta).</summary>
        public void EpochEnded(double monitoredLoss, double minDelta)
        {
            if (Kind != ScheduleKind.ReduceOnPlateau) return;
            if (CurrentRate <= 0) CurrentRate = BaseRate;
            if (monitoredLoss < BestLoss - minDelta) { BestLoss = monitoredLoss; Wait = 0; return; }
            if (++Wait < Patience) return;
            double next = Math.Max(CurrentRate * EffectiveGamma, MinRate);
            if (next > 0) CurrentRate = next;
            Wait = 0;
        }

        /// <summary>A copy (the checkpoint keeps its own).</summary>
        public LearningRateSchedule Clone() => (LearningRateSchedule)MemberwiseClone();

        /// <summary>The reason the settings or state are unusable, or null.</summary>
        public string Problem()
        {
            if (!Enum.IsDefined(typeof(ScheduleKind), Kind)) return "an unknown schedule kind";
            if (StepSize < 1) return $"the step size must be at least 1 epoch; got {StepSize}";
            if (!(EffectiveGamma > 0 && EffectiveGamma < 1)) return $"gamma must be in (0, 1); got {Format(EffectiveGamma)}";
            if (!(MinRate >= 0) || double.IsInfinity(MinRate)) return $"the minimum learning rate must be a finite number ≥ 0; got {Format(MinRate)}";
            if (Patience < 1) return $"the schedule's patience must be at least 1 epoch; got {Patience}";
            if (TotalEpochs < 0) return $"the cosine cycle cannot have {TotalEpochs} epochs";
            if (!(BaseRate >= 0) || double.IsInfinity(BaseRate) || !(CurrentRate >= 0) || double.IsInfinity(CurrentRate)) return "the rates must be finite numbers ≥ 0";
            if (MinRate >= BaseRate && BaseRate > 0) return $"the minimum learning rate {Format(MinRate)} must be below the base rate {Format(BaseRate)}";
            if (Wait < 0 || double.IsNaN(BestLoss)) return "the plateau state is impossible";
            return null;
        }

        /// <inheritdoc/>
        public override string ToString() => Kind + " (base " + Format(BaseRate) + ")";

        /// <summary>x^k by repeated squaring, from multiplications only.</summary>
        private static double Power(double x, int k)
        {
            double result = 1;
            for (; k > 0; k >>= 1, x *= x) if ((k & 1) != 0) result *= x;
            return result;
        }

        private static string Format(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
    }
}
