using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace BackpropModule.Engine.IO
{
    /// <summary>
    /// Reads the members of one JSON object against a fixed schema: every member must be known,
    /// required ones must be present, and each must have the expected JSON kind. Problems become
    /// <see cref="ErrorIds.NetworkFileInvalid"/> errors naming the member and the file.
    /// </summary>
    internal sealed class JsonFields
    {
        private readonly Dictionary<string, JsonValue> members;
        private readonly string where;
        private readonly object target;

        public JsonFields(JsonValue value, string where, object target, params string[] allowed)
        {
            this.where = where;
            this.target = target;
            if (value == null || value.Kind != JsonKind.Object) throw Invalid(target, where + " must be a JSON object.");
            members = value.Members.ToDictionary(m => m.Key, m => m.Value, StringComparer.Ordinal);
            foreach (var m in value.Members)
                if (Array.IndexOf(allowed, m.Key) < 0)
                    throw Invalid(target, $"{where} has an unknown member '{m.Key}' (known: {string.Join(", ", allowed)}).");
        }

        public static BackpropException Invalid(object target, string message) =>
            new BackpropException(ErrorIds.NetworkFileInvalid, ErrorKind.InvalidData, target, "The network file is invalid: " + message);

        public bool Has(string name) => members.TryGetValue(name, out var v) && v.Kind != JsonKind.Null;

        public JsonValue Get(string name, JsonKind kind)
        {
            if (!members.TryGetValue(name, out var v)) throw Invalid(target, $"{where} has no '{name}'.");
            if (v.Kind != kind) throw Invalid(target, $"{where}.{name} must be a JSON {kind.ToString().ToLowerInvariant()}; it is a {v.Kind.ToString().ToLowerInvariant()}.");
            return v;
        }

        public string String(string name) => Get(name, JsonKind.String).Text;

        public long Integer(string name, long min, long max) => ToInteger(Get(name, JsonKind.Number), where + "." + name, min, max);

        public long ToInteger(JsonValue v, string what, long min, long max)
        {
            if (v.Kind != JsonKind.Number || !long.TryParse(v.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long n))
                throw Invalid(target, $"{what} must be a whole number; got '{v.Text ?? v.Kind.ToString()}'.");
            if (n < min || n > max) throw Invalid(target, $"{what} is {n}; it must be between {min} and {max}.");
            return n;
        }

        public T Enum<T>(string name) where T : struct
        {
            string text = String(name);
            if (!System.Enum.GetNames(typeof(T)).Contains(text, StringComparer.Ordinal))
                throw Invalid(target, $"{where}.{name} is '{text}'; it must be one of {string.Join(", ", System.Enum.GetNames(typeof(T)))}.");
            return (T)System.Enum.Parse(typeof(T), text);
        }
    }
}
