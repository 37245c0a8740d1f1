namespace CodeRunner.Sandbox;

/// <summary>
/// A language the sandbox can run, with its Judge0 id. Commands are argument vectors (never a shell line), run inside
/// the submission's directory, where the source was written as <see cref="SourceFileName"/>.
/// </summary>
/// <param name="Id">Judge0 <c>language_id</c>.</param>
/// <param name="Name">Judge0-style name with the detected version, e.g. <c>Python (3.11.2)</c>.</param>
/// <param name="Tier">Basic (interpreted) or premium (compiled).</param>
/// <param name="SourceFileName">File the source code is written to, e.g. <c>main.py</c>.</param>
/// <param name="CompileCommand">Compiler argument vector, or null for interpreted languages.</param>
/// <param name="RunCommand">Argument vector that runs the program.</param>
public sealed record Language(
    int Id,
    string Name,
    LanguageTier Tier,
    string SourceFileName,
    IReadOnlyList<string>? CompileCommand,
    IReadOnlyList<string> RunCommand)
{
    /// <summary>True when a compile step runs before the program (compile time is never billed).</summary>
    public bool IsCompiled => CompileCommand is not null;

    /// <summary>
    /// Extra address space (KB) added to the submission's memory limit for this language. V8 reserves about 1 GB of
    /// virtual memory just to start, so Node gets headroom here and its heap is capped with
    /// <c>--max-old-space-size</c> instead; the others get none.
    /// </summary>
    public long AddressSpaceHeadroomKb { get; init; }

    /// <summary>The toolchain's executable (compiler or interpreter), checked before each job.</summary>
    internal string ToolPath => CompileCommand?[0] ?? RunCommand[0];

    /// <inheritdoc />
    public override string ToString() => $"{Id} {Name}";
}
