using System;
using System.IO;

namespace BackpropModule.Engine.IO
{
    /// <summary>
    /// Writes a file so that readers only ever see the old file or the complete new one: the content
    /// goes to a temporary file in the target's folder (same volume, so the final step is a rename)
    /// and is then moved into place. The target must be a regular file or missing
    /// (<see cref="FileChecks.CheckWriteTarget"/>): a symbolic link is written through to its final
    /// target and stays a link; an existing file keeps its permission bits (a 0600 file stays 0600;
    /// the temporary file is 0600 while it is written); a read-only file is replaced only when
    /// forced. A failure (full disk, file-size limit, Ctrl+C) closes and deletes the temporary file
    /// at once and leaves the original untouched.
    /// </summary>
    public static class AtomicFile
    {
        /// <summary>Test hook: wraps the temporary file's stream, given the target path (lets tests simulate a full disk).</summary>
        internal static Func<string, Stream, Stream> WrapStream;

        /// <summary>
        /// Writes <paramref name="path"/> through <paramref name="write"/>, which receives the temporary
        /// path. With <paramref name="startFromExisting"/> the temporary file starts as a copy of the
        /// existing file (for edits such as appending a sheet).
        /// </summary>
        /// <exception cref="BackpropException">PathInvalid, PathNotFile, OutputFileReadOnly or OutputFileWriteFailed; engine errors from <paramref name="write"/> pass through.</exception>
        public static void Write(string path, Action<string> write, bool startFromExisting = false, bool force = false)
        {
            if (write == null) throw new ArgumentNullException(nameof(write));
            Run(path, startFromExisting, force, (target, stream) => { string temp = stream.Name; stream.Dispose(); write(temp); });
        }

        /// <summary>
        /// Writes <paramref name="path"/> through <paramref name="write"/>, which receives the open
        /// temporary file (readable, writable and seekable; positioned at 0, holding a copy of the
        /// existing file when <paramref name="startFromExisting"/>). The stream is closed by this
        /// method, even when <paramref name="write"/> or closing fails.
        /// </summary>
        /// <exception cref="BackpropException">PathInvalid, PathNotFile, OutputFileReadOnly or OutputFileWriteFailed; engine errors from <paramref name="write"/> pass through.</exception>
        public static void WriteStream(string path, Action<Stream> write, bool startFromExisting = false, bool force = false)
        {
            if (write == null) throw new ArgumentNullException(nameof(write));
            Run(path, startFromExisting, force, (target, stream) =>
            {
                var s = WrapStream?.Invoke(target, stream) ?? stream;
                write(s);
                s.Flush();
                s.Dispose();
            });
        }

        private static void Run(string path, bool startFromExisting, bool force, Action<string, FileStream> body)
        {
            if (path == null) throw new ArgumentNullException(nameof(path));
            string target = FileChecks.CheckWriteTarget(path, force);
            bool exists = File.Exists(target);
            int? keepBits = exists ? FileProbe.PermissionBits(target) : null;
            bool windowsReadOnly = exists && keepBits == null && (File.GetAttributes(target) & FileAttributes.ReadOnly) != 0;
            string temp = Path.Combine(Path.GetDirectoryName(target), "." + Path.GetFileName(target) + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + ".tmp");
            FileStream stream = null;
            Microsoft.Win32.SafeHandles.SafeFileHandle handle = null;
            try
            {
                stream = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16);
                handle = stream.SafeFileHandle;
                int? newBits = FileProbe.PermissionBits(temp);
                FileProbe.SetPermissionBits(temp, 0x180);
                if (startFromExisting && exists)
                {
                    using (var old = new FileStream(target, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16)) old.CopyTo(stream);
                    stream.Position = 0;
                }
                body(target, stream);
                stream.Dispose();
                int? finalBits = keepBits ?? newBits;
                if (finalBits.HasValue) FileProbe.SetPermissionBits(temp, finalBits.Value);
                if (windowsReadOnly) File.SetAttributes(target, File.GetAttributes(target) & ~FileAttributes.ReadOnly);
                if (exists) File.Replace(temp, target, null);
                else File.Move(temp, target);
                if (windowsReadOnly) File.SetAttributes(target, File.GetAttributes(target) | FileAttributes.ReadOnly);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is NotSupportedException)
            {
                throw Failed(path, target, Sentence(e.Message), e);
            }
            catch (ArgumentOutOfRangeException e) when (e.ParamName == "value")
            {
                // NOTE: .NET reports EFBIG (the file-size limit of `ulimit -f`, or the file system's
                // largest file) as ArgumentOutOfRangeException("value"). The process only sees it when
                // SIGXFSZ is ignored; by default that signal ends the process.
                throw Failed(path, target, "The file would exceed the largest file size allowed (the file-size limit, ulimit -f, or the file system's maximum).", e);
            }
            finally
            {
                // Close the temporary file even when closing it fails (a full disk fails the final flush),
                // so its space is freed now rather than when the finalizer runs.
                try { stream?.Dispose(); }
                catch (IOException) { }
                catch (ArgumentOutOfRangeException) { }
                handle?.Dispose();
                TryDelete(temp);
            }
        }

        private static BackpropException Failed(string path, string target, string reason, Exception e) =>
            new BackpropException(ErrorIds.OutputFileWriteFailed, ErrorKind.WriteError, path,
                $"Could not write '{target}': {reason} Any existing file was left unchanged.", e);

        private static string Sentence(string message) => FileChecks.Sentence(message);

        private static void TryDelete(string temp)
        {
            try { if (File.Exists(temp)) File.Delete(temp); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }
}
