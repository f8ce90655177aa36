using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using BackpropModule.Engine.Tensors;
using BackpropModule.Engine.Training;

namespace BackpropModule.Engine.IO
{
    /// <summary>
    /// The <c>checkpoint</c> member of a network file. Version 1 holds epochsCompleted, randomState (six
    /// decimal strings), optimizerName, optimizerSettings and optimizerState. Version 2 adds where a
    /// stopped epoch stands (samplesCompleted, epochLossSum, epochCorrect) and what the run depends on
    /// (batchSize, shuffle, clipNorm, schedule with its state, data: { count, featureCount, targetWidth, fingerprint }). A checkpoint that
    /// could not be resumed (see <see cref="TrainingCheckpoint.Problem"/>) is refused when read.
    /// </summary>
    internal static class CheckpointJson
    {
        private const string Where = "payload.checkpoint";

        private static readonly string[] Version1 = { "epochsCompleted", "randomState", "optimizerName", "optimizerSettings", "optimizerState" };
        private static readonly string[] Version2 = Version1.Concat(new[] { "samplesCompleted", "epochLossSum", "epochCorrect", "batchSize", "shuffle", "clipNorm", "schedule", "data" }).ToArray();

        internal static void Write(JsonWriter w, TrainingCheckpoint cp, Action<JsonWriter, int, IReadOnlyList<KeyValuePair<string, Tensor>>> writeTensors)
        {
            string Int(long v) => v.ToString(CultureInfo.InvariantCulture);
            w.Name(2, "checkpoint", false).Raw("{");
            w.Name(3, "epochsCompleted", true).Raw(Int(cp.EpochsCompleted));
            w.Name(3, "samplesCompleted", false).Raw(Int(cp.SamplesCompleted));
            w.Name(3, "epochLossSum", false).Raw(TensorCodec.FormatScalar(cp.EpochLossSum));
            w.Name(3, "epochCorrect", false).Raw(Int(cp.EpochCorrect));
            w.Name(3, "randomState", false).Raw(cp.RandomState == null ? "null" :
                "[" + string.Join(", ", cp.RandomState.Select(u => "\"" + u.ToString(CultureInfo.InvariantCulture) + "\"")) + "]");
            w.Name(3, "optimizerName", false);
            if (cp.OptimizerName == null) w.Raw("null"); else w.String(cp.OptimizerName);
            w.Name(3, "optimizerSettings", false);
            if (cp.OptimizerSettings == null) w.Raw("null");
            else
            {
                w.Raw("{");
                bool first = true;
                foreach (var kv in cp.OptimizerSettings) { w.Name(4, kv.Key, first).Raw(TensorCodec.FormatScalar(kv.Value)); first = false; }
                if (!first) w.Indent(3);
                w.Raw("}");
            }
            w.Name(3, "optimizerState", false);
            if (cp.OptimizerState == null) w.Raw("null"); else writeTensors(w, 3, cp.OptimizerState);
            w.Name(3, "batchSize", false).Raw(cp.BatchSize > 0 ? Int(cp.BatchSize) : "null");
            w.Name(3, "shuffle", false).Raw(cp.Shuffle == null ? "null" : cp.Shuffle.Value ? "true" : "false");
            w.Name(3, "clipNorm", false).Raw(cp.ClipNorm.HasValue ? TensorCodec.FormatScalar(cp.ClipNorm.Value) : "null");
            w.Name(3, "schedule", false);
            if (cp.Schedule == null) w.Raw("null"); else WriteSchedule(w, cp.Schedule);
            w.Name(3, "data", false);
            if (cp.Data == null) w.Raw("null");
            else
                w.Raw("{ ").String("count").Raw(": " + Int(cp.Data.Count) + ", ").String("featureCount").Raw(": " + Int(cp.Data.FeatureCount) + ", ")
                 .String("targetWidth").Raw(": " + Int(cp.Data.TargetWidth) + ", ").String("fingerprint").Raw(": ").String(cp.Data.HashText).Raw(" }");
            w.Indent(2).Raw("}");
        }

        internal static TrainingCheckpoint Read(JsonValue value, object target, long formatVersion,
            Func<JsonValue, string, List<KeyValuePair<string, Tensor>>> readTensors)
        {
            var f = new JsonFields(value, Where, target, formatVersion >= 2 ? Version2 : Version1);
            var cp = new TrainingCheckpoint { EpochsCompleted = (int)f.Integer("epochsCompleted", 0, int.MaxValue) };
            if (f.Has("randomState"))
            {
                var words = f.Get("randomState", JsonKind.Array).Items;
                if (words.Count != 6) throw JsonFields.Invalid(target, $"{Where}.randomState has {words.Count} words; a generator state has 6.");
                cp.RandomState = words.Select((v, i) =>
                    v.Kind == JsonKind.String && ulong.TryParse(v.Text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong u) ? u
                    : throw JsonFields.Invalid(target, $"{Where}.randomState[{i}] must be a string holding an unsigned 64-bit integer.")).ToArray();
            }
            if (f.Has("optimizerName")) cp.OptimizerName = f.String("optimizerName");
            if (f.Has("optimizerSettings"))
            {
                var settings = new Dictionary<string, double>(StringComparer.Ordinal);
                foreach (var m in f.Get("optimizerSettings", JsonKind.Object).Members)
                    settings[m.Key] = TensorCodec.ParseScalar(m.Value, $"{Where}.optimizerSettings.{m.Key}", target);
                cp.OptimizerSettings = settings;
            }
            if (f.Has("optimizerState")) cp.OptimizerState = readTensors(f.Get("optimizerState", JsonKind.Array), Where + ".optimizerState");
            if (f.Has("samplesCompleted")) cp.SamplesCompleted = (int)f.Integer("samplesCompleted", 0, int.MaxValue);
            if (f.Has("epochLossSum")) cp.EpochLossSum = TensorCodec.ParseScalar(f.Get("epochLossSum", JsonKind.Number), Where + ".epochLossSum", target);
            if (f.Has("epochCorrect")) cp.EpochCorrect = f.Integer("epochCorrect", 0, int.MaxValue);
            if (f.Has("batchSize")) cp.BatchSize = (int)f.Integer("batchSize", 1, int.MaxValue);
            if (f.Has("shuffle")) cp.Shuffle = Boolean(value, "shuffle", target);
            if (f.Has("clipNorm")) cp.ClipNorm = TensorCodec.ParseScalar(f.Get("clipNorm", JsonKind.Number), Where + ".clipNorm", target);
            if (f.Has("schedule")) cp.Schedule = ReadSchedule(f.Get("schedule", JsonKind.Object), target);
            if (f.Has("data")) cp.Data = ReadData(f.Get("data", JsonKind.Object), target);
            string problem = cp.Problem();
            if (problem != null) throw JsonFields.Invalid(target, $"{Where}: {problem}.");
            return cp;
        }

        private static readonly string[] ScheduleMembers =
            { "kind", "stepSize", "gamma", "minRate", "patience", "totalEpochs", "baseRate", "currentRate", "bestLoss", "wait" };

        private static void WriteSchedule(JsonWriter w, LearningRateSchedule s)
        {
            string I(long v) => v.ToString(CultureInfo.InvariantCulture);
            string D(double v) => TensorCodec.FormatScalar(v);
            w.Raw("{ ").String("kind").Raw(": ").String(s.Kind.ToString()).Raw(", ");
            w.String("stepSize").Raw(": " + I(s.StepSize) + ", ").String("gamma").Raw(": " + D(s.EffectiveGamma) + ", ");
            w.String("minRate").Raw(": " + D(s.MinRate) + ", ").String("patience").Raw(": " + I(s.Patience) + ", ");
            w.String("totalEpochs").Raw(": " + I(s.TotalEpochs) + ", ").String("baseRate").Raw(": " + D(s.BaseRate) + ", ");
            w.String("currentRate").Raw(": " + D(s.CurrentRate) + ", ").String("bestLoss").Raw(": " + D(s.BestLoss) + ", ");
            w.String("wait").Raw(": " + I(s.Wait) + " }");
        }

        private static LearningRateSchedule ReadSchedule(JsonValue value, object target)
        {
            string at = Where + ".schedule";
            var f = new JsonFields(value, at, target, ScheduleMembers);
            double D(string name) => TensorCodec.ParseScalar(value.Members.First(m => m.Key == name).Value, at + "." + name, target);
            foreach (string m in ScheduleMembers) f.Get(m, value.Members.FirstOrDefault(x => x.Key == m).Value?.Kind ?? JsonKind.Null);
            return new LearningRateSchedule
            {
                Kind = f.Enum<ScheduleKind>("kind"), StepSize = (int)f.Integer("stepSize", 1, int.MaxValue), Gamma = D("gamma"),
                MinRate = D("minRate"), Patience = (int)f.Integer("patience", 1, int.MaxValue), TotalEpochs = (int)f.Integer("totalEpochs", 0, int.MaxValue),
                BaseRate = D("baseRate"), CurrentRate = D("currentRate"), BestLoss = D("bestLoss"), Wait = (int)f.Integer("wait", 0, int.MaxValue),
            };
        }

        private static bool Boolean(JsonValue obj, string name, object target)
        {
            var kind = obj.Members.First(m => m.Key == name).Value.Kind;
            if (kind != JsonKind.True && kind != JsonKind.False) throw JsonFields.Invalid(target, $"{Where}.{name} must be true or false.");
            return kind == JsonKind.True;
        }

        private static DataFingerprint ReadData(JsonValue value, object target)
        {
            var d = new JsonFields(value, Where + ".data", target, "count", "featureCount", "targetWidth", "fingerprint");
            string hex = d.String("fingerprint");
            if (hex.Length != 16 || !ulong.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong hash))
                throw JsonFields.Invalid(target, $"{Where}.data.fingerprint must be 16 hexadecimal digits.");
            return new DataFingerprint((int)d.Integer("count", 1, int.MaxValue), (int)d.Integer("featureCount", 1, int.MaxValue),
                (int)d.Integer("targetWidth", 1, int.MaxValue), hash);
        }
    }
}
