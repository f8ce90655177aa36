using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace BackpropModule.Engine.IO
{
    /// <summary>The kinds of JSON value.</summary>
    internal enum JsonKind { Object, Array, String, Number, True, False, Null }

    /// <summary>
    /// One parsed JSON value. Numbers keep their text, so integers are read exactly with
    /// long.Parse; objects keep member order and duplicates are refused. <see cref="Start"/> and
    /// <see cref="End"/> are character offsets in the source, so a checksum can cover exactly the
    /// text of one member as written.
    /// </summary>
    internal sealed class JsonValue
    {
        public JsonKind Kind;
        public string Text;
        public List<KeyValuePair<string, JsonValue>> Members;
        public List<JsonValue> Items;
        public int Start, End;
    }

    /// <summary>
    /// A small strict JSON parser (RFC 8259) for the network file: no comments, no trailing
    /// commas, a nesting limit, duplicate keys refused. It builds plain values only; nothing is
    /// ever instantiated from a type name in the file.
    /// </summary>
    /// <remarks>
    /// Memory: a value costs about 100 bytes of tree however few characters it takes ("0,"), so
    /// the number of values is capped (<see cref="MaxValues"/>: about 30 MB of tree at most, far
    /// above what a network file of 1,023 layers with optimizer state holds). Strings without
    /// escapes are cut straight from the text, so a long base64 string costs its own size once.
    /// </remarks>
    internal sealed class JsonParser
    {
        private const int MaxDepth = 32;

        /// <summary>Most values (objects, arrays, strings, numbers, literals) one document may hold.</summary>
        public const int MaxValues = 1 << 18;

        private readonly string s;
        private int i;
        private int values;

        private JsonParser(string text) { s = text; }

        /// <summary>Parses one JSON document.</summary>
        /// <exception cref="FormatException">The text is not valid JSON; the message gives the offset.</exception>
        public static JsonValue Parse(string text)
        {
            var p = new JsonParser(text);
            p.SkipSpace();
            var v = p.ParseValue(0);
            p.SkipSpace();
            if (p.i != p.s.Length) throw p.Error("unexpected text after the end of the document");
            return v;
        }

        private FormatException Error(string what) => new FormatException($"Invalid JSON at character {i}: {what}.");

        private void SkipSpace()
        {
            while (i < s.Length && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) i++;
        }

        private JsonValue ParseValue(int depth)
        {
            if (depth > MaxDepth) throw Error("nested too deeply");
            if (++values > MaxValues) throw Error($"more than {MaxValues} values; a network file holds far fewer");
            if (i >= s.Length) throw Error("the document ends early (truncated?)");
            int start = i;
            JsonValue v;
            switch (s[i])
            {
                case '{': v = ParseObject(depth); break;
                case '[': v = ParseArray(depth); break;
                case '"': v = new JsonValue { Kind = JsonKind.String, Text = ParseString() }; break;
                case 't': Expect("true"); v = new JsonValue { Kind = JsonKind.True }; break;
                case 'f': Expect("false"); v = new JsonValue { Kind = JsonKind.False }; break;
                case 'n': Expect("null"); v = new JsonValue { Kind = JsonKind.Null }; break;
                default: v = new JsonValue { Kind = JsonKind.Number, Text = ParseNumber() }; break;
            }
            v.Start = start;
            v.End = i;
            return v;
        }

        private void Expect(string word)
        {
            if (string.CompareOrdinal(s, i, word, 0, word.Length) != 0) throw Error("expected '" + word + "'");
            i += word.Length;
        }

        private JsonValue ParseObject(int depth)
        {
            var members = new List<KeyValuePair<string, JsonValue>>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            i++;
            SkipSpace();
            if (i < s.Length && s[i] == '}') { i++; return new JsonValue { Kind = JsonKind.Object, Members = members }; }
            while (true)
            {
                SkipSpace();
                if (i >= s.Length || s[i] != '"') throw Error("expected a member name");
                string key = ParseString();
                if (!seen.Add(key)) throw Error("duplicate member '" + key + "'");
                SkipSpace();
                if (i >= s.Length || s[i] != ':') throw Error("expected ':'");
                i++;
                SkipSpace();
                members.Add(new KeyValuePair<string, JsonValue>(key, ParseValue(depth + 1)));
                SkipSpace();
                if (i >= s.Length) throw Error("the document ends early (truncated?)");
                if (s[i] == ',') { i++; continue; }
                if (s[i] == '}') { i++; break; }
                throw Error("expected ',' or '}'");
            }
            return new JsonValue { Kind = JsonKind.Object, Members = members };
        }

        private JsonValue ParseArray(int depth)
        {
            var items = new List<JsonValue>();
            i++;
            SkipSpace();
            if (i < s.Length && s[i] == ']') { i++; return new JsonValue { Kind = JsonKind.Array, Items = items }; }
            while (true)
            {
                SkipSpace();
                items.Add(ParseValue(depth + 1));
                SkipSpace();
                if (i >= s.Length) throw Error("the document ends early (truncated?)");
                if (s[i] == ',') { i++; continue; }
                if (s[i] == ']') { i++; break; }
                throw Error("expected ',' or ']'");
            }
            return new JsonValue { Kind = JsonKind.Array, Items = items };
        }

        private string ParseString()
        {
            i++;
            int start = i;
            while (i < s.Length && s[i] != '"' && s[i] != '\\' && s[i] >= ' ') i++;
            if (i < s.Length && s[i] == '"') return s.Substring(start, i++ - start);
            var sb = new StringBuilder(s, start, i - start, i - start + 16);
            while (true)
            {
                if (i >= s.Length) throw Error("unterminated string (truncated?)");
                char c = s[i++];
                if (c == '"') return sb.ToString();
                if (c < ' ') throw Error("control character in a string");
                if (c != '\\') { sb.Append(c); continue; }
                if (i >= s.Length) throw Error("unterminated escape");
                char e = s[i++];
                switch (e)
                {
                    case '"': sb.Append('"'); break;
                    case '\\': sb.Append('\\'); break;
                    case '/': sb.Append('/'); break;
                    case 'b': sb.Append('\b'); break;
                    case 'f': sb.Append('\f'); break;
                    case 'n': sb.Append('\n'); break;
                    case 'r': sb.Append('\r'); break;
                    case 't': sb.Append('\t'); break;
                    case 'u':
                        if (i + 4 > s.Length || !ushort.TryParse(s.Substring(i, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ushort u))
                            throw Error("bad \\u escape");
                        sb.Append((char)u);
                        i += 4;
                        break;
                    default: throw Error("unknown escape '\\" + e + "'");
                }
            }
        }

        private string ParseNumber()
        {
            int start = i;
            if (i < s.Length && s[i] == '-') i++;
            int digits = i;
            while (i < s.Length && char.IsDigit(s[i]) && s[i] < 128) i++;
            if (i == digits) throw Error("expected a value");
            if (s[digits] == '0' && i - digits > 1) throw Error("a number with a leading zero");
            if (i < s.Length && s[i] == '.') { i++; int f = i; while (i < s.Length && s[i] >= '0' && s[i] <= '9') i++; if (i == f) throw Error("bad number"); }
            if (i < s.Length && (s[i] == 'e' || s[i] == 'E'))
            {
                i++;
                if (i < s.Length && (s[i] == '+' || s[i] == '-')) i++;
                int x = i; while (i < s.Length && s[i] >= '0' && s[i] <= '9') i++;
                if (i == x) throw Error("bad exponent");
            }
            return s.Substring(start, i - start);
        }
    }

    /// <summary>Writes indented JSON text for the network file.</summary>
    internal sealed class JsonWriter
    {
        private readonly StringBuilder sb = new StringBuilder();

        public JsonWriter Raw(string text) { sb.Append(text); return this; }

        public JsonWriter Indent(int level) { sb.Append('\n').Append(' ', 2 * level); return this; }

        public JsonWriter String(string value)
        {
            sb.Append('"');
            foreach (char c in value)
            {
                if (c == '"' || c == '\\') sb.Append('\\').Append(c);
                else if (c < ' ') sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                else sb.Append(c);
            }
            sb.Append('"');
            return this;
        }

        public JsonWriter Name(int level, string name, bool first)
        {
            if (!first) sb.Append(',');
            Indent(level);
            String(name);
            sb.Append(": ");
            return this;
        }

        public override string ToString() => sb.ToString();
    }
}
