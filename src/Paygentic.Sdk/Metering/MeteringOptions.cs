namespace Paygentic.Sdk.Metering;

/// <summary>
/// Settings of the metering guard (<see cref="IMeteringGuard"/>) and its background reporter. Bind them from the
/// configuration section <c>Paygentic:Metering</c> (keys are the property names); they are validated at start-up
/// and every error names the option.
/// </summary>
public sealed class MeteringOptions
{
    /// <summary>The default value of <see cref="EventSource"/>.</summary>
    public const string DefaultEventSource = "urn:paygentic:dotnet-sdk";

    /// <summary>Legacy (reservations and usage) or Standard (feature access and meter events). Default Legacy.</summary>
    public MeteringStrategy Strategy { get; set; } = MeteringStrategy.Legacy;

    /// <summary>
    /// Legacy: how many operations of one customer one reservation serves (its <c>maxUses</c>, 1–1000), at the least. The
    /// hold is sized for that many estimates, so at most one reservation's worth of funds is held ahead of use (one and a
    /// half with <see cref="ReservationRefillAhead"/>). 1 turns pooling off (one reservation per operation). Default 10.
    /// </summary>
    public int ReservationPoolSize { get; set; } = 10;

    /// <summary>
    /// Legacy, pooled and refilled ahead (<see cref="ReservationRefillAhead"/>; without it pools keep
    /// <see cref="ReservationPoolSize"/>): the most uses a pooled reservation grows to when a customer's operations outrun
    /// the round trip to Paygentic (1–1000, at least <see cref="ReservationPoolSize"/>). When operations find a pool
    /// empty while its next reservation is on its way, the one after it is made twice as large; after two refills in a
    /// row that each arrived before a sixteenth of the uses left for them were taken, half as large; when a reservation
    /// expires with fewer than half its uses taken, as large as the uses it served; and when the wallet cannot hold the
    /// size asked for, <see cref="ReservationPoolSize"/> again. Never below <see cref="ReservationPoolSize"/>. What is
    /// held ahead so follows what the customer spends in a few round trips. The cost: a customer who stops right after a
    /// burst leaves a larger hold until it expires. Set it to <see cref="ReservationPoolSize"/> for fixed-size pools.
    /// Default 1000.
    /// </summary>
    public int ReservationPoolMaxSize { get; set; } = 1000;

    /// <summary>
    /// Legacy, pooled: once half of a reservation's uses are handed out, the next reservation is created in the
    /// background, so no operation waits for that round trip to Paygentic (without it, one operation in
    /// <see cref="ReservationPoolSize"/> does). The cost: up to half a pool more held ahead of use, and a customer who
    /// stops right after the refill leaves that hold until it expires. A refill that fails is left to the operation that
    /// finds the pool empty. Default true.
    /// </summary>
    public bool ReservationRefillAhead { get; set; } = true;

    /// <summary>
    /// Legacy: a pooled reservation is replaced once it expires within this margin (or within half its hold's life,
    /// when the server's holds are shorter than twice the margin). Default 1 minute.
    /// </summary>
    public TimeSpan ReservationRefreshMargin { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Standard: the meter event type (a billable metric's <c>eventType</c>, e.g. <c>code.submission</c>). Required for Standard.</summary>
    public string? EventType { get; set; }

    /// <summary>Standard: the meter event source, a URI naming your application. Default <see cref="DefaultEventSource"/>.</summary>
    public string EventSource { get; set; } = DefaultEventSource;

    /// <summary>Standard: the feature key checked when an operation does not name one (e.g. <c>submissions</c>).</summary>
    public string? FeatureKey { get; set; }

    /// <summary>Standard: the product of <see cref="FeatureKey"/> (e.g. <c>prod_…</c>).</summary>
    public string? ProductId { get; set; }

    /// <summary>
    /// Standard: how long a positive access answer is reused for the same customer and feature. Zero turns the cache
    /// off. Denials are never cached. Default 5 seconds.
    /// </summary>
    public TimeSpan AccessCacheTtl { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>What is charged when the work throws. Default <see cref="Metering.FailurePolicy.NoCharge"/>.</summary>
    public FailurePolicy FailurePolicy { get; set; } = FailurePolicy.NoCharge;

    /// <summary>
    /// Decides, at start-up, what happens to each operation an earlier process authorized but never completed or
    /// cancelled (it died while the work ran): report its estimate, report other quantities, skip it, or keep the ticket
    /// for the two-phase API. The default reports the estimate (the work probably ran). Configuration sets
    /// <c>Recovery</c> to <c>ReportEstimate</c>, <c>Skip</c> or <c>Keep</c>; code may pass any callback.
    /// </summary>
    public Func<MeteringTicket, CancellationToken, ValueTask<RecoveryDecision>> Recovery { get; set; } = RecoveryDecision.AlwaysReportEstimate;

    /// <summary>
    /// Whether the caller of <see cref="IMeteringGuard.AuthorizeAsync"/> stores each ticket durably itself (in the record of
    /// the work it pays for, before that work starts) and completes or cancels it, after a restart too. The guard then
    /// writes nothing when it authorizes: one outbox write less per operation. The report is still in the outbox before
    /// <see cref="IMeteringGuard.CompleteAsync"/> returns, and <see cref="IMeteringGuard.RunAsync{T}"/> still records its
    /// own tickets. What the caller takes on: a ticket it lost before storing it is never charged (its hold simply
    /// expires); the guard does not recover its tickets at start-up (<see cref="Recovery"/> never sees them), nor do
    /// other replicas sharing an outbox adopt them, so whichever process finishes them must reach the caller's store;
    /// an operation id is not checked against open tickets at authorization, so each must name one operation (the
    /// caller's store enforces it, e.g. as its key); one ticket must not be completed and cancelled at once; and pooled
    /// reservations are not reused by the next process, which holds anew while the earlier hold runs out. Tickets the
    /// guard recorded before the option was set still go to <see cref="Recovery"/>: one the caller also finishes needs a
    /// callback that keeps or skips it. Default false: the guard records every ticket.
    /// </summary>
    public bool CallerStoresTickets { get; set; }

    /// <summary>
    /// Whether <see cref="IMeteringGuard.CompleteAsync"/> (and so <see cref="IMeteringGuard.RunAsync{T}"/>) waits, up to
    /// <see cref="DeliveryWaitTimeout"/>, for the report to be accepted before returning. Either way the report is in
    /// the outbox first. Default true.
    /// </summary>
    public bool WaitForDelivery { get; set; } = true;

    /// <summary>The longest a caller waits for delivery before getting <see cref="ReportState.Queued"/>. Default 5 seconds.</summary>
    public TimeSpan DeliveryWaitTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Legacy: the most reports per <c>/v0/usage/batch</c> call (1–1000). Default 1000.</summary>
    public int MaxBatchSize { get; set; } = 1000;

    /// <summary>
    /// How long the reporter lingers after the first report of a batch to collect more, unless a caller waits for it
    /// (<see cref="WaitForDelivery"/>), the batch is full or a flush asks for everything now. Zero sends at once
    /// (reports that arrive during a send form the next batch). Default 200 ms: background reports from a busy service
    /// then share one batch call instead of each paying a request of its own, for a delay nobody waits on.
    /// </summary>
    public TimeSpan BatchInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Capacity of the in-memory queue in front of the sender; beyond it reports wait in the outbox and are queued as soon as the sender frees room. Default 10000.</summary>
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>Sends in flight at once: meter events (standard) or usage batches (legacy). Default 8.</summary>
    public int MaxConcurrentSends { get; set; } = 8;

    /// <summary>The first delay before a report that failed transiently is sent again; it doubles up to <see cref="RetryMaxDelay"/>. Default 1 second.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest delay between two delivery attempts of a report. Default 5 minutes.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long after completion a report may still be (re)sent with its idempotency key; older undelivered reports
    /// are dead-lettered rather than risk a second charge outside the server's deduplication window. Default 24 hours.
    /// </summary>
    public TimeSpan MaxReplayAge { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long stopping the host may spend delivering what is pending; the rest stays in the outbox for the next start. Default 10 seconds.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a delivered report leaves a tombstone (operation id, key, quantities, when) in the outbox, so the same
    /// operation id is refused instead of running its work again. Null (the default): <see cref="MaxReplayAge"/>.
    /// </summary>
    public TimeSpan? TombstoneRetention { get; set; }

    /// <summary>
    /// What <see cref="IMeteringGuard.RunAsync{T}"/> does with an operation id that was metered before (a tombstone, a
    /// pending report or a dead letter): the work never runs either way. Default <see cref="ReusedOperationIdBehavior.Throw"/>.
    /// </summary>
    public ReusedOperationIdBehavior ReusedOperationId { get; set; } = ReusedOperationIdBehavior.Throw;
}
