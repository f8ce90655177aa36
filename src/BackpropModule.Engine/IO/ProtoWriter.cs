using System.IO;
using System.Text;

namespace BackpropModule.Engine.IO
{
    /// <summary>
    /// The protocol-buffers wire format, just what the ONNX exporter needs: a key is
    /// (field number &lt;&lt; 3 | wire type); wire type 0 is a base-128 varint (7 bits per byte, low
    /// group first, high bit = more follows), wire type 2 is a varint length followed by that many
    /// bytes (strings, bytes, embedded messages). Nested messages are built in their own writer and
    /// added as bytes.
    /// </summary>
    internal sealed class ProtoWriter
    {
        private const int Varint = 0, LengthDelimited = 2, Fixed32 = 5;
        private readonly MemoryStream buffer = new MemoryStream();

        private void Key(int field, int wireType) => RawVarint((ulong)((field << 3) | wireType));

        private void RawVarint(ulong v)
        {
            while (v >= 0x80) { buffer.WriteByte((byte)(v | 0x80)); v >>= 7; }
            buffer.WriteByte((byte)v);
        }

        /// <summary>An int32/int64/enum field (negative values take ten bytes, as the format says).</summary>
        public ProtoWriter Int(int field, long value)
        {
            Key(field, Varint);
            RawVarint(unchecked((ulong)value));
            return this;
        }

        /// <summary>A float field (wire type 5: four little-endian bytes of the IEEE single).</summary>
        public ProtoWriter Float(int field, float value)
        {
            Key(field, Fixed32);
            int bits = System.BitConverter.ToInt32(System.BitConverter.GetBytes(value), 0);
            for (int b = 0; b < 4; b++) buffer.WriteByte((byte)(bits >> (8 * b)));
            return this;
        }

        /// <summary>A bytes field.</summary>
        public ProtoWriter Bytes(int field, byte[] value)
        {
            Key(field, LengthDelimited);
            RawVarint((ulong)value.Length);
            buffer.Write(value, 0, value.Length);
            return this;
        }

        /// <summary>A string field (UTF-8).</summary>
        public ProtoWriter String(int field, string value) => Bytes(field, new UTF8Encoding(false).GetBytes(value));

        /// <summary>An embedded message field.</summary>
        public ProtoWriter Message(int field, ProtoWriter message) => Bytes(field, message.ToArray());

        /// <summary>The bytes written so far.</summary>
        public byte[] ToArray() => buffer.ToArray();
    }
}
