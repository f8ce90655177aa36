using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using BackpropModule.Engine.Tensors;
using BackpropModule.Engine.Training;

namespace BackpropModule.Engine.IO
{
    /// <summary>
    /// The <c>history</c> member of a network file (format version 2): the network's epoch records
    /// stored by column, each column the base64 of its little-endian doubles (as parameters are),
    /// plus the distinct optimizer names. A history costs a dozen JSON values however many epochs it
    /// holds, so a run of a million epochs still fits the reader's value budget
    /// (<see cref="JsonParser.MaxValues"/>), and every number round-trips bit for bit.
    /// </summary>
    /// <remarks>
    /// <c>{ "count": N, "optimizers": ["Adam"], "columns": { "epoch": "…", … } }</c>. Whole-number
    /// columns hold exact doubles; the optional columns (accuracies, validation loss) hold NaN for
    /// "none"; <c>optimizer</c> holds indexes into <c>optimizers</c>; <c>isBest</c> holds 0 or 1.
    /// </remarks>
    internal static class HistoryJson
    {
        private static readonly string[] Columns =
        {
            "epoch", "lastEpoch", "trainingLoss", "trainingAccuracy", "validationLoss", "validationAccuracy", "learningRate",
            "optimizer", "durationSeconds", "samplesPerSecond", "batches", "samples", "isBest", "bestEpoch",
        };

        internal static void Write(JsonWriter w, IReadOnlyList<EpochRecord> records)
        {
            var optimizers = records.Select(r => r.Optimizer ?? "").Distinct().ToList();
            double Optional(double? v) => v ?? double.NaN;
            var rows = new Func<EpochRecord, double>[]
            {
                r => r.Epoch, r => r.LastEpoch, r => r.TrainingLoss, r => Optional(r.TrainingAccuracy), r => Optional(r.ValidationLoss),
                r => Optional(r.ValidationAccuracy), r => r.LearningRate, r => optimizers.IndexOf(r.Optimizer ?? ""),
                r => r.Duration.TotalSeconds, r => r.SamplesPerSecond, r => r.Batches, r => r.Samples, r => r.IsBest ? 1 : 0, r => r.BestEpoch,
            };
            w.Name(2, "history", false).Raw("{");
            w.Name(3, "count", true).Raw(records.Count.ToString(CultureInfo.InvariantCulture));
            w.Name(3, "optimizers", false).Raw("[");
            for (int i = 0; i < optimizers.Count; i++) { if (i > 0) w.Raw(", "); w.String(optimizers[i]); }
            w.Raw("]");
            w.Name(3, "columns", false).Raw("{");
            for (int c = 0; c < Columns.Length; c++)
            {
                var column = new Tensor(1, Math.Max(records.Count, 1));
                for (int i = 0; i < records.Count; i++) column[0, i] = rows[c](records[i]);
                w.Name(4, Columns[c], c == 0).String(records.Count == 0 ? "" : TensorCodec.Encode(column));
            }
            w.Indent(3).Raw("}").Indent(2).Raw("}");
        }

        internal static List<EpochRecord> Read(JsonValue value, object target)
        {
            var f = new JsonFields(value, "payload.history", target, "count", "optimizers", "columns");
            int count = (int)f.Integer("count", 0, int.MaxValue);
            var names = f.Get("optimizers", JsonKind.Array).Items;
            var optimizers = new List<string>();
            foreach (var n in names)
            {
                if (n.Kind != JsonKind.String) throw JsonFields.Invalid(target, "payload.history.optimizers must hold names.");
                optimizers.Add(n.Text);
            }
            var columns = new JsonFields(f.Get("columns", JsonKind.Object), "payload.history.columns", target, Columns);
            var data = new Dictionary<string, double[]>();
            foreach (string name in Columns)
            {
                string text = columns.String(name);
                data[name] = count == 0 ? new double[0] : TensorCodec.Decode(text, 1, count, "payload.history.columns." + name, target).Data;
            }
            int Whole(string name, int i, int min)
            {
                double v = data[name][i];
                if (!(v >= min) || v > int.MaxValue || Math.Floor(v) != v)
                    throw JsonFields.Invalid(target, $"payload.history.columns.{name}[{i}] must be a whole number ≥ {min}.");
                return (int)v;
            }
            double? Optional(string name, int i) => double.IsNaN(data[name][i]) ? (double?)null : data[name][i];
            var result = new List<EpochRecord>(Math.Min(count, 1 << 16));
            for (int i = 0; i < count; i++)
            {
                double seconds = data["durationSeconds"][i];
                if (!(seconds >= 0) || seconds > TimeSpan.MaxValue.TotalSeconds / 2)
                    throw JsonFields.Invalid(target, $"payload.history.columns.durationSeconds[{i}] must be a number of seconds ≥ 0.");
                int optimizer = Whole("optimizer", i, 0);
                if (optimizer >= optimizers.Count) throw JsonFields.Invalid(target, $"payload.history.columns.optimizer[{i}] names no optimizer.");
                int best = Whole("isBest", i, 0);
                if (best > 1) throw JsonFields.Invalid(target, $"payload.history.columns.isBest[{i}] must be 0 or 1.");
                result.Add(new EpochRecord
                {
                    Epoch = Whole("epoch", i, 1), LastEpoch = Whole("lastEpoch", i, 1),
                    TrainingLoss = data["trainingLoss"][i], TrainingAccuracy = Optional("trainingAccuracy", i),
                    ValidationLoss = Optional("validationLoss", i), ValidationAccuracy = Optional("validationAccuracy", i),
                    LearningRate = data["learningRate"][i], Optimizer = optimizers[optimizer],
                    Duration = TimeSpan.FromTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond)), SamplesPerSecond = data["samplesPerSecond"][i],
                    Batches = Whole("batches", i, 0), Samples = Whole("samples", i, 0),
                    IsBest = best == 1, BestEpoch = Whole("bestEpoch", i, 0),
                });
            }
            return result;
        }
    }
}
