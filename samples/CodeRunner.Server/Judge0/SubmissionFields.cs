namespace CodeRunner.Server.Judge0;

/// <summary>
/// Judge0's <c>fields</c> parameter: absent → the default fields, <c>*</c> → all, else a comma list where an unknown
/// name is a 400 (judge0.md C4). <c>charge_usd</c> is this service's addition (what the submission cost), selectable
/// by name or <c>*</c>, never in the defaults, so Judge0 clients see exactly Judge0's default body.
/// </summary>
internal sealed class SubmissionFields
{
    public static readonly IReadOnlyList<string> Defaults =
        ["token", "time", "memory", "stdout", "stderr", "compile_output", "message", "status"];

    public static readonly IReadOnlyList<string> All =
    [
        "token", "source_code", "language_id", "stdin", "expected_output", "stdout", "status_id", "created_at",
        "finished_at", "time", "memory", "stderr", "number_of_runs", "cpu_time_limit", "cpu_extra_time",
        "wall_time_limit", "memory_limit", "stack_limit", "max_processes_and_or_threads",
        "enable_per_process_and_thread_time_limit", "enable_per_process_and_thread_memory_limit", "max_file_size",
        "compile_output", "exit_code", "exit_signal", "message", "wall_time", "compiler_options",
        "command_line_arguments", "redirect_stderr_to_stdout", "callback_url", "additional_files", "enable_network",
        "status", "language", "queue_host", "execution_host", "charge_usd",
    ];

    private static readonly HashSet<string> Known = new(All, StringComparer.Ordinal);

    private SubmissionFields(IReadOnlyList<string> names) => Names = names;

    public static SubmissionFields Default { get; } = new(Defaults);

    public IReadOnlyList<string> Names { get; }

    /// <summary>The selection, or null with the names Judge0 would call invalid.</summary>
    public static SubmissionFields? Parse(string? fields, out IReadOnlyList<string> invalid)
    {
        invalid = [];
        if (string.IsNullOrWhiteSpace(fields))
        {
            return Default;
        }

        if (fields.Trim() == "*")
        {
            return new SubmissionFields(All);
        }

        string[] names = [.. fields.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal)];
        invalid = [.. names.Where(n => !Known.Contains(n))];
        return invalid.Count > 0 ? null : new SubmissionFields(names);
    }
}
