using Microsoft.Extensions.Options;

namespace Paygentic.Sdk.Metering;

/// <summary>Validates <see cref="MeteringOptions"/>; every failure names the option (as <c>Paygentic:Metering:Name</c>).</summary>
internal sealed class MeteringOptionsValidator : IValidateOptions<MeteringOptions>
{
    private const string Prefix = "Paygentic:Metering:";

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, MeteringOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = Collect(options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>Throws <see cref="OptionsValidationException"/> listing every invalid option.</summary>
    /// <param name="options">The options to check.</param>
    public static void ThrowIfInvalid(MeteringOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = Collect(options);
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(MeteringOptions), errors);
        }
    }

    private static List<string> Collect(MeteringOptions o)
    {
        var errors = new List<string>();
        if (!Enum.IsDefined(o.Strategy))
        {
            errors.Add($"{Prefix}Strategy must be Legacy or Standard (was {o.Strategy}).");
        }

        if (o.Strategy == MeteringStrategy.Standard)
        {
            if (string.IsNullOrWhiteSpace(o.EventType))
            {
                errors.Add($"{Prefix}EventType is required when {Prefix}Strategy is Standard (a billable metric's eventType, e.g. code.submission).");
            }

            if (string.IsNullOrWhiteSpace(o.EventSource))
            {
                errors.Add($"{Prefix}EventSource must not be blank.");
            }

            if (o.FeatureKey is not null && string.IsNullOrWhiteSpace(o.ProductId))
            {
                errors.Add($"{Prefix}ProductId is required when {Prefix}FeatureKey is set: feature keys resolve per product.");
            }
        }

        if (o.ReservationPoolSize is < 1 or > 1000)
        {
            errors.Add($"{Prefix}ReservationPoolSize must be from 1 (no pooling) to 1000 (was {o.ReservationPoolSize}).");
        }

        if (o.ReservationPoolMaxSize > 1000 || o.ReservationPoolMaxSize < o.ReservationPoolSize)
        {
            errors.Add($"{Prefix}ReservationPoolMaxSize must be from ReservationPoolSize ({o.ReservationPoolSize}) to 1000 (was {o.ReservationPoolMaxSize}).");
        }

        NotNegative(o.ReservationRefreshMargin, "ReservationRefreshMargin", errors);
        NotNegative(o.AccessCacheTtl, "AccessCacheTtl", errors);
        NotNegative(o.BatchInterval, "BatchInterval", errors);
        Positive(o.DeliveryWaitTimeout, "DeliveryWaitTimeout", errors);
        Positive(o.RetryBaseDelay, "RetryBaseDelay", errors);
        Positive(o.RetryMaxDelay, "RetryMaxDelay", errors);
        Positive(o.MaxReplayAge, "MaxReplayAge", errors);
        Positive(o.ShutdownTimeout, "ShutdownTimeout", errors);
        if (o.TombstoneRetention is { } retention)
        {
            Positive(retention, "TombstoneRetention", errors);
        }
        if (o.RetryMaxDelay < o.RetryBaseDelay)
        {
            errors.Add($"{Prefix}RetryMaxDelay must not be less than {Prefix}RetryBaseDelay.");
        }

        if (o.MaxBatchSize is < 1 or > 1000)
        {
            errors.Add($"{Prefix}MaxBatchSize must be from 1 to 1000 (the API's batch limit; was {o.MaxBatchSize}).");
        }

        if (o.QueueCapacity < 1)
        {
            errors.Add($"{Prefix}QueueCapacity must be at least 1.");
        }

        if (o.MaxConcurrentSends is < 1 or > 256)
        {
            errors.Add($"{Prefix}MaxConcurrentSends must be from 1 to 256.");
        }

        if (!Enum.IsDefined(o.FailurePolicy))
        {
            errors.Add($"{Prefix}FailurePolicy must be NoCharge or ChargeRecordedUsage.");
        }

        if (o.Recovery is null)
        {
            errors.Add($"{Prefix}Recovery is required (the default reports the estimate of an unfinished operation).");
        }

        return errors;
    }

    private static void Positive(TimeSpan value, string name, List<string> errors)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add($"{Prefix}{name} must be positive (was {value}).");
        }
    }

    private static void NotNegative(TimeSpan value, string name, List<string> errors)
    {
        if (value < TimeSpan.Zero)
        {
            errors.Add($"{Prefix}{name} must not be negative (was {value}).");
        }
    }
}
