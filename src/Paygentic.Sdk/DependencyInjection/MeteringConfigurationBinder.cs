using System.Globalization;
using Microsoft.Extensions.Configuration;
using Paygentic.Sdk.Metering;

namespace Paygentic.Sdk.DependencyInjection;

/// <summary>
/// Binds <see cref="MeteringOptions"/> by hand (AOT-safe; a bad value's error names its key). Keys are the property
/// names, e.g. <c>Paygentic:Metering:Strategy = Standard</c>.
/// </summary>
internal static class MeteringConfigurationBinder
{
    /// <summary>Copies every key present in <paramref name="section"/> onto <paramref name="options"/>.</summary>
    /// <param name="section">The configuration section, e.g. <c>configuration.GetSection("Paygentic:Metering")</c>.</param>
    /// <param name="options">The options to fill.</param>
    /// <exception cref="FormatException">A value cannot be read; the message names its key.</exception>
    public static void Bind(IConfiguration section, MeteringOptions options)
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(options);
        Set(section, nameof(MeteringOptions.Strategy), (v, k) => options.Strategy = ParseEnum<MeteringStrategy>(v, k));
        Set(section, nameof(MeteringOptions.ReservationPoolSize), (v, k) => options.ReservationPoolSize = ParseInt(v, k));
        Set(section, nameof(MeteringOptions.ReservationPoolMaxSize), (v, k) => options.ReservationPoolMaxSize = ParseInt(v, k));
        Set(section, nameof(MeteringOptions.ReservationRefillAhead), (v, k) => options.ReservationRefillAhead = ParseBool(v, k));
        Set(section, nameof(MeteringOptions.ReservationRefreshMargin), (v, k) => options.ReservationRefreshMargin = ParseTime(v, k));
        Set(section, nameof(MeteringOptions.EventType), (v, _) => options.EventType = v);
        Set(section, nameof(MeteringOptions.EventSource), (v, _) => options.EventSource = v);
        Set(section, nameof(MeteringOptions.FeatureKey), (v, _) => options.FeatureKey = v);
        Set(section, nameof(MeteringOptions.ProductId), (v, _) => options.ProductId = v);
        Set(section, nameof(MeteringOptions.AccessCacheTtl), (v, k) => options.AccessCacheTtl = ParseTime(v, k));
        Set(section, nameof(MeteringOptions.FailurePolicy), (v, k) => options.FailurePolicy = ParseEnum<FailurePolicy>(v, k));
        Set(section, nameof(MeteringOptions.Recovery), (v, k) => options.Recovery = ParseRecovery(v, k));
        Set(section, nameof(MeteringOptions.CallerStoresTickets), (v, k) => options.CallerStoresTickets = ParseBool(v, k));
        Set(section, nameof(MeteringOptions.WaitForDelivery), (v, k) => options.WaitForDelivery = ParseBool(v, k));
        Set(section, nameof(MeteringOptions.DeliveryWaitTimeout), (v, k) => options.DeliveryWaitTimeout = ParseTime(v, k));
        Set(section, nameof(MeteringOptions.MaxBatchSize), (v, k) => options.MaxBatchSize = ParseInt(v, k));
        Set(section, nameof(MeteringOptions.BatchInterval), (v, k) => options.BatchInterval = ParseTime(v, k));
        Set(section, nameof(MeteringOptions.QueueCapacity), (v, k) => options.QueueCapacity = ParseInt(v, k));
        Set(section, nameof(MeteringOptions.MaxConcurrentSends), (v, k) => options.MaxConcurrentSends = ParseInt(v, k));
        Set(section, nameof(MeteringOptions.RetryBaseDelay), (v, k) => options.RetryBaseDelay = ParseTime(v, k));
        Set(section, nameof(MeteringOptions.RetryMaxDelay), (v, k) => options.RetryMaxDelay = ParseTime(v, k));
        Set(section, nameof(MeteringOptions.MaxReplayAge), (v, k) => options.MaxReplayAge = ParseTime(v, k));
        Set(section, nameof(MeteringOptions.ShutdownTimeout), (v, k) => options.ShutdownTimeout = ParseTime(v, k));
        Set(section, nameof(MeteringOptions.TombstoneRetention), (v, k) => options.TombstoneRetention = ParseTime(v, k));
        Set(section, nameof(MeteringOptions.ReusedOperationId), (v, k) => options.ReusedOperationId = ParseEnum<ReusedOperationIdBehavior>(v, k));
    }

    private static void Set(IConfiguration section, string key, Action<string, string> apply)
    {
        var value = section[key];
        if (!string.IsNullOrWhiteSpace(value))
        {
            var path = section is IConfigurationSection s && !string.IsNullOrEmpty(s.Path) ? $"{s.Path}:{key}" : key;
            apply(value.Trim(), path);
        }
    }

    private static T ParseEnum<T>(string value, string key)
        where T : struct, Enum =>
        Enum.TryParse<T>(value, ignoreCase: true, out var result) && Enum.IsDefined(result)
            ? result
            : throw new FormatException($"{key} must be one of {string.Join(", ", Enum.GetNames<T>())} (was '{value}').");

    private static Func<MeteringTicket, CancellationToken, ValueTask<RecoveryDecision>> ParseRecovery(string value, string key) => value.ToUpperInvariant() switch
    {
        "REPORTESTIMATE" => RecoveryDecision.AlwaysReportEstimate,
        "SKIP" => RecoveryDecision.AlwaysSkip,
        "KEEP" => RecoveryDecision.AlwaysKeep,
        _ => throw new FormatException($"{key} must be ReportEstimate, Skip or Keep (was '{value}'); a callback is set in code."),
    };

    private static bool ParseBool(string value, string key) =>
        bool.TryParse(value, out var b) ? b : throw new FormatException($"{key} must be true or false (was '{value}').");

    private static int ParseInt(string value, string key) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i : throw new FormatException($"{key} must be a whole number (was '{value}').");

    private static TimeSpan ParseTime(string value, string key) =>
        TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var t) ? t : throw new FormatException($"{key} must be a time span such as 00:00:05 (was '{value}').");
}
