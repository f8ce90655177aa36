using System;
using System.IO;
using BackpropModule.Engine.IO;

namespace BackpropModule.Engine.Data
{
    /// <summary>
    /// One open IDX file (raw or gzipped): the parsed header and a stream positioned at the first
    /// data byte. IDX layout (big-endian): bytes 0-1 zero, byte 2 the element type (0x08 unsigned
    /// byte), byte 3 the number of dimensions, then one 32-bit size per dimension, then the data.
    /// </summary>
    internal sealed class IdxFile : IDisposable
    {
        private const byte UnsignedByteType = 0x08;
        private readonly Stream stream;
        private readonly long rawLength;
        private long gzipSizeHint;

        private IdxFile(string path, Stream stream, bool gzipped, int[] dims, long rawLength)
        {
            Path = path;
            this.stream = stream;
            Gzipped = gzipped;
            Dimensions = dims;
            this.rawLength = rawLength;
        }

        /// <summary>The file's full path (the TargetObject of every error).</summary>
        public string Path { get; }

        /// <summary>True when the file is gzip-compressed (detected by the magic bytes 1F 8B).</summary>
        public bool Gzipped { get; }

        /// <summary>Sizes of the dimensions; the first is the number of items.</summary>
        public int[] Dimensions { get; }

        /// <summary>Bytes of data per item (product of the dimensions after the first).</summary>
        public int ItemSize
        {
            get { int s = 1; for (int i = 1; i < Dimensions.Length; i++) s *= Dimensions[i]; return s; }
        }

        /// <summary>Size of the header in bytes.</summary>
        public int HeaderSize => 4 + 4 * Dimensions.Length;

        /// <summary>Opens a file and checks its header against the expected number of dimensions.</summary>
        /// <exception cref="BackpropException">IdxFileNotFound, IdxMagicInvalid, IdxDimensionInvalid, IdxTruncated, IdxTrailingData, IdxGzipInvalid, IdxReadFailed.</exception>
        public static IdxFile Open(string path, int expectedDims, string what)
        {
            // Refuses directories, devices and FIFOs by type before opening (a FIFO would block, /dev/zero never end).
            FileStream file = FileChecks.OpenRead(path, ErrorIds.IdxFileNotFound, ErrorIds.IdxReadFailed, "IDX " + what);
            Stream s = file;
            bool opened = false;
            try
            {
                long length = file.Length;
                int b0 = file.ReadByte(), b1 = file.ReadByte();
                file.Position = 0;
                bool gz = b0 == 0x1F && b1 == 0x8B;
                long hint = gz ? GzipSizeHint(file, length) : 0;
                if (gz) s = new CheckedGzipStream(file, path);
                var header = new byte[4];
                int expectedMagic = 0x800 | expectedDims;
                if (!TryReadExactly(s, header, 0, 4, path))
                    throw new BackpropException(ErrorIds.IdxTruncated, ErrorKind.InvalidData, path, $"The IDX {what} file '{path}' is too short to hold an IDX header.");
                if (header[0] != 0 || header[1] != 0)
                    throw new BackpropException(ErrorIds.IdxMagicInvalid, ErrorKind.InvalidData, path,
                        $"'{path}' is not an IDX {what} file: it starts with {header[0]:X2} {header[1]:X2} {header[2]:X2} {header[3]:X2}, expected the magic number 0x{expectedMagic:X8}" + (gz ? " (after gzip decompression)." : " (raw or gzipped)."));
                if (header[2] != UnsignedByteType)
                    throw new BackpropException(ErrorIds.IdxMagicInvalid, ErrorKind.InvalidData, path,
                        $"The IDX {what} file '{path}' holds element type 0x{header[2]:X2}; only unsigned bytes (0x08, magic 0x{expectedMagic:X8}) are supported.");
                if (header[3] != expectedDims)
                    throw new BackpropException(ErrorIds.IdxMagicInvalid, ErrorKind.InvalidData, path,
                        $"The IDX file '{path}' has {header[3]} dimension(s) (magic 0x{(0x800 | header[3]):X8}); an IDX {what} file has {expectedDims} (magic 0x{expectedMagic:X8}).");
                var dimBytes = new byte[4 * expectedDims];
                if (!TryReadExactly(s, dimBytes, 0, dimBytes.Length, path))
                    throw new BackpropException(ErrorIds.IdxTruncated, ErrorKind.InvalidData, path, $"The IDX {what} file '{path}' ends inside its header.");
                var dims = new int[expectedDims];
                for (int d = 0; d < expectedDims; d++)
                {
                    // NOTE: sizes are unsigned big-endian 32-bit; anything above int.MaxValue reads as negative and is rejected.
                    dims[d] = (dimBytes[4 * d] << 24) | (dimBytes[4 * d + 1] << 16) | (dimBytes[4 * d + 2] << 8) | dimBytes[4 * d + 3];
                    bool itemAxis = d == 0;
                    if (dims[d] < (itemAxis ? 0 : 1))
                        throw new BackpropException(ErrorIds.IdxDimensionInvalid, ErrorKind.InvalidData, path, $"The IDX {what} file '{path}' declares dimension {d} as {dims[d]}.");
                }
                long item = 1;
                for (int d = 1; d < expectedDims; d++) item *= dims[d];
                if (item > 1 << 24)
                    throw new BackpropException(ErrorIds.IdxDimensionInvalid, ErrorKind.InvalidData, path, $"The IDX {what} file '{path}' declares {item} values per item; at most {1 << 24} are supported.");
                var result = new IdxFile(path, s, gz, dims, length) { gzipSizeHint = hint };
                if (!gz) result.CheckRawLength(what);
                opened = true;
                return result;
            }
            catch (InvalidDataException e)
            {
                throw new BackpropException(ErrorIds.IdxGzipInvalid, ErrorKind.InvalidData, path, $"'{path}' starts like a gzip file but does not decompress: {e.Message}", e);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new BackpropException(ErrorIds.IdxReadFailed, e is UnauthorizedAccessException ? ErrorKind.PermissionDenied : ErrorKind.ReadError, path, $"Could not read '{path}': {e.Message}", e);
            }
            finally
            {
                // The gzip reader owns the file; a raw file is the stream itself.
                if (!opened) { s.Dispose(); file.Dispose(); }
            }
        }

        /// <summary>
        /// The uncompressed size a gzip file's last member states in its trailer (ISIZE, the size modulo
        /// 2^32, little-endian in the last four bytes), or 0 when it cannot be read. Only a hint: the
        /// data is still checked as it is decompressed.
        /// </summary>
        private static long GzipSizeHint(FileStream file, long length)
        {
            if (length < 18 || !file.CanSeek) return 0;
            var b = new byte[4];
            file.Position = length - 4;
            int got = 0;
            while (got < 4) { int n = file.Read(b, got, 4 - got); if (n <= 0) break; got += n; }
            file.Position = 0;
            return got < 4 ? 0 : (uint)(b[0] | b[1] << 8 | b[2] << 16 | b[3] << 24);
        }

        /// <summary>For a raw file the exact length is known up front: header + items × item size.</summary>
        private void CheckRawLength(string what)
        {
            long expected = HeaderSize + (long)Dimensions[0] * ItemSize;
            if (rawLength < expected)
                throw new BackpropException(ErrorIds.IdxTruncated, ErrorKind.InvalidData, Path,
                    $"The IDX {what} file '{Path}' is truncated: its header declares {Dimensions[0]} items ({expected} bytes) but the file has {rawLength} bytes.");
            if (rawLength > expected)
                throw new BackpropException(ErrorIds.IdxTrailingData, ErrorKind.InvalidData, Path,
                    $"The IDX {what} file '{Path}' has {rawLength - expected} byte(s) after the {Dimensions[0]} items its header declares.");
        }

        /// <summary>Reads the data of the first <paramref name="items"/> items.</summary>
        /// <param name="items">How many items to read (at most the declared count).</param>
        /// <param name="checkEnd">Also check that nothing follows the declared data (gzip: reads one more byte).</param>
        /// <param name="what">"image" or "label", for messages.</param>
        /// <param name="onChunk">Called with (data, offset, count) after each block of bytes has arrived, so a
        /// caller can convert a block while the next one is being decompressed.</param>
        /// <remarks>
        /// A raw file's length was checked against the header, so its buffer is allocated at once. A
        /// gzip file's sizes are only claims until the data arrives: its buffer starts at 64 KiB (or
        /// less) and doubles as bytes are decompressed, so a small file that declares gigabytes
        /// costs at most about three bytes per byte actually read (plus 64 KiB) before it is refused.
        /// </remarks>
        public byte[] ReadItems(int items, bool checkEnd, string what, Action<byte[], int, int> onChunk = null)
        {
            const int chunk = 1 << 22;
            long total = (long)items * ItemSize;
            // A gzip file's decompressed size is only known at its end, so its buffer starts small and
            // doubles, which leaves the half-size copies behind as garbage (~70 MB for Fashion-MNIST).
            // The trailer's size field lets it start at the final size instead, when that is plausible
            // for the file: at most 64 times its compressed length (Fashion-MNIST is 1.8, MNIST 4.8),
            // so a small file with a lying trailer still cannot make a large allocation.
            long start = Gzipped ? Math.Max(1 << 16, Math.Min(gzipSizeHint - HeaderSize, 64 * rawLength)) : total;
            var data = new byte[Math.Min(total, start)];
            try
            {
                for (int offset = 0; offset < total;)
                {
                    // A gzip buffer doubles only once it is full of bytes that really arrived.
                    if (offset == data.Length) Array.Resize(ref data, (int)Math.Min(total, 2L * data.Length));
                    int n = (int)Math.Min(chunk, data.Length - offset);
                    if (!TryReadExactly(stream, data, offset, n, Path))
                        throw new BackpropException(ErrorIds.IdxTruncated, ErrorKind.InvalidData, Path,
                            $"The IDX {what} file '{Path}' is truncated: it ends before item {items} of the {Dimensions[0]} its header declares.");
                    onChunk?.Invoke(data, offset, n);
                    offset += n;
                }
                // Reading to the end also makes a gzip stream check its CRC-32, length and trailer.
                if (checkEnd && Gzipped && stream.ReadByte() >= 0)
                    throw new BackpropException(ErrorIds.IdxTrailingData, ErrorKind.InvalidData, Path,
                        $"The IDX {what} file '{Path}' has data after the {Dimensions[0]} items its header declares.");
            }
            catch (InvalidDataException e)
            {
                throw new BackpropException(ErrorIds.IdxGzipInvalid, ErrorKind.InvalidData, Path, $"'{Path}' is a damaged gzip file: {e.Message}", e);
            }
            catch (IOException e)
            {
                throw new BackpropException(ErrorIds.IdxReadFailed, ErrorKind.ReadError, Path, $"Could not read '{Path}': {e.Message}", e);
            }
            return data;
        }

        private static bool TryReadExactly(Stream s, byte[] buffer, int offset, int count, string path)
        {
            while (count > 0)
            {
                int n = s.Read(buffer, offset, count);
                if (n <= 0) return false;
                offset += n; count -= n;
            }
            return true;
        }

        /// <inheritdoc/>
        public void Dispose() => stream.Dispose();
    }
}
