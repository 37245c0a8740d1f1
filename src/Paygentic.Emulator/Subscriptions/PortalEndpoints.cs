using System.Globalization;
using System.Text;
using Paygentic.Emulator.Http;
using Paygentic.Emulator.Ledger;
using Paygentic.Emulator.State;

namespace Paygentic.Emulator.Subscriptions;

/// <summary>The customer portal page behind a portal link: balance, holds and recent usage, until the link expires.</summary>
internal static class PortalEndpoints
{
    private const int RecentUsage = 50;

    public static void Map(WebApplication app, EmulatorRuntime runtime) =>
        app.MapGet("/_emulator/portal/{id}", context => Show(context, runtime));

    private static Task Show(HttpContext context, EmulatorRuntime runtime)
    {
        var now = runtime.Now;
        if (!runtime.World.Portals.TryGetValue(Query.RouteId(context), out var portal) || now >= portal.ExpiresAt)
        {
            return Reply.Html(context, StatusCodes.Status404NotFound, HtmlPage.Render("Link expired", "<p>This portal link is unknown or has expired.</p>"));
        }

        var merchant = portal.Merchant;
        var html = new StringBuilder();
        lock (merchant.Gate)
        {
            var subscription = merchant.Subscriptions[portal.SubscriptionId];
            var wallet = merchant.Wallets[portal.CustomerId];
            wallet.ReleaseExpired(now);
            var name = merchant.Customers.TryGetValue(portal.CustomerId, out var customer) ? customer.Name : portal.CustomerId;
            html.Append(CultureInfo.InvariantCulture, $"<p>Customer: {HtmlPage.Encode(name)}</p>")
                .Append(CultureInfo.InvariantCulture, $"<p>Subscription: {HtmlPage.Encode(subscription.Name)} — {HtmlPage.Encode(subscription.Status)}</p>")
                .Append("<table><tr><th>Available balance</th><th>Held by reservations</th><th>Charged</th><th>Refunded</th></tr>")
                .Append(CultureInfo.InvariantCulture, $"<tr><td>${Money.ToUsd(wallet.Balance)}</td><td>${Money.ToUsd(wallet.Held)}</td><td>${Money.ToUsd(wallet.Charged)}</td><td>${Money.ToUsd(wallet.Refunded)}</td></tr></table>");

            foreach (var entitlement in merchant.FeatureEntitlementsOf(portal.CustomerId))
            {
                if (entitlement.IsMetered)
                {
                    var state = entitlement.Evaluate(now);
                    html.Append(CultureInfo.InvariantCulture, $"<p>{HtmlPage.Encode(entitlement.Feature.Name)}: {state.Balance} left, {state.UsageInPeriod} used this period</p>");
                }
            }

            html.Append("<h2>Recent usage</h2><table><tr><th>When</th><th>Usage</th><th>Amount</th><th>Refunded</th></tr>");
            for (var i = wallet.Charges.Count - 1; i >= 0 && i >= wallet.Charges.Count - RecentUsage; i--)
            {
                var charge = wallet.Charges[i];
                var what = string.Join(", ", charge.Properties.Select(p => $"{p.Quantity} × {p.BillableMetricId}"));
                html.Append(CultureInfo.InvariantCulture, $"<tr><td>{charge.Timestamp:u}</td><td>{HtmlPage.Encode(what)}</td><td>${Money.ToUsd(charge.Amount)}</td><td>{(charge.Refunded ? "yes" : "")}</td></tr>");
            }

            html.Append("</table>");
        }

        return Reply.Html(context, StatusCodes.Status200OK, HtmlPage.Render("Your account", html.ToString()));
    }
}
