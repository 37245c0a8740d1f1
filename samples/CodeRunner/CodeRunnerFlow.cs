using System.Security.Cryptography;
using CodeRunner.Billing;
using CodeRunner.Cli;
using CodeRunner.Configuration;
using CodeRunner.Execution;
using CodeRunner.Hosting;
using CodeRunner.Reporting;
using CodeRunner.Sandbox;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Paygentic.Sdk;
using Paygentic.Sdk.DependencyInjection;
using Paygentic.Sdk.Metering;
using Paygentic.Sdk.Metering.Reporting;
using Paygentic.Sdk.Outbox.Sqlite;
using Paygentic.Sdk.Subscriptions;

namespace CodeRunner;

/// <summary>
/// The whole run against a given server and sandbox: onboard the demo user, run every submission through the
/// metering guard, flush the outbox, then read back what was billed. Program.cs adds the console around it; the tests
/// call it directly.
/// </summary>
internal sealed class CodeRunnerFlow(BillingServer server, SampleSettings settings, ISandboxExecutor sandbox, TextWriter log)
{
    /// <summary>How long the final flush may try to empty the outbox before the run fails.</summary>
    public TimeSpan FlushBound { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long to wait for a person to pay a non-loopback checkout.</summary>
    public TimeSpan CheckoutTimeout { get; init; } = TimeSpan.FromMinutes(5);

    public async Task<RunReport> RunAsync(RunArguments arguments, IReadOnlyList<SubmissionJob> jobs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(jobs);
        string runId = arguments.RunId ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        using var outbox = OutboxLocation.For(arguments.OutboxPath, runId);
        await log.WriteLineAsync($"Outbox: {outbox.Path}").ConfigureAwait(false);

        RunReport report;
        ServiceProvider services = BuildServices(arguments.Billing, outbox.Path);
        await using (services.ConfigureAwait(false))
        {
            report = await RunWithServicesAsync(services, arguments, runId, jobs, outbox.Path, cancellationToken).ConfigureAwait(false);
        }

        // A temporary outbox is removed on every exit path (an exception above included). It is kept only when reports
        // for an external server are still undelivered, so that a rerun with --outbox delivers them; the embedded
        // emulator's ledger ends with this process, so its undelivered reports have nowhere left to go.
        if (outbox.IsTemporary && report.BillingFailures.Count > 0 && !server.IsEmbedded)
        {
            outbox.Keep = true;
            await log.WriteLineAsync($"Outbox kept (undelivered reports): rerun with --outbox {outbox.Path}").ConfigureAwait(false);
        }

        return report;
    }

    /// <summary>The registration a service would use: client, guard, durable SQLite outbox.</summary>
    private ServiceProvider BuildServices(BillingMode billing, string outboxPath)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging
            .SetMinimumLevel(LogLevel.Warning)
            .AddSimpleConsole(console => console.SingleLine = true)
            .AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace));
        services
            .AddPaygentic(options =>
            {
                options.ApiKey = server.ApiKey;
                options.BaseUrl = server.BaseUrl;
                options.MerchantId = server.MerchantId;
            })
            .AddMeteringGuard(options =>
            {
                options.Strategy = billing == BillingMode.Standard ? MeteringStrategy.Standard : MeteringStrategy.Legacy;
                // One reservation per submission, sized for its limits: the report uses it up, so the remainder goes
                // back to the wallet at once and the balance shown at the end is exact. Busy services pool (default 10).
                options.ReservationPoolSize = 1;
                options.ProductId = settings.ProductId;
                options.FeatureKey = settings.FeatureKey;
                options.EventType = settings.EventType;
                options.EventSource = "urn:paygentic:samples:coderunner";
                // A hard limit is checked per submission rather than trusted for a few seconds.
                options.AccessCacheTtl = TimeSpan.Zero;
            })
            .AddSqliteOutbox(outboxPath);
        return services.BuildServiceProvider();
    }

    private async Task<RunReport> RunWithServicesAsync(
        ServiceProvider services, RunArguments arguments, string runId, IReadOnlyList<SubmissionJob> jobs, string outboxPath, CancellationToken cancellationToken)
    {
        IPaygenticClient paygentic = services.GetRequiredService<IPaygenticClient>();
        IMeteringGuard guard = services.GetRequiredService<IMeteringGuard>();
        string planId = arguments.Billing == BillingMode.Standard ? settings.StandardPlanId : settings.LegacyPlanId;
        DateTimeOffset startedAt = DateTimeOffset.UtcNow;

        var checkout = new CheckoutFollower(paygentic, log, CheckoutTimeout, TimeSpan.FromSeconds(2));
        DemoAccount account = await new DemoOnboarding(paygentic, checkout, log)
            .OnboardAsync(server.MerchantId, planId, settings, cancellationToken).ConfigureAwait(false);

        var tariff = new SubmissionTariff(arguments.Billing, settings, sandbox.Environment.Languages);
        var runner = new MeteredSubmissionRunner(guard, sandbox, tariff);
        IReadOnlyList<SubmissionOutcome> outcomes = await RunAllAsync(runner, jobs, account.CustomerId, runId, arguments.Concurrency, cancellationToken).ConfigureAwait(false);

        var failures = new List<string>();
        var notes = new List<string>();
        await FlushAsync(guard, failures, cancellationToken).ConfigureAwait(false);
        foreach (SubmissionOutcome denied in outcomes.Where(o => o.Denial is not null))
        {
            failures.Add($"{denied.Job.Name} was refused: {denied.Denial}");
        }

        if (failures.Count == 0)
        {
            // The outbox is empty and nothing was dead-lettered: every report made it, including those still queued
            // when their submission finished.
            outcomes = [.. outcomes.Select(o => o.IsCharged ? o with { ReportState = ReportState.Delivered } : o)];
        }

        if (arguments.Billing == BillingMode.Legacy && failures.Count == 0)
        {
            outcomes = await WithServerChargesAsync(paygentic, account.CustomerId, startedAt, outcomes, notes, cancellationToken).ConfigureAwait(false);
        }

        // The customer's self-service page: balance, holds and recent usage (the emulator serves its own version).
        SubscriptionPortal portal = await paygentic.Subscriptions.CreatePortalLinkAsync(account.SubscriptionId, TimeSpan.FromHours(1), cancellationToken).ConfigureAwait(false);
        return new RunReport
        {
            Billing = arguments.Billing,
            RunId = runId,
            Account = account,
            Outcomes = outcomes,
            OutboxPath = outboxPath,
            PortalUrl = portal.Url,
            Ledger = server.Ledger is { } ledger ? await ledger.ReadAsync(account.CustomerId, cancellationToken).ConfigureAwait(false) : null,
            Allowance = arguments.Billing == BillingMode.Standard
                ? await FeatureAllowance.ReadAsync(paygentic, account.CustomerId, settings.FeatureKey, settings.ProductId, cancellationToken).ConfigureAwait(false)
                : null,
            BillingFailures = failures,
            Notes = notes,
        };
    }

    /// <summary>Runs the submissions a few at a time (each job is a handful of processes), keeping their order.</summary>
    private async Task<IReadOnlyList<SubmissionOutcome>> RunAllAsync(
        MeteredSubmissionRunner runner, IReadOnlyList<SubmissionJob> jobs, string customerId, string runId, int concurrency, CancellationToken cancellationToken)
    {
        var outcomes = new SubmissionOutcome[jobs.Count];
        int finished = 0;
        await Parallel.ForEachAsync(
            Enumerable.Range(0, jobs.Count),
            new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken },
            async (index, token) =>
            {
                SubmissionJob job = jobs[index];
                // Stable per run and submission: a retry, a crash recovery or a --run-id replay never charges twice.
                string operationId = $"cr-{runId}-{job.Name}";
                SubmissionOutcome outcome = await runner.RunAsync(job, customerId, operationId, token).ConfigureAwait(false);
                outcomes[index] = outcome;
                int done = Interlocked.Increment(ref finished);
                string verdict = outcome.Result?.Status.ToString() ?? "refused: " + outcome.Denial;
                await log.WriteLineAsync($"  [{done}/{jobs.Count}] {job.Name}: {verdict}").ConfigureAwait(false);
            }).ConfigureAwait(false);
        return outcomes;
    }

    /// <summary>Delivers every queued report; what cannot be delivered within the bound fails the run.</summary>
    private async Task FlushAsync(IMeteringGuard guard, List<string> failures, CancellationToken cancellationToken)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(FlushBound);
        try
        {
            while (guard.Reports.PendingCount > 0)
            {
                FlushResult flushed = await guard.Reports.FlushAsync(bound.Token).ConfigureAwait(false);
                if (flushed.StillPending > 0)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(200), bound.Token).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            failures.Add($"{guard.Reports.PendingCount} usage report(s) still pending after {FlushBound.TotalSeconds:0} s");
        }

        var deadLetters = await guard.Reports.GetDeadLettersAsync(cancellationToken).ConfigureAwait(false);
        failures.AddRange(deadLetters.Select(d => $"usage report {d.OperationId} was refused: {d.DeadLetterReason} {d.LastError}"));
    }

    /// <summary>Replaces each computed charge by the amount the server billed for that report.</summary>
    private static async Task<IReadOnlyList<SubmissionOutcome>> WithServerChargesAsync(
        IPaygenticClient paygentic, string customerId, DateTimeOffset startedAt, IReadOnlyList<SubmissionOutcome> outcomes, List<string> notes, CancellationToken cancellationToken)
    {
        // A generous window: the server stamps usage with our clock, which may be off by a little.
        IReadOnlyDictionary<string, BilledUsage> billed = await BilledCharges.ReadAsync(
            paygentic, customerId, startedAt.AddMinutes(-10), DateTimeOffset.UtcNow.AddMinutes(10), cancellationToken).ConfigureAwait(false);
        return [.. outcomes.Select(outcome =>
        {
            if (outcome.IdempotencyKey is not { } key || !billed.TryGetValue(key, out BilledUsage? usage))
            {
                return outcome;
            }

            decimal usd = usage.Amount.ToUsd();
            if (!usage.Records(outcome.Quantities))
            {
                // Same operation id as an earlier run (--run-id): the server kept the first report and charged once.
                notes.Add($"{outcome.Job.Name}: already reported under {key} by an earlier run; billed once, at ${Money.Format(usd)}");
                return outcome with { Quantities = usage.Quantities, ChargeUsd = usd };
            }

            if (usd != outcome.ChargeUsd)
            {
                notes.Add($"{outcome.Job.Name}: the server billed ${Money.Format(usd)}, our prices say ${Money.Format(outcome.ChargeUsd)} (check the PAYGENTIC_*_PRICE_USD settings)");
            }

            return outcome with { ChargeUsd = usd };
        })];
    }
}
