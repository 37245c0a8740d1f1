using System.Runtime.InteropServices;

namespace CodeRunner.Sandbox.Internal;

/// <summary>libc calls .NET has no API for.</summary>
internal static partial class NativeMethods
{
    /// <summary>lchown(2): changes the owner of a path without following a final symlink.</summary>
    [LibraryImport("libc", EntryPoint = "lchown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int LChown(string path, uint owner, uint group);
}
