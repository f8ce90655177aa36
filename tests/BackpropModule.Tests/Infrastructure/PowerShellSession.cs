using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Text;

namespace BackpropModule.Tests.Infrastructure
{
    /// <summary>What one script run gave back.</summary>
    public sealed class RunResult
    {
        public Collection<PSObject> Output { get; set; }
        public List<ErrorRecord> Errors { get; set; }
        public List<ProgressRecord> Progress { get; set; }
        public List<WarningRecord> Warnings { get; set; }
        public List<string> Verbose { get; set; }
        public string HostText { get; set; }
        public RuntimeException Terminating { get; set; }

        /// <summary>The error, terminating or not; fails when there is none.</summary>
        public ErrorRecord SingleError()
        {
            if (Terminating != null) return Terminating.ErrorRecord;
            if (Errors.Count == 0) throw new Xunit.Sdk.XunitException("Expected an error but the script succeeded. Host text:\n" + HostText);
            return Errors[0];
        }

        /// <summary>Throws when the script produced any error.</summary>
        public RunResult AssertNoErrors()
        {
            if (Terminating != null) throw new Xunit.Sdk.XunitException("Terminating error: " + Terminating.ErrorRecord + " [" + Terminating.ErrorRecord?.FullyQualifiedErrorId + "]\n" + Terminating.ErrorRecord?.ScriptStackTrace);
            if (Errors.Count > 0) throw new Xunit.Sdk.XunitException("Errors: " + string.Join("\n", Errors.Select(e => e + " [" + e.FullyQualifiedErrorId + "]")));
            return this;
        }

        /// <summary>Base objects of the output.</summary>
        public List<object> Objects => Output.Select(o => o?.BaseObject).ToList();
    }

    /// <summary>
    /// A runspace with the built module imported from out/BackpropModule, hosted by a text host
    /// that captures what Out-Default renders. One session per test class (xunit class fixture);
    /// each test gets a fresh global scope by using its own variables.
    /// </summary>
    public sealed class PowerShellSession : IDisposable
    {
        private readonly StringBuilder text = new StringBuilder();
        private readonly object gate = new object();
        private readonly TextHost host;
        private readonly Runspace runspace;

        public PowerShellSession() : this(null) { }

        internal PowerShellSession(IDictionary<string, string> environment)
        {
            RepositoryRoot = ModuleLocator.RepositoryRoot();
            ModuleManifest = ModuleLocator.ModuleManifest(RepositoryRoot);
            if (!File.Exists(ModuleManifest)) throw new InvalidOperationException("The module is not built: " + ModuleManifest);
            host = new TextHost(s => { lock (gate) text.Append(s); }, 120);
            var iss = InitialSessionState.CreateDefault2();
            runspace = RunspaceFactory.CreateRunspace(host, iss);
            runspace.Open();
            if (environment != null)
                foreach (var kv in environment) Run($"$env:{kv.Key} = '{kv.Value}'");
            Run("Import-Module -Name $args[0] -ErrorAction Stop", ModuleManifest).AssertNoErrors();
        }

        public string RepositoryRoot { get; }
        public string ModuleManifest { get; }
        public Runspace Runspace => runspace;

        /// <summary>
        /// Runs a training script in this runspace and stops it (as Ctrl+C does) once progress reports an epoch after
        /// the second; the stop is triggered from the progress stream because the records may go to a variable.
        /// Asserts that the pipeline ended Stopped within three minutes.
        /// </summary>
        public void RunAndStopInEpoch3(string script)
        {
            using var shell = PowerShell.Create();
            shell.Runspace = runspace;
            shell.AddScript(script);
            int stopped = 0;
            shell.Streams.Progress.DataAdded += (s, e) =>
            {
                var p = shell.Streams.Progress[e.Index];
                if (p.CurrentOperation != null && !p.CurrentOperation.StartsWith("Epoch 1") && !p.CurrentOperation.StartsWith("Epoch 2") &&
                    System.Threading.Interlocked.Exchange(ref stopped, 1) == 0) shell.BeginStop(null, null);
            };
            var async = shell.BeginInvoke();
            Xunit.Assert.True(async.AsyncWaitHandle.WaitOne(TimeSpan.FromMinutes(3)), "the pipeline did not stop");
            try { shell.EndInvoke(async); } catch (PipelineStoppedException) { }
            Xunit.Assert.Equal(PSInvocationState.Stopped, shell.InvocationStateInfo.State);
        }

        /// <summary>Runs a script; positional arguments are $args.</summary>
        public RunResult Run(string script, params object[] args)
        {
            lock (gate) text.Clear();
            host.Progress.Clear();
            using var ps = PowerShell.Create();
            ps.Runspace = runspace;
            ps.AddScript(script, useLocalScope: false);
            foreach (var a in args) ps.AddArgument(a);
            var result = new RunResult();
            try { result.Output = ps.Invoke(); }
            catch (RuntimeException e) { result.Terminating = e; result.Output = new Collection<PSObject>(); }
            result.Errors = ps.Streams.Error.ToList();
            result.Progress = ps.Streams.Progress.Concat(host.Progress).ToList();
            result.Warnings = ps.Streams.Warning.ToList();
            result.Verbose = ps.Streams.Verbose.Select(v => v.Message).ToList();
            lock (gate) result.HostText = text.ToString();
            return result;
        }

        /// <summary>Runs a script and returns what Out-Default rendered for its output.</summary>
        public string Render(string script)
        {
            var r = Run(script + " | Out-Default");
            r.AssertNoErrors();
            return r.HostText;
        }

        public void Dispose() => runspace.Dispose();
    }
}
