namespace CodeRunner.Sandbox;

/// <summary>
/// A Judge0 submission status: the exact ids and descriptions of Judge0 CE (<c>app/enumerations/status.rb</c>),
/// so that Judge0 clients can keep switching on <see cref="Id"/>.
/// </summary>
public sealed class JudgeStatus : IEquatable<JudgeStatus>
{
    private JudgeStatus(int id, string description)
    {
        Id = id;
        Description = description;
    }

    /// <summary>1: queued, not yet picked up.</summary>
    public static JudgeStatus InQueue { get; } = new(1, "In Queue");

    /// <summary>2: being compiled or run.</summary>
    public static JudgeStatus Processing { get; } = new(2, "Processing");

    /// <summary>3: exit code 0 and the expected output (if any) matched.</summary>
    public static JudgeStatus Accepted { get; } = new(3, "Accepted");

    /// <summary>4: exit code 0 but the output differs from the expected output.</summary>
    public static JudgeStatus WrongAnswer { get; } = new(4, "Wrong Answer");

    /// <summary>5: the CPU-time or the wall-time limit was exceeded.</summary>
    public static JudgeStatus TimeLimitExceeded { get; } = new(5, "Time Limit Exceeded");

    /// <summary>6: the compiler rejected the source.</summary>
    public static JudgeStatus CompilationError { get; } = new(6, "Compilation Error");

    /// <summary>7: killed by SIGSEGV.</summary>
    public static JudgeStatus RuntimeErrorSigsegv { get; } = new(7, "Runtime Error (SIGSEGV)");

    /// <summary>8: killed by SIGXFSZ (the file-size limit).</summary>
    public static JudgeStatus RuntimeErrorSigxfsz { get; } = new(8, "Runtime Error (SIGXFSZ)");

    /// <summary>9: killed by SIGFPE.</summary>
    public static JudgeStatus RuntimeErrorSigfpe { get; } = new(9, "Runtime Error (SIGFPE)");

    /// <summary>10: killed by SIGABRT.</summary>
    public static JudgeStatus RuntimeErrorSigabrt { get; } = new(10, "Runtime Error (SIGABRT)");

    /// <summary>11: exited with a non-zero exit code.</summary>
    public static JudgeStatus RuntimeErrorNzec { get; } = new(11, "Runtime Error (NZEC)");

    /// <summary>12: killed by any other signal.</summary>
    public static JudgeStatus RuntimeErrorOther { get; } = new(12, "Runtime Error (Other)");

    /// <summary>13: the sandbox failed (our fault, never charged).</summary>
    public static JudgeStatus InternalError { get; } = new(13, "Internal Error");

    /// <summary>14: the program could not be executed (execve failed; not charged, as in Judge0's billing model).</summary>
    public static JudgeStatus ExecFormatError { get; } = new(14, "Exec Format Error");

    /// <summary>All statuses in id order (1..14), as Judge0's <c>GET /statuses</c> lists them.</summary>
    public static IReadOnlyList<JudgeStatus> All { get; } =
    [
        InQueue, Processing, Accepted, WrongAnswer, TimeLimitExceeded, CompilationError,
        RuntimeErrorSigsegv, RuntimeErrorSigxfsz, RuntimeErrorSigfpe, RuntimeErrorSigabrt,
        RuntimeErrorNzec, RuntimeErrorOther, InternalError, ExecFormatError,
    ];

    /// <summary>Judge0 status id (1..14).</summary>
    public int Id { get; }

    /// <summary>Judge0 status description, e.g. <c>Runtime Error (NZEC)</c>.</summary>
    public string Description { get; }

    /// <summary>True once the submission has a final verdict (every id from 3 on).</summary>
    public bool IsTerminal => Id >= 3;

    /// <summary>
    /// True when the user's code ran and the submission is charged: statuses 3 to 12.
    /// 13 and 14 are the service's fault and 1/2 are not finished, so they are never charged.
    /// </summary>
    public bool IsBillable => Id is >= 3 and <= 12;

    /// <summary>Looks up a status by its Judge0 id.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The id is not between 1 and 14.</exception>
    public static JudgeStatus FromId(int id) =>
        id is >= 1 and <= 14 ? All[id - 1] : throw new ArgumentOutOfRangeException(nameof(id), id, "Judge0 status ids are 1..14.");

    /// <inheritdoc />
    public bool Equals(JudgeStatus? other) => other is not null && other.Id == Id;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as JudgeStatus);

    /// <inheritdoc />
    public override int GetHashCode() => Id;

    /// <inheritdoc />
    public override string ToString() => $"{Id} {Description}";
}
