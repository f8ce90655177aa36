using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.InteropServices;

namespace BackpropModule.Infrastructure
{
    /// <summary>
    /// Windows PowerShell 5.1 (.NET Framework) binds strong-named assemblies by exact version and a
    /// module cannot bring binding redirects. The netstandard2.0 build ships one copy of each
    /// dependency (e.g. System.Memory 4.6.3, which SkiaSharp needs) while other assemblies were
    /// compiled against older versions; this handler answers a failed load with the module's own copy
    /// when it is the same or a newer version. On .NET Core it does nothing: the runtime already
    /// accepts a newer version.
    /// </summary>
    public sealed class FrameworkAssemblyResolver : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private static readonly string Folder = Path.GetDirectoryName(typeof(FrameworkAssemblyResolver).Assembly.Location);
        private static readonly bool IsFramework = RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal);

        /// <inheritdoc/>
        public void OnImport()
        {
            if (IsFramework) AppDomain.CurrentDomain.AssemblyResolve += Resolve;
        }

        /// <inheritdoc/>
        public void OnRemove(PSModuleInfo psModuleInfo)
        {
            if (IsFramework) AppDomain.CurrentDomain.AssemblyResolve -= Resolve;
        }

        private static Assembly Resolve(object sender, ResolveEventArgs args)
        {
            var wanted = new AssemblyName(args.Name);
            string path = Path.Combine(Folder, wanted.Name + ".dll");
            if (!File.Exists(path)) return null;
            var shipped = AssemblyName.GetAssemblyName(path);
            if (wanted.Version != null && shipped.Version < wanted.Version) return null;
            return Assembly.LoadFrom(path);
        }
    }
}
