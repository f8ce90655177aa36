using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;

namespace BackpropModule.Engine.IO
{
    /// <summary>What a path names, found without opening it (opening a FIFO blocks until a writer comes).</summary>
    public enum FileKind
    {
        /// <summary>Nothing exists at the path.</summary>
        Missing,
        /// <summary>A regular file.</summary>
        Regular,
        /// <summary>A directory.</summary>
        Directory,
        /// <summary>A device node, FIFO or socket: not something the module reads or replaces.</summary>
        Special,
    }

    /// <summary>
    /// File-type and permission queries that .NET's FileInfo cannot answer on Unix (it reports a FIFO
    /// or /dev/zero as an existing file of length 0). On Unix they call stat/lstat/readlink/chmod
    /// through the runtime's own native shim (libSystem.Native, shipped with every .NET Core
    /// runtime); on Windows they fall back to file attributes.
    /// </summary>
    internal static class FileProbe
    {
        private const int TypeMask = 0xF000, RegularType = 0x8000, DirectoryType = 0x4000, LinkType = 0xA000;

        private static readonly bool Unix = Environment.OSVersion.Platform == PlatformID.Unix || Environment.OSVersion.Platform == PlatformID.MacOSX;

        // NOTE: only the first two fields (Flags, Mode) are read; the size covers every runtime's
        // FileStatus (about 120 bytes on .NET 8-10), so the shim never writes past the buffer.
        [StructLayout(LayoutKind.Sequential, Size = 512)]
        private struct FileStatus
        {
            public int Flags;
            public int Mode;
        }

        [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat", CharSet = CharSet.Ansi)]
        private static extern int Stat(string path, out FileStatus status);

        [DllImport("libSystem.Native", EntryPoint = "SystemNative_LStat", CharSet = CharSet.Ansi)]
        private static extern int LStat(string path, out FileStatus status);

        [DllImport("libSystem.Native", EntryPoint = "SystemNative_ReadLink", CharSet = CharSet.Ansi)]
        private static extern int ReadLink(string path, byte[] buffer, int bufferSize);

        [DllImport("libSystem.Native", EntryPoint = "SystemNative_ChMod", CharSet = CharSet.Ansi)]
        private static extern int ChMod(string path, int mode);

        /// <summary>What <paramref name="path"/> names, following symbolic links (a dangling link is Missing).</summary>
        public static FileKind KindOf(string path)
        {
            // A failed stat (missing file, dangling link, no shim) falls through to FileInfo's answer.
            if (Unix && TryStat(path, false, out int mode))
                return (mode & TypeMask) == RegularType ? FileKind.Regular : (mode & TypeMask) == DirectoryType ? FileKind.Directory : FileKind.Special;
            if (Directory.Exists(path)) return FileKind.Directory;
            if (!File.Exists(path)) return FileKind.Missing;
            return (File.GetAttributes(path) & FileAttributes.Device) != 0 ? FileKind.Special : FileKind.Regular;
        }

        /// <summary>
        /// The file a write to <paramref name="path"/> lands on: the final target of a chain of
        /// symbolic links (which may not exist yet), or the path itself.
        /// </summary>
        /// <exception cref="IOException">More than 40 links in a row (a loop).</exception>
        public static string FinalTarget(string path)
        {
            if (!Unix) return path;
            for (int hops = 0; hops < 40; hops++)
            {
                if (!TryStat(path, true, out int mode) || (mode & TypeMask) != LinkType) return path;
                var buffer = new byte[4096];
                int n = ReadLink(path, buffer, buffer.Length);
                if (n <= 0 || n >= buffer.Length) return path;
                string target = Encoding.UTF8.GetString(buffer, 0, n);
                path = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path) ?? "/", target));
            }
            throw new IOException($"Too many levels of symbolic links at '{path}'.");
        }

        /// <summary>The permission bits (rwx for user, group, other) of an existing file, or null (Windows, or unknown).</summary>
        public static int? PermissionBits(string path) => Unix && TryStat(path, false, out int mode) ? mode & 0x1FF : (int?)null;

        /// <summary>Sets the permission bits of a file (Unix only; ignored elsewhere).</summary>
        public static void SetPermissionBits(string path, int bits)
        {
            if (Unix && ChMod(path, bits & 0x1FF) != 0)
                throw new IOException($"Could not set the permissions of '{path}'.");
        }

        private static bool TryStat(string path, bool link, out int mode)
        {
            mode = 0;
            try
            {
                FileStatus s;
                int rc = link ? LStat(path, out s) : Stat(path, out s);
                mode = s.Mode;
                return rc == 0;
            }
            catch (Exception e) when (e is DllNotFoundException || e is EntryPointNotFoundException)
            {
                return false;
            }
        }
    }
}
