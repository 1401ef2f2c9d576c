using System.Threading.Tasks;
using McpAnalyzers.CodeFixes;
using McpAnalyzers.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = McpAnalyzers.Tests.Infrastructure.CodeFixVerifier<McpAnalyzers.Rules.SessionAsAuthenticationAnalyzer, McpAnalyzers.CodeFixes.SessionAsAuthenticationCodeFixProvider>;

namespace McpAnalyzers.Tests.Rules;

/// <summary>MCPSEC004 code fixes: session identity → HttpContext.User claim; cookie-protected MapMcp → bearer scheme required.</summary>
public class MCPSEC004SessionAsAuthenticationCodeFixTests
{
    [Fact]
    public async Task UserIdReadBecomesNameIdentifierClaim()
    {
        const string source = """
            using Microsoft.AspNetCore.Http;
            using ModelContextProtocol.Server;

            [McpServerToolType]
            public sealed class AccountTools(IHttpContextAccessor accessor)
            {
                [McpServerTool]
                public string WhoAmI() => {|MCPSEC004:accessor.HttpContext!.Session.GetString("UserId")|} ?? "anonymous";
            }
            """;
        const string fixedSource = """
            using System.Security.Claims;
            using Microsoft.AspNetCore.Http;
            using ModelContextProtocol.Server;

            [McpServerToolType]
            public sealed class AccountTools(IHttpContextAccessor accessor)
            {
                [McpServerTool]
                public string WhoAmI() => accessor.HttpContext!.User.FindFirst(ClaimTypes.NameIdentifier)?.Value ?? "anonymous";
            }
            """;
        await Verify.VerifyFixAsync(source, fixedSource);
    }

    [Fact]
    public async Task FixAllPicksTheClaimFromTheKey()
    {
        const string source = """
            using Microsoft.AspNetCore.Http;

            public static class Profile
            {
                public static string Describe(HttpContext ctx, IHttpContextAccessor accessor)
                {
                    var name = {|MCPSEC004:ctx.Session.GetString("UserName")|};
                    var role = {|MCPSEC004:ctx.Session.GetString("Role")|};
                    var email = {|MCPSEC004:ctx.Session.GetString("Email")|};
                    var upn = {|MCPSEC004:ctx.Session.GetString("upn")|};
                    var id = accessor.HttpContext?{|MCPSEC004:.Session.GetString("user_id")|};
                    var length = {|MCPSEC004:ctx.Session.GetString("sub")|}.Length;
                    return $"{name}{role}{email}{upn}{id}{length}";
                }
            }
            """;
        const string fixedSource = """
            using System.Security.Claims;
            using Microsoft.AspNetCore.Http;

            public static class Profile
            {
                public static string Describe(HttpContext ctx, IHttpContextAccessor accessor)
                {
                    var name = ctx.User.FindFirst(ClaimTypes.Name)?.Value;
                    var role = ctx.User.FindFirst(ClaimTypes.Role)?.Value;
                    var email = ctx.User.FindFirst(ClaimTypes.Email)?.Value;
                    var upn = ctx.User.FindFirst(ClaimTypes.Upn)?.Value;
                    var id = accessor.HttpContext?.User.FindFirst(ClaimTypes.NameIdentifier)?.Value;
                    var length = (ctx.User.FindFirst(ClaimTypes.NameIdentifier)?.Value).Length;
                    return $"{name}{role}{email}{upn}{id}{length}";
                }
            }
            """;
        await Verify.VerifyFixAsync(source, fixedSource);
    }

    [Fact]
    public async Task MinimalApiReadIsFixedInProgram()
    {
        const string source = """
            using Microsoft.AspNetCore.Builder;
            using Microsoft.AspNetCore.Http;

            var app = WebApplication.CreateBuilder(args).Build();
            app.MapGet("/me", (HttpContext ctx) => {|MCPSEC004:ctx.Session.GetString("UserId")|});
            app.Run();
            """;
        const string fixedSource = """
            using System.Security.Claims;
            using Microsoft.AspNetCore.Builder;
            using Microsoft.AspNetCore.Http;

            var app = WebApplication.CreateBuilder(args).Build();
            app.MapGet("/me", (HttpContext ctx) => ctx.User.FindFirst(ClaimTypes.NameIdentifier)?.Value);
            app.Run();
            """;
        await Verify.VerifyProgramFixAsync(source, fixedSource);
    }

    [Fact]
    public async Task NonStringReadsPermissionKeysAndForeignSessionsGetNoFix()
    {
        const string source = """
            using Microsoft.AspNetCore.Http;

            public static class Handlers
            {
                public static string Handle(HttpContext ctx, ISession session)
                {
                    var id = {|MCPSEC004:ctx.Session.GetInt32("UserId")|};
                    var admin = {|MCPSEC004:ctx.Session.GetString("IsAdmin")|};
                    var viaParameter = {|MCPSEC004:session.GetString("UserId")|};
                    var bytes = {|MCPSEC004:ctx.Session.Get("UserId")|};
                    return $"{id}{admin}{viaParameter}{bytes}";
                }
            }
            """;
        await Verify.VerifyFixAsync(source, source);
    }

    [Fact]
    public async Task CookieProtectedMapMcpRequiresBearerScheme()
    {
        const string source = """
            using Microsoft.AspNetCore.Authentication.Cookies;
            using Microsoft.AspNetCore.Builder;
            using Microsoft.Extensions.DependencyInjection;

            var builder = WebApplication.CreateBuilder(args);
            {|MCPSEC004:builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)|}
                .AddCookie()
                .AddJwtBearer();
            builder.Services.AddMcpServer().WithHttpTransport();
            var app = builder.Build();
            app.MapMcp("/mcp");
            app.MapMcp("/admin/mcp").RequireAuthorization();
            app.Run();
            """;
        const string fixedSource = """
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
            app.MapMcp("/admin/mcp").RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = JwtBearerDefaults.AuthenticationScheme }).RequireAuthorization();
            app.Run();
            """;
        await RunCompilationEndFixAsync(source, fixedSource);
    }

    [Fact]
    public async Task CookieSchemeInAnotherDocumentThanMapMcpGetsNoFix()
    {
        var test = new Verify.Test
        {
            CodeFixTestBehaviors = CodeFixTestBehaviors.SkipLocalDiagnosticCheck,
            TestState =
            {
                Sources =
                {
                    ("Auth.cs", """
                        using Microsoft.Extensions.DependencyInjection;

                        public static class Auth
                        {
                            public static void Configure(IServiceCollection services)
                                => {|MCPSEC004:services.AddAuthentication("Cookies")|}.AddCookie();
                        }
                        """),
                    ("Endpoints.cs", """
                        using Microsoft.AspNetCore.Builder;

                        public static class Endpoints
                        {
                            public static void Map(WebApplication app) => app.MapMcp("/mcp");
                        }
                        """),
                },
            },
        };
        test.FixedState.Sources.Add(test.TestState.Sources[0]);
        test.FixedState.Sources.Add(test.TestState.Sources[1]);
        await test.RunAsync();
    }

    /// <summary>
    /// The cookie-scheme diagnostic comes from a compilation-end action (it needs the whole app), which the
    /// testing library calls non-local; the fix still applies to the reported document.
    /// </summary>
    private static Task RunCompilationEndFixAsync(string source, string fixedSource)
    {
        var test = new Verify.Test
        {
            TestCode = source,
            FixedCode = fixedSource,
            CodeFixTestBehaviors = CodeFixTestBehaviors.SkipLocalDiagnosticCheck,
        };
        test.TestState.OutputKind = OutputKind.ConsoleApplication;
        test.FixedState.OutputKind = OutputKind.ConsoleApplication;
        return test.RunAsync();
    }

    [Fact]
    public void FixIsRegisteredForTheRule()
    {
        var provider = new SessionAsAuthenticationCodeFixProvider();
        Assert.Contains(RuleIds.SessionUsedAsAuthentication, provider.FixableDiagnosticIds);
        Assert.NotNull(provider.GetFixAllProvider());
        Assert.Equal("MCPSEC004", new SessionAsAuthenticationAnalyzer().SupportedDiagnostics[0].Id);
    }
}
