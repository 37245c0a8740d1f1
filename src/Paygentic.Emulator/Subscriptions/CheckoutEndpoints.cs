using Paygentic.Emulator.Http;
using Paygentic.Emulator.Ledger;
using Paygentic.Emulator.State;

namespace Paygentic.Emulator.Subscriptions;

/// <summary>
/// The checkout a subscription's <c>checkoutUrl</c> points at: GET shows what is due and a Pay button; POST pays
/// (credits the prefund once and activates the subscription).
/// </summary>
internal static class CheckoutEndpoints
{
    public static void Map(WebApplication app, EmulatorRuntime runtime)
    {
        app.MapGet("/_emulator/checkout/{id}", context => Show(context, runtime));
        app.MapPost("/_emulator/checkout/{id}", context => Pay(context, runtime));
    }

    private static Task Show(HttpContext context, EmulatorRuntime runtime)
    {
        var session = Query.RouteId(context);
        var world = runtime.World;
        if (world.OwnerOf(session) is not { } merchant)
        {
            return NotFound(context);
        }

        string body;
        lock (merchant.Gate)
        {
            if (!merchant.SubscriptionsByPaymentSession.TryGetValue(session, out var subscription))
            {
                return NotFound(context);
            }

            var state = subscription.Paid ? "<p><strong>Paid.</strong></p>"
                : subscription.Status == SubscriptionRecord.Terminated ? "<p>This subscription was terminated; nothing can be paid.</p>"
                : $"<form method=\"post\"><button type=\"submit\">Pay ${HtmlPage.Encode(Money.ToUsd(subscription.WalletCharge))}</button></form>";
            body = $"<p>Merchant: {HtmlPage.Encode(merchant.Name)}</p><p>Subscription: {HtmlPage.Encode(subscription.Name)} ({HtmlPage.Encode(subscription.Id)})</p>"
                + $"<p>Wallet prefund: ${HtmlPage.Encode(Money.ToUsd(subscription.WalletCharge))}</p>{state}";
        }

        return Reply.Html(context, StatusCodes.Status200OK, HtmlPage.Render("Checkout", body));
    }

    private static Task Pay(HttpContext context, EmulatorRuntime runtime)
    {
        var session = Query.RouteId(context);
        var world = runtime.World;
        if (world.OwnerOf(session) is not { } merchant)
        {
            return NotFound(context);
        }

        SubscriptionLifecycle.PayResult result;
        string? redirect;
        lock (merchant.Gate)
        {
            if (!merchant.SubscriptionsByPaymentSession.TryGetValue(session, out var subscription))
            {
                return NotFound(context);
            }

            result = SubscriptionLifecycle.Pay(world, merchant, subscription, runtime.Now);
            redirect = subscription.SuccessRedirect;
        }

        var link = redirect is null ? "" : $"<p><a href=\"{HtmlPage.Encode(redirect)}\">Continue</a></p>";
        return result switch
        {
            SubscriptionLifecycle.PayResult.Paid => Reply.Html(context, StatusCodes.Status200OK, HtmlPage.Render("Payment received", "<p>The wallet has been credited and the subscription is active.</p>" + link)),
            SubscriptionLifecycle.PayResult.AlreadyPaid => Reply.Html(context, StatusCodes.Status200OK, HtmlPage.Render("Already paid", "<p>This checkout was paid before; nothing was charged again.</p>" + link)),
            SubscriptionLifecycle.PayResult.Terminated => Reply.Html(context, StatusCodes.Status409Conflict, HtmlPage.Render("Not payable", "<p>The subscription was terminated.</p>")),
            _ => Reply.Html(context, StatusCodes.Status409Conflict, HtmlPage.Render("Not payable", "<p>The wallet cannot hold this amount.</p>")),
        };
    }

    private static Task NotFound(HttpContext context) =>
        Reply.Html(context, StatusCodes.Status404NotFound, HtmlPage.Render("Checkout not found", "<p>No such payment session.</p>"));
}
