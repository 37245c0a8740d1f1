namespace CodeRunner.Server.Storage;

/// <summary>One submission row. <see cref="StatusId"/> is Judge0's id, or <see cref="Deleting"/> while a delete cancels it.</summary>
internal sealed record SubmissionRecord
{
    /// <summary>A DELETE won the race against the workers; the authorization is being cancelled.</summary>
    public const int Deleting = 0;

    public long Seq { get; init; }

    public required string Token { get; init; }

    public required string AccountId { get; init; }

    public required int StatusId { get; init; }

    public required SubmissionInput Input { get; init; }

    public SubmissionOutcome? Outcome { get; init; }

    /// <summary>The guard's ticket (JSON) between authorize and complete/cancel; null when billing is off.</summary>
    public string? TicketJson { get; init; }

    public required BillingState Billing { get; init; }

    public long? ChargeNanos { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }
}

/// <summary>Where a submission's money stands.</summary>
internal enum BillingState
{
    /// <summary>Unmetered (billing off).</summary>
    None,

    /// <summary>Authorized at acceptance; completing or cancelling is still due.</summary>
    Authorized,

    /// <summary>The usage is reported (in the outbox at least).</summary>
    Charged,

    /// <summary>The authorization was cancelled: not charged.</summary>
    Cancelled,
}
