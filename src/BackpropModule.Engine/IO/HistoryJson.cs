using System;
using System.Collections.Generic;
using System.Globalization;
using BackpropModule.Engine.Training;

namespace BackpropModule.Engine.IO
{
    /// <summary>
    /// The <c>history</c> member of a network file (format version 2): the network's epoch records, one
    /// object per line, with every property of <see cref="EpochRecord"/> (the duration in seconds).
    /// </summary>
    internal static class HistoryJson
    {
        private static readonly string[] Members =
        {
            "epoch", "lastEpoch", "trainingLoss", "trainingAccuracy", "validationLoss", "validationAccuracy", "learningRate",
            "optimizer", "durationSeconds", "samplesPerSecond", "batches", "samples", "isBest", "bestEpoch",
        };

        internal static void Write(JsonWriter w, IReadOnlyList<EpochRecord> records)
        {
            string N(double? v) => v.HasValue ? TensorCodec.FormatScalar(v.Value) : "null";
            string I(long v) => v.ToString(CultureInfo.InvariantCulture);
            w.Name(2, "history", false).Raw("[");
            for (int i = 0; i < records.Count; i++)
            {
                var r = records[i];
                if (i > 0) w.Raw(",");
                w.Indent(3).Raw("{ ");
                w.String("epoch").Raw(": " + I(r.Epoch) + ", ").String("lastEpoch").Raw(": " + I(r.LastEpoch) + ", ");
                w.String("trainingLoss").Raw(": " + N(r.TrainingLoss) + ", ").String("trainingAccuracy").Raw(": " + N(r.TrainingAccuracy) + ", ");
                w.String("validationLoss").Raw(": " + N(r.ValidationLoss) + ", ").String("validationAccuracy").Raw(": " + N(r.ValidationAccuracy) + ", ");
                w.String("learningRate").Raw(": " + N(r.LearningRate) + ", ").String("optimizer").Raw(": ").String(r.Optimizer ?? "").Raw(", ");
                w.String("durationSeconds").Raw(": " + N(r.Duration.TotalSeconds) + ", ").String("samplesPerSecond").Raw(": " + N(r.SamplesPerSecond) + ", ");
                w.String("batches").Raw(": " + I(r.Batches) + ", ").String("samples").Raw(": " + I(r.Samples) + ", ");
                w.String("isBest").Raw(": " + (r.IsBest ? "true" : "false") + ", ").String("bestEpoch").Raw(": " + I(r.BestEpoch) + " }");
            }
            if (records.Count > 0) w.Indent(2);
            w.Raw("]");
        }

        internal static List<EpochRecord> Read(JsonValue array, object target)
        {
            var result = new List<EpochRecord>();
            for (int i = 0; i < array.Items.Count; i++)
            {
                string at = $"payload.history[{i}]";
                var f = new JsonFields(array.Items[i], at, target, Members);
                var item = array.Items[i];
                JsonValue Member(string name)
                {
                    var m = item.Members.Find(x => x.Key == name);
                    return m.Value ?? throw JsonFields.Invalid(target, $"{at} has no '{name}'.");
                }
                double Number(string name) => TensorCodec.ParseScalar(Member(name), at + "." + name, target);
                double? Optional(string name) => Member(name).Kind == JsonKind.Null ? (double?)null : Number(name);
                var kind = Member("isBest").Kind;
                if (kind != JsonKind.True && kind != JsonKind.False) throw JsonFields.Invalid(target, $"{at}.isBest must be true or false.");
                double seconds = Number("durationSeconds");
                if (!(seconds >= 0) || seconds > TimeSpan.MaxValue.TotalSeconds / 2) throw JsonFields.Invalid(target, $"{at}.durationSeconds must be a number of seconds ≥ 0.");
                result.Add(new EpochRecord
                {
                    Epoch = (int)f.Integer("epoch", 1, int.MaxValue), LastEpoch = (int)f.Integer("lastEpoch", 1, int.MaxValue),
                    TrainingLoss = Number("trainingLoss"), TrainingAccuracy = Optional("trainingAccuracy"),
                    ValidationLoss = Optional("validationLoss"), ValidationAccuracy = Optional("validationAccuracy"),
                    LearningRate = Number("learningRate"), Optimizer = f.String("optimizer"),
                    Duration = TimeSpan.FromTicks((long)(seconds * TimeSpan.TicksPerSecond)), SamplesPerSecond = Number("samplesPerSecond"),
                    Batches = (int)f.Integer("batches", 0, int.MaxValue), Samples = (int)f.Integer("samples", 0, int.MaxValue),
                    IsBest = kind == JsonKind.True, BestEpoch = (int)f.Integer("bestEpoch", 0, int.MaxValue),
                });
            }
            return result;
        }
    }
}
