using Paygentic.Sdk.Metering.Reporting;

namespace Paygentic.Sdk.Metering;

/// <summary>
/// Runs metered work as authorize → execute → report, exactly once and never lost: the customer's ability to pay is
/// checked before the work runs, the actual usage is written to a durable outbox before it is sent, and every send
/// carries an idempotency key derived only from the operation id.
/// </summary>
public interface IMeteringGuard
{
    /// <summary>The background reporter: flush, pending count, dead letters.</summary>
    IUsageReporter Reports { get; }

    /// <summary>
    /// Authorizes <paramref name="operation"/>, runs <paramref name="work"/> and reports what it used. When the work
    /// throws, the exception propagates unchanged and, by default, nothing is charged
    /// (<see cref="MeteringOptions.FailurePolicy"/>). A report that cannot be delivered now is queued; it never fails
    /// the call.
    /// </summary>
    /// <typeparam name="T">The work's result type.</typeparam>
    /// <param name="operation">Who pays and what is expected.</param>
    /// <param name="work">The work; record actual quantities on the scope.</param>
    /// <param name="cancellationToken">Cancels authorization and the work (nothing is charged when the work did not run).</param>
    /// <exception cref="PaygenticPaymentRequiredException">The customer cannot pay; the work did not run.</exception>
    Task<MeteredResult<T>> RunAsync<T>(MeteredOperation operation, Func<MeteringScope, CancellationToken, Task<T>> work, CancellationToken cancellationToken = default);

    /// <summary>
    /// The first phase: checks that the customer can pay and records the resulting ticket in the outbox (or leaves it to
    /// the caller to store: <see cref="MeteringOptions.CallerStoresTickets"/>). Finish it with <see cref="CompleteAsync"/>
    /// or <see cref="CancelAsync"/>, possibly in another process (the ticket is serializable).
    /// </summary>
    /// <param name="operation">Who pays and what is expected.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="PaygenticPaymentRequiredException">The customer cannot pay.</exception>
    Task<MeteringTicket> AuthorizeAsync(MeteredOperation operation, CancellationToken cancellationToken = default);

    /// <summary>
    /// The second phase: reports the operation's usage. Each quantity given replaces the estimate of its metric; metrics
    /// not given are reported at their estimate (give 0 to charge nothing for one). The report is in the outbox before
    /// this returns; completing an operation twice reports it once.
    /// </summary>
    /// <param name="ticket">The authorization.</param>
    /// <param name="actualQuantities">Actual units per metric (null: the estimate).</param>
    /// <param name="metadata">Metadata added to the operation's.</param>
    /// <param name="cancellationToken">Stops waiting for delivery (the report stays queued); never un-records it.</param>
    Task<MeteringReceipt> CompleteAsync(MeteringTicket ticket, IReadOnlyDictionary<string, long>? actualQuantities = null, IReadOnlyDictionary<string, string>? metadata = null, CancellationToken cancellationToken = default);

    /// <summary>Ends an authorization without a charge. Has no effect on an operation that was already completed.</summary>
    /// <param name="ticket">The authorization.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task CancelAsync(MeteringTicket ticket, CancellationToken cancellationToken = default);
}
