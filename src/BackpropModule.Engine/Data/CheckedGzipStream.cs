using System;
using System.IO;
using System.IO.Compression;

namespace BackpropModule.Engine.Data
{
    /// <summary>
    /// Decompresses a gzip file and checks what .NET's GZipStream lets through: GZipStream (zlib)
    /// parses the header and checks a trailer that is present, but treats a file that ends early
    /// (trailer cut off) as a normal end and ignores bytes after the stream. So this stream also
    /// computes the CRC-32 and length of what came out and, at the end, requires the 8-byte trailer
    /// holding them to be the last bytes of the file. A bad CRC is reported as such (GZipStream
    /// calls it an "unsupported compression method"); junk after the stream is IdxTrailingData, as
    /// extra bytes in a raw IDX file are. A file of several concatenated gzip members is refused.
    /// </summary>
    internal sealed class CheckedGzipStream : Stream
    {
        private readonly FileStream file;
        private readonly CountingStream counted;
        private readonly GZipStream inflater;
        private readonly string path;
        private uint crc = Crc32.Initial;
        private long length;
        private bool verified;

        /// <summary>Wraps <paramref name="file"/> (positioned at 0; owned by the new stream).</summary>
        public CheckedGzipStream(FileStream file, string path)
        {
            this.file = file;
            this.path = path;
            counted = new CountingStream(file);
            inflater = new GZipStream(counted, CompressionMode.Decompress, leaveOpen: true);
        }

        /// <inheritdoc/>
        public override int Read(byte[] buffer, int offset, int count)
        {
            int n;
            try { n = inflater.Read(buffer, offset, count); }
            catch (InvalidDataException e)
            {
                var tail = file.Length >= 18 ? ReadAt(file.Length - 8, 8) : null;
                bool crcOnly = tail != null && (uint)(tail[4] | (tail[5] << 8) | (tail[6] << 16) | (tail[7] << 24)) == unchecked((uint)length);
                throw new BackpropException(ErrorIds.IdxGzipInvalid, ErrorKind.InvalidData, path, crcOnly
                    ? $"'{path}' is a damaged gzip file: its data does not match its CRC-32."
                    : $"'{path}' is not a valid gzip file: its header, compressed data or CRC-32 check is damaged.", e);
            }
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
            long from = Math.Max(0, counted.Position - 4 * CountingStream.MaxRead - 8), to = Math.Min(fileLength, counted.Position + 8);
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
            var tail = fileLength >= 18 ? ReadAt(fileLength - 8, 8) : null;
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
