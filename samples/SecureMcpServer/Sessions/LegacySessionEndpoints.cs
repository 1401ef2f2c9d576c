using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Options;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace SecureMcpServer.Sessions;

public static class LegacySessionEndpoints
{
    private const string SessionHeader = "Mcp-Session-Id";

    /// <summary>Old clients expect an Mcp-Session-Id on every response; hand one out when the request has none.</summary>
    public static IApplicationBuilder UseLegacySessionHeader(this IApplicationBuilder app)
        => app.Use(async (context, next) =>
        {
            if (!context.Request.Headers.ContainsKey(SessionHeader) && context.Request.Path.StartsWithSegments("/legacy"))
            {
                context.Response.Headers[SessionHeader] = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
            }

            await next(context);
        });

    /// <summary>POST /legacy/mcp: one transport per session, looked up by the session header AND the caller; callers must be authenticated.</summary>
    public static IEndpointRouteBuilder MapLegacySessions(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/legacy/mcp", async (HttpContext context, LegacySessionStore store, IOptions<McpServerOptions> options, ILoggerFactory loggerFactory) =>
        {
            var message = await JsonSerializer.DeserializeAsync<JsonRpcMessage>(context.Request.Body, McpJsonUtilities.DefaultOptions, context.RequestAborted);
            if (message is null)
            {
                return Results.BadRequest();
            }

            var existing = context.Request.Headers[SessionHeader].ToString();
            var transport = existing.Length > 0 ? store.Find(existing, context.User) : null;
            if (transport is null)
            {
                transport = store.Open(context.User);
                var server = McpServer.Create(transport, options.Value, loggerFactory, context.RequestServices);
                _ = server.RunAsync(CancellationToken.None);
            }

            context.Response.ContentType = "text/event-stream";
            await transport.HandlePostRequestAsync(message, context.Response.Body, context.RequestAborted);
            return Results.Empty;
        }).RequireAuthorization();
        return endpoints;
    }
}
