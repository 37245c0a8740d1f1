using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Paygentic.Emulator.Tests.Infrastructure;

/// <summary>
/// Makes every request look as if it came from <paramref name="remote"/>: TestServer has no real peer, and a test of
/// the loopback guard needs a client that is not on the emulator's machine, deterministically.
/// </summary>
internal sealed class RemoteClientStartupFilter(IPAddress remote) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((HttpContext context, RequestDelegate following) =>
        {
            context.Connection.RemoteIpAddress = remote;
            return following(context);
        });
        next(app);
    };
}
