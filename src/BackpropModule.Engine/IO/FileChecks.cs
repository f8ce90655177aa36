using System;
using System.IO;

namespace BackpropModule.Engine.IO
{
    /// <summary>
    /// The path rules shared by every reader and writer of the module, so Import-Network,
    /// Import-IdxDataset, Save-Network, Export-Workbook and Export-NetworkOnnx behave alike:
    /// a path with NUL is refused; only regular files are read or replaced (a directory, device,
    /// FIFO or socket is refused by its type, before anything is opened, so /dev/zero cannot feed
    /// a reader forever and a FIFO cannot block it); a symbolic link is written through to its
    /// final target and stays a link; a read-only file is replaced only when forced.
    /// </summary>
    public static class FileChecks
    {
        /// <summary>Test hook: opens a file for reading (lets tests inject an access failure, which root cannot cause with chmod).</summary>
        internal static Func<string, FileStream> OpenForReading = path => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);

        /// <summary>Refuses a path that holds NUL (no file system allows it; .NET would throw a raw ArgumentException).</summary>
        /// <exception cref="BackpropException">PathInvalid.</exception>
        public static void CheckPathText(string path)
        {
            if (path == null) throw new ArgumentNullException(nameof(path));
            if (path.Length == 0 || path.IndexOf('\0') >= 0)
                throw new BackpropException(ErrorIds.PathInvalid, ErrorKind.InvalidArgument, path.Replace("\0", "\\0"),
                    path.Length == 0 ? "The path is empty." : $"The path '{path.Replace("\0", "\\0")}' contains a NUL character, which no file name can hold.");
        }

        /// <summary>The full path, or PathInvalid for a path .NET cannot parse.</summary>
        /// <exception cref="BackpropException">PathInvalid.</exception>
        public static string FullPath(string path)
        {
            CheckPathText(path);
            try { return Path.GetFullPath(path); }
            catch (Exception e) when (e is ArgumentException || e is NotSupportedException || e is PathTooLongException)
            {
                throw new BackpropException(ErrorIds.PathInvalid, ErrorKind.InvalidArgument, path, $"The path '{path}' is not valid: {e.Message}", e);
            }
        }

        /// <summary>Opens an existing regular file for reading.</summary>
        /// <param name="path">The file.</param>
        /// <param name="notFoundId">The error id when nothing exists at the path.</param>
        /// <param name="readFailedId">The error id when the file exists but cannot be opened.</param>
        /// <param name="what">What the file should be ("network", "IDX image"), for messages.</param>
        /// <exception cref="BackpropException"><paramref name="notFoundId"/>, PathNotFile, PathInvalid or <paramref name="readFailedId"/>.</exception>
        public static FileStream OpenRead(string path, string notFoundId, string readFailedId, string what)
        {
            path = FullPath(path);
            switch (FileProbe.KindOf(path))
            {
                case FileKind.Missing:
                    throw new BackpropException(notFoundId, ErrorKind.ObjectNotFound, path, $"The {what} file '{path}' does not exist.");
                case FileKind.Directory:
                    throw new BackpropException(ErrorIds.PathNotFile, ErrorKind.InvalidArgument, path, $"'{path}' is a folder, not a file; give the path of the {what} file.");
                case FileKind.Special:
                    throw new BackpropException(ErrorIds.PathNotFile, ErrorKind.InvalidArgument, path,
                        $"'{path}' is a device, FIFO or socket, not a regular file; {what} files are read only from regular files.");
            }
            try { return OpenForReading(path); }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new BackpropException(readFailedId, e is UnauthorizedAccessException ? ErrorKind.PermissionDenied : ErrorKind.ReadError, path, $"Could not read '{path}': {Sentence(e.Message)}", e);
            }
        }

        /// <summary>
        /// Checks the target of a write and returns the path the file is written to: the final
        /// target of a symbolic link (the link itself is kept), or the path itself.
        /// </summary>
        /// <param name="path">The path the user gave.</param>
        /// <param name="force">Allow replacing a read-only file (its permissions are kept).</param>
        /// <exception cref="BackpropException">PathInvalid, PathNotFile, OutputFileReadOnly, or OutputFileWriteFailed (missing folder, link loop).</exception>
        public static string CheckWriteTarget(string path, bool force)
        {
            string full = FullPath(path);
            string target;
            try { target = FileProbe.FinalTarget(full); }
            catch (IOException e) { throw new BackpropException(ErrorIds.OutputFileWriteFailed, ErrorKind.WriteError, path, $"Cannot write '{full}': {Sentence(e.Message)}", e); }
            string shown = target == full ? $"'{full}'" : $"'{full}' (a link to '{target}')";
            switch (FileProbe.KindOf(target))
            {
                case FileKind.Directory:
                    throw new BackpropException(ErrorIds.PathNotFile, ErrorKind.InvalidArgument, path, $"Cannot write {shown}: it is a folder, not a file.");
                case FileKind.Special:
                    throw new BackpropException(ErrorIds.PathNotFile, ErrorKind.InvalidArgument, path,
                        $"Cannot write {shown}: it is a device, FIFO or socket, not a regular file; only regular files are replaced.");
                case FileKind.Regular:
                    if (!force && IsReadOnly(target))
                        throw new BackpropException(ErrorIds.OutputFileReadOnly, ErrorKind.WriteError, path,
                            $"Cannot replace {shown}: it is read-only. Use -Force to replace it (it stays read-only).");
                    break;
            }
            string folder = Path.GetDirectoryName(target);
            if (!Directory.Exists(folder))
                throw new BackpropException(ErrorIds.OutputFileWriteFailed, ErrorKind.WriteError, path, $"The folder '{folder}' does not exist.");
            return target;
        }

        /// <summary>
        /// Read-only by the file's mode (Unix: no write bit for user, group or other, as after
        /// <c>chmod a-w</c>) or attribute (Windows), not by a failed access: root may write anything.
        /// </summary>
        public static bool IsReadOnly(string path)
        {
            int? bits = FileProbe.PermissionBits(path);
            return bits.HasValue ? (bits.Value & 0x92) == 0 : (File.GetAttributes(path) & FileAttributes.ReadOnly) != 0;
        }

        /// <summary>A message ending in a full stop, so it can be followed by another sentence.</summary>
        internal static string Sentence(string message)
        {
            message = (message ?? "").Trim();
            if (message.Length == 0) return "";
            char last = message[message.Length - 1];
            return last == '.' || last == '!' || last == '?' ? message : message + ".";
        }
    }
}
