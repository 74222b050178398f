using System.Text.Json;
using ForumApi.Data;
using ForumApi.Endpoints;
using ForumApi.Models;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Data.Sqlite;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Prometheus;

namespace ForumApi;

/// <summary>Builds the Forum API host from options, so Program and in-process tests wire it the same way.</summary>
public static class ForumApp
{
    public const string ServiceName = "forum-api";
    private const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    // Process-wide and allowed once: must run before prometheus-net starts its default meter adapter.
    private static readonly Lazy<bool> MeterFilter = new(() =>
    {
        // .NET's "private.InternalDiagnostics.*" meters (msquic counters) add ~40 families nobody here reads.
        Metrics.ConfigureMeterAdapter(o => o.InstrumentFilterPredicate =
            instrument => !instrument.Meter.Name.StartsWith("private.", StringComparison.OrdinalIgnoreCase));
        return true;
    });

    /// <summary>Creates the schema (and seed data) and maps every endpoint; call StartAsync on the result to listen.</summary>
    /// <remarks>With no DbPath, a temp file is used and deleted when the app is disposed.</remarks>
    public static WebApplication Build(ForumOptions options)
    {
        _ = MeterFilter.Value;
        var ownsDb = options.DbPath is null;
        var dbPath = Path.GetFullPath(options.DbPath ?? Path.Combine(Path.GetTempPath(), $"forum_api_{Guid.NewGuid():N}.db"));
        options = options with { DbPath = dbPath };

        // Our own options were parsed already; the host gets none of them, so ASP.NET never sees --seed or --fixed.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.UseUrls(options.Urls);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // Start-up failures (port taken) are reported by Program as one line; the host would add a stack trace.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);

        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = dbPath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
        }.ToString();

        builder.Services.AddSingleton(options);
        if (ownsDb)
            builder.Services.AddSingleton(_ => new TempDatabaseFile(dbPath)); // a factory, so the container disposes it
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddSingleton(sp => new Db(connectionString, sp.GetRequiredService<IHttpContextAccessor>()));
        builder.Services.AddSingleton(new RequestBodyArchive(options.Fixed));
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower);

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(ServiceName))
            .WithTracing(tracing =>
            {
                // AlwaysOn under ParentBased: every request gets a recorded Activity (so X-Trace-ID is real) unless the caller said not to sample.
                tracing.SetSampler(new ParentBasedSampler(new AlwaysOnSampler()))
                    .AddAspNetCoreInstrumentation(o => o.Filter = ctx => !ctx.Request.Path.StartsWithSegments("/metrics"))
                    .AddSource(Db.ActivitySourceName);
                if (!string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(OtlpEndpointVariable)))
                    tracing.AddOtlpExporter();
            });

        var app = builder.Build();

        try
        {
            if (ownsDb)
                app.Services.GetRequiredService<TempDatabaseFile>();
            var db = app.Services.GetRequiredService<Db>();
            // Microsoft.Data.Sqlite runs its async methods synchronously, so blocking here costs nothing.
            ForumSchema.CreateAsync(db, options.Fixed).GetAwaiter().GetResult();
            ForumSeeder.SeedAsync(db, options.Seed, TimeProvider.System).GetAwaiter().GetResult();
        }
        catch
        {
            // The caller never gets the app, so it cannot dispose it (and delete the temp file): do it here.
            ((IDisposable)app).Dispose();
            throw;
        }

        app.UseMiddleware<ResponseHeadersMiddleware>();
        app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = WriteErrorAsync });
        // Routing before the metrics middleware, so the endpoint label carries the route template.
        app.UseRouting();
        app.UseHttpMetrics();

        DiagnosticEndpoints.Map(app);
        BoardEndpoints.Map(app);
        PostEndpoints.Map(app);
        CommentEndpoints.Map(app);
        app.MapMetrics();
        app.MapFallback(() => ApiResults.NotFound("no such endpoint"));
        return app;
    }

    /// <summary>The one startup line callers wait for; it carries the real bound address, so port 0 works.</summary>
    public static string ListeningLine(WebApplication app)
    {
        var options = app.Services.GetRequiredService<ForumOptions>();
        var url = app.Urls.FirstOrDefault() ?? options.Urls;
        return $"forum_api listening on {url} (db: {options.DbPath}, fixed: {(options.Fixed ? "true" : "false")})";
    }

    /// <summary>Unexpected failures become a JSON error with no stack trace; malformed HTTP keeps its 4xx.</summary>
    private static async Task WriteErrorAsync(HttpContext context)
    {
        var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        var (status, message) = error is BadHttpRequestException bad
            ? (bad.StatusCode, "bad request")
            : (StatusCodes.Status500InternalServerError, "internal server error");
        context.Response.StatusCode = status;
        await context.Response.WriteAsJsonAsync(new ErrorBody(message));
    }
}
