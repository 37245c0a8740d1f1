using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CodeRunner.Sandbox;
using CodeRunner.Server.Accounts;
using CodeRunner.Server.Billing;
using CodeRunner.Server.Execution;
using CodeRunner.Server.Storage;

namespace CodeRunner.Server.Judge0;

/// <summary>Judge0's single-submission routes: create (optionally waiting), get, list the caller's own, delete.</summary>
internal static class SubmissionEndpoints
{
    public static void Map(RouteGroupBuilder judge0)
    {
        judge0.MapPost("/submissions", CreateAsync);
        judge0.MapGet("/submissions", ListAsync);
        judge0.MapGet("/submissions/{token}", GetAsync);
        judge0.MapDelete("/submissions/{token}", DeleteAsync);
    }

    private static async Task<IResult> CreateAsync(HttpContext context, SubmissionParser parser, SubmissionIntake intake, SubmissionStore store, SubmissionView view)
    {
        AccountRecord account = Authentication.Account(context);
        SubmissionFields? fields = SubmissionFields.Parse(context.Request.Query["fields"], out IReadOnlyList<string> invalid);
        if (fields is null)
        {
            return InvalidFields(invalid);
        }

        (JsonDocument? document, IResult? error) = await RequestBody.ReadAsync(context.Request).ConfigureAwait(false);
        if (document is null)
        {
            return error!;
        }

        using (document)
        {
            bool base64 = RequestBody.Flag(context.Request, "base64_encoded");
            var errors = new FieldErrors();
            SubmissionInput? input = parser.Parse(document.RootElement, base64, errors);
            if (input is null)
            {
                return Judge0Results.Invalid(errors);
            }

            bool wait = RequestBody.Flag(context.Request, "wait");
            IReadOnlyList<Acceptance>? accepted = await intake.AcceptAsync(account, [input], wait, context.RequestAborted).ConfigureAwait(false);
            if (accepted is null)
            {
                return Judge0Results.QueueFull();
            }

            Acceptance one = accepted[0];
            if (one.Token is null)
            {
                ServerLog.Refused(context.RequestServices.GetRequiredService<ILogger<SubmissionIntake>>(), account.Id, one.RefusalCode!);
                return PaymentRequired.Result(context.Request, one.RefusalCode!);
            }

            if (!wait)
            {
                return Judge0Results.Json(new JsonObject { ["token"] = one.Token }, StatusCodes.Status201Created);
            }

            await one.Finished!.WaitAsync(context.RequestAborted).ConfigureAwait(false);
            SubmissionRecord record = (await store.GetAsync(one.Token, context.RequestAborted).ConfigureAwait(false))!;
            return Judge0Results.Json(view.Render(record, fields, base64), StatusCodes.Status201Created);
        }
    }

    private static async Task<IResult> GetAsync(HttpContext context, string token, SubmissionStore store, SubmissionView view)
    {
        SubmissionFields? fields = SubmissionFields.Parse(context.Request.Query["fields"], out IReadOnlyList<string> invalid);
        if (fields is null)
        {
            return InvalidFields(invalid);
        }

        SubmissionRecord? record = await OwnAsync(context, token, store).ConfigureAwait(false);
        return record is null
            ? Judge0Results.NotFound()
            : Judge0Results.Json(view.Render(record, fields, RequestBody.Flag(context.Request, "base64_encoded")));
    }

    private static async Task<IResult> ListAsync(HttpContext context, SubmissionStore store, SubmissionView view)
    {
        AccountRecord account = Authentication.Account(context);
        SubmissionFields? fields = SubmissionFields.Parse(context.Request.Query["fields"], out IReadOnlyList<string> invalid);
        if (fields is null)
        {
            return InvalidFields(invalid);
        }

        if (!PageParameter(context.Request, "page", 1, int.MaxValue, out int page) || !PageParameter(context.Request, "per_page", 20, 100, out int perPage))
        {
            return Judge0Results.Error(StatusCodes.Status400BadRequest, "page must be ≥ 1 and per_page between 1 and 100");
        }

        long total = await store.CountAsync(account.Id, context.RequestAborted).ConfigureAwait(false);
        int totalPages = (int)((total + perPage - 1) / perPage);
        long offset = (long)(page - 1) * perPage;
        IReadOnlyList<SubmissionRecord> rows = offset >= total ? [] : await store.ListAsync(account.Id, (int)offset, perPage, context.RequestAborted).ConfigureAwait(false);
        bool base64 = RequestBody.Flag(context.Request, "base64_encoded");
        return Judge0Results.Json(new JsonObject
        {
            ["submissions"] = new JsonArray([.. rows.Select(r => (JsonNode)view.Render(r, fields, base64))]),
            ["meta"] = new JsonObject
            {
                ["current_page"] = page,
                ["next_page"] = page < totalPages ? page + 1 : null,
                ["prev_page"] = page > 1 ? page - 1 : null,
                ["total_pages"] = totalPages,
                ["total_count"] = total,
            },
        });
    }

    /// <summary>Only a submission still in the queue can be deleted; its authorization is cancelled (not charged).</summary>
    private static async Task<IResult> DeleteAsync(HttpContext context, string token, SubmissionStore store, SubmissionView view, ISubmissionBilling billing)
    {
        SubmissionFields? fields = SubmissionFields.Parse(context.Request.Query["fields"], out IReadOnlyList<string> invalid);
        if (fields is null)
        {
            return InvalidFields(invalid);
        }

        SubmissionRecord? record = await OwnAsync(context, token, store).ConfigureAwait(false);
        if (record is null)
        {
            return Judge0Results.NotFound();
        }

        if (!await store.TryTransitionAsync(token, JudgeStatus.InQueue.Id, SubmissionRecord.Deleting, context.RequestAborted).ConfigureAwait(false))
        {
            JudgeStatus status = SubmissionView.StatusOf((await store.GetAsync(token, CancellationToken.None).ConfigureAwait(false)) ?? record);
            return Judge0Results.Error(StatusCodes.Status400BadRequest,
                $"submission cannot be deleted because its status is {status.Id} ({status.Description})");
        }

        // Past this point the workers skip it; finish even if the caller goes away (a restart would finish it too).
        if (record.Billing == BillingState.Authorized && record.TicketJson is not null)
        {
            await billing.CancelAsync(record.TicketJson, CancellationToken.None).ConfigureAwait(false);
            await store.SetBillingAsync(token, BillingState.Cancelled, 0, CancellationToken.None).ConfigureAwait(false);
        }

        await store.DeleteAsync(token, CancellationToken.None).ConfigureAwait(false);
        return Judge0Results.Json(view.Render(record, fields, RequestBody.Flag(context.Request, "base64_encoded")));
    }

    /// <summary>The caller's own submission, or null: another user's token reads exactly like an unknown one.</summary>
    internal static async Task<SubmissionRecord?> OwnAsync(HttpContext context, string token, SubmissionStore store)
    {
        SubmissionRecord? record = await store.GetAsync(token, context.RequestAborted).ConfigureAwait(false);
        return record is not null && record.AccountId == Authentication.Account(context).Id && record.StatusId != SubmissionRecord.Deleting
            ? record
            : null;
    }

    internal static IResult InvalidFields(IReadOnlyList<string> invalid) =>
        Judge0Results.Error(StatusCodes.Status400BadRequest, $"invalid fields: [{string.Join(", ", invalid)}]");

    private static bool PageParameter(HttpRequest request, string name, int fallback, int max, out int value)
    {
        string? text = request.Query[name].FirstOrDefault();
        value = fallback;
        return string.IsNullOrEmpty(text)
            || (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= 1 && value <= max);
    }
}
