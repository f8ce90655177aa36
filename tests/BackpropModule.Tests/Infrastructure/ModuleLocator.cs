using System;
using System.IO;

namespace BackpropModule.Tests.Infrastructure
{
    /// <summary>Finds the repository root and the built module from any directory below it.</summary>
    public static class ModuleLocator
    {
        /// <summary>The folder that holds BackpropModule.slnx, searching upwards from start (default: the test assembly's folder).</summary>
        /// <exception cref="DirectoryNotFoundException">No such folder above start.</exception>
        public static string RepositoryRoot(string start = null)
        {
            var dir = new DirectoryInfo(start ?? AppContext.BaseDirectory);
            while (dir != null && !File.Exists(Path.Combine(dir.FullName, "BackpropModule.slnx"))) dir = dir.Parent;
            if (dir == null) throw new DirectoryNotFoundException("BackpropModule.slnx was not found above " + (start ?? AppContext.BaseDirectory));
            return dir.FullName;
        }

        /// <summary>Path of the built module manifest, out/BackpropModule/BackpropModule.psd1.</summary>
        public static string ModuleManifest(string root = null) =>
            Path.Combine(root ?? RepositoryRoot(), "out", "BackpropModule", "BackpropModule.psd1");
    }
}
