using System.Text.Json.Nodes;
using CodeRunner.Sandbox;
using CodeRunner.Server.Configuration;
using CodeRunner.Server.Execution;

namespace CodeRunner.Server.Judge0;

/// <summary>Judge0's descriptive routes: languages, statuses, about and the configuration clients may rely on.</summary>
internal static class InfoEndpoints
{
    public static void Map(RouteGroupBuilder judge0)
    {
        judge0.MapGet("/languages", (LanguageRegistry languages) =>
            Judge0Results.Json(new JsonArray([.. languages.Available.Select(l => (JsonNode)new JsonObject { ["id"] = l.Id, ["name"] = l.Name })])));
        judge0.MapGet("/languages/all", (LanguageRegistry languages) =>
            Judge0Results.Json(new JsonArray([.. languages.Available.Select(l => (JsonNode)new JsonObject { ["id"] = l.Id, ["name"] = l.Name, ["is_archived"] = false })])));
        judge0.MapGet("/languages/{id}", (string id, LanguageRegistry languages) =>
            int.TryParse(id, out int languageId) && languages.TryGet(languageId, out Language? language)
                ? Judge0Results.Json(new JsonObject
                {
                    ["id"] = language.Id,
                    ["name"] = language.Name,
                    ["is_archived"] = false,
                    ["source_file"] = language.SourceFileName,
                    ["compile_cmd"] = language.CompileCommand is { } compile ? string.Join(' ', compile.Select(Path.GetFileName)) : null,
                    ["run_cmd"] = string.Join(' ', language.RunCommand.Select(Path.GetFileName)),
                })
                : Judge0Results.NotFound());
        judge0.MapGet("/statuses", () =>
            Judge0Results.Json(new JsonArray([.. JudgeStatus.All.Select(s => (JsonNode)new JsonObject { ["id"] = s.Id, ["description"] = s.Description })])));
        judge0.MapGet("/about", () => Judge0Results.Json(new JsonObject
        {
            ["version"] = "1.13.1",
            ["homepage"] = "https://github.com/paygentic/dotnet-sdk/tree/main/samples/CodeRunner.Server",
            ["source_code"] = "https://github.com/paygentic/dotnet-sdk",
            ["maintainer"] = "Paygentic.Sdk contributors (a Judge0-compatible, metered sample; not Judge0 itself)",
        }));
        judge0.MapGet("/config_info", (ServerSettings settings, SubmissionQueue queue) => Judge0Results.Json(ConfigInfo(settings, queue)));
    }

    private static JsonObject ConfigInfo(ServerSettings settings, SubmissionQueue queue) => new()
    {
        ["enable_wait_result"] = true,
        ["enable_compiler_options"] = false,
        ["allowed_languages_for_compile_options"] = new JsonArray(),
        ["enable_command_line_arguments"] = false,
        ["enable_submission_delete"] = true,
        ["enable_callbacks"] = false,
        ["callbacks_max_tries"] = 0,
        ["callbacks_timeout"] = 0,
        ["enable_additional_files"] = false,
        ["max_queue_size"] = queue.MaxQueueSize,
        ["cpu_time_limit"] = 5.0m,
        ["max_cpu_time_limit"] = 15.0m,
        ["cpu_extra_time"] = 1.0m,
        ["max_cpu_extra_time"] = 5.0m,
        ["wall_time_limit"] = 10.0m,
        ["max_wall_time_limit"] = 20.0m,
        ["memory_limit"] = 128000,
        ["max_memory_limit"] = 512000,
        ["stack_limit"] = 64000,
        ["max_stack_limit"] = 128000,
        ["max_processes_and_or_threads"] = 60,
        ["max_max_processes_and_or_threads"] = 120,
        ["enable_per_process_and_thread_time_limit"] = false,
        ["allow_enable_per_process_and_thread_time_limit"] = false,
        ["enable_per_process_and_thread_memory_limit"] = false,
        ["allow_enable_per_process_and_thread_memory_limit"] = false,
        ["max_file_size"] = 1024,
        ["max_max_file_size"] = 4096,
        ["number_of_runs"] = 1,
        ["max_number_of_runs"] = 20,
        ["redirect_stderr_to_stdout"] = false,
        ["max_extract_size"] = 0,
        ["enable_batched_submissions"] = true,
        ["max_submission_batch_size"] = BatchEndpoints.MaxBatchSize,
        ["submission_cache_duration"] = 0,
        ["use_docs_as_homepage"] = false,
        ["allow_enable_network"] = false,
        ["enable_network"] = false,
        ["billing"] = settings.Billing.ToString().ToLowerInvariant(),
    };
}
