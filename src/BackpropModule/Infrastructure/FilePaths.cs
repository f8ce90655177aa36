using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using BackpropModule.Engine;
using BackpropModule.Engine.IO;

namespace BackpropModule.Infrastructure
{
    /// <summary>
    /// The one place where the module turns what a user typed as a path into a file-system path,
    /// so every cmdlet that reads or writes a file follows the same rules (documented in
    /// about_BackpropModule, "Files"): relative paths are taken from the current location and
    /// PSDrives work; a path on another provider (Env:, Variable:, HKLM:) is refused with
    /// PathProviderUnsupported; a NUL in the path gives PathInvalid; a wildcard that matches nothing
    /// is an error, as with Get-Item. The engine then refuses anything that is not a regular file
    /// (<see cref="FileChecks"/>).
    /// </summary>
    internal static class FilePaths
    {
        /// <summary>
        /// Resolves a path to read. With <paramref name="expandWildcards"/> a path with wildcard
        /// characters gives every match (at least one); otherwise it is taken literally.
        /// </summary>
        /// <exception cref="BackpropException">PathInvalid, PathProviderUnsupported, or <paramref name="notFoundId"/> when a wildcard matches nothing or the drive does not exist.</exception>
        public static IReadOnlyList<string> ForReading(PSCmdlet cmdlet, string path, bool expandWildcards, string notFoundId)
        {
            FileChecks.CheckPathText(path);
            try
            {
                ProviderInfo provider;
                if (expandWildcards && WildcardPattern.ContainsWildcardCharacters(path))
                {
                    var found = cmdlet.SessionState.Path.GetResolvedProviderPathFromPSPath(path, out provider);
                    CheckProvider(provider, path);
                    if (found.Count == 0) throw NoMatch(notFoundId, path, null);
                    return found.ToList();
                }
                string one = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out provider, out _);
                CheckProvider(provider, path);
                return new[] { one };
            }
            catch (ItemNotFoundException e) { throw NoMatch(notFoundId, path, e); }
            catch (DriveNotFoundException e) { throw NoMatch(notFoundId, path, e); }
            catch (Exception e) when (IsMalformed(e)) { throw Malformed(path, e); }
        }

        /// <summary>Resolves a path to write (the file need not exist; wildcards are literal characters).</summary>
        /// <exception cref="BackpropException">PathInvalid, PathProviderUnsupported, or OutputFileWriteFailed when the drive does not exist.</exception>
        public static string ForWriting(PSCmdlet cmdlet, string path)
        {
            FileChecks.CheckPathText(path);
            try
            {
                string full = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out ProviderInfo provider, out _);
                CheckProvider(provider, path);
                return FileChecks.FullPath(full);
            }
            catch (Exception e) when (e is ItemNotFoundException || e is DriveNotFoundException)
            {
                throw new BackpropException(ErrorIds.OutputFileWriteFailed, ErrorKind.WriteError, path, $"Cannot write to '{path}': {FileChecks.Sentence(e.Message)}", e);
            }
            catch (Exception e) when (IsMalformed(e)) { throw Malformed(path, e); }
        }

        private static void CheckProvider(ProviderInfo provider, string path)
        {
            if (provider == null || !string.Equals(provider.Name, "FileSystem", StringComparison.OrdinalIgnoreCase))
                throw new BackpropException(ErrorIds.PathProviderUnsupported, ErrorKind.InvalidArgument, path,
                    $"'{path}' is a path of the {provider?.Name ?? "unknown"} provider; files are read and written only on the FileSystem provider (a folder or a file-system drive such as C: or ~).");
        }

        private static bool IsMalformed(Exception e) =>
            e is ProviderNotFoundException || e is NotSupportedException || e is ArgumentException || e is PSArgumentException || e is PSInvalidOperationException;

        private static BackpropException Malformed(string path, Exception e) =>
            e is ProviderNotFoundException
                ? new BackpropException(ErrorIds.PathProviderUnsupported, ErrorKind.InvalidArgument, path, $"'{path}' names no provider this session has: {FileChecks.Sentence(e.Message)}", e)
                : new BackpropException(ErrorIds.PathInvalid, ErrorKind.InvalidArgument, path, $"The path '{path}' is not valid: {FileChecks.Sentence(e.Message)}", e);

        private static BackpropException NoMatch(string id, string path, Exception e) =>
            new BackpropException(id, ErrorKind.ObjectNotFound, path,
                $"Cannot find '{path}'" + (e == null ? ": no file matches it." : ": " + FileChecks.Sentence(e.Message)), e);
    }
}
