using CodeRunner.Sandbox;

namespace CodeRunner.Tests.Infrastructure;

/// <summary>
/// A fact that runs real child processes. It is skipped, with the reason, when this machine lacks a toolchain or the
/// isolation the test needs — never silently passed. CI installs bubblewrap and every toolchain, so nothing skips there.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SandboxFactAttribute : FactAttribute
{
    public SandboxFactAttribute(params int[] languageIds)
        : this(IsolationLevel.Bubblewrap, languageIds)
    {
    }

    public SandboxFactAttribute(IsolationLevel minimumIsolation, params int[] languageIds)
    {
        MinimumIsolation = minimumIsolation;
        LanguageIds = languageIds;
        SandboxEnvironment environment = TestSandbox.Environment;
        if (environment.Isolation < minimumIsolation)
        {
            Skip = $"Needs isolation {minimumIsolation}, this machine has {environment.Isolation} ({string.Join("; ", environment.ProbeNotes)}).";
            return;
        }

        int[] missing = [.. languageIds.Where(id => !environment.Languages.IsAvailable(id))];
        if (missing.Length > 0)
        {
            Skip = $"Toolchain not installed for language(s) {string.Join(", ", missing)}: {string.Join("; ", environment.Languages.Unavailable)}";
        }
    }

    public IsolationLevel MinimumIsolation { get; }

    /// <summary>The test sets up something only root can (a mount, say); skipped otherwise.</summary>
    public bool RequiresRoot
    {
        get => _requiresRoot;
        init
        {
            _requiresRoot = value;
            if (value && !Environment.IsPrivilegedProcess)
            {
                Skip ??= "Needs root.";
            }
        }
    }

    private readonly bool _requiresRoot;

    public IReadOnlyList<int> LanguageIds { get; }
}
