using System;
using System.IO;

namespace BackpropModule.Engine.IO
{
    /// <summary>
    /// Writes a file so that readers only ever see the old file or the complete new one: the content
    /// goes to a temporary file in the same folder (same volume, so the final step is a rename) and
    /// is then moved into place with <see cref="File.Replace(string, string, string)"/> or
    /// <see cref="File.Move(string, string)"/>. A failure deletes the temporary file and leaves the
    /// original untouched.
    /// </summary>
    public static class AtomicFile
    {
        /// <summary>
        /// Writes <paramref name="path"/> through <paramref name="write"/>, which receives the temporary
        /// path. With <paramref name="startFromExisting"/> the temporary file starts as a copy of the
        /// existing file (for edits such as appending a sheet).
        /// </summary>
        /// <exception cref="BackpropException">OutputFileWriteFailed when the folder is missing or an I/O error occurs; engine errors from <paramref name="write"/> pass through.</exception>
        public static void Write(string path, Action<string> write, bool startFromExisting = false)
        {
            if (path == null) throw new ArgumentNullException(nameof(path));
            if (write == null) throw new ArgumentNullException(nameof(write));
            string full = Path.GetFullPath(path);
            string folder = Path.GetDirectoryName(full);
            if (!Directory.Exists(folder))
                throw new BackpropException(ErrorIds.OutputFileWriteFailed, ErrorKind.WriteError, path, $"The folder '{folder}' does not exist.");
            string temp = Path.Combine(folder, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + ".tmp");
            try
            {
                if (startFromExisting && File.Exists(full)) File.Copy(full, temp);
                write(temp);
                if (File.Exists(full)) File.Replace(temp, full, null);
                else File.Move(temp, full);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is NotSupportedException)
            {
                throw new BackpropException(ErrorIds.OutputFileWriteFailed, ErrorKind.WriteError, path,
                    $"Could not write '{full}': {e.Message} Any existing file was left unchanged.", e);
            }
            finally
            {
                TryDelete(temp);
            }
        }

        private static void TryDelete(string temp)
        {
            try { if (File.Exists(temp)) File.Delete(temp); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }
}
