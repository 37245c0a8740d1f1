namespace Paygentic.Emulator.Customers;

/// <summary>A consumer organisation (the paying party behind customers at one or more merchants).</summary>
internal sealed record ConsumerInfo(string Id, string Name, string Email, string? Phone, AddressBody? Address);
