using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Paygentic.Sdk.Metering.Authorization;
using Paygentic.Sdk.Metering.Reporting;

namespace Paygentic.Sdk.Metering;

/// <summary>
/// The <see cref="IMeteringGuard"/>. With dependency injection use <c>AddMeteringGuard(...)</c>, which also starts and
/// stops it with the host (the outbox is opened and unfinished work recovered at start; pending reports are drained at
/// stop). Without it, create one per process and dispose it at the end; it starts on first use.
/// </summary>
public sealed class MeteringGuard : IMeteringGuard, IAsyncDisposable
{
    private readonly IUsageOutbox _outbox;
    private readonly MeteringOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly MeteringMetrics _metrics;
    private readonly IAuthorizationStrategy _strategy;
    private readonly LegacyReservationStrategy _legacy;
    private readonly StandardAccessStrategy _standard;
    private readonly TicketRecovery _recovery;
    private readonly UsageReporter _reporter;
    private readonly CallerKeptTickets? _callerKept;
    private readonly string _issuerId = Guid.NewGuid().ToString("N");
    private readonly Lock _startGate = new();
    private Task? _started;
    private AdoptedWork? _adopted;

    /// <summary>Creates a guard.</summary>
    /// <param name="client">The Paygentic client.</param>
    /// <param name="outbox">Where tickets and reports are kept until delivered (SQLite in production).</param>
    /// <param name="options">Settings; validated here (an invalid option throws naming it).</param>
    /// <param name="timeProvider">The clock (tests pass a fake).</param>
    /// <param name="loggerFactory">Where log lines go.</param>
    /// <param name="meterFactory">Where metrics go.</param>
    public MeteringGuard(IPaygenticClient client, IUsageOutbox outbox, MeteringOptions options, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null, IMeterFactory? meterFactory = null)
        : this(client, new ClientReportTransport(client ?? throw new ArgumentNullException(nameof(client))), outbox, options, timeProvider, loggerFactory, meterFactory)
    {
    }

    /// <summary>Creates a guard whose reporter sends through <paramref name="transport"/> (tests script it).</summary>
    internal MeteringGuard(IPaygenticClient client, IReportTransport transport, IUsageOutbox outbox, MeteringOptions options, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null, IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(outbox);
        ArgumentNullException.ThrowIfNull(options);
        MeteringOptionsValidator.ThrowIfInvalid(options);
        _outbox = outbox;
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Paygentic.Sdk.Metering");
        _metrics = new MeteringMetrics(meterFactory);
        _legacy = new LegacyReservationStrategy(client.Entitlements, outbox, options, _time, _metrics, _logger);
        _standard = new StandardAccessStrategy(client.Entitlements, options, _time, _metrics);
        _strategy = options.Strategy == MeteringStrategy.Standard ? _standard : _legacy;
        _reporter = new UsageReporter(transport, outbox, options, _time, _metrics, _logger);
        _callerKept = options.CallerStoresTickets ? new CallerKeptTickets(_time) : null;
        _recovery = new TicketRecovery(options, outbox, _metrics, _logger, (ticket, quantities, metadata) => CompleteCoreAsync(ticket, quantities, metadata, wait: false, CancellationToken.None).AsTask());
    }

    /// <inheritdoc />
    public IUsageReporter Reports => _reporter;

    /// <inheritdoc />
    public async Task<MeteredResult<T>> RunAsync<T>(MeteredOperation operation, Func<MeteringScope, CancellationToken, Task<T>> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        using var activity = MeteringMetrics.Start(MeteringMetrics.RunActivity);
        MeteringTicket ticket;
        try
        {
            ticket = await AuthorizeCoreAsync(operation, recordTicket: true, cancellationToken).ConfigureAwait(false);
        }
        catch (PaygenticOperationAlreadyMeteredException reused) when (_options.ReusedOperationId == ReusedOperationIdBehavior.ReturnEarlierReceipt && reused.EarlierReceipt is { } earlier)
        {
            return new MeteredResult<T>(default!, EarlierOperations.AlreadyMetered(earlier));
        }

        activity?.SetTag("paygentic.operation_id", ticket.OperationId);
        if (cancellationToken.IsCancellationRequested)
        {
            await CancelQuietlyAsync(ticket).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }

        var scope = new MeteringScope(ticket);
        T value;
        try
        {
            value = await work(scope, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            _metrics.Executed.Add(1, new KeyValuePair<string, object?>("outcome", "failure"));
            var error = e.GetType().Name;
            MeteringLog.WorkFailed(_logger, ticket.OperationId, error, _options.FailurePolicy);
            activity?.SetStatus(ActivityStatusCode.Error, error);
            var recorded = scope.SnapshotQuantities();
            if (_options.FailurePolicy == FailurePolicy.ChargeRecordedUsage && recorded is not null)
            {
                var metadata = QuantityMaps.MergeCopy(ticket.Metadata, scope.SnapshotMetadata());
                metadata["paygentic.work"] = "failed";
                try
                {
                    await CompleteCoreAsync(ticket, recorded, metadata, wait: false, CancellationToken.None).ConfigureAwait(false);
                }
                catch (UsageOutboxException outboxFailure)
                {
                    // The work's own exception is what the caller gets; the ticket stays open for recovery at next start.
                    MeteringLog.OutboxWriteFailed(_logger, ticket.OperationId, outboxFailure.GetType().Name);
                }
            }
            else
            {
                await CancelQuietlyAsync(ticket).ConfigureAwait(false);
            }

            throw;
        }

        _metrics.Executed.Add(1, new KeyValuePair<string, object?>("outcome", "success"));
        var quantities = QuantityMaps.Overlay(ticket.Estimate, scope.SnapshotQuantities());
        var receipt = await CompleteCoreAsync(ticket, quantities, QuantityMaps.Merge(ticket.Metadata, scope.SnapshotMetadata()), _options.WaitForDelivery, cancellationToken).ConfigureAwait(false);
        activity?.SetTag("paygentic.report_state", receipt.State.ToString());
        return new MeteredResult<T>(value, receipt);
    }

    /// <inheritdoc />
    public Task<MeteringTicket> AuthorizeAsync(MeteredOperation operation, CancellationToken cancellationToken = default) =>
        AuthorizeCoreAsync(operation, recordTicket: _callerKept is null, cancellationToken).AsTask();

    // ValueTask inside the guard: an authorization served from a pooled reservation completes without waiting, and a
    // Task<MeteringTicket> per operation would be allocated only to be awaited at once. Without recordTicket the caller
    // stores the ticket (MeteringOptions.CallerStoresTickets); RunAsync always records its own.
    private async ValueTask<MeteringTicket> AuthorizeCoreAsync(MeteredOperation operation, bool recordTicket, CancellationToken cancellationToken)
    {
        MeteringArguments.ThrowIfInvalid(operation);
        _strategy.Validate(operation);
        await EnsureStartedAsync(cancellationToken).ConfigureAwait(false);
        var operationId = operation.OperationId ?? Guid.NewGuid().ToString("N");
        if (operation.OperationId is not null
            && _strategy.HoldsFundsPerOperation
            && await _outbox.GetAsync(operationId, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            // Refused before a hold is created that nothing could release. The insert-if-absent after authorization is
            // the authority (two concurrent authorizations of one id can both pass this look; a tombstone of a delivered
            // report refuses it too); the look is made only where authorizing costs a hold of its own: a pooled use is
            // given back, so the hot path skips the read.
            throw EarlierOperations.Refusal(operationId, existing);
        }

        using var activity = MeteringMetrics.Start(MeteringMetrics.AuthorizeActivity);
        activity?.SetTag("paygentic.operation_id", operationId);
        activity?.SetTag("paygentic.customer_id", operation.CustomerId);

        MeteringTicket ticket;
        try
        {
            ticket = await _strategy.AuthorizeAsync(operation, operationId, _issuerId, cancellationToken).ConfigureAwait(false);
        }
        catch (PaygenticPaymentRequiredException denied)
        {
            _metrics.Denied.Add(1, new KeyValuePair<string, object?>("reason", denied.ReasonCode));
            MeteringLog.Denied(_logger, operationId, operation.CustomerId, denied.ReasonCode);
            activity?.SetStatus(ActivityStatusCode.Error, denied.ReasonCode);
            throw;
        }

        activity?.SetTag("paygentic.authorization_id", ticket.AuthorizationId);
        if (!recordTicket)
        {
            _callerKept!.Opened(ticket);
            _metrics.Authorized.Add(1);
            return ticket;
        }

        bool added;
        try
        {
            // Insert-if-absent: authorizing an id again would overwrite its record (an open ticket, an undelivered
            // report or a dead letter would silently disappear). An operation id names one unit of work.
            added = await _outbox.TryAddAsync(new OutboxEntry { OperationId = operationId, State = OutboxEntryState.Authorized, Ticket = ticket, CreatedAt = ticket.AuthorizedAt }, CancellationToken.None).ConfigureAwait(false);
        }
        catch
        {
            _strategy.Release(ticket);
            throw;
        }

        if (!added)
        {
            _strategy.Release(ticket);
            var present = await _outbox.GetAsync(operationId, CancellationToken.None).ConfigureAwait(false);
            throw EarlierOperations.Refusal(operationId, present);
        }

        _metrics.Authorized.Add(1);
        return ticket;
    }

    /// <inheritdoc />
    public async Task<MeteringReceipt> CompleteAsync(MeteringTicket ticket, IReadOnlyDictionary<string, long>? actualQuantities = null, IReadOnlyDictionary<string, string>? metadata = null, CancellationToken cancellationToken = default)
    {
        MeteringArguments.ThrowIfInvalid(ticket, actualQuantities);
        await EnsureStartedAsync(CancellationToken.None).ConfigureAwait(false);
        var quantities = actualQuantities is null ? ticket.Estimate : QuantityMaps.Overlay(ticket.Estimate, actualQuantities);
        return await CompleteCoreAsync(ticket, quantities, QuantityMaps.Merge(ticket.Metadata, metadata), _options.WaitForDelivery, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task CancelAsync(MeteringTicket ticket, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        await EnsureStartedAsync(cancellationToken).ConfigureAwait(false);
        await CancelCoreAsync(ticket, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Opens the outbox, recovers unfinished operations of earlier processes and starts the reporter.</summary>
    /// <param name="cancellationToken">Cancels start-up.</param>
    /// <exception cref="UsageOutboxException">The outbox is corrupt or from a newer version.</exception>
    public Task StartAsync(CancellationToken cancellationToken) => EnsureStartedAsync(cancellationToken);

    /// <summary>
    /// Waits for a pooled reservation being made ahead (so its hold is stored for the next process), then delivers what
    /// it can; each within <see cref="MeteringOptions.ShutdownTimeout"/>. What is left stays in the outbox.
    /// </summary>
    /// <param name="cancellationToken">The host's shutdown deadline.</param>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // Adoption stops first: work adopted now would be handed to a reporter that no longer sends.
        if (_adopted is { } adopted)
        {
            await adopted.StopAsync().ConfigureAwait(false);
        }

        using (var bound = new CancellationTokenSource(_options.ShutdownTimeout, _time))
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(bound.Token, cancellationToken))
        {
            await _legacy.WaitForRefillsAsync(linked.Token).ConfigureAwait(false);
        }

        await _reporter.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops the reporter (see <see cref="StopAsync"/>).</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _adopted?.Dispose();
        _reporter.Dispose();
    }

    private Task EnsureStartedAsync(CancellationToken cancellationToken)
    {
        Task started;
        lock (_startGate)
        {
            started = _started ??= StartCoreAsync();
        }

        return started.IsCompletedSuccessfully ? Task.CompletedTask : started.WaitAsync(cancellationToken);
    }

    private async Task StartCoreAsync()
    {
        await _outbox.InitializeAsync(CancellationToken.None).ConfigureAwait(false);
        await _reporter.StartAsync(CancellationToken.None).ConfigureAwait(false);
        await _legacy.RestoreAsync(CancellationToken.None).ConfigureAwait(false);
        var unfinished = await _outbox.LoadAsync(OutboxEntryState.Authorized, CancellationToken.None).ConfigureAwait(false);
        MeteringLog.Loaded(_logger, _reporter.PendingCount, unfinished.Count, _reporter.DeadLetterCount);
        foreach (var entry in unfinished)
        {
            if (entry.Ticket.IssuerId != _issuerId)
            {
                await _recovery.RecoverAsync(entry.Ticket).ConfigureAwait(false);
            }
        }

        // A shared outbox hands over what dead replicas leave behind while this one runs.
        if (_outbox is ISharedUsageOutbox shared)
        {
            _adopted = new AdoptedWork(shared, _reporter, _recovery, _issuerId, _logger);
            _adopted.Start();
        }
    }

    /// <remarks><paramref name="quantities"/> is the guard's own map (the ticket's estimate or one built for this report): the report may keep it.</remarks>
    private async ValueTask<MeteringReceipt> CompleteCoreAsync(MeteringTicket ticket, IReadOnlyDictionary<string, long> quantities, IReadOnlyDictionary<string, string>? metadata, bool wait, CancellationToken cancellationToken)
    {
        using var activity = MeteringMetrics.Start(MeteringMetrics.ReportActivity);
        activity?.SetTag("paygentic.operation_id", ticket.OperationId);
        var now = _time.GetUtcNow();
        // The strategy the ticket was authorized with, not the one configured now (a recovered ticket may predate a change).
        var report = StrategyOf(ticket).BuildReport(ticket, quantities, metadata, now);
        if (report is null)
        {
            await CancelQuietlyAsync(ticket).ConfigureAwait(false);
            return new MeteringReceipt(ticket, new Dictionary<string, long>(), ReportState.None, null);
        }

        var entry = new OutboxEntry { OperationId = ticket.OperationId, State = OutboxEntryState.Pending, Ticket = ticket, Report = report, CreatedAt = now };

        // A ticket its caller stores is claimed before its report is written, so a cancel meanwhile gives nothing back.
        var claimed = _callerKept?.TryClose(ticket.OperationId) == true;

        // Durable before any send: from here on the report survives a crash. A report the outbox refused is never sent
        // from memory only: the caller is told (its ticket stays open: the next start recovers it, or its caller
        // completes or cancels it again).
        try
        {
            await DurableReportWrite.WriteAsync(_outbox, entry, _logger).ConfigureAwait(false);
        }
        catch when (claimed)
        {
            _callerKept!.Opened(ticket);
            throw;
        }

        var waiter = _reporter.Enqueue(entry, wait);
        var state = ReportState.Queued;
        if (waiter is not null)
        {
            try
            {
                state = await waiter.WaitAsync(_options.DeliveryWaitTimeout, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is TimeoutException or OperationCanceledException)
            {
                state = ReportState.Queued;
            }
        }

        if (state == ReportState.Queued)
        {
            _metrics.Queued.Add(1);
        }

        activity?.SetTag("paygentic.report_state", state.ToString());
        return new MeteringReceipt(ticket, report.Quantities, state, report.IdempotencyKey);
    }

    /// <summary>Cancels without waiting for start-up, so recovery (which runs during start-up) can use it.</summary>
    private async Task CancelCoreAsync(MeteringTicket ticket, CancellationToken cancellationToken)
    {
        if (_reporter.IsPending(ticket.OperationId))
        {
            return;
        }

        if (_callerKept?.TryClose(ticket.OperationId) == true)
        {
            // Open here and stored by its caller only, so nothing to remove; but a report of it that reached the outbox
            // although its write failed has spent the use.
            if (await _outbox.GetAsync(ticket.OperationId, cancellationToken).ConfigureAwait(false) is not { Report: not null })
            {
                StrategyOf(ticket).Release(ticket);
            }

            return;
        }

        var stored = await _outbox.GetAsync(ticket.OperationId, cancellationToken).ConfigureAwait(false);
        if (stored is not { State: OutboxEntryState.Authorized })
        {
            // Completed already (its report must not be lost, and its pooled use is spent), cancelled already, or
            // never recorded here: nothing is held for it, so nothing is given back.
            return;
        }

        StrategyOf(ticket).Release(ticket);
        await _outbox.RemoveAsync([ticket.OperationId], cancellationToken).ConfigureAwait(false);
    }

    private IAuthorizationStrategy StrategyOf(MeteringTicket ticket) => ticket.Strategy == MeteringStrategy.Standard ? _standard : _legacy;

    private async Task CancelQuietlyAsync(MeteringTicket ticket)
    {
        try
        {
            await CancelCoreAsync(ticket, CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // the caller's own exception (or cancellation) is what matters; a failed clean-up is logged
        catch (Exception e)
#pragma warning restore CA1031
        {
            MeteringLog.CancelFailed(_logger, ticket.OperationId, e.GetType().Name);
        }
    }
}
