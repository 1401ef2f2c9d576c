// The compliant twin of InsecureMcpServer: same features, no McpAnalyzers diagnostics.
using Microsoft.AspNetCore.Authentication.JwtBearer;
using ModelContextProtocol.AspNetCore.Authentication;
using SecureMcpServer.Auth;
using SecureMcpServer.Sessions;

var builder = WebApplication.CreateBuilder(args);

// The server's canonical URI: published as the protected resource AND required as the token audience.
var resource = builder.Configuration["Mcp:Resource"]
    ?? throw new InvalidOperationException("Configure Mcp:Resource (the server's canonical URI).");
var authority = builder.Configuration["Auth:Authority"]
    ?? throw new InvalidOperationException("Configure Auth:Authority (the authorization server).");

builder.Services.AddAuthentication(options =>
    {
        options.DefaultAuthenticateScheme = JwtBearerDefaults.AuthenticationScheme;
        options.DefaultChallengeScheme = McpAuthenticationDefaults.AuthenticationScheme;
    })
    .AddJwtAuthentication(authority, audience: resource)
    .AddMcp(options =>
    {
        // Protected-resource metadata (RFC 9728): tells clients where to get tokens for this server.
        options.ResourceMetadata = new()
        {
            Resource = resource,
            AuthorizationServers = { authority },
            ScopesSupported = ["mcp:tools"],
        };
    });

builder.Services.AddAuthorization();
builder.Services.AddSingleton<LegacySessionStore>();
builder.Services.AddHttpContextAccessor();
builder.Services.AddHttpClient();

// Tools are discovered from this assembly: each file under Tools/ adds its own.
builder.Services.AddMcpServer()
    .WithHttpTransport()
    .WithToolsFromAssembly();

var app = builder.Build();

app.UseAuthentication();
app.UseAuthorization();
app.UseLegacySessionHeader();

app.MapOAuthLogin(authority, resource);
app.MapLegacySessions();
app.MapMcp().RequireAuthorization();

app.Run();
