using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace BackpropModule.ScriptRunner
{
    /// <summary>
    /// Runs a PowerShell script with the built module imported, printing its output through the
    /// module's format views: <c>dotnet run --project tools/ScriptRunner -- examples/01-Walkthrough.ps1 [-Name value …]</c>.
    /// </summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            if (args.Length == 0 || args[0] == "-h" || args[0] == "--help")
            {
                Console.WriteLine("usage: BackpropModule.ScriptRunner <script.ps1> [-Parameter value ...]");
                return 2;
            }
            string script = Path.GetFullPath(args[0]);
            if (!File.Exists(script)) { Console.Error.WriteLine("Script not found: " + script); return 2; }
            var host = new TextHost(s => Console.Write(s), Math.Max(80, SafeWidth()));
            var iss = InitialSessionState.CreateDefault2();
            if (OperatingSystem.IsWindows()) iss.ExecutionPolicy = Microsoft.PowerShell.ExecutionPolicy.Bypass;
            using var runspace = RunspaceFactory.CreateRunspace(host, iss);
            runspace.Open();
            using var ps = PowerShell.Create();
            ps.Runspace = runspace;
            ps.AddCommand("Import-Module").AddParameter("Name", ModuleLocator.ModuleManifest(ModuleLocator.RepositoryRoot(Path.GetDirectoryName(script))));
            ps.Invoke();
            if (ReportErrors(ps, host)) return 1;
            ps.Commands.Clear();
            var cmd = new Command(script, isScript: false);
            for (int i = 1; i < args.Length; i++)
            {
                string a = args[i];
                if (a.StartsWith("-") && a.Length > 1)
                {
                    string name = a.TrimStart('-').TrimEnd(':');
                    if (i + 1 < args.Length && !args[i + 1].StartsWith("-")) { cmd.Parameters.Add(name, args[++i]); }
                    else cmd.Parameters.Add(name, true);
                }
                else cmd.Parameters.Add(null, a);
            }
            ps.Commands.AddCommand(cmd);
            ps.AddCommand("Out-Default");
            Console.CancelKeyPress += (_, e) => { e.Cancel = true; ps.BeginStop(null, null); };
            try { ps.Invoke(); }
            catch (RuntimeException e) { host.UI.WriteErrorLine(e.ErrorRecord?.ToString() ?? e.Message); return 1; }
            bool failed = ReportErrors(ps, host);
            return failed ? 1 : host.ExitCode;
        }

        private static bool ReportErrors(PowerShell ps, TextHost host)
        {
            foreach (var e in ps.Streams.Error.ToList())
                host.UI.WriteErrorLine($"{e} [{e.FullyQualifiedErrorId}]");
            bool any = ps.HadErrors && ps.Streams.Error.Count > 0;
            ps.Streams.Error.Clear();
            return any;
        }

        private static int SafeWidth()
        {
            try { return Console.IsOutputRedirected ? 120 : Console.WindowWidth; } catch { return 120; }
        }
    }
}
