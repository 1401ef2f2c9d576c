using System.Threading.Tasks;
using McpAnalyzers.Rules;
using McpAnalyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = McpAnalyzers.Tests.Infrastructure.AnalyzerVerifier<McpAnalyzers.Rules.SessionAsAuthenticationAnalyzer>;

namespace McpAnalyzers.Tests.Rules;

/// <summary>MCPSEC004 detection: (a) session identity reads, (b) Mcp-Session-Id as identity or gate, (c) cookie scheme, (d) migration handler.</summary>
public class MCPSEC004SessionAsAuthenticationTests
{
    private const string Id = "MCPSEC004";

    // ------------------------------------------------------------------ (a) identity read from ISession

    [Fact]
    public async Task GetStringOfUserIdInToolIsFlaggedWithMessage()
    {
        const string source = """
            using Microsoft.AspNetCore.Http;
            using ModelContextProtocol.Server;

            [McpServerToolType]
            public sealed class AccountTools(IHttpContextAccessor accessor)
            {
                [McpServerTool]
                public string WhoAmI() => {|#0:accessor.HttpContext!.Session.GetString("UserId")|} ?? "anonymous";
            }
            """;
        await Verify.VerifyAsync(source, Verify.Diagnostic(Id).WithLocation(0).WithArguments("Identity 'UserId' is read from the ASP.NET Core session"));
    }

    [Fact]
    public async Task GetInt32GetAndTryGetValueOfIdentityKeysAreFlagged()
    {
        const string source = """
            using Microsoft.AspNetCore.Http;

            public static class Handlers
            {
                private const string RoleKey = "Roles";

                public static string Handle(HttpContext context)
                {
                    var id = {|MCPSEC004:context.Session.GetInt32("user_id")|};
                    var roles = {|MCPSEC004:context.Session.Get(RoleKey)|};
                    var admin = {|MCPSEC004:context.Session.TryGetValue("IsAdmin", out var flag)|};
                    var upn = {|MCPSEC004:SessionExtensions.GetString(context.Session, "upn")|};
                    var tenant = {|MCPSEC004:context.Session.GetString("TenantId")|};
                    var scopes = {|MCPSEC004:context.Session.GetString("scopes")|};
                    var current = {|MCPSEC004:context.Session.GetString("CurrentUser")|};
                    var authenticated = {|MCPSEC004:context.Session.GetString("IsAuthenticated")|};
                    var email = {|MCPSEC004:context.Session.GetString("user.email")|};
                    var sub = {|MCPSEC004:context.Session.GetString("sub")|};
                    return $"{id}{roles}{admin}{flag}{upn}{tenant}{scopes}{current}{authenticated}{email}{sub}";
                }
            }
            """;
        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task SessionIdentityReadInMinimalApiLambdaIsFlagged()
    {
        const string source = """
            using Microsoft.AspNetCore.Builder;
            using Microsoft.AspNetCore.Http;
            using Microsoft.Extensions.DependencyInjection;

            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddSession();
            builder.Services.AddMcpServer().WithHttpTransport();
            var app = builder.Build();
            app.UseSession();
            app.MapGet("/me", (HttpContext ctx) => {|#0:ctx.Session.GetString("UserName")|});
            app.MapMcp("/mcp").RequireAuthorization();
            app.Run();
            """;
        await Verify.VerifyProgramAsync(source, Verify.Diagnostic(Id).WithLocation(0).WithArguments("Identity 'UserName' is read from the ASP.NET Core session"));
    }

    [Fact]
    public async Task SessionValueDecidingForbidIsFlagged()
    {
        const string source = """
            using Microsoft.AspNetCore.Http;

            public static class Handlers
            {
                public static IResult Plan(HttpContext ctx)
                {
                    var plan = {|#0:ctx.Session.GetString("Plan")|};
                    if (plan != "pro")
                    {
                        return Results.Forbid();
                    }

                    return Results.Ok();
                }

                public static void Verified(HttpContext ctx)
                {
                    if (!{|#1:ctx.Session.TryGetValue("Verified", out _)|})
                    {
                        ctx.Response.StatusCode = StatusCodes.Status401Unauthorized;
                        return;
                    }
                }

                public static IResult Level(HttpContext ctx)
                    => {|#2:ctx.Session.GetInt32("Level")|} >= 3 ? Results.Ok() : Results.StatusCode(403);

                public static IResult Tier(HttpContext ctx, string key)
                {
                    if ({|#3:ctx.Session.GetString(key)|} is null)
                    {
                        throw new System.UnauthorizedAccessException();
                    }

                    return Results.Ok();
                }
            }
            """;
        await Verify.VerifyAsync(
            source,
            Verify.Diagnostic(Id).WithLocation(0).WithArguments("Session value 'Plan' decides whether the request is authorized"),
            Verify.Diagnostic(Id).WithLocation(1).WithArguments("Session value 'Verified' decides whether the request is authorized"),
            Verify.Diagnostic(Id).WithLocation(2).WithArguments("Session value 'Level' decides whether the request is authorized"),
            Verify.Diagnostic(Id).WithLocation(3).WithArguments("A session value (key key) decides whether the request is authorized"));
    }

    [Fact]
    public async Task NonIdentitySessionStateIsNotFlagged()
    {
        const string source = """
            using Microsoft.AspNetCore.Http;

            public static class Handlers
            {
                public static string Handle(HttpContext ctx, string key)
                {
                    var theme = ctx.Session.GetString("Theme");
                    var cart = ctx.Session.Get("cart");
                    var prefs = ctx.Session.GetString("UserPreferences");
                    var userTheme = ctx.Session.GetString("UserTheme");
                    var visits = ctx.Session.GetInt32("VisitCount");
                    var subscription = ctx.Session.GetString("Subscription");
                    var dynamicKey = ctx.Session.GetString(key);
                    ctx.Session.SetString("UserId", "42");
                    if (theme is null)
                    {
                        return "default";
                    }

                    return $"{cart}{prefs}{userTheme}{visits}{subscription}{dynamicKey}";
                }

                public static IResult Owner(HttpContext ctx)
                {
                    // Compared with the authenticated principal: the decision rests on HttpContext.User.
                    if (ctx.Session.GetString("Owner") != ctx.User.Identity?.Name)
                    {
                        return Results.Forbid();
                    }

                    return Results.Ok();
                }
            }
            """;
        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task LookAlikeSessionTypesAreNotFlagged()
    {
        const string source = """
            namespace MyApp
            {
                public interface ISession
                {
                    bool TryGetValue(string key, out byte[] value);
                }

                public static class SessionExtensions
                {
                    public static string? GetString(this ISession session, string key) => null;
                }

                public static class Handlers
                {
                    public static string? Handle(ISession session)
                    {
                        session.TryGetValue("UserId", out _);
                        return session.GetString("UserId");
                    }
                }
            }
            """;
        await Verify.VerifyAsync(source);
    }

    // ------------------------------------------------------------------ (b) Mcp-Session-Id decides who the caller is

    [Fact]
    public async Task HeaderKeyedUserLookupIsFlaggedWithMessage()
    {
        const string source = """
            using System.Collections.Concurrent;
            using System.Security.Claims;
            using Microsoft.AspNetCore.Builder;
            using Microsoft.AspNetCore.Http;
            using Microsoft.Extensions.DependencyInjection;

            var builder = WebApplication.CreateBuilder(args);
            var app = builder.Build();
            var sessionUsers = new ConcurrentDictionary<string, ClaimsPrincipal>();
            app.MapPost("/custom", (HttpContext ctx) =>
            {
                var sessionId = ctx.Request.Headers["Mcp-Session-Id"].ToString();
                var user = {|#0:sessionUsers[sessionId]|};
                return Results.Ok(user.Identity?.Name);
            });
            app.Run();
            """;
        await Verify.VerifyProgramAsync(
            source,
            Verify.Diagnostic(Id).WithLocation(0).WithArguments("The Mcp-Session-Id header is the key of a lookup in 'sessionUsers' that identifies the caller"));
    }

    [Fact]
    public async Task HeaderKeyedLookupsThroughTryGetValueAndConstantsAreFlagged()
    {
        const string source = """
            using System.Collections.Generic;
            using Microsoft.AspNetCore.Http;

            public sealed class AppUser
            {
                public string Name { get; set; } = "";
            }

            public sealed class SessionAuth
            {
                private const string SessionHeader = "mcp-session-id";
                private const string HeaderName = "Mcp-Session-Id";
                private readonly Dictionary<string, string> _sessionToUser = new();
                private readonly Dictionary<string, AppUser> _accounts = new();
                private readonly Dictionary<string, string[]> _rolesBySession = new();

                public string? ByTryGetValue(HttpContext context)
                {
                    var id = context.Request.Headers[HeaderName];
                    return {|#0:_sessionToUser.TryGetValue(id!, out var user)|} ? user : null;
                }

                public string? ByHeaderTryGetValue(HttpContext context)
                {
                    context.Request.Headers.TryGetValue(SessionHeader, out var values);
                    var account = {|#1:_accounts.GetValueOrDefault(values.ToString())|};
                    return account?.Name;
                }

                public string[] Roles(HttpRequest request)
                {
                    string key = "session:" + request.Headers["Mcp-Session-Id"];
                    return {|#2:_rolesBySession[key]|};
                }
            }
            """;
        await Verify.VerifyAsync(
            source,
            Verify.Diagnostic(Id).WithLocation(0).WithArguments("The Mcp-Session-Id header is the key of a lookup in '_sessionToUser' that identifies the caller"),
            Verify.Diagnostic(Id).WithLocation(1).WithArguments("The Mcp-Session-Id header is the key of a lookup in '_accounts' that identifies the caller"),
            Verify.Diagnostic(Id).WithLocation(2).WithArguments("The Mcp-Session-Id header is the key of a lookup in '_rolesBySession' that identifies the caller"));
    }

    [Fact]
    public async Task MembershipChecksGatingTheRequestAreFlagged()
    {
        const string source = """
            using System;
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.AspNetCore.Http;

            public sealed class SessionGate
            {
                private readonly HashSet<string> _knownSessions = new();
                private readonly Dictionary<string, DateTime> _sessions = new();

                public IResult Contains(HttpContext ctx)
                {
                    if (!ctx.Request.Headers.TryGetValue("Mcp-Session-Id", out var values) || !{|#0:_knownSessions.Contains(values.ToString())|})
                    {
                        return Results.Unauthorized();
                    }

                    return Results.Ok();
                }

                public async Task ContainsKey(HttpContext ctx, RequestDelegate next)
                {
                    string id = ctx.Request.Headers["Mcp-Session-Id"]!;
                    if (!{|#1:_sessions.ContainsKey(id)|})
                    {
                        ctx.Response.StatusCode = 401;
                        return;
                    }

                    await next(ctx);
                }

                public void BoolLocal(HttpContext ctx)
                {
                    var id = ctx.Request.Headers["Mcp-Session-Id"].ToString();
                    var known = {|#2:_sessions.TryGetValue(id, out _)|};
                    if (!known)
                    {
                        throw new UnauthorizedAccessException("Unknown session");
                    }
                }
            }
            """;
        await Verify.VerifyAsync(
            source,
            Verify.Diagnostic(Id).WithLocation(0).WithArguments("The Mcp-Session-Id header decides whether the request may proceed ('_knownSessions.Contains')"),
            Verify.Diagnostic(Id).WithLocation(1).WithArguments("The Mcp-Session-Id header decides whether the request may proceed ('_sessions.ContainsKey')"),
            Verify.Diagnostic(Id).WithLocation(2).WithArguments("The Mcp-Session-Id header decides whether the request may proceed ('_sessions.TryGetValue')"));
    }

    [Fact]
    public async Task SessionIdUsesThatAreNotAuthenticationAreNotFlagged()
    {
        const string source = """
            using System;
            using System.Collections.Generic;
            using System.Net.Http;
            using System.Security.Claims;
            using Microsoft.AspNetCore.Http;
            using ModelContextProtocol.Server;

            public sealed class Handler
            {
                private readonly Dictionary<string, StreamableHttpServerTransport> _transports = new();
                private readonly Dictionary<(string, string), string[]> _userRoles = new();
                private readonly Dictionary<string, string> _sessionOwners = new();
                private readonly Dictionary<string, string> _sessionUsers = new();
                private readonly Dictionary<string, ClaimsPrincipal> _byRequestId = new();
                private readonly HashSet<string> _sessions = new();

                public void Route(HttpContext ctx)
                {
                    var id = ctx.Request.Headers["Mcp-Session-Id"].ToString();
                    if (string.IsNullOrEmpty(id))
                    {
                        ctx.Response.StatusCode = 400;
                        return;
                    }

                    // The transport's own "unknown session" answer (404), as the MCP transport spec requires.
                    if (!_transports.TryGetValue(id, out var transport))
                    {
                        ctx.Response.StatusCode = StatusCodes.Status404NotFound;
                        return;
                    }

                    // Keyed by the authenticated user AND the session id.
                    var userId = ctx.User.FindFirst(ClaimTypes.NameIdentifier)?.Value ?? "";
                    var roles = _userRoles[(userId, id)];

                    // Lookup followed by a comparison with the current user's NameIdentifier.
                    if (!_sessionOwners.TryGetValue(id, out var owner) || owner != ctx.User.FindFirst(ClaimTypes.NameIdentifier)?.Value)
                    {
                        ctx.Response.StatusCode = 403;
                        return;
                    }

                    var user = _sessionUsers[id];
                    if (user != userId)
                    {
                        ctx.Response.StatusCode = 403;
                        return;
                    }

                    // Storing, not looking up; membership that gates nothing; another header.
                    _sessionUsers[id] = userId;
                    if (_sessions.Contains(id))
                    {
                        Console.WriteLine(id);
                    }

                    var other = _byRequestId[ctx.Request.Headers["X-Request-Id"].ToString()];
                    Console.WriteLine($"{transport}{roles}{other}");
                }

                public static void Client(HttpResponseMessage response, Dictionary<string, ClaimsPrincipal> users)
                {
                    // Client side: HttpHeaders, not the server's IHeaderDictionary.
                    if (response.Headers.TryGetValues("Mcp-Session-Id", out var values))
                    {
                        Console.WriteLine(users[string.Join("", values)]);
                    }
                }
            }
            """;
        await Verify.VerifyAsync(source);
    }

    // ------------------------------------------------------------------ (c) cookie authentication protects MapMcp

    [Fact]
    public async Task CookieDefaultSchemeViaCookieAuthenticationDefaultsIsFlaggedWithMessage()
    {
        const string source = """
            using Microsoft.AspNetCore.Authentication.Cookies;
            using Microsoft.AspNetCore.Builder;
            using Microsoft.Extensions.DependencyInjection;

            var builder = WebApplication.CreateBuilder(args);
            {|#0:builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)|}.AddCookie();
            builder.Services.AddAuthorization();
            builder.Services.AddMcpServer().WithHttpTransport();
            var app = builder.Build();
            app.MapMcp("/mcp").RequireAuthorization();
            app.Run();
            """;
        await Verify.VerifyProgramAsync(
            source,
            Verify.Diagnostic(Id).WithLocation(0).WithArguments("Cookie authentication ('Cookies') is the default scheme of the app that maps the MCP endpoint"));
    }

    [Fact]
    public async Task CookieDefaultSchemeViaStringIsFlagged()
    {
        const string source = """
            using Microsoft.AspNetCore.Builder;
            using Microsoft.Extensions.DependencyInjection;

            var builder = WebApplication.CreateBuilder(args);
            {|MCPSEC004:builder.Services.AddAuthentication("Cookies")|}.AddCookie();
            builder.Services.AddMcpServer().WithHttpTransport();
            var app = builder.Build();
            app.MapMcp();
            app.Run();
            """;
        await Verify.VerifyProgramAsync(source);
    }

    [Fact]
    public async Task CookieDefaultSchemeViaOptionsLambdaIsFlagged()
    {
        const string source = """
            using Microsoft.AspNetCore.Authentication.Cookies;
            using Microsoft.AspNetCore.Builder;
            using Microsoft.Extensions.DependencyInjection;

            var builder = WebApplication.CreateBuilder(args);
            {|MCPSEC004:builder.Services.AddAuthentication(options =>
            {
                options.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                options.DefaultChallengeScheme = "oidc";
            })|}.AddCookie();
            builder.Services.AddMcpServer().WithHttpTransport();
            var app = builder.Build();
            app.MapMcp("/mcp");
            app.Run();
            """;
        await Verify.VerifyProgramAsync(source);
    }

    [Fact]
    public async Task CustomCookieSchemeNameIsFlagged()
    {
        const string source = """
            using Microsoft.AspNetCore.Builder;
            using Microsoft.Extensions.DependencyInjection;

            var builder = WebApplication.CreateBuilder(args);
            {|#0:builder.Services.AddAuthentication(o => o.DefaultAuthenticateScheme = "AppCookie")|}.AddCookie("AppCookie");
            builder.Services.AddMcpServer().WithHttpTransport();
            var app = builder.Build();
            app.MapMcp("/mcp");
            app.Run();
            """;
        await Verify.VerifyProgramAsync(
            source,
            Verify.Diagnostic(Id).WithLocation(0).WithArguments("Cookie authentication ('AppCookie') is the default scheme of the app that maps the MCP endpoint"));
    }

    [Fact]
    public async Task CookieAsOnlySchemeIsFlaggedAtAddCookie()
    {
        const string source = """
            using Microsoft.AspNetCore.Builder;
            using Microsoft.Extensions.DependencyInjection;

            var builder = WebApplication.CreateBuilder(args);
            {|#0:builder.Services.AddAuthentication().AddCookie(o => o.LoginPath = "/login")|};
            builder.Services.AddMcpServer().WithHttpTransport();
            var app = builder.Build();
            app.MapMcp("/mcp").RequireAuthorization();
            app.Run();
            """;
        await Verify.VerifyProgramAsync(
            source,
            Verify.Diagnostic(Id).WithLocation(0).WithArguments("Cookie authentication ('Cookies') is the only scheme of the app that maps the MCP endpoint"));
    }

    [Fact]
    public async Task BearerDefaultWithCookiesForPagesIsNotFlagged()
    {
        const string source = """
            using Microsoft.AspNetCore.Authentication.JwtBearer;
            using Microsoft.AspNetCore.Builder;
            using Microsoft.Extensions.DependencyInjection;

            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
                .AddJwtBearer()
                .AddCookie("Cookies");
            builder.Services.AddMcpServer().WithHttpTransport();
            var app = builder.Build();
            app.MapMcp("/mcp").RequireAuthorization();
            app.Run();
            """;
        await Verify.VerifyProgramAsync(source);
    }

    [Fact]
    public async Task CookieDefaultWithBearerRequiredOnMapMcpIsNotFlagged()
    {
        const string source = """
            using Microsoft.AspNetCore.Authentication.Cookies;
            using Microsoft.AspNetCore.Authentication.JwtBearer;
            using Microsoft.AspNetCore.Authorization;
            using Microsoft.AspNetCore.Builder;
            using Microsoft.Extensions.DependencyInjection;

            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
                .AddCookie()
                .AddJwtBearer();
            builder.Services.AddMcpServer().WithHttpTransport();
            var app = builder.Build();
            app.MapMcp("/mcp").RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = JwtBearerDefaults.AuthenticationScheme });
            app.Run();
            """;
        await Verify.VerifyProgramAsync(source);
    }

    [Fact]
    public async Task CookieDefaultWithBearerPolicyOnMapMcpIsNotFlagged()
    {
        const string source = """
            using Microsoft.AspNetCore.Authentication.Cookies;
            using Microsoft.AspNetCore.Authentication.JwtBearer;
            using Microsoft.AspNetCore.Builder;
            using Microsoft.Extensions.DependencyInjection;

            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
                .AddCookie()
                .AddJwtBearer();
            builder.Services.AddAuthorization(o => o.AddPolicy("mcp", p => p.AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme).RequireAuthenticatedUser()));
            builder.Services.AddMcpServer().WithHttpTransport();
            var app = builder.Build();
            app.MapMcp("/mcp").RequireAuthorization("mcp");
            app.MapMcp("/mcp2").RequireAuthorization(p => p.AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme).RequireAuthenticatedUser());
            app.Run();
            """;
        await Verify.VerifyProgramAsync(source);
    }

    [Fact]
    public async Task CookieDefaultWithBearerFallbackPolicyIsNotFlagged()
    {
        const string source = """
            using Microsoft.AspNetCore.Authentication.JwtBearer;
            using Microsoft.AspNetCore.Authorization;
            using Microsoft.AspNetCore.Builder;
            using Microsoft.Extensions.DependencyInjection;

            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddAuthentication("Cookies").AddCookie().AddJwtBearer();
            builder.Services.AddAuthorizationBuilder()
                .SetFallbackPolicy(new AuthorizationPolicyBuilder(JwtBearerDefaults.AuthenticationScheme).RequireAuthenticatedUser().Build());
            builder.Services.AddMcpServer().WithHttpTransport();
            var app = builder.Build();
            app.MapMcp("/mcp");
            app.Run();
            """;
        await Verify.VerifyProgramAsync(source);
    }

    [Fact]
    public async Task CookieSchemeWithoutMcpEndpointOrWithBearerRegisteredIsNotFlagged()
    {
        const string noMcpEndpoint = """
            using Microsoft.AspNetCore.Builder;
            using Microsoft.Extensions.DependencyInjection;

            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddAuthentication("Cookies").AddCookie();
            var app = builder.Build();
            app.MapGet("/", () => "hello");
            app.Run();
            """;
        await Verify.VerifyProgramAsync(noMcpEndpoint);

        const string cookieAndBearerWithoutDefault = """
            using Microsoft.AspNetCore.Builder;
            using Microsoft.Extensions.DependencyInjection;

            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddAuthentication().AddCookie().AddJwtBearer();
            builder.Services.AddMcpServer().WithHttpTransport();
            var app = builder.Build();
            app.MapMcp("/mcp");
            app.Run();
            """;
        await Verify.VerifyProgramAsync(cookieAndBearerWithoutDefault);
    }

    // ------------------------------------------------------------------ (d) session migration without the user

    private const string MigrationUsings = """
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.AspNetCore.Http;
        using ModelContextProtocol.AspNetCore;
        using ModelContextProtocol.Protocol;

        """;

    [Fact]
    public async Task MigrationHandlerIgnoringUserIsFlaggedWithMessage()
    {
        const string source = MigrationUsings + """
            public sealed class StoreMigration : ISessionMigrationHandler
            {
                private readonly Dictionary<string, InitializeRequestParams> _store = new();

                public ValueTask OnSessionInitializedAsync(HttpContext context, string sessionId, InitializeRequestParams initializeParams, CancellationToken cancellationToken)
                {
                    _store[sessionId] = initializeParams;
                    return default;
                }

                public ValueTask<InitializeRequestParams?> {|#0:AllowSessionMigrationAsync|}(HttpContext context, string sessionId, CancellationToken cancellationToken)
                    => ValueTask.FromResult(_store.GetValueOrDefault(sessionId));
            }
            """;
        await Verify.VerifyAsync(
            source,
            Verify.Diagnostic(Id).WithLocation(0).WithArguments("'AllowSessionMigrationAsync' lets a session be resumed by its ID alone without checking HttpContext.User"));
    }

    [Fact]
    public async Task AsyncAndExplicitMigrationHandlersIgnoringUserAreFlagged()
    {
        const string source = MigrationUsings + """
            public sealed class AsyncMigration : ISessionMigrationHandler
            {
                public ValueTask OnSessionInitializedAsync(HttpContext context, string sessionId, InitializeRequestParams initializeParams, CancellationToken cancellationToken) => default;

                public async ValueTask<InitializeRequestParams?> {|MCPSEC004:AllowSessionMigrationAsync|}(HttpContext context, string sessionId, CancellationToken cancellationToken)
                {
                    var stored = await LoadAsync(sessionId, context.RequestAborted);
                    if (stored is null)
                    {
                        return null;
                    }

                    return stored;
                }

                private static Task<InitializeRequestParams?> LoadAsync(string id, CancellationToken ct) => Task.FromResult<InitializeRequestParams?>(null);
            }

            public sealed class ExplicitMigration : ISessionMigrationHandler
            {
                private readonly Dictionary<string, InitializeRequestParams> _store = new();

                ValueTask ISessionMigrationHandler.OnSessionInitializedAsync(HttpContext context, string sessionId, InitializeRequestParams initializeParams, CancellationToken cancellationToken) => default;

                ValueTask<InitializeRequestParams?> ISessionMigrationHandler.{|MCPSEC004:AllowSessionMigrationAsync|}(HttpContext context, string sessionId, CancellationToken cancellationToken)
                    => new(_store[sessionId]);
            }
            """;
        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task MigrationHandlersThatCheckTheUserOrNeverAllowAreNotFlagged()
    {
        const string source = MigrationUsings + """
            using System.Security.Claims;

            public sealed class OwnerCheckedMigration : ISessionMigrationHandler
            {
                private readonly Dictionary<string, (string Owner, InitializeRequestParams Params)> _store = new();

                public ValueTask OnSessionInitializedAsync(HttpContext context, string sessionId, InitializeRequestParams initializeParams, CancellationToken cancellationToken)
                {
                    _store[sessionId] = (context.User.FindFirst(ClaimTypes.NameIdentifier)?.Value ?? "", initializeParams);
                    return default;
                }

                public ValueTask<InitializeRequestParams?> AllowSessionMigrationAsync(HttpContext context, string sessionId, CancellationToken cancellationToken)
                {
                    var caller = context.User.FindFirst(ClaimTypes.NameIdentifier)?.Value;
                    return _store.TryGetValue(sessionId, out var entry) && entry.Owner == caller
                        ? ValueTask.FromResult<InitializeRequestParams?>(entry.Params)
                        : ValueTask.FromResult<InitializeRequestParams?>(null);
                }
            }

            public sealed class DelegatingMigration(IOwnerCheck check) : ISessionMigrationHandler
            {
                public ValueTask OnSessionInitializedAsync(HttpContext context, string sessionId, InitializeRequestParams initializeParams, CancellationToken cancellationToken) => default;

                public ValueTask<InitializeRequestParams?> AllowSessionMigrationAsync(HttpContext context, string sessionId, CancellationToken cancellationToken)
                    => check.LoadIfOwnedAsync(context, sessionId);
            }

            public interface IOwnerCheck
            {
                ValueTask<InitializeRequestParams?> LoadIfOwnedAsync(HttpContext context, string sessionId);
            }

            public sealed class RejectingMigration : ISessionMigrationHandler
            {
                public ValueTask OnSessionInitializedAsync(HttpContext context, string sessionId, InitializeRequestParams initializeParams, CancellationToken cancellationToken) => default;

                public ValueTask<InitializeRequestParams?> AllowSessionMigrationAsync(HttpContext context, string sessionId, CancellationToken cancellationToken)
                    => ValueTask.FromResult<InitializeRequestParams?>(null);
            }

            public sealed class DefaultMigration : ISessionMigrationHandler
            {
                public ValueTask OnSessionInitializedAsync(HttpContext context, string sessionId, InitializeRequestParams initializeParams, CancellationToken cancellationToken) => default;

                public ValueTask<InitializeRequestParams?> AllowSessionMigrationAsync(HttpContext context, string sessionId, CancellationToken cancellationToken) => default;
            }

            // Same name, not the SDK interface.
            public sealed class NotAHandler
            {
                public ValueTask<InitializeRequestParams?> AllowSessionMigrationAsync(HttpContext context, string sessionId, CancellationToken cancellationToken)
                    => ValueTask.FromResult<InitializeRequestParams?>(new InitializeRequestParams { ProtocolVersion = "2025-06-18", ClientInfo = new() { Name = "x", Version = "1" }, Capabilities = new() });
            }
            """;
        await Verify.VerifyAsync(source);
    }

    // ------------------------------------------------------------------ robustness

    [Fact]
    public async Task NothingIsReportedWithoutAspNetCoreSessionUse()
    {
        const string source = """
            using ModelContextProtocol.Server;

            [McpServerToolType]
            public static class Tools
            {
                [McpServerTool]
                public static string Echo(string message) => message;
            }
            """;
        await Verify.VerifyAsync(source);
    }

    [Theory]
    [InlineData("""
        using Microsoft.AspNetCore.Http;
        public static class H
        {
            public static string? A(HttpContext ctx) => ctx.Session.GetString(;
            public static string? B(HttpContext ctx) => ctx.Session.GetString(UnknownKey);
            public static object C(HttpContext ctx) => ctx.Request.Headers[];
            public static bool D(HttpContext ctx) { var id = ctx.Request.Headers["Mcp-Session-Id"]; return missing.Contains(id); }
            public static void E(HttpContext ctx) { if (!ctx.Session.TryGetValue("Plan", out var)) return ; }
        }
        """)]
    [InlineData("""
        using Microsoft.AspNetCore.Builder;
        using Microsoft.Extensions.DependencyInjection;
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddAuthentication(o => o.DefaultScheme = ).AddCookie(;
        var app = builder.Build();
        app.MapMcp(
        """)]
    [InlineData("""
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.AspNetCore.Http;
        using ModelContextProtocol.AspNetCore;
        using ModelContextProtocol.Protocol;
        public sealed class M : ISessionMigrationHandler
        {
            public ValueTask<InitializeRequestParams?> AllowSessionMigrationAsync(HttpContext context, string sessionId, CancellationToken cancellationToken);
            public ValueTask<InitializeRequestParams?> AllowSessionMigrationAsync(HttpContext context) { return ; }
        }
        """)]
    public async Task BrokenCodeDoesNotCrash(string source)
    {
        // Half-typed IDE code: compiler errors are expected; the analyzer must neither throw (AD0001) nor report.
        var test = new Verify.Test { TestCode = source, CompilerDiagnostics = CompilerDiagnostics.None };
        test.TestState.OutputKind = source.Contains("WebApplication") ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary;
        await test.RunAsync();
    }

    [Fact]
    public void KeyClassificationIsWordAware()
    {
        Assert.Equal(IdentityKeyKind.UserId, IdentityNames.ClassifyKey("UserId"));
        Assert.Equal(IdentityKeyKind.UserId, IdentityNames.ClassifyKey("user_id"));
        Assert.Equal(IdentityKeyKind.UserId, IdentityNames.ClassifyKey("USER-ID"));
        Assert.Equal(IdentityKeyKind.UserId, IdentityNames.ClassifyKey("userid"));
        Assert.Equal(IdentityKeyKind.UserId, IdentityNames.ClassifyKey("CurrentUser"));
        Assert.Equal(IdentityKeyKind.UserName, IdentityNames.ClassifyKey("UserName"));
        Assert.Equal(IdentityKeyKind.Role, IdentityNames.ClassifyKey("UserRoles"));
        Assert.Equal(IdentityKeyKind.Email, IdentityNames.ClassifyKey("EmailAddress"));
        Assert.Equal(IdentityKeyKind.Upn, IdentityNames.ClassifyKey("upn"));
        Assert.Equal(IdentityKeyKind.Other, IdentityNames.ClassifyKey("IsAdmin"));
        Assert.Equal(IdentityKeyKind.Other, IdentityNames.ClassifyKey("isLoggedIn"));
        Assert.Equal(IdentityKeyKind.Other, IdentityNames.ClassifyKey("Permissions"));
        Assert.Equal(IdentityKeyKind.None, IdentityNames.ClassifyKey("UserTheme"));
        Assert.Equal(IdentityKeyKind.None, IdentityNames.ClassifyKey("Subscription"));
        Assert.Equal(IdentityKeyKind.None, IdentityNames.ClassifyKey("Authority"));
        Assert.Equal(IdentityKeyKind.None, IdentityNames.ClassifyKey("roleplayMode"));
        Assert.Equal(IdentityKeyKind.None, IdentityNames.ClassifyKey(""));
        Assert.True(IdentityNames.CollectionNameSaysIdentity("usersBySessionId"));
        Assert.True(IdentityNames.CollectionNameSaysIdentity("_sessionToUser"));
        Assert.False(IdentityNames.CollectionNameSaysIdentity("_sessionsByUser"));
        Assert.False(IdentityNames.CollectionNameSaysIdentity("_userSessions"));
    }
}
