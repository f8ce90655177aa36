using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace BackpropModule.Engine.IO
{
    /// <summary>What a save or export wrote (returned by Save-Network, Export-NetworkOnnx and Export-Workbook with -PassThru).</summary>
    public sealed class SavedFile
    {
        /// <summary>Describes a file that was just written.</summary>
        public SavedFile(string path, string format, string contents, IEnumerable<string> sheets = null, IEnumerable<string> replacedSheets = null)
        {
            Path = path;
            Format = format;
            Contents = contents;
            Length = new FileInfo(path).Length;
            Sheets = sheets?.ToArray() ?? new string[0];
            ReplacedSheets = replacedSheets?.ToArray() ?? new string[0];
        }

        /// <summary>Full path of the file.</summary>
        public string Path { get; }

        /// <summary>The format, e.g. <c>BackpropModule.Network v1</c>, <c>ONNX opset 13 (float64)</c> or <c>xlsx</c>.</summary>
        public string Format { get; }

        /// <summary>What the file holds, in a few words.</summary>
        public string Contents { get; }

        /// <summary>Size in bytes.</summary>
        public long Length { get; }

        /// <summary>Worksheets written (workbooks only).</summary>
        public IReadOnlyList<string> Sheets { get; }

        /// <summary>Existing worksheets that were replaced by sheets of the same name (-Append).</summary>
        public IReadOnlyList<string> ReplacedSheets { get; }

        /// <inheritdoc/>
        public override string ToString() => Path;
    }
}
