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

#if NET8_0_OR_GREATER
        // NOTE: SIGXFSZ (25 on Linux and macOS) ends the process when a write passes the file-size
        // limit (ulimit -f), so PowerShell would die instead of reporting OutputFileWriteFailed. The
        // first write registers a handler that cancels it, so the write fails with EFBIG. It stays
        // registered: the runtime dispatches the signal on another thread, after the write returns,
        // and a registration removed by then would let the signal end the process after all.
        private static System.Runtime.InteropServices.PosixSignalRegistration fileSizeSignal;
        private static readonly object SignalLock = new object();

        private static void IgnoreFileSizeSignal()
        {
            if (OperatingSystem.IsWindows() || fileSizeSignal != null) return;
            lock (SignalLock)
            {
                if (fileSizeSignal != null) return;
                try { fileSizeSignal = System.Runtime.InteropServices.PosixSignalRegistration.Create((System.Runtime.InteropServices.PosixSignal)25, c => c.Cancel = true); }
                catch (Exception e) when (e is PlatformNotSupportedException || e is IOException || e is ArgumentOutOfRangeException) { }
            }
        }
#else
        private static void IgnoreFileSizeSignal() { }
#endif

        private static void Run(string path, bool startFromExisting, bool force, Action<string, FileStream> body)
        {
            if (path == null) throw new ArgumentNullException(nameof(path));
            IgnoreFileSizeSignal();
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
                // The runtime's message names the temporary file, which the user never asked for and
                // which is gone by the time they read it: name the folder or the target instead.
                string reason = Sentence(e.Message).Replace(temp, Path.GetDirectoryName(target));
                throw Failed(path, target, reason, e, e is UnauthorizedAccessException ? ErrorKind.PermissionDenied : ErrorKind.WriteError);
            }
            catch (ArgumentOutOfRangeException e) when (e.ParamName == "value")
            {
                // NOTE: .NET reports EFBIG (the file-size limit of `ulimit -f`, or the file system's
                // largest file) as ArgumentOutOfRangeException("value"); see IgnoreFileSizeSignal.
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

        private static BackpropException Failed(string path, string target, string reason, Exception e, ErrorKind kind = ErrorKind.WriteError) =>
            new BackpropException(ErrorIds.OutputFileWriteFailed, kind, path,
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
