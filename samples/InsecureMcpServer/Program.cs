// A deliberately INSECURE MCP server: it shows what McpAnalyzers reports.
// Every flagged line is listed in expected-diagnostics.txt; SecureMcpServer is the compliant twin.
using InsecureMcpServer.Auth;
using InsecureMcpServer.Sessions;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using ModelContextProtocol.AspNetCore.Authentication;

var builder = WebApplication.CreateBuilder(args);

var resource = builder.Configuration["Mcp:Resource"] ?? "http://localhost:5000/";
var authority = builder.Configuration["Auth:Authority"] ?? "http://localhost:7029/";

builder.Services.AddAuthentication(options =>
    {
        options.DefaultAuthenticateScheme = JwtBearerDefaults.AuthenticationScheme;
        options.DefaultChallengeScheme = McpAuthenticationDefaults.AuthenticationScheme;
    })
    .AddJwtAuthentication(authority)
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
builder.Services.AddDistributedMemoryCache();
builder.Services.AddSession();

// Tools are discovered from this assembly: each file under Tools/ adds its own.
builder.Services.AddMcpServer()
    .WithHttpTransport()
    .WithToolsFromAssembly();

var app = builder.Build();

app.UseAuthentication();
app.UseAuthorization();
app.UseSession();
app.UseLegacySessionHeader();

app.MapOAuthLogin(authority, resource);
app.MapLegacySessions();
app.MapMcp();

app.Run();
