using System;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;
using BackpropModule.Engine;

namespace BackpropModule.Plotting
{
    /// <summary>
    /// Finds SkiaSharp's and HarfBuzzSharp's native libraries for a module loaded by Import-Module.
    /// PowerShell resolves a module's DllImports against its own deps.json, which knows nothing of
    /// the module's runtimes/&lt;rid&gt;/native folders, so the libraries are loaded here by full path:
    /// through a DllImport resolver on .NET Core 3+ (called by reflection on the netstandard2.0
    /// build), and on .NET Framework by LoadLibrary before SkiaSharp's first call, after which
    /// Windows finds the already loaded module by its name.
    /// </summary>
    internal static class NativeLibraries
    {
        private static readonly object Gate = new object();
        private static bool ready;

        /// <summary>The native folders are looked for here and one folder up (the module root, shared by both builds).</summary>
        internal static string AssemblyFolder => Path.GetDirectoryName(typeof(NativeLibraries).Assembly.Location);

        /// <summary>Makes sure the native libraries can be found; call before touching any ScottPlot or SkiaSharp type.</summary>
        /// <exception cref="BackpropException">PlotUnsupportedOnThisPlatform: no native library for this platform.</exception>
        internal static void EnsureLoaded()
        {
            lock (Gate)
            {
                if (ready) return;
                string rid = RuntimeId();
                string skia = Find(rid, "libSkiaSharp"), harfBuzz = Find(rid, "libHarfBuzzSharp");
                if (skia == null || harfBuzz == null)
                {
                    // The test host and applications resolve through their own deps.json; let them try.
                    ready = true;
                    return;
                }
                if (!TrySetResolvers(skia, harfBuzz) && RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
                {
                    LoadLibraryOrThrow(skia);
                    LoadLibraryOrThrow(harfBuzz);
                }
                ready = true;
            }
        }

        /// <summary>The runtime identifier of the native folder for this process (win-x64, linux-x64, osx, …).</summary>
        internal static string RuntimeId()
        {
            string arch = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) return "win-" + arch;
            if (RuntimeInformation.IsOSPlatform(OSPlatform.OSX)) return "osx";
            return "linux-" + arch;
        }

        private static string Find(string rid, string name)
        {
            string file = name + (RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? ".dll"
                : RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? ".dylib" : ".so");
            foreach (string root in new[] { AssemblyFolder, Path.GetDirectoryName(AssemblyFolder) })
            {
                if (root == null) continue;
                string path = Path.Combine(Path.Combine(Path.Combine(Path.Combine(root, "runtimes"), rid), "native"), file);
                if (File.Exists(path)) return path;
            }
            return null;
        }

        internal static Exception Unsupported(string detail, Exception inner = null) =>
            new BackpropException(ErrorIds.PlotUnsupportedOnThisPlatform, ErrorKind.InvalidOperation, RuntimeId(),
                $"Pictures need the SkiaSharp native library, which could not be loaded on {RuntimeInformation.OSDescription} ({RuntimeId()}): {detail}", inner);

        /// <summary>Registers resolvers on the managed SkiaSharp and HarfBuzzSharp assemblies; false when the runtime has no NativeLibrary (.NET Framework).</summary>
        private static bool TrySetResolvers(string skia, string harfBuzz)
        {
            Type nativeLibrary = Type.GetType("System.Runtime.InteropServices.NativeLibrary", throwOnError: false);
            Type resolverType = Type.GetType("System.Runtime.InteropServices.DllImportResolver", throwOnError: false);
            if (nativeLibrary == null || resolverType == null) return false;
            MethodInfo set = nativeLibrary.GetMethod("SetDllImportResolver", new[] { typeof(Assembly), resolverType });
            MethodInfo load = nativeLibrary.GetMethod("Load", new[] { typeof(string) });
            if (set == null || load == null) return false;
            Register(set, resolverType, typeof(SkiaSharp.SKColor).Assembly, "libSkiaSharp", skia, load);
            Register(set, resolverType, typeof(HarfBuzzSharp.Buffer).Assembly, "libHarfBuzzSharp", harfBuzz, load);
            return true;
        }

        private static void Register(MethodInfo set, Type resolverType, Assembly assembly, string name, string path, MethodInfo load)
        {
            var resolver = new Resolver(name, path, load);
            Delegate d = Delegate.CreateDelegate(resolverType, resolver, typeof(Resolver).GetMethod(nameof(Resolver.Resolve)));
            try { set.Invoke(null, new object[] { assembly, d }); }
            catch (TargetInvocationException e) when (e.InnerException is InvalidOperationException)
            {
                // Another component already set a resolver for this assembly; it is then in charge.
            }
        }

        private sealed class Resolver
        {
            private readonly string name, path;
            private readonly MethodInfo load;

            public Resolver(string name, string path, MethodInfo load) { this.name = name; this.path = path; this.load = load; }

            public IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
            {
                if (!string.Equals(libraryName, name, StringComparison.Ordinal)) return IntPtr.Zero;
                try { return (IntPtr)load.Invoke(null, new object[] { path }); }
                catch (TargetInvocationException e) { throw Unsupported(e.InnerException?.Message ?? e.Message, e.InnerException); }
            }
        }

        private static void LoadLibraryOrThrow(string path)
        {
            if (LoadLibraryW(path) == IntPtr.Zero)
                throw Unsupported($"LoadLibrary('{path}') failed with error {Marshal.GetLastWin32Error()}.");
        }

        [DllImport("kernel32", CharSet = CharSet.Unicode, SetLastError = true)]
        private static extern IntPtr LoadLibraryW(string path);
    }
}
