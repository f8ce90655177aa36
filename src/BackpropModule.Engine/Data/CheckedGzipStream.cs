using System;
using System.IO;
using System.IO.Compression;

namespace BackpropModule.Engine.Data
{
    /// <summary>
    /// Decompresses one gzip member (RFC 1952) and checks what .NET's GZipStream does not: it
    /// parses the header itself, inflates the raw deflate data, computes the CRC-32 and length of
    /// what came out, and at the end requires the 8-byte trailer to match them and to be the last
    /// bytes of the file. A cut-off trailer, a wrong CRC and junk after the stream are therefore
    /// errors, as a raw IDX file with extra bytes is. (GZipStream treats a truncated stream as a
    /// normal end, reports a bad CRC as an "unsupported compression method" and skips junk.)
    /// </summary>
    internal sealed class CheckedGzipStream : Stream
    {
        private const int FlagHeaderCrc = 2, FlagExtra = 4, FlagName = 8, FlagComment = 16, ReservedFlags = 0xE0;
        private readonly FileStream file;
        private readonly CountingStream counted;
        private readonly DeflateStream inflater;
        private readonly string path;
        private readonly long dataStart;
        private uint crc = Crc32.Initial;
        private long length;
        private bool verified;

        /// <summary>Reads and checks the gzip header; <paramref name="file"/> is positioned at 0 and owned by the new stream.</summary>
        /// <exception cref="BackpropException">IdxGzipInvalid (bad header), IdxTruncated (file ends inside the header).</exception>
        public CheckedGzipStream(FileStream file, string path)
        {
            this.file = file;
            this.path = path;
            ReadHeader();
            dataStart = file.Position;
            counted = new CountingStream(file);
            inflater = new DeflateStream(counted, CompressionMode.Decompress, leaveOpen: true);
        }

        private void ReadHeader()
        {
            var h = new byte[10];
            Fill(h, 10);
            if (h[0] != 0x1F || h[1] != 0x8B) throw Invalid("it does not start with the gzip magic 1F 8B.");
            if (h[2] != 8) throw Invalid($"its gzip header names compression method {h[2]}; only deflate (8) exists.");
            int flags = h[3];
            if ((flags & ReservedFlags) != 0) throw Invalid($"its gzip header sets reserved flag bits (0x{flags:X2}).");
            if ((flags & FlagExtra) != 0)
            {
                var x = new byte[2];
                Fill(x, 2);
                Skip(x[0] | (x[1] << 8));
            }
            if ((flags & FlagName) != 0) SkipZeroTerminated();
            if ((flags & FlagComment) != 0) SkipZeroTerminated();
            if ((flags & FlagHeaderCrc) != 0) Skip(2);
        }

        private void Fill(byte[] b, int count)
        {
            for (int at = 0; at < count;)
            {
                int n = file.Read(b, at, count - at);
                if (n <= 0) throw Truncated("it ends inside its gzip header.");
                at += n;
            }
        }

        private void Skip(int count)
        {
            for (int i = 0; i < count; i++)
                if (file.ReadByte() < 0) throw Truncated("it ends inside its gzip header.");
        }

        private void SkipZeroTerminated()
        {
            for (int b = file.ReadByte(); b != 0; b = file.ReadByte())
                if (b < 0) throw Truncated("it ends inside its gzip header.");
        }

        /// <inheritdoc/>
        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = inflater.Read(buffer, offset, count);
            if (n > 0)
            {
                crc = Crc32.Update(crc, buffer, offset, n);
                length += n;
            }
            else if (count > 0 && !verified) VerifyEnd();
            return n;
        }

        /// <summary>
        /// The inflater has stopped; its trailer lies within the last input it was given. Looks for
        /// the expected 8 bytes (CRC-32, length mod 2^32, little-endian) there and requires them to
        /// end the file.
        /// </summary>
        private void VerifyEnd()
        {
            verified = true;
            uint actualCrc = Crc32.Final(crc), size = unchecked((uint)length);
            var expected = new byte[8];
            for (int i = 0; i < 4; i++) { expected[i] = (byte)(actualCrc >> (8 * i)); expected[4 + i] = (byte)(size >> (8 * i)); }
            long fileLength = file.Length;
            long from = Math.Max(dataStart, counted.Position - 4 * CountingStream.MaxRead - 8), to = Math.Min(fileLength, counted.Position + 8);
            var window = ReadAt(from, (int)(to - from));
            for (int p = 0; p + 8 <= window.Length; p++)
            {
                if (!Matches(window, p, expected)) continue;
                long end = from + p + 8;
                if (end != fileLength)
                    throw new BackpropException(ErrorIds.IdxTrailingData, ErrorKind.InvalidData, path,
                        $"The gzip file '{path}' has {fileLength - end} byte(s) after the end of its gzip stream.");
                return;
            }
            var tail = fileLength - dataStart >= 8 ? ReadAt(fileLength - 8, 8) : null;
            if (tail != null && Matches(tail, 4, expected, 4))
            {
                uint stored = (uint)(tail[0] | (tail[1] << 8) | (tail[2] << 16) | (tail[3] << 24));
                throw Invalid($"its data does not match the gzip CRC-32 (stored {stored:X8}, computed {actualCrc:X8}): the file is damaged.");
            }
            throw new BackpropException(ErrorIds.IdxTruncated, ErrorKind.InvalidData, path,
                $"The gzip file '{path}' is truncated or damaged: its stream does not end with the 8-byte trailer (CRC-32 {actualCrc:X8}, length {size}) that its {length} decompressed bytes need.");
        }

        private byte[] ReadAt(long position, int count)
        {
            var b = new byte[Math.Max(0, count)];
            file.Position = position;
            int at = 0;
            while (at < b.Length)
            {
                int n = file.Read(b, at, b.Length - at);
                if (n <= 0) break;
                at += n;
            }
            if (at < b.Length) Array.Resize(ref b, at);
            return b;
        }

        private static bool Matches(byte[] window, int at, byte[] expected, int from = 0)
        {
            for (int i = from; i < 8; i++) if (window[at + i - from] != expected[i]) return false;
            return true;
        }

        private BackpropException Invalid(string why) =>
            new BackpropException(ErrorIds.IdxGzipInvalid, ErrorKind.InvalidData, path, $"'{path}' is not a valid gzip file: {why}");

        private BackpropException Truncated(string why) =>
            new BackpropException(ErrorIds.IdxTruncated, ErrorKind.InvalidData, path, $"The gzip file '{path}' is truncated: {why}");

        /// <inheritdoc/>
        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inflater.Dispose();
                file.Dispose();
            }
            base.Dispose(disposing);
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => length; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        /// <summary>Hands the inflater at most <see cref="MaxRead"/> bytes per read and remembers how far it got, so the trailer can be found.</summary>
        private sealed class CountingStream : Stream
        {
            public const int MaxRead = 1 << 14;
            private readonly Stream inner;

            public CountingStream(Stream inner) { this.inner = inner; Position = inner.Position; }

            public override int Read(byte[] buffer, int offset, int count)
            {
                int n = inner.Read(buffer, offset, Math.Min(count, MaxRead));
                Position += n;
                return n;
            }

            public override long Position { get; set; }
            public override bool CanRead => true;
            public override bool CanSeek => false;
            public override bool CanWrite => false;
            public override long Length => throw new NotSupportedException();
            public override void Flush() { }
            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
            public override void SetLength(long value) => throw new NotSupportedException();
            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        }
    }
}
