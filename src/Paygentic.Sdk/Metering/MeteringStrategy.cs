namespace Paygentic.Sdk.Metering;

/// <summary>How the guard authorizes work and reports its usage.</summary>
public enum MeteringStrategy
{
    /// <summary>
    /// Legacy prepaid billing (billingVersion 0): reserve wallet funds with <c>POST /v0/entitlements</c>, report with
    /// <c>POST /v0/usage</c> (or <c>/v0/usage/batch</c>) drawing on the reservation.
    /// </summary>
    Legacy = 0,

    /// <summary>
    /// Standard billing (billingVersion 1): check <c>GET /v1/entitlements</c> for <c>hasAccess</c>, report a meter
    /// event with <c>POST /v0/events</c>.
    /// </summary>
    Standard = 1,
}
