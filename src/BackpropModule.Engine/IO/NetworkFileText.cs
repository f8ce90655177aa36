using System;
using System.IO;
using System.Security.Cryptography;
using System.Text;

namespace BackpropModule.Engine.IO
{
    /// <summary>
    /// Reads a network file's text within a memory budget, and hashes its payload without copying
    /// it. Only regular files are read (a FIFO would block, /dev/zero never ends; both report length
    /// 0), the size is checked against <see cref="NetworkFile.MaxFileBytes"/> while reading rather
    /// than trusted from the file system, and the whole load — bytes, text, parsed tree, decoded
    /// tensors — allocates about 7 bytes per byte of file (plus at most ~30 MB of parse tree, see
    /// <see cref="JsonParser.MaxValues"/>).
    /// </summary>
    internal static class NetworkFileText
    {
        /// <summary>The file's UTF-8 text (a leading byte-order mark is dropped).</summary>
        /// <exception cref="BackpropException">NetworkFileNotFound, PathNotFile, PathInvalid, NetworkFileReadFailed or NetworkFileInvalid (too large, not UTF-8).</exception>
        public static string Read(string path)
        {
            byte[] bytes;
            int count = 0;
            using (var stream = FileChecks.OpenRead(path, ErrorIds.NetworkFileNotFound, ErrorIds.NetworkFileReadFailed, "network"))
            {
                try
                {
                    long declared = stream.Length;
                    if (declared > NetworkFile.MaxFileBytes) throw TooLarge(path, declared);
                    // The length is a hint; the loop reads what is really there, up to the cap.
                    bytes = new byte[Math.Max(declared, 4096)];
                    var probe = new byte[1];
                    while (true)
                    {
                        if (count == bytes.Length)
                        {
                            // Full: grow only if the file really goes on (it may have grown since Length was read).
                            if (stream.Read(probe, 0, 1) <= 0) break;
                            if (count >= NetworkFile.MaxFileBytes) throw TooLarge(path, count + 1L);
                            Array.Resize(ref bytes, (int)Math.Min(NetworkFile.MaxFileBytes, 2L * bytes.Length));
                            bytes[count++] = probe[0];
                        }
                        int n = stream.Read(bytes, count, bytes.Length - count);
                        if (n <= 0) break;
                        count += n;
                    }
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                {
                    throw new BackpropException(ErrorIds.NetworkFileReadFailed, e is UnauthorizedAccessException ? ErrorKind.PermissionDenied : ErrorKind.ReadError, path, $"Could not read '{path}': {FileChecks.Sentence(e.Message)}", e);
                }
                catch (OutOfMemoryException e)
                {
                    throw new BackpropException(ErrorIds.NetworkFileReadFailed, ErrorKind.ReadError, path, $"Not enough memory to read '{path}' ({stream.Length} bytes).", e);
                }
            }
            if (count > NetworkFile.MaxFileBytes) throw TooLarge(path, count);
            int skip = count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
            try { return new UTF8Encoding(false, true).GetString(bytes, skip, count - skip); }
            catch (DecoderFallbackException) { throw JsonFields.Invalid(path, "the file is not UTF-8 text."); }
        }

        private static BackpropException TooLarge(string path, long length) =>
            JsonFields.Invalid(path, $"the file is {length} bytes or more; network files are at most {NetworkFile.MaxFileBytes} bytes.");

        /// <summary>
        /// Lowercase hex SHA-256 of the UTF-8 bytes of text[start, end) with CRLF read as LF,
        /// encoded in 64 K-character pieces so no copy of the payload is made.
        /// </summary>
        public static string PayloadSha256(string text, int start, int end)
        {
            const int piece = 1 << 16;
            var buffer = new byte[3 * piece + 8];
            using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            {
                int i = start;
                while (i < end)
                {
                    int stop = Math.Min(end, i + piece);
                    int cr = text.IndexOf("\r\n", i, Math.Min(end, stop + 1) - i, StringComparison.Ordinal);
                    if (cr >= 0) stop = cr;
                    else if (stop < end && char.IsHighSurrogate(text[stop - 1])) stop--;
                    int n = Encoding.UTF8.GetBytes(text, i, stop - i, buffer, 0);
                    hash.AppendData(buffer, 0, n);
                    i = cr >= 0 ? cr + 1 : stop;
                }
                var sb = new StringBuilder(64);
                foreach (byte b in hash.GetHashAndReset()) sb.Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
                return sb.ToString();
            }
        }
    }
}
