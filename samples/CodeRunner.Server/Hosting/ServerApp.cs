using CodeRunner.Configuration;
using CodeRunner.Sandbox;
using CodeRunner.Server.Accounts;
using CodeRunner.Server.Billing;
using CodeRunner.Server.Configuration;
using CodeRunner.Server.Execution;
using CodeRunner.Server.Judge0;
using CodeRunner.Server.Storage;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Paygentic.Sdk.DependencyInjection;
using Paygentic.Sdk.Metering;
using Paygentic.Sdk.Outbox.Sqlite;

namespace CodeRunner.Server.Hosting;

/// <summary>Builds the web application: services, the guard with its SQLite outbox, the workers and the routes.</summary>
internal static class ServerApp
{
    public static WebApplication Build(ServerSettings settings, PaygenticBackend backend, ISandboxExecutor sandbox, string dataDirectory, string[] hostArgs)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(sandbox);
        WebApplicationBuilder builder = WebApplication.CreateBuilder(hostArgs);
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(ServerSettings.DefaultUrl);
        }

        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "HH:mm:ss ";
        });
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = 4 * 1024 * 1024);

        Directory.CreateDirectory(dataDirectory);
        var database = new ServerDatabase(Path.Combine(dataDirectory, "coderunner.db"));
        database.Initialize();
        var submissions = new SubmissionStore(database);
        LanguageRegistry languages = sandbox.Environment.Languages;

        IServiceCollection services = builder.Services;
        services.AddSingleton(settings);
        services.AddSingleton(new PaygenticTarget(backend.MerchantId, backend.BaseUrl, backend.IsEmbedded));
        services.AddSingleton(database);
        services.AddSingleton(submissions);
        services.AddSingleton<AccountStore>();
        services.AddSingleton(sandbox);
        services.AddSingleton(languages);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(new SubmissionQueue(settings.MaxQueueSize));
        services.AddSingleton<CompletionSignals>();
        services.AddSingleton<SubmissionRunner>();
        services.AddSingleton<SubmissionSettlement>();
        services.AddSingleton<SubmissionIntake>();
        services.AddSingleton<AccountService>();
        services.AddSingleton<GuardTimings>();
        services.AddSingleton(new SubmissionTariff(settings.Billing, settings.Catalogue, languages));
        services.AddSingleton(new SubmissionParser(languages.IsAvailable));
        services.AddSingleton(new SubmissionView(id => languages.TryGet(id, out Language? l) ? l.Name : null));
        services.AddPaygentic(options =>
        {
            options.ApiKey = backend.ApiKey;
            options.BaseUrl = backend.BaseUrl;
            options.MerchantId = backend.MerchantId;
        });

        if (settings.Billing == BillingMode.Off)
        {
            services.AddSingleton<ISubmissionBilling, UnmeteredBilling>();
        }
        else
        {
            AddGuard(services, settings, submissions, Path.Combine(dataDirectory, "outbox.db"));
            services.AddSingleton<ISubmissionBilling, MeteredBilling>();
        }

        // After the guard's own hosted service: recovery settles through a started guard.
        services.AddHostedService<SubmissionRecovery>();
        services.AddHostedService<SubmissionWorkers>();

        WebApplication app = builder.Build();
        RouteGroupBuilder judge0 = app.MapGroup("").AddEndpointFilter(Authentication.RequireToken);
        SubmissionEndpoints.Map(judge0);
        BatchEndpoints.Map(judge0);
        InfoEndpoints.Map(judge0);
        AccountEndpoints.Map(app);
        OpsEndpoints.Map(app);
        return app;
    }

    /// <summary>The first address Kestrel listens on (after start).</summary>
    public static Uri Address(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    private static void AddGuard(IServiceCollection services, ServerSettings settings, SubmissionStore submissions, string outboxPath)
    {
        SampleSettings catalogue = settings.Catalogue;
        services
            .AddMeteringGuard(options =>
            {
                options.Strategy = settings.Billing == BillingMode.Standard ? MeteringStrategy.Standard : MeteringStrategy.Legacy;
                options.ReservationPoolSize = settings.ReservationPoolSize;
                options.ProductId = catalogue.ProductId;
                options.FeatureKey = catalogue.FeatureKey;
                options.EventType = catalogue.EventType;
                options.EventSource = "urn:paygentic:samples:coderunner-server";
                options.AccessCacheTtl = TimeSpan.Zero; // a hard limit is checked per submission
                options.WaitForDelivery = false; // the report is durable in the outbox; the worker need not wait for the network
                // Each ticket is stored in its submission's row before the submission is queued, and SubmissionRecovery
                // completes or cancels it after a restart: the guard's own copy would be a second write per submission.
                options.CallerStoresTickets = true;
                // An authorization the guard did record (an outbox written before the option): keep it when its
                // submission was accepted (recovery runs or settles it, charging once), forget it otherwise.
                options.Recovery = (ticket, _) => ValueTask.FromResult(
                    SubmissionTariff.TokenOf(ticket.OperationId) is { } token && submissions.Exists(token)
                        ? RecoveryDecision.Keep
                        : RecoveryDecision.Skip);
            })
            .AddSqliteOutbox(outboxPath);
    }
}
