using System.Threading.Tasks;
using McpAnalyzers.Rules;
using McpAnalyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = McpAnalyzers.Tests.Infrastructure.AnalyzerVerifier<McpAnalyzers.Rules.McpEndpointWithoutAuthorizationAnalyzer>;

namespace McpAnalyzers.Tests.Rules;

public class MCPSEC011McpEndpointWithoutAuthorizationTests
{
    private const string AddProtection = "add RequireAuthorization() or a fallback policy";
    private const string AllowAnonymousOverride = "AllowAnonymous() admits anonymous callers and overrides RequireAuthorization() and the fallback policy; require authorization instead";

    /// <summary>A minimal web app with an HTTP MCP server; <paramref name="body"/> maps the endpoint, <paramref name="types"/> follows the program.</summary>
    internal static string Program(string body, string services = "", string types = "") => $$"""
        using System.ComponentModel;
        using Microsoft.AspNetCore.Authorization;
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Http;
        using Microsoft.AspNetCore.Routing;
        using Microsoft.Extensions.DependencyInjection;
        using ModelContextProtocol.Server;

        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddMcpServer().WithHttpTransport().WithToolsFromAssembly(){{services}};
        var app = builder.Build();
        {{body}}
        app.Run();
        {{types}}
        """;

    // ---- Flagged: unprotected MapMcp

    [Fact]
    public async Task MapMcpWithPatternAndNoAuthorizationIsFlagged()
    {
        await Verify.VerifyProgramAsync(
            Program("""{|#0:app.MapMcp("/mcp")|};"""),
            Verify.Diagnostic("MCPSEC011").WithLocation(0).WithArguments("app.MapMcp(\"/mcp\")", AddProtection));
    }

    [Fact]
    public async Task MapMcpWithoutPatternIsFlagged()
    {
        await Verify.VerifyProgramAsync(
            Program("{|#0:app.MapMcp()|};"),
            Verify.Diagnostic("MCPSEC011").WithLocation(0).WithArguments("app.MapMcp()", AddProtection));
    }

    [Fact]
    public async Task MapMcpOnUnprotectedGroupIsFlaggedAndNamedWithoutTheReceiverChain()
    {
        await Verify.VerifyProgramAsync(
            Program("""
                {|#0:app.MapGroup("/tools")
                    .WithTags("mcp")
                    .MapMcp(  "/mcp" )|};
                """),
            Verify.Diagnostic("MCPSEC011").WithLocation(0).WithArguments("MapMcp(\"/mcp\" )", AddProtection));
    }

    [Fact]
    public async Task MapMcpHeldInLocalWithoutAuthorizationIsFlagged()
    {
        await Verify.VerifyProgramAsync(Program("""
            var mcp = {|MCPSEC011:app.MapMcp("/mcp")|};
            mcp.WithName("mcp");
            """));
    }

    [Fact]
    public async Task RequireAuthorizationOnASiblingEndpointOfTheGroupDoesNotProtectMapMcp()
    {
        await Verify.VerifyProgramAsync(Program("""
            var group = app.MapGroup("/api");
            group.MapGet("/status", () => "ok").RequireAuthorization();
            group.MapGroup("/admin").RequireAuthorization();
            {|MCPSEC011:group.MapMcp("/mcp")|};
            """));
    }

    [Fact]
    public async Task StaticCallFormIsFlagged()
    {
        await Verify.VerifyProgramAsync(Program("""
            {|MCPSEC011:McpEndpointRouteBuilderExtensions.MapMcp(app, "/mcp")|};
            """));
    }

    [Fact]
    public async Task MapMcpInLibraryExtensionOnEndpointRouteBuilderIsFlagged()
    {
        await Verify.VerifyAsync("""
            using Microsoft.AspNetCore.Builder;
            using Microsoft.AspNetCore.Routing;

            public static class McpRoutes
            {
                public static void MapServer(this IEndpointRouteBuilder endpoints) => {|#0:endpoints.MapMcp("/mcp")|};
            }
            """,
            Verify.Diagnostic("MCPSEC011").WithLocation(0).WithArguments("endpoints.MapMcp(\"/mcp\")", AddProtection));
    }

    [Fact]
    public async Task TwoUnprotectedEndpointsAreTwoDiagnostics()
    {
        await Verify.VerifyProgramAsync(Program("""
            {|MCPSEC011:app.MapMcp("/a")|};
            {|MCPSEC011:app.MapMcp("/b")|};
            app.MapMcp("/c").RequireAuthorization();
            """));
    }

    // ---- Not flagged: RequireAuthorization on the endpoint

    [Theory]
    [InlineData("""app.MapMcp("/mcp").RequireAuthorization();""")]
    [InlineData("""app.MapMcp("/mcp").RequireAuthorization("McpPolicy");""")]
    [InlineData("""app.MapMcp("/mcp").RequireAuthorization(p => p.RequireAuthenticatedUser());""")]
    [InlineData("""app.MapMcp().RequireAuthorization(new AuthorizeAttribute { Roles = "mcp" });""")]
    [InlineData("""AuthorizationEndpointConventionBuilderExtensions.RequireAuthorization(app.MapMcp("/mcp"));""")]
    [InlineData("""app.MapMcp("/mcp").WithName("mcp").WithDescription("MCP").RequireAuthorization();""")]
    [InlineData("""(app.MapMcp("/mcp")).RequireAuthorization();""")]
    [InlineData("""app.MapMcp("/mcp").WithMetadata(new AuthorizeAttribute());""")]
    [InlineData("""app.MapMcp("/mcp").WithMetadata("other", new AuthorizeAttribute("McpPolicy"));""")]
    public async Task RequireAuthorizationOnTheEndpointIsNotFlagged(string mapping)
    {
        await Verify.VerifyProgramAsync(Program(mapping));
    }

    [Fact]
    public async Task RequireAuthorizationOnLocalHoldingTheBuilderIsNotFlagged()
    {
        await Verify.VerifyProgramAsync(Program("""
            var mcp = app.MapMcp("/mcp");
            mcp.WithName("mcp");
            mcp.WithTags("mcp").RequireAuthorization();
            """));
    }

    [Fact]
    public async Task RequireAuthorizationOnLocalAssignedLaterIsNotFlagged()
    {
        await Verify.VerifyProgramAsync(Program("""
            IEndpointConventionBuilder mcp;
            mcp = app.MapMcp("/mcp");
            var same = mcp;
            same.RequireAuthorization();
            """));
    }

    // ---- Not flagged: RequireAuthorization on the route group

    [Theory]
    [InlineData("""app.MapGroup("/tools").RequireAuthorization().MapMcp();""")]
    [InlineData("""app.MapGroup("/tools").RequireAuthorization("McpPolicy").WithTags("mcp").MapMcp("/mcp");""")]
    [InlineData("""app.MapGroup("/api").RequireAuthorization().MapGroup("/tools").MapMcp("/mcp");""")]
    [InlineData("""app.MapGroup("/tools").WithMetadata(new AuthorizeAttribute()).MapMcp();""")]
    public async Task RequireAuthorizationOnTheGroupIsNotFlagged(string mapping)
    {
        await Verify.VerifyProgramAsync(Program(mapping));
    }

    [Fact]
    public async Task RequireAuthorizationOnGroupLocalIsNotFlagged()
    {
        await Verify.VerifyProgramAsync(Program("""
            var group = app.MapGroup("/tools");
            group.MapMcp("/mcp");
            group.RequireAuthorization();
            """));
    }

    [Fact]
    public async Task GroupLocalInitializedWithRequireAuthorizationIsNotFlagged()
    {
        await Verify.VerifyProgramAsync(Program("""
            var secured = app.MapGroup("/api").RequireAuthorization();
            var tools = secured.MapGroup("/tools");
            tools.MapMcp("/mcp");
            """));
    }

    // ---- Not flagged: the builder or group leaves the analysed code

    [Fact]
    public async Task BuilderReturnedToTheCallerIsNotFlagged()
    {
        await Verify.VerifyAsync("""
            using Microsoft.AspNetCore.Builder;
            using Microsoft.AspNetCore.Routing;

            public static class McpRoutes
            {
                public static IEndpointConventionBuilder MapServer(this IEndpointRouteBuilder endpoints) => endpoints.MapMcp("/mcp");
            }
            """);
    }

    [Fact]
    public async Task GroupHandedInByTheCallerIsNotFlagged()
    {
        await Verify.VerifyAsync("""
            using Microsoft.AspNetCore.Builder;
            using Microsoft.AspNetCore.Routing;

            public static class McpRoutes
            {
                public static void MapServer(RouteGroupBuilder group) => group.MapMcp("/mcp");
            }
            """);
    }

    [Fact]
    public async Task BuilderPassedToProjectHelperIsNotFlagged()
    {
        await Verify.VerifyProgramAsync(Program(
            """Security.Protect(app.MapMcp("/mcp"));""",
            types: """
                static class Security
                {
                    public static void Protect(IEndpointConventionBuilder endpoint) => endpoint.RequireAuthorization();
                }
                """));
    }

    [Fact]
    public async Task ProjectHelperCalledOnTheApplicationDoesNotHideTheEndpoint()
    {
        await Verify.VerifyProgramAsync(Program(
            """
            app.UseStatusPages();
            {|MCPSEC011:app.MapMcp("/mcp")|};
            """,
            types: """
                static class AppExtensions
                {
                    public static WebApplication UseStatusPages(this WebApplication app) => app;
                }
                """));
    }

    // ---- Fallback authorization policy (anywhere in the compilation)

    [Theory]
    [InlineData(".AddAuthorization(o => o.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())")]
    [InlineData(".AddAuthorization(o => { o.FallbackPolicy ??= o.DefaultPolicy; })")]
    [InlineData(".AddAuthorizationBuilder().SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())")]
    public async Task FallbackPolicyIsNotFlagged(string configuration)
    {
        await Verify.VerifyProgramAsync(Program(
            """app.MapMcp("/mcp");""",
            types: $$"""
                static class Registration
                {
                    public static void Configure(IServiceCollection services) => services{{configuration}};
                }
                """));
    }

    [Fact]
    public async Task FallbackPolicyInAnotherFileIsNotFlagged()
    {
        var test = new AnalyzerVerifier<McpEndpointWithoutAuthorizationAnalyzer>.Test();
        test.TestState.OutputKind = OutputKind.ConsoleApplication;
        test.TestState.Sources.Add(("/Program.cs", Program("""app.MapMcp("/mcp");""")));
        test.TestState.Sources.Add(("/AuthSetup.cs", """
            using Microsoft.AspNetCore.Authorization;
            using Microsoft.Extensions.DependencyInjection;

            public static class AuthSetup
            {
                public static IServiceCollection AddSecureDefaults(this IServiceCollection services)
                    => services.AddAuthorization(options =>
                    {
                        options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
                    });
            }
            """));
        await test.RunAsync();
    }

    [Theory]
    [InlineData(".AddAuthorization(o => o.FallbackPolicy = null)")]
    [InlineData(".AddAuthorization(o => o.FallbackPolicy = default)")]
    [InlineData(".AddAuthorizationBuilder().SetFallbackPolicy(null)")]
    [InlineData(".AddAuthorization(o => o.DefaultPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())")]
    public async Task NullFallbackPolicyOrOnlyDefaultPolicyIsFlagged(string configuration)
    {
        // A null fallback policy is the framework default: it lets endpoints without metadata through.
        await Verify.VerifyProgramAsync(Program("""{|MCPSEC011:app.MapMcp("/mcp")|};""", services: $"; builder.Services{configuration}"));
    }

    // ---- Authorization filters with [Authorize] on every tool type

    private const string AuthorizedToolTypes = """

        [McpServerToolType, Authorize]
        public sealed class AdminTools
        {
            [McpServerTool, Description("Deletes a user.")]
            public static string DeleteUser(string name) => name;
        }

        [McpServerToolType]
        public sealed class ReportTools
        {
            [McpServerTool, Authorize(Roles = "reports")]
            public static string Report(string id) => id;

            [McpServerTool, Authorize]
            public static string Summary() => "summary";

            public static string NotATool() => "helper";
        }

        [Authorize]
        public abstract class SecuredTools { }

        public sealed class DerivedTools : SecuredTools
        {
            [McpServerTool]
            public static string Inherited() => "inherited";
        }
        """;

    [Fact]
    public async Task AuthorizationFiltersWithAuthorizeOnEveryToolTypeAreNotFlagged()
    {
        await Verify.VerifyProgramAsync(Program("""app.MapMcp("/mcp");""", services: ".AddAuthorizationFilters()", types: AuthorizedToolTypes));
    }

    [Fact]
    public async Task AuthorizationFiltersWithOneUnauthorizedToolTypeAreFlagged()
    {
        await Verify.VerifyProgramAsync(Program(
            """{|MCPSEC011:app.MapMcp("/mcp")|};""",
            services: ".AddAuthorizationFilters()",
            types: AuthorizedToolTypes + """

                [McpServerToolType]
                public sealed class EchoTools
                {
                    [McpServerTool, Authorize]
                    public static string Echo(string message) => message;

                    [McpServerTool]
                    public static string Open(string message) => message;
                }
                """));
    }

    [Fact]
    public async Task AuthorizationFiltersWithAnonymousToolAreFlagged()
    {
        await Verify.VerifyProgramAsync(Program(
            """{|MCPSEC011:app.MapMcp("/mcp")|};""",
            services: ".AddAuthorizationFilters()",
            types: """

                [McpServerToolType, Authorize]
                public sealed class EchoTools
                {
                    [McpServerTool, AllowAnonymous]
                    public static string Echo(string message) => message;
                }
                """));
    }

    [Fact]
    public async Task AuthorizationFiltersWithUnauthorizedPromptTypeAreFlagged()
    {
        await Verify.VerifyProgramAsync(Program(
            """{|MCPSEC011:app.MapMcp("/mcp")|};""",
            services: ".AddAuthorizationFilters()",
            types: AuthorizedToolTypes + """

                [McpServerPromptType]
                public sealed class Prompts
                {
                    [McpServerPrompt]
                    public static string Greeting(string name) => name;
                }
                """));
    }

    [Fact]
    public async Task AuthorizeOnEveryToolTypeWithoutAuthorizationFiltersIsFlagged()
    {
        await Verify.VerifyProgramAsync(Program("""{|MCPSEC011:app.MapMcp("/mcp")|};""", types: AuthorizedToolTypes));
    }

    [Fact]
    public async Task AuthorizationFiltersWithoutAnyToolTypeInTheCompilationAreFlagged()
    {
        await Verify.VerifyProgramAsync(Program("""{|MCPSEC011:app.MapMcp("/mcp")|};""", services: ".AddAuthorizationFilters()"));
    }

    // ---- AllowAnonymous

    [Fact]
    public async Task AllowAnonymousOnTheEndpointIsFlaggedAtAllowAnonymous()
    {
        await Verify.VerifyProgramAsync(
            Program("""{|#0:app.MapMcp("/mcp").AllowAnonymous()|};"""),
            Verify.Diagnostic("MCPSEC011").WithLocation(0).WithArguments("app.MapMcp(\"/mcp\")", AllowAnonymousOverride));
    }

    [Fact]
    public async Task AllowAnonymousWinsOverRequireAuthorizationAndFallbackPolicy()
    {
        await Verify.VerifyProgramAsync(Program(
            """{|MCPSEC011:app.MapMcp("/mcp").RequireAuthorization().WithName("mcp").AllowAnonymous()|};""",
            services: "; builder.Services.AddAuthorizationBuilder().SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())"));
    }

    [Fact]
    public async Task AllowAnonymousOnLocalIsFlaggedOnce()
    {
        await Verify.VerifyProgramAsync(Program("""
            var mcp = app.MapMcp("/mcp");
            mcp.RequireAuthorization();
            {|MCPSEC011:mcp.AllowAnonymous()|};
            """));
    }

    [Fact]
    public async Task AllowAnonymousOnTheGroupIsFlaggedOnceForAllItsEndpoints()
    {
        await Verify.VerifyProgramAsync(Program("""
            var group = {|MCPSEC011:app.MapGroup("/tools").AllowAnonymous()|};
            group.MapMcp("/a").RequireAuthorization();
            group.MapMcp("/b");
            """));
    }

    [Fact]
    public async Task AllowAnonymousMetadataIsFlagged()
    {
        await Verify.VerifyProgramAsync(
            Program("""{|#0:app.MapMcp("/mcp").RequireAuthorization().WithMetadata(new AllowAnonymousAttribute())|};"""),
            Verify.Diagnostic("MCPSEC011").WithLocation(0).WithArguments(
                "app.MapMcp(\"/mcp\")",
                "AllowAnonymous metadata admits anonymous callers and overrides RequireAuthorization() and the fallback policy; require authorization instead"));
    }

    [Fact]
    public async Task AllowAnonymousOnAnotherEndpointIsNotFlagged()
    {
        await Verify.VerifyProgramAsync(Program("""
            app.MapGet("/health", () => "ok").AllowAnonymous();
            app.MapMcp("/mcp").RequireAuthorization();
            """));
    }

    // ---- Look-alikes and broken code

    [Fact]
    public async Task LookAlikeMapMcpFromAnotherNamespaceIsNotFlagged()
    {
        await Verify.VerifyProgramAsync("""
            using Contoso.Mcp;

            var app = Microsoft.AspNetCore.Builder.WebApplication.CreateBuilder(args).Build();
            app.MapMcp("/mcp");
            app.Run();

            namespace Contoso.Mcp
            {
                using Microsoft.AspNetCore.Builder;
                using Microsoft.AspNetCore.Routing;

                public static class McpEndpointRouteBuilderExtensions
                {
                    public static IEndpointConventionBuilder MapMcp(this IEndpointRouteBuilder endpoints, string pattern)
                        => endpoints.MapGet(pattern, () => "not MCP");
                }
            }
            """);
    }

    [Theory]
    [InlineData("""app.MapMcp("/mcp".RequireAuthorization();""")]
    [InlineData("""{|MCPSEC011:app.MapMcp(|};""")]
    [InlineData("""app.MapMcp("/mcp").RequireAuthorization(;""")]
    [InlineData("""app.MapMcp("/mcp", 42);""")]
    [InlineData("""missing.MapMcp("/mcp");""")]
    [InlineData("""var g = app.MapGroup(; {|MCPSEC011:g.MapMcp()|}; g.RequireAuthorization(""")]
    [InlineData("""{|MCPSEC011:app.MapMcp("/mcp").AllowAnonymous(|};""")]
    [InlineData("""app.MapMcp("/mcp").WithMetadata(new AuthorizeAttribute(, new;""")]
    [InlineData("""{|MCPSEC011:app.MapMcp("/mcp")|}""")]
    [InlineData("""var mcp = {|MCPSEC011:app.MapMcp("/mcp")|}; mcp.""")]
    public async Task IncompleteMappingDoesNotCrash(string body)
    {
        // Compiler errors are expected; the point is that the analyzer does not throw (AD0001 fails the test)
        // and still reports what it can see.
        await VerifyIgnoringCompilerErrors(Program(body));
    }

    [Theory]
    [InlineData(".AddAuthorizationFilters(", "", true)]
    [InlineData("; builder.Services.AddAuthorizationBuilder().SetFallbackPolicy(", "", true)]
    [InlineData("; builder.Services.AddAuthorization(o => o.FallbackPolicy = ", "", false)] // a half-typed value counts as a policy
    [InlineData(".AddAuthorizationFilters()", "[McpServerToolType, Authorize(] class Broken { [McpServerTool] public static string X( => ; }", false)]
    [InlineData(".AddAuthorizationFilters()", "class Broken : Missing { [McpServerTool, Authorize] public string X() => Undefined; }", false)]
    [InlineData(".AddAuthorizationFilters()", "class Broken : Missing { [McpServerTool] public string X() => Undefined; }", true)]
    public async Task IncompleteConfigurationDoesNotCrash(string services, string types, bool flagged)
    {
        var mapping = flagged ? """{|MCPSEC011:app.MapMcp("/mcp")|};""" : """app.MapMcp("/mcp");""";
        await VerifyIgnoringCompilerErrors(Program(mapping, services, types));
    }

    private static async Task VerifyIgnoringCompilerErrors(string source)
    {
        var test = new AnalyzerVerifier<McpEndpointWithoutAuthorizationAnalyzer>.Test
        {
            TestCode = source,
            CompilerDiagnostics = CompilerDiagnostics.None,
        };
        test.TestState.OutputKind = OutputKind.ConsoleApplication;
        await test.RunAsync();
    }
}
