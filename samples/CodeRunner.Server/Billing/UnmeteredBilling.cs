using CodeRunner.Server.Storage;

namespace CodeRunner.Server.Billing;

/// <summary><c>--billing off</c>: nothing is authorized or reported (the overhead benchmark's baseline).</summary>
internal sealed class UnmeteredBilling : ISubmissionBilling
{
    public bool IsMetered => false;

    public Task<string?> AuthorizeAsync(AccountRecord account, string token, SubmissionInput input, CancellationToken cancellationToken) =>
        Task.FromResult<string?>(null);

    public Task<long> CompleteAsync(string ticketJson, SubmissionInput input, SubmissionOutcome outcome, CancellationToken cancellationToken) =>
        Task.FromResult(0L);

    public Task CancelAsync(string ticketJson, CancellationToken cancellationToken) => Task.CompletedTask;
}
