using System;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;
using System.Text;

namespace BackpropModule.Tests.Infrastructure
{
    /// <summary>
    /// A minimal PowerShell host whose UI writes text to a sink (the test's buffer),
    /// so Out-Default renders objects through the module's format views.
    /// </summary>
    public sealed class TextHost : PSHost
    {
        private readonly TextHostUI ui;

        /// <summary>Creates a host writing to the sink; width is the buffer width formatting uses.</summary>
        public TextHost(Action<string> sink, int width = 120)
        {
            ui = new TextHostUI(sink, width);
        }

        public override string Name => "BackpropModule.Tests";
        public override Version Version => new Version(1, 0);
        public override Guid InstanceId { get; } = Guid.NewGuid();
        public override PSHostUserInterface UI => ui;
        public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;
        public override CultureInfo CurrentUICulture => CultureInfo.GetCultureInfo("en-US");
        public override void EnterNestedPrompt() => throw new NotSupportedException();
        public override void ExitNestedPrompt() => throw new NotSupportedException();
        public override void NotifyBeginApplication() { }
        public override void NotifyEndApplication() { }
        public override void SetShouldExit(int exitCode) => ExitCode = exitCode;

        /// <summary>Exit code set by the script with <c>exit</c>.</summary>
        public int ExitCode { get; private set; }

        /// <summary>Progress records the host was given, in order.</summary>
        public List<ProgressRecord> Progress => ui.Progress;
    }

    internal sealed class TextHostUI : PSHostUserInterface
    {
        private readonly Action<string> sink;
        private readonly TextRawUI raw;

        public TextHostUI(Action<string> sink, int width)
        {
            this.sink = sink;
            raw = new TextRawUI(width);
        }

        public List<ProgressRecord> Progress { get; } = new List<ProgressRecord>();
        public override PSHostRawUserInterface RawUI => raw;
        public override string ReadLine() => throw new NotSupportedException("This host cannot read input.");
        public override SecureString ReadLineAsSecureString() => throw new NotSupportedException("This host cannot read input.");
        public override void Write(string value) => sink(value);
        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => sink(value);
        public override void WriteLine(string value) => sink(value + "\n");
        public override void WriteErrorLine(string value) => sink(value + "\n");
        public override void WriteDebugLine(string message) => sink("DEBUG: " + message + "\n");
        public override void WriteVerboseLine(string message) => sink("VERBOSE: " + message + "\n");
        public override void WriteWarningLine(string message) => sink("WARNING: " + message + "\n");
        public override void WriteProgress(long sourceId, ProgressRecord record) => Progress.Add(record);
        public override Dictionary<string, PSObject> Prompt(string caption, string message, System.Collections.ObjectModel.Collection<FieldDescription> descriptions) =>
            throw new NotSupportedException("This host cannot prompt.");
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
            throw new NotSupportedException("This host cannot prompt.");
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) =>
            throw new NotSupportedException("This host cannot prompt.");
        public override int PromptForChoice(string caption, string message, System.Collections.ObjectModel.Collection<ChoiceDescription> choices, int defaultChoice) => defaultChoice;
    }

    internal sealed class TextRawUI : PSHostRawUserInterface
    {
        private Size size;

        public TextRawUI(int width) { size = new Size(width, 50); }

        public override ConsoleColor BackgroundColor { get; set; } = ConsoleColor.Black;
        public override ConsoleColor ForegroundColor { get; set; } = ConsoleColor.Gray;
        public override Size BufferSize { get => new Size(size.Width, 9999); set => size = value; }
        public override Coordinates CursorPosition { get; set; }
        public override int CursorSize { get; set; }
        public override bool KeyAvailable => false;
        public override Size MaxPhysicalWindowSize => size;
        public override Size MaxWindowSize => size;
        public override Coordinates WindowPosition { get; set; }
        public override Size WindowSize { get => size; set => size = value; }
        public override string WindowTitle { get; set; } = "";
        public override void FlushInputBuffer() { }
        public override BufferCell[,] GetBufferContents(Rectangle rectangle) => throw new NotSupportedException();
        public override KeyInfo ReadKey(ReadKeyOptions options) => throw new NotSupportedException();
        public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill) { }
        public override void SetBufferContents(Coordinates origin, BufferCell[,] contents) { }
        public override void SetBufferContents(Rectangle rectangle, BufferCell fill) { }
    }
}
