using System.Globalization;
using System.Text;
using System.Text.Json;
using CodeRunner.Server.Storage;

namespace CodeRunner.Server.Judge0;

/// <summary>
/// Reads one Judge0 submission object: Judge0's field names, defaults and ranges (judge0.md C2), Rails' messages.
/// Unknown keys are ignored as Judge0 does. Options this service cannot honour are refused by name, as Judge0 refuses
/// them when its configuration disables them (see <c>/config_info</c>), rather than silently ignored.
/// </summary>
internal sealed class SubmissionParser(Func<int, bool> languageExists)
{
    public const int MaxSourceLength = 65_536;
    public const int MaxTextLength = 1_048_576;

    public SubmissionInput? Parse(JsonElement body, bool base64, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (body.ValueKind != JsonValueKind.Object)
        {
            errors.Add("base", "submission must be a JSON object");
            return null;
        }

        var reader = new Reader(body, base64, errors);
        string? source = reader.Text("source_code", MaxSourceLength);
        if (string.IsNullOrEmpty(source) && !errors.Has("source_code"))
        {
            errors.Add("source_code", "can't be blank");
        }

        int? language = reader.Integer("language_id", null, null, null);
        if (language is null && !errors.Has("language_id"))
        {
            errors.Add("language_id", "can't be blank");
        }
        else if (language is { } id && !languageExists(id))
        {
            errors.Add("language_id", $"language with id {id} doesn't exist");
        }

        decimal cpu = reader.Number("cpu_time_limit", 5.0m, 0m, 15m, exclusiveMin: true);
        decimal wall = reader.Number("wall_time_limit", 10.0m, 1m, 20m);
        if (!errors.Has("cpu_time_limit") && !errors.Has("wall_time_limit") && wall < cpu)
        {
            // Judge0 lets the wall limit silently cap the CPU limit (judge0#463); a metered service refuses it.
            errors.Add("wall_time_limit", "must be greater than or equal to cpu_time_limit");
        }

        var input = new SubmissionInput
        {
            SourceCode = source ?? string.Empty,
            LanguageId = language ?? 0,
            Stdin = reader.Text("stdin", MaxTextLength),
            ExpectedOutput = reader.Text("expected_output", MaxTextLength),
            CpuTimeLimit = cpu,
            CpuExtraTime = reader.Number("cpu_extra_time", 1.0m, 0m, 5m),
            WallTimeLimit = wall,
            MemoryLimit = reader.Integer("memory_limit", 128_000, 2_048, 512_000) ?? 128_000,
            StackLimit = reader.Integer("stack_limit", 64_000, 0, 128_000) ?? 64_000,
            MaxProcessesAndOrThreads = reader.Integer("max_processes_and_or_threads", 60, 1, 120) ?? 60,
            EnablePerProcessAndThreadTimeLimit = reader.Refused("enable_per_process_and_thread_time_limit", "per process and thread time limit"),
            EnablePerProcessAndThreadMemoryLimit = reader.Refused("enable_per_process_and_thread_memory_limit", "per process and thread memory limit"),
            MaxFileSize = reader.Integer("max_file_size", 1_024, 0, 4_096) ?? 1_024,
            RedirectStderrToStdout = reader.Boolean("redirect_stderr_to_stdout"),
            EnableNetwork = reader.Refused("enable_network", "network"),
            NumberOfRuns = reader.Integer("number_of_runs", 1, 1, 20) ?? 1,
            CompilerOptions = reader.RefusedText("compiler_options", "setting compiler options is not allowed"),
            CommandLineArguments = reader.RefusedText("command_line_arguments", "setting command line arguments is not allowed"),
            CallbackUrl = reader.RefusedText("callback_url", "callbacks are not enabled on this server; poll GET /submissions/{token}"),
        };
        reader.RefusedText("additional_files", "setting additional files is not allowed");
        return errors.Any ? null : input;
    }

    /// <summary>Typed reads of one object's members, each adding its own message on a bad value.</summary>
    private sealed class Reader(JsonElement body, bool base64, FieldErrors errors)
    {
        public string? Text(string field, int maxLength)
        {
            if (!body.TryGetProperty(field, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.String)
            {
                errors.Add(field, "must be a string");
                return null;
            }

            string text = value.GetString()!;
            if (base64)
            {
                try
                {
                    // Ruby's decoder, which Judge0 uses, accepts line breaks (its own encoder writes them).
                    text = new UTF8Encoding(false, throwOnInvalidBytes: false).GetString(
                        Convert.FromBase64String(text.Replace("\n", "", StringComparison.Ordinal).Replace("\r", "", StringComparison.Ordinal)));
                }
                catch (FormatException)
                {
                    errors.Add(field, "is not valid base64");
                    return null;
                }
            }

            if (text.Length > maxLength)
            {
                errors.Add(field, $"is too long (maximum is {maxLength} characters)");
                return null;
            }

            return text;
        }

        public decimal Number(string field, decimal fallback, decimal min, decimal max, bool exclusiveMin = false)
        {
            if (!TryNumber(field, out decimal? read) || read is not { } number)
            {
                return fallback;
            }

            if (exclusiveMin ? number <= min : number < min)
            {
                errors.Add(field, exclusiveMin ? $"must be greater than {Format(min)}" : $"must be greater than or equal to {Format(min)}");
            }
            else if (number > max)
            {
                errors.Add(field, $"must be less than or equal to {Format(max)}");
            }

            return number;
        }

        public int? Integer(string field, int? fallback, int? min, int? max)
        {
            if (!TryNumber(field, out decimal? read) || read is not { } number)
            {
                return fallback;
            }

            if (number != decimal.Truncate(number) || number is > int.MaxValue or < int.MinValue)
            {
                errors.Add(field, "must be an integer");
                return fallback;
            }

            if (min is { } low && number < low)
            {
                errors.Add(field, $"must be greater than or equal to {low}");
            }
            else if (max is { } high && number > high)
            {
                errors.Add(field, $"must be less than or equal to {high}");
            }

            return (int)number;
        }

        public bool Boolean(string field)
        {
            if (!body.TryGetProperty(field, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
            {
                return false;
            }

            if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                return value.GetBoolean();
            }

            errors.Add(field, "is not included in the list");
            return false;
        }

        /// <summary>A boolean this server supports only as false.</summary>
        public bool Refused(string field, string what)
        {
            bool on = Boolean(field);
            if (on)
            {
                errors.Add(field, $"enabling {what} is not allowed");
            }

            return false;
        }

        /// <summary>A string option this server does not offer: empty or absent is fine, anything else is refused.</summary>
        public string? RefusedText(string field, string message)
        {
            if (body.TryGetProperty(field, out JsonElement value) && value.ValueKind != JsonValueKind.Null
                && !(value.ValueKind == JsonValueKind.String && value.GetString()!.Length == 0))
            {
                errors.Add(field, message);
            }

            return null;
        }

        private bool TryNumber(string field, out decimal? number)
        {
            number = null;
            if (!body.TryGetProperty(field, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
            {
                return true;
            }

            // Rails casts numeric strings ("5"), so Judge0 clients send either form.
            if (value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out decimal parsed)
                || value.ValueKind == JsonValueKind.String && decimal.TryParse(value.GetString(), NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out parsed))
            {
                number = parsed;
                return true;
            }

            errors.Add(field, "is not a number");
            return false;
        }

        private static string Format(decimal value) => value.ToString(CultureInfo.InvariantCulture);
    }
}
