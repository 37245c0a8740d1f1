using System.Net;
using Paygentic.Emulator.Tests.Infrastructure;

namespace Paygentic.Emulator.Tests;

public sealed class FaultTests
{
    private static readonly object Mixed = new
    {
        seed = 7,
        error500Rate = 0.15,
        error503Rate = 0.15,
        error429Rate = 0.15,
        abortBeforeRate = 0.15,
        abortAfterRate = 0.15,
        retryAfterSeconds = 3,
        pathPrefix = "/v0/usage",
    };

    /// <summary>Sends usage events one after another and names what happened to each.</summary>
    private static async Task<List<string>> OutcomesAsync(TestEmulator emulator, string customer, int count)
    {
        var outcomes = new List<string>();
        for (var i = 0; i < count; i++)
        {
            try
            {
                using var response = await emulator.Client.PostAsync("/v0/usage", TestEmulator.Json(
                    System.Text.Json.JsonSerializer.Serialize(TestEmulator.UsageBody(customer, $"f{i}"), System.Text.Json.JsonSerializerOptions.Web)));
                var retryAfter = response.Headers.RetryAfter?.Delta?.TotalSeconds;
                outcomes.Add(retryAfter is null ? ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture) : $"{(int)response.StatusCode}/{retryAfter}");
            }
            catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
            {
                outcomes.Add("aborted");
            }
        }

        return outcomes;
    }

    [Fact]
    public async Task Faults_are_reproducible_from_their_seed_and_spare_the_admin_paths()
    {
        var runs = new List<(List<string> Outcomes, long Charges)>();
        for (var run = 0; run < 2; run++)
        {
            await using var emulator = await TestEmulator.StartAsync();
            var (customer, _) = await emulator.FundedCustomerAsync("10.00");
            (await emulator.PostAsync("/_emulator/faults", Mixed)).Status.Should().Be(HttpStatusCode.OK);

            var outcomes = await OutcomesAsync(emulator, customer, 40);

            // Admin calls and paths outside the prefix are never faulted.
            (await emulator.GetAsync("/v0/customers/" + customer)).Status.Should().Be(HttpStatusCode.OK);
            var ledger = await emulator.LedgerAsync(customer);
            runs.Add((outcomes, (long)ledger["counts"]!["charges"]!));
        }

        runs[1].Outcomes.Should().Equal(runs[0].Outcomes);
        runs[0].Outcomes.Should().Contain(["201", "500", "503/3", "429/3", "aborted"]);

        // Charged: every 201 plus every abort-after (applied, answer dropped); never a 5xx, 429 or abort-before.
        var created = runs[0].Outcomes.Count(o => o == "201");
        runs[0].Charges.Should().BeGreaterThan(created, "abort-after requests were charged without an answer");
        runs[0].Charges.Should().BeLessThan(created + runs[0].Outcomes.Count(o => o == "aborted") + 1);
        runs[1].Charges.Should().Be(runs[0].Charges);
    }

    [Fact]
    public async Task Abort_before_processing_charges_nothing_and_delete_turns_faults_off()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var (customer, _) = await emulator.FundedCustomerAsync();
        await emulator.PostAsync("/_emulator/faults", new { abortBeforeRate = 1.0 });

        (await OutcomesAsync(emulator, customer, 3)).Should().Equal("aborted", "aborted", "aborted");
        ((int)(await emulator.LedgerAsync(customer))["counts"]!["charges"]!).Should().Be(0);

        using var off = await emulator.Client.DeleteAsync("/_emulator/faults");
        off.StatusCode.Should().Be(HttpStatusCode.OK);
        (await OutcomesAsync(emulator, customer, 1)).Should().Equal("201");
    }

    [Fact]
    public async Task Options_faults_apply_from_the_start_and_bad_settings_are_refused()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.Faults = new Paygentic.Sdk.Testing.EmulatorFaults { Error503Rate = 1, RetryAfterSeconds = 9 });

        var (status, body) = await emulator.GetAsync("/v0/customers?organizationId=org_demo");

        status.Should().Be(HttpStatusCode.ServiceUnavailable);
        ((string)body["message"]!).Should().NotBeEmpty();
        (await emulator.PostAsync("/_emulator/faults", new { error500Rate = 0.7, error429Rate = 0.7 })).ShouldBeValidationError("faults");
        (await emulator.GetAsync("/_emulator/health")).Status.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Latency_delays_the_answer_on_the_emulator_clock()
    {
        await using var emulator = await TestEmulator.StartAsync();
        await emulator.PostAsync("/_emulator/faults", new { latencyRate = 1.0, latencyMs = 5000 });

        var request = emulator.Client.GetAsync("/v0/customers?organizationId=org_demo");
        var advanced = await AdvanceUntilDoneAsync(emulator, request, TimeSpan.FromMilliseconds(250));

        using var response = await request;
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        advanced.Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_timeout_hangs_past_the_deadline_then_drops_the_request_unprocessed()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var (customer, _) = await emulator.FundedCustomerAsync();
        await emulator.PostAsync("/_emulator/faults", new { timeoutRate = 1.0, timeoutMs = 30_000, pathPrefix = "/v0/usage" });

        var request = emulator.UsageAsync(customer, "t1");
        var advanced = await AdvanceUntilDoneAsync(emulator, request, TimeSpan.FromSeconds(1));

        await FluentActions.Awaiting(() => request).Should().ThrowAsync<Exception>();
        advanced.Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(30));
        ((int)(await emulator.LedgerAsync(customer))["counts"]!["charges"]!).Should().Be(0);
    }

    /// <summary>Moves the fake clock forward in steps until the request finishes; returns how far it moved.</summary>
    private static async Task<TimeSpan> AdvanceUntilDoneAsync(TestEmulator emulator, Task request, TimeSpan step)
    {
        var advanced = TimeSpan.Zero;
        for (var i = 0; i < 2000 && !request.IsCompleted; i++)
        {
            await Task.Yield();
            if (request.IsCompleted)
            {
                break;
            }

            emulator.Time.Advance(step);
            advanced += step;
            await Task.Delay(1);
        }

        request.IsCompleted.Should().BeTrue();
        return advanced;
    }
}
