using System.Net;
using Paygentic.Emulator.Http;

namespace Paygentic.Emulator.Admin;

/// <summary>
/// The <c>/_emulator/</c> pages and admin calls need no key, so they answer only clients on the emulator's own
/// machine (loopback, or in-process hosts that have no remote address); anyone else gets a plain 404.
/// </summary>
internal sealed class LoopbackOnlyMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (PaygenticPaths.IsAdmin(context) &&
            context.Connection.RemoteIpAddress is { } remote && !IPAddress.IsLoopback(remote))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        return next(context);
    }
}
