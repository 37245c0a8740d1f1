namespace Paygentic.Sdk;

/// <summary>Offset paging shared by every list call.</summary>
public abstract class ListOptions
{
    /// <summary>Items per page, 1–100. Default 100 for streaming, which means fewer round trips.</summary>
    public int Limit { get; set; } = 100;

    /// <summary>How many items to skip first. Default 0.</summary>
    public int Offset { get; set; }

    internal void ValidatePaging()
    {
        if (Limit is < 1 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(Limit), Limit, "Limit must be between 1 and 100.");
        }

        if (Offset < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Offset), Offset, "Offset must not be negative.");
        }
    }
}
