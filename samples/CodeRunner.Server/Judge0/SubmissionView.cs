using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using CodeRunner.Sandbox;
using CodeRunner.Server.Storage;
using Paygentic.Sdk;

namespace CodeRunner.Server.Judge0;

/// <summary>
/// Renders a submission as Judge0 does: the selected fields in order, <c>time</c>/<c>wall_time</c> as decimal strings
/// of seconds, <c>memory</c> in KB, text fields base64-encoded when <c>base64_encoded=true</c>.
/// </summary>
internal sealed class SubmissionView(Func<int, string?> languageName)
{
    public JsonObject Render(SubmissionRecord record, SubmissionFields fields, bool base64)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(fields);
        // A verdict becomes visible with its charge: until billing is settled the submission still reads as Processing.
        SubmissionRecord shown = record.StatusId > JudgeStatus.Processing.Id && record.Billing == BillingState.Authorized
            ? record with { StatusId = JudgeStatus.Processing.Id, Outcome = null, FinishedAt = null }
            : record;
        var body = new JsonObject();
        foreach (string name in fields.Names)
        {
            body[name] = Field(shown, name, base64);
        }

        return body;
    }

    /// <summary>Judge0's status of a row (a row being deleted still reads as queued until it is gone).</summary>
    public static JudgeStatus StatusOf(SubmissionRecord record) =>
        JudgeStatus.FromId(record.StatusId == SubmissionRecord.Deleting ? 1 : record.StatusId);

    private JsonNode? Field(SubmissionRecord r, string name, bool base64)
    {
        SubmissionInput i = r.Input;
        SubmissionOutcome? o = r.Outcome;
        JudgeStatus status = StatusOf(r);
        return name switch
        {
            "token" => r.Token,
            "source_code" => Text(i.SourceCode, base64),
            "language_id" => i.LanguageId,
            "stdin" => Text(i.Stdin, base64),
            "expected_output" => Text(i.ExpectedOutput, base64),
            "stdout" => Text(o?.Stdout, base64),
            "stderr" => Text(o?.Stderr, base64),
            "compile_output" => Text(o?.CompileOutput, base64),
            "message" => Text(o?.Message, base64),
            "status_id" => status.Id,
            "status" => new JsonObject { ["id"] = status.Id, ["description"] = status.Description },
            "language" => new JsonObject { ["id"] = i.LanguageId, ["name"] = languageName(i.LanguageId) },
            "created_at" => Stamp(r.CreatedAt),
            "finished_at" => r.FinishedAt is { } finished ? Stamp(finished) : null,
            "time" => Seconds(o?.Time),
            "wall_time" => Seconds(o?.WallTime),
            "memory" => o?.Memory,
            "exit_code" => o?.ExitCode,
            "exit_signal" => o?.ExitSignal,
            "number_of_runs" => i.NumberOfRuns,
            "cpu_time_limit" => i.CpuTimeLimit,
            "cpu_extra_time" => i.CpuExtraTime,
            "wall_time_limit" => i.WallTimeLimit,
            "memory_limit" => i.MemoryLimit,
            "stack_limit" => i.StackLimit,
            "max_processes_and_or_threads" => i.MaxProcessesAndOrThreads,
            "enable_per_process_and_thread_time_limit" => i.EnablePerProcessAndThreadTimeLimit,
            "enable_per_process_and_thread_memory_limit" => i.EnablePerProcessAndThreadMemoryLimit,
            "max_file_size" => i.MaxFileSize,
            "redirect_stderr_to_stdout" => i.RedirectStderrToStdout,
            "enable_network" => i.EnableNetwork,
            "compiler_options" => i.CompilerOptions,
            "command_line_arguments" => i.CommandLineArguments,
            "callback_url" => i.CallbackUrl,
            "charge_usd" => r.ChargeNanos is { } nanos && r.Billing != BillingState.Authorized ? new Nanodollars(nanos).ToUsd().ToString(CultureInfo.InvariantCulture) : null,
            _ => null, // additional_files, queue_host, execution_host: not kept by this service
        };
    }

    private static JsonNode? Text(string? text, bool base64) =>
        text is null ? null : base64 ? Convert.ToBase64String(Encoding.UTF8.GetBytes(text)) : text;

    private static string? Seconds(decimal? seconds) =>
        seconds?.ToString("0.000", CultureInfo.InvariantCulture);

    private static string Stamp(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
