using System.Runtime.Versioning;

// The sandbox and these tests use Linux only: namespaces, rlimits, /proc, Unix file modes.
[assembly: SupportedOSPlatform("linux")]
