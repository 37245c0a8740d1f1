using System.Text.Json;
using System.Text.Json.Nodes;
using CodeRunner.Server.Accounts;
using CodeRunner.Server.Billing;
using CodeRunner.Server.Execution;
using CodeRunner.Server.Storage;

namespace CodeRunner.Server.Judge0;

/// <summary>
/// Judge0's batch routes. POST: at most 20, answered in order with <c>{token}</c>, the item's errors, or (ours) the
/// item's payment refusal; 201 when any was accepted. Each accepted item is its own billed operation. GET: the
/// caller's submissions in token order, <c>null</c> for unknown or foreign ones.
/// </summary>
internal static class BatchEndpoints
{
    public const int MaxBatchSize = 20;
    private const int MaxTokens = 100;

    public static void Map(RouteGroupBuilder judge0)
    {
        judge0.MapPost("/submissions/batch", CreateAsync);
        judge0.MapGet("/submissions/batch", GetAsync);
    }

    private static async Task<IResult> CreateAsync(HttpContext context, SubmissionParser parser, SubmissionIntake intake)
    {
        AccountRecord account = Authentication.Account(context);
        (JsonDocument? document, IResult? error) = await RequestBody.ReadAsync(context.Request).ConfigureAwait(false);
        if (document is null)
        {
            return error!;
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("submissions", out JsonElement items) || items.ValueKind != JsonValueKind.Array)
            {
                var missing = new FieldErrors();
                missing.Add("submissions", "must be an array of submissions");
                return Judge0Results.Invalid(missing);
            }

            int count = items.GetArrayLength();
            if (count == 0 || count > MaxBatchSize)
            {
                return Judge0Results.Error(StatusCodes.Status422UnprocessableEntity,
                    $"number of submissions in a batch should be between 1 and {MaxBatchSize} (got {count})");
            }

            bool base64 = RequestBody.Flag(context.Request, "base64_encoded");
            var answers = new JsonNode?[count];
            var valid = new List<(int Index, SubmissionInput Input)>();
            int i = 0;
            foreach (JsonElement item in items.EnumerateArray())
            {
                var errors = new FieldErrors();
                SubmissionInput? input = parser.Parse(item, base64, errors);
                if (input is null)
                {
                    answers[i] = errors.ToJson();
                }
                else
                {
                    valid.Add((i, input));
                }

                i++;
            }

            int accepted = 0, refused = 0;
            if (valid.Count > 0)
            {
                IReadOnlyList<Acceptance>? results = await intake.AcceptAsync(account, [.. valid.Select(v => v.Input)], wait: false, context.RequestAborted).ConfigureAwait(false);
                if (results is null)
                {
                    return Judge0Results.QueueFull();
                }

                for (int k = 0; k < results.Count; k++)
                {
                    Acceptance result = results[k];
                    answers[valid[k].Index] = result.Token is { } token
                        ? new JsonObject { ["token"] = token }
                        : PaymentRequired.Body(context.Request, result.RefusalCode!);
                    _ = result.Token is null ? refused++ : accepted++;
                }
            }

            int status = accepted > 0 ? StatusCodes.Status201Created
                : refused > 0 ? StatusCodes.Status402PaymentRequired
                : StatusCodes.Status422UnprocessableEntity;
            return Judge0Results.Json(new JsonArray(answers), status);
        }
    }

    private static async Task<IResult> GetAsync(HttpContext context, SubmissionStore store, SubmissionView view)
    {
        SubmissionFields? fields = SubmissionFields.Parse(context.Request.Query["fields"], out IReadOnlyList<string> invalid);
        if (fields is null)
        {
            return SubmissionEndpoints.InvalidFields(invalid);
        }

        // Judge0 takes the list from the query, or from a "tokens" header.
        string? list = context.Request.Query["tokens"].FirstOrDefault() ?? context.Request.Headers["tokens"].FirstOrDefault();
        string[] tokens = list?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? [];
        if (tokens.Length == 0 || tokens.Length > MaxTokens)
        {
            return Judge0Results.Error(StatusCodes.Status400BadRequest, $"tokens must list between 1 and {MaxTokens} submission tokens");
        }

        bool base64 = RequestBody.Flag(context.Request, "base64_encoded");
        var submissions = new JsonArray();
        foreach (string token in tokens)
        {
            SubmissionRecord? record = await SubmissionEndpoints.OwnAsync(context, token, store).ConfigureAwait(false);
            submissions.Add(record is null ? null : view.Render(record, fields, base64));
        }

        return Judge0Results.Json(new JsonObject { ["submissions"] = submissions });
    }
}
