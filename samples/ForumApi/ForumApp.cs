using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text.Json;
using ForumApi.Data;
using ForumApi.Endpoints;
using ForumApi.Models;
using Microsoft.AspNetCore.Diagnostics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Prometheus;

namespace ForumApi;

/// <summary>Builds the Forum API host from options, so Program and in-process tests wire it the same way.</summary>
public static class ForumApp
{
    public const string ServiceName = "forum-api";
    private const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";
    private const string NpgsqlMeterName = "Npgsql";

    // Process-wide and allowed once: must run before prometheus-net starts its default meter adapter.
    private static readonly Lazy<bool> MeterAdapter = new(() =>
    {
        Metrics.ConfigureMeterAdapter(o =>
        {
            // Every meter is published, Npgsql's pool and command metrics included; only .NET's
            // "private.InternalDiagnostics.*" meters (msquic counters) are left out: ~40 families nobody here reads.
            o.InstrumentFilterPredicate = instrument =>
                !instrument.Meter.Name.StartsWith("private.", StringComparison.OrdinalIgnoreCase);
            // Npgsql advises buckets from 1 ms; prometheus-net's default starts at 10 ms, where every query would land.
            o.ResolveHistogramBuckets = instrument =>
                instrument is { Meter.Name: NpgsqlMeterName } and Histogram<double> { Advice.HistogramBucketBoundaries: { } advised }
                    ? [.. advised]
                    : MeterAdapterOptions.DefaultHistogramBuckets;
            // The adapter forgets a series 5 minutes after its last change; Npgsql's timeout count would vanish and
            // restart from 1. The label sets here are few and fixed, so keeping them all costs nothing.
            o.MetricsExpireAfter = TimeSpan.FromDays(1);
        });
        // prometheus-net starts the adapter (and its other default metrics) just before the first scrape; measurements
        // made earlier are lost, and an up-down counter such as Npgsql's pending requests would start from a wrong
        // baseline. One collection now starts it before the first query.
        Metrics.DefaultRegistry.CollectAndExportAsTextAsync(Stream.Null).GetAwaiter().GetResult();
        return true;
    });

    /// <summary>Creates the schema (and seed data) and maps every endpoint; call StartAsync on the result to listen.</summary>
    /// <remarks>With neither DbPath nor Postgres, a temp SQLite file is used and deleted when the app is disposed.</remarks>
    /// <exception cref="ForumStartException">The database could not be reached or set up; its message says why and what to do.</exception>
    public static WebApplication Build(ForumOptions options)
    {
        _ = MeterAdapter.Value;
        SqlDialect dialect;
        string? tempDbPath = null;
        if (options.Postgres is { } url)
        {
            dialect = new PostgresDialect(url, options.PoolSize, options.PoolTimeoutSeconds);
        }
        else
        {
            if (options.DbPath is null)
                tempDbPath = Path.Combine(Path.GetTempPath(), $"forum_api_{Guid.NewGuid():N}.db");
            options = options with { DbPath = Path.GetFullPath(options.DbPath ?? tempDbPath!) };
            dialect = new SqliteDialect(options.DbPath);
        }

        // Schema and seed first, before any host exists: a database that cannot be reached fails here, fast, with
        // nothing else to undo. HttpContextAccessor keeps its context in a static AsyncLocal, so this instance sees
        // the requests the host's own accessor sees.
        var tempFile = tempDbPath is null ? null : new TempDatabaseFile(options.DbPath!);
        var db = new Db(dialect, new HttpContextAccessor());
        SeedResult? seeded;
        try
        {
            // Nothing here needs a synchronization context: start-up runs on the caller's thread before the host starts.
            ForumSchema.CreateAsync(db, options.IsFixed(Bottlenecks.MissingIndex)).GetAwaiter().GetResult();
            seeded = ForumSeeder.SeedAsync(db, options.Seed, TimeProvider.System).GetAwaiter().GetResult();
            db.WarmUpAsync().GetAwaiter().GetResult();
        }
        catch (Exception ex)
        {
            db.Dispose();
            tempFile?.Dispose();
            if (dialect.DescribeStartFailure(ex) is { } problem)
                throw new ForumStartException(problem, ex);
            throw;
        }

        // Our own options were parsed already; the host gets none of them, so ASP.NET never sees --seed or --fixed.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.UseUrls(options.Urls);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // Start-up failures (port taken) are reported by Program as one line; the host would add a stack trace.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);

        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(new StartupReport(dialect.Location, seeded));
        // Factories, so the container disposes them (and deletes the temp file, after the pool is closed).
        if (tempFile is not null)
            builder.Services.AddSingleton(_ => tempFile);
        builder.Services.AddSingleton(_ => db);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddSingleton(new RequestBodyArchive(options.IsFixed(Bottlenecks.MemoryLeak)));
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
        // The container disposes in reverse order of creation: resolve the temp file first so it goes last.
        if (tempFile is not null)
            app.Services.GetRequiredService<TempDatabaseFile>();
        app.Services.GetRequiredService<Db>();

        app.UseMiddleware<ResponseHeadersMiddleware>();
        app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = WriteErrorAsync });
        // Routing before the metrics middleware, so the endpoint label carries the route template.
        app.UseRouting();
        app.UseHttpMetrics();
        // Inside the metrics middleware, so a 503 for an exhausted pool is counted with its real status code.
        app.UseMiddleware<DatabaseUnavailableMiddleware>();

        DiagnosticEndpoints.Map(app);
        BoardEndpoints.Map(app);
        PostEndpoints.Map(app);
        CommentEndpoints.Map(app);
        app.MapMetrics();
        app.MapFallback(() => ApiResults.NotFound("no such endpoint"));
        return app;
    }

    /// <summary>The one startup line callers wait for; it carries the real bound address, so port 0 works.</summary>
    /// <remarks>A PostgreSQL URL shows its password as ***.</remarks>
    public static string ListeningLine(WebApplication app)
    {
        var options = app.Services.GetRequiredService<ForumOptions>();
        var report = app.Services.GetRequiredService<StartupReport>();
        var url = app.Urls.FirstOrDefault() ?? options.Urls;
        var pool = options.Postgres is null
            ? ""
            : string.Create(CultureInfo.InvariantCulture, $", pool: {options.PoolSize}, pool timeout: {options.PoolTimeoutSeconds} s");
        return $"forum_api listening on {url} (db: {report.Location}, fixed: {BottleneckNames.Describe(options.Fixes)}{pool})";
    }

    /// <summary>What --seed did, for a line before the listening line; null without --seed.</summary>
    public static string? SeedLine(WebApplication app)
    {
        var options = app.Services.GetRequiredService<ForumOptions>();
        return app.Services.GetRequiredService<StartupReport>().Seed switch
        {
            null => null,
            { Skipped: true } s => string.Create(CultureInfo.InvariantCulture,
                $"forum_api: --seed {options.Seed} skipped: the database already holds {s.ExistingBoards:N0} boards"),
            var s => string.Create(CultureInfo.InvariantCulture,
                $"forum_api: seeded {s.Boards:N0} boards, {s.Posts:N0} posts, {s.Comments:N0} comments in {s.Elapsed.TotalSeconds:F2} s"),
        };
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
