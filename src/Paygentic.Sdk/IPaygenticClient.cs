using Paygentic.Sdk.Customers;
using Paygentic.Sdk.Entitlements;
using Paygentic.Sdk.Events;
using Paygentic.Sdk.Subscriptions;
using Paygentic.Sdk.Usage;

namespace Paygentic.Sdk;

/// <summary>The Paygentic API, one interface per resource so each can be substituted in tests.</summary>
public interface IPaygenticClient
{
    /// <summary>Customers.</summary>
    ICustomersClient Customers { get; }

    /// <summary>Subscriptions and the customer portal link.</summary>
    ISubscriptionsClient Subscriptions { get; }

    /// <summary>Legacy reservations and standard feature access.</summary>
    IEntitlementsClient Entitlements { get; }

    /// <summary>Legacy prepaid usage reports.</summary>
    IUsageClient Usage { get; }

    /// <summary>Standard-billing meter events.</summary>
    IEventsClient Events { get; }
}
