using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using BackpropModule.Engine.Layers;
using BackpropModule.Engine.Losses;
using BackpropModule.Engine.Tensors;
using BackpropModule.Engine.Training;

namespace BackpropModule.Engine.IO
{
    /// <summary>
    /// The network file (format "BackpropModule.Network", version 3; versions 1 and 2 are still read): UTF-8 JSON with an envelope
    /// <c>{ "format", "formatVersion", "sha256", "payload" }</c>. <c>sha256</c> is the lowercase hex
    /// SHA-256 of the UTF-8 bytes of the payload's text as written (from its '{' to its '}', line
    /// endings as LF).
    /// The payload holds <c>layerSizes</c>, <c>activation</c>, <c>output</c>, <c>weightInit</c>,
    /// <c>seed</c>, <c>parameters</c> (W1, b1, … each <c>{ name, rows, columns, data }</c>, see
    /// <see cref="TensorCodec"/>), optionally <c>checkpoint</c> (see <see cref="CheckpointJson"/>; version 2
    /// adds the position inside an epoch and what the run depends on) and, from version 2, optionally
    /// <c>history</c> (the epoch records, see <see cref="HistoryJson"/>). Version 3 adds, optionally, <c>biasInit</c>,
    /// <c>biasScale</c>, <c>hiddenLayers</c> and <c>runningStatistics</c> (BatchNorm and Dropout, see <see cref="LayersJson"/>);
    /// a network that uses none of them is still written as version 2, so older modules keep reading it. Reading is strict:
    /// unknown members, wrong kinds, impossible shapes and checksum mismatches are refused, and no
    /// type is ever chosen from the file's text.
    /// </summary>
    public static class NetworkFile
    {
        /// <summary>The format name in the envelope.</summary>
        public const string FormatName = "BackpropModule.Network";

        /// <summary>The newest format version this build writes (it reads this one and every earlier one).</summary>
        public const int FormatVersion = 3;

        /// <summary>
        /// The version a network's file gets: 3 when it needs what version 3 added (BatchNorm, Dropout, a bias
        /// initialisation other than Zero, single precision), else 2, which modules without those layers read too.
        /// </summary>
        public static int VersionFor(Network network) =>
            (network ?? throw new ArgumentNullException(nameof(network))).HasModes || network.BiasInit != BiasInitKind.Zero
                || network.Precision != NumericPrecision.Double ? 3 : 2;

        /// <summary>Largest file <see cref="Load"/> reads (512 MiB; loading allocates about 7 bytes per byte of file).</summary>
        public const long MaxFileBytes = 1L << 29;

        private const int MaxLayers = 1024;

        /// <summary>Writes the network (and its checkpoint when asked and present) atomically (see <see cref="AtomicFile"/>); <paramref name="force"/> allows replacing a read-only file.</summary>
        /// <exception cref="BackpropException">PathInvalid, PathNotFile, OutputFileReadOnly or OutputFileWriteFailed; the previous file, if any, is unchanged.</exception>
        public static void Save(Network network, string path, bool includeCheckpoint = true, bool force = false)
        {
            byte[] bytes = new UTF8Encoding(false).GetBytes(Serialize(network, includeCheckpoint));
            AtomicFile.WriteStream(path, s => s.Write(bytes, 0, bytes.Length), force: force);
        }

        /// <summary>Reads a network file; the result's <see cref="Network.Checkpoint"/> is restored when the file has one.</summary>
        /// <exception cref="BackpropException">NetworkFileNotFound, PathNotFile, PathInvalid, NetworkFileReadFailed, NetworkFileInvalid, NetworkFileVersionUnsupported or NetworkFileChecksumMismatch, with the path as target.</exception>
        public static Network Load(string path) => Deserialize(NetworkFileText.Read(path), path);

        /// <summary>The file's text for a network.</summary>
        public static string Serialize(Network network, bool includeCheckpoint = true)
        {
            if (network == null) throw new ArgumentNullException(nameof(network));
            int version = VersionFor(network);
            string payload = WritePayload(network, includeCheckpoint ? network.Checkpoint : null, version);
            var w = new JsonWriter().Raw("{");
            w.Name(1, "format", true).String(FormatName);
            w.Name(1, "formatVersion", false).Raw(version.ToString(CultureInfo.InvariantCulture));
            w.Name(1, "sha256", false).String(Sha256Hex(payload));
            w.Name(1, "payload", false).Raw(payload);
            return w.Indent(0).Raw("}").Indent(0).ToString().TrimEnd(' ');
        }

        private static string WritePayload(Network n, TrainingCheckpoint cp, int version)
        {
            var w = new JsonWriter().Raw("{");
            w.Name(2, "layerSizes", true).Raw("[" + string.Join(", ", n.LayerSizes.Select(s => s.ToString(CultureInfo.InvariantCulture))) + "]");
            w.Name(2, "activation", false).String(n.Activation.ToString());
            w.Name(2, "output", false).String(n.Output.ToString());
            w.Name(2, "weightInit", false).String(n.WeightInit.ToString());
            w.Name(2, "seed", false).Raw(n.Seed.ToString(CultureInfo.InvariantCulture));
            if (version >= 3) LayersJson.WriteLayers(w, n);
            // Written only for Single (a version-3 member), so a double network's file is what it always was.
            if (n.Precision != NumericPrecision.Double) w.Name(2, "precision", false).String(n.Precision.ToString());
            w.Name(2, "parameters", false);
            WriteTensors(w, 2, n.Parameters.Select(p => new KeyValuePair<string, Tensor>(p.Name, p.Value)).ToList());
            if (version >= 3 && n.HasBatchNorm)
            {
                w.Name(2, "runningStatistics", false);
                WriteTensors(w, 2, LayersJson.Statistics(n));
            }
            if (cp != null) CheckpointJson.Write(w, cp, WriteTensors);
            var history = n.History;
            if (history.Count > 0) HistoryJson.Write(w, history);
            return w.Indent(1).Raw("}").ToString();
        }

        private static void WriteTensors(JsonWriter w, int level, IReadOnlyList<KeyValuePair<string, Tensor>> tensors)
        {
            w.Raw("[");
            for (int i = 0; i < tensors.Count; i++)
            {
                if (i > 0) w.Raw(",");
                w.Indent(level + 1).Raw("{ ");
                w.String("name").Raw(": ").String(tensors[i].Key).Raw(", ");
                w.String("rows").Raw(": ").Raw(tensors[i].Value.Rows.ToString(CultureInfo.InvariantCulture)).Raw(", ");
                w.String("columns").Raw(": ").Raw(tensors[i].Value.Columns.ToString(CultureInfo.InvariantCulture)).Raw(", ");
                w.String("data").Raw(": ").String(TensorCodec.Encode(tensors[i].Value)).Raw(" }");
            }
            if (tensors.Count > 0) w.Indent(level);
            w.Raw("]");
        }

        private static string Sha256Hex(string payload)
        {
            using (var sha = SHA256.Create())
            {
                byte[] hash = sha.ComputeHash(new UTF8Encoding(false).GetBytes(payload));
                return string.Concat(hash.Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));
            }
        }

        /// <summary>Reads a network from the file's text; <paramref name="target"/> (usually the path) goes into errors.</summary>
        /// <exception cref="BackpropException">NetworkFileInvalid, NetworkFileVersionUnsupported or NetworkFileChecksumMismatch.</exception>
        public static Network Deserialize(string text, object target)
        {
            if (text == null) throw new ArgumentNullException(nameof(text));
            JsonValue root;
            try { root = JsonParser.Parse(text); }
            catch (FormatException e) { throw JsonFields.Invalid(target, e.Message); }
            var envelope = new JsonFields(root, "The file", target, "format", "formatVersion", "sha256", "payload");
            if (envelope.String("format") != FormatName)
                throw JsonFields.Invalid(target, $"its format is '{envelope.String("format")}', not '{FormatName}'.");
            long version = envelope.Integer("formatVersion", long.MinValue, long.MaxValue);
            if (version < 1 || version > FormatVersion)
                throw new BackpropException(ErrorIds.NetworkFileVersionUnsupported, ErrorKind.InvalidData, target,
                    $"The network file has format version {version}; this version of BackpropModule reads version {FormatVersion}. Use a newer module to read it.");
            var payload = envelope.Get("payload", JsonKind.Object);
            // Line endings are normalised before hashing, so a file that went through a CRLF conversion
            // (git autocrlf, a Windows editor) still verifies; any other change does not.
            string actual = NetworkFileText.PayloadSha256(text, payload.Start, payload.End);
            if (!string.Equals(envelope.String("sha256"), actual, StringComparison.OrdinalIgnoreCase))
                throw new BackpropException(ErrorIds.NetworkFileChecksumMismatch, ErrorKind.InvalidData, target,
                    $"The network file's payload does not match its SHA-256 checksum (stored {envelope.String("sha256")}, computed {actual}); it was changed or damaged after it was written.");
            return ReadPayload(payload, target, version);
        }

        private static Network ReadPayload(JsonValue payload, object target, long version)
        {
            var p = version >= 3
                ? new JsonFields(payload, "payload", target, "layerSizes", "activation", "output", "weightInit", "seed", "biasInit", "biasScale", "precision",
                    "hiddenLayers", "parameters", "runningStatistics", "checkpoint", "history")
                : version >= 2
                ? new JsonFields(payload, "payload", target, "layerSizes", "activation", "output", "weightInit", "seed", "parameters", "checkpoint", "history")
                : new JsonFields(payload, "payload", target, "layerSizes", "activation", "output", "weightInit", "seed", "parameters", "checkpoint");
            var sizesJson = p.Get("layerSizes", JsonKind.Array).Items;
            if (sizesJson.Count < 2 || sizesJson.Count > MaxLayers)
                throw JsonFields.Invalid(target, $"payload.layerSizes has {sizesJson.Count} entries; a network has 2 to {MaxLayers}.");
            int[] sizes = sizesJson.Select((v, i) => (int)p.ToInteger(v, $"payload.layerSizes[{i}]", 1, int.MaxValue)).ToArray();
            var activation = p.Enum<ActivationKind>("activation");
            var output = p.Enum<OutputKind>("output");
            var init = p.Enum<WeightInitKind>("weightInit");
            long seed = p.Integer("seed", long.MinValue, long.MaxValue);
            // No hiddenLayers member (every version 1 and 2 file): a plain network, W and b per block.
            var options = LayersJson.ReadOptions(p, sizes, target);
            var shapes = LayersJson.ParameterShapes(sizes, options);
            var tensors = ReadTensors(p.Get("parameters", JsonKind.Array), "payload.parameters", target,
                i => shapes[i].Name, i => shapes[i].Rows, i => shapes[i].Columns, shapes.Count);
            var network = new Network(sizes, activation, output, tensors.Select(t => t.Value).ToList(), init, seed, options);
            LayersJson.ReadBias(p, network, target);
            // Files without the member are double networks (every file written before it existed).
            if (p.Has("precision")) network.RestorePrecision(p.Enum<NumericPrecision>("precision"));
            LayersJson.ReadStatistics(p, network, target,
                (array, where, names, units) => ReadTensors(array, where, target, i => names[i], i => 1, i => units[i], names.Count));
            if (p.Has("checkpoint"))
                network.Checkpoint = CheckpointJson.Read(p.Get("checkpoint", JsonKind.Object), target, version,
                    (array, where) => ReadTensors(array, where, target, null, null, null, null));
            if (p.Has("history")) network.SetHistory(HistoryJson.Read(p.Get("history", JsonKind.Object), target));
            return network;
        }

        private static List<KeyValuePair<string, Tensor>> ReadTensors(JsonValue array, string where, object target,
            Func<int, string> name, Func<int, long> rows, Func<int, long> columns, int? count)
        {
            if (count.HasValue && array.Items.Count != count.Value)
                throw JsonFields.Invalid(target, $"{where} has {array.Items.Count} tensors; the network's layers need {count.Value}.");
            var result = new List<KeyValuePair<string, Tensor>>();
            for (int i = 0; i < array.Items.Count; i++)
            {
                string at = $"{where}[{i}]";
                var f = new JsonFields(array.Items[i], at, target, "name", "rows", "columns", "data");
                string n = f.String("name");
                long r = f.Integer("rows", 0, int.MaxValue), c = f.Integer("columns", 0, int.MaxValue);
                if (name != null && n != name(i)) throw JsonFields.Invalid(target, $"{at} is named '{n}'; expected '{name(i)}'.");
                if (rows != null && (r != rows(i) || c != columns(i)))
                    throw JsonFields.Invalid(target, $"{at} ({n}) is {r}x{c}; the network's layers need {rows(i)}x{columns(i)}.");
                if (r * c > int.MaxValue) throw JsonFields.Invalid(target, $"{at} ({n}) is {r}x{c}, too large for one tensor.");
                result.Add(new KeyValuePair<string, Tensor>(n, TensorCodec.Decode(f.String("data"), r, c, at + " (" + n + ")", target)));
            }
            return result;
        }
    }
}
