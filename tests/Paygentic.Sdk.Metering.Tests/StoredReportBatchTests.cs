using Paygentic.Sdk.Json;
using Paygentic.Sdk.Metering.Reporting;
using Paygentic.Sdk.Usage;

namespace Paygentic.Sdk.Metering.Tests;

/// <summary>The usage batch written straight from stored reports: byte for byte what the serializer writes for them.</summary>
public sealed class StoredReportBatchTests
{
    private static readonly DateTimeOffset At = new DateTimeOffset(2026, 11, 30, 5, 31, 40, TimeSpan.Zero).AddTicks(5_243_447);

    [Fact]
    public async Task The_body_is_byte_for_byte_the_serializers_for_the_same_reports()
    {
        var items = new[]
        {
            Item("op-1", new Dictionary<string, long> { ["bm_basicsub"] = 1 }),
            Item("op-2", new Dictionary<string, long> { ["bm_zeta"] = 7, ["bm_alpha"] = 3, ["bm_Mid"] = 2 }, merchant: "org_own"),
            Item("op-3", new Dictionary<string, long> { ["bm_exectime"] = 1500 }, entitlement: null,
                metadata: new Dictionary<string, string> { ["lang"] = "python3 \"é\" <b>&'", ["cpuMs"] = "12", ["Ünïcode key"] = "\u2028 line" }),
            Item("op-4", new Dictionary<string, long> { ["bm_basicsub"] = long.MaxValue }, at: At.ToOffset(TimeSpan.FromHours(-7))),
        };

        var expected = PooledJsonContent.Create(
            new UsageBatchBody([.. items.Select(i => ReportMapping.ToUsageReport(i.Entry)).Select(r => r with { MerchantId = r.MerchantId ?? "org_default" })]),
            PaygenticJsonContext.Default.UsageBatchBody,
            0);
        var written = StoredReportBatch.Write(items, "org_default");

        var expectedBytes = await expected.ReadAsByteArrayAsync();
        var writtenBytes = await written.ReadAsByteArrayAsync();
        System.Text.Encoding.UTF8.GetString(writtenBytes).Should().Be(System.Text.Encoding.UTF8.GetString(expectedBytes));
        writtenBytes.Should().Equal(expectedBytes);
        written.Headers.ContentLength.Should().Be(expectedBytes.Length);
    }

    [Fact]
    public void A_report_the_usage_client_would_refuse_fails_the_whole_body_before_anything_is_sent()
    {
        var noMerchant = new[] { Item("op-1", new Dictionary<string, long> { ["bm_basicsub"] = 1 }) };
        var act = () => StoredReportBatch.Write(noMerchant, defaultMerchant: null);
        act.Should().Throw<ArgumentException>().WithMessage("*reports[0].MerchantId*PAYGENTIC_MERCHANT_ID*");

        var zero = new[] { Item("op-1", new Dictionary<string, long> { ["bm_basicsub"] = 1 }), Item("op-2", new Dictionary<string, long> { ["bm_basicsub"] = 0 }) };
        var zeroAct = () => StoredReportBatch.Write(zero, "org_default");
        zeroAct.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*reports[1]*at least 1 (was 0)*");

        var none = new[] { Item("op-1", new Dictionary<string, long>()) };
        var noneAct = () => StoredReportBatch.Write(none, "org_default");
        noneAct.Should().Throw<ArgumentException>().WithMessage("*reports[0].Properties must contain at least one*");
    }

    private static ReportItem Item(
        string operationId,
        Dictionary<string, long> quantities,
        string? merchant = null,
        string? entitlement = "com_1",
        Dictionary<string, string>? metadata = null,
        DateTimeOffset? at = null)
    {
        var entry = GuardTests.PendingEntry(operationId, At);
        return new ReportItem(entry with
        {
            Report = entry.Report! with
            {
                MerchantId = merchant,
                Quantities = quantities,
                EntitlementId = entitlement,
                Metadata = metadata,
                Timestamp = at ?? At,
            },
        });
    }
}
