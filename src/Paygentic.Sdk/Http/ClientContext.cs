namespace Paygentic.Sdk.Http;

/// <summary>What every resource client needs besides its Refit interface.</summary>
internal sealed record ClientContext(ApiInvoker Invoker, string? MerchantId, TimeProvider Time);
