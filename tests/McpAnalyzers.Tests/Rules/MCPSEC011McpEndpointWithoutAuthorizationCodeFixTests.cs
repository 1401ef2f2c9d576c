using System.Threading.Tasks;
using McpAnalyzers.CodeFixes;
using McpAnalyzers.Rules;
using McpAnalyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using static McpAnalyzers.Tests.Rules.MCPSEC011McpEndpointWithoutAuthorizationTests;

namespace McpAnalyzers.Tests.Rules;

public class MCPSEC011McpEndpointWithoutAuthorizationCodeFixTests
{
    [Theory]
    [InlineData("""{|MCPSEC011:app.MapMcp("/mcp")|};""", """app.MapMcp("/mcp").RequireAuthorization();""")]
    [InlineData("""{|MCPSEC011:app.MapMcp()|};""", """app.MapMcp().RequireAuthorization();""")]
    [InlineData("""{|MCPSEC011:app.MapMcp("/mcp")|}; // the MCP endpoint""", """app.MapMcp("/mcp").RequireAuthorization(); // the MCP endpoint""")]
    [InlineData("""/* MCP */ {|MCPSEC011:app.MapMcp("/mcp")|} /* here */;""", """/* MCP */ app.MapMcp("/mcp").RequireAuthorization() /* here */;""")]
    [InlineData("""{|MCPSEC011:app.MapMcp("/mcp")|}.WithName("mcp");""", """app.MapMcp("/mcp").RequireAuthorization().WithName("mcp");""")]
    [InlineData("""var mcp = {|MCPSEC011:app.MapMcp("/mcp")|};""", """var mcp = app.MapMcp("/mcp").RequireAuthorization();""")]
    [InlineData("""{|MCPSEC011:McpEndpointRouteBuilderExtensions.MapMcp(app, "/mcp")|};""", """McpEndpointRouteBuilderExtensions.MapMcp(app, "/mcp").RequireAuthorization();""")]
    public async Task AppendsRequireAuthorization(string mapping, string fixedMapping)
    {
        await VerifyFixAsync(OutputKind.ConsoleApplication, Program(mapping), Program(fixedMapping));
    }

    [Fact]
    public async Task MultiLineChainGetsRequireAuthorizationOnItsOwnLine()
    {
        await VerifyFixAsync(OutputKind.ConsoleApplication, 
            Program("""
                {|MCPSEC011:app.MapGroup("/tools")
                    .WithTags("mcp")
                    .MapMcp("/mcp")|};
                """),
            Program("""
                app.MapGroup("/tools")
                    .WithTags("mcp")
                    .MapMcp("/mcp")
                    .RequireAuthorization();
                """));
    }

    [Fact]
    public async Task MultiLineChainContinuingAfterMapMcpKeepsItsLayout()
    {
        await VerifyFixAsync(OutputKind.ConsoleApplication, 
            Program("""
                {|MCPSEC011:app
                    .MapMcp("/mcp")|}   // endpoint
                    .WithName("mcp");
                """),
            Program("""
                app
                    .MapMcp("/mcp")
                    .RequireAuthorization()   // endpoint
                    .WithName("mcp");
                """));
    }

    [Fact]
    public async Task ReplacesAllowAnonymousOnTheEndpoint()
    {
        await VerifyFixAsync(OutputKind.ConsoleApplication, 
            Program("""
                {|MCPSEC011:app.MapMcp("/mcp")
                    .AllowAnonymous()|}; // open for now
                """),
            Program("""
                app.MapMcp("/mcp")
                    .RequireAuthorization(); // open for now
                """));
    }

    [Fact]
    public async Task ReplacesAllowAnonymousOnTheGroupAndOnALocal()
    {
        // Two diagnostics with one equivalence key: also the FixAll test of this fix.
        await VerifyFixAsync(OutputKind.ConsoleApplication, 
            Program("""
                var group = {|MCPSEC011:app.MapGroup("/tools").AllowAnonymous()|};
                group.MapMcp("/a");
                var mcp = group.MapMcp("/b");
                {|MCPSEC011:mcp.AllowAnonymous()|};
                """),
            Program("""
                var group = app.MapGroup("/tools").RequireAuthorization();
                group.MapMcp("/a");
                var mcp = group.MapMcp("/b");
                mcp.RequireAuthorization();
                """));
    }

    [Fact]
    public async Task AllowAnonymousMetadataHasNoAutomaticFix()
    {
        // Which metadata to keep is the author's call: the diagnostic stands, no fix is offered.
        var source = Program("""{|MCPSEC011:app.MapMcp("/mcp").WithMetadata(new AllowAnonymousAttribute())|};""");
        await VerifyFixAsync(OutputKind.ConsoleApplication, source, source);
    }

    [Fact]
    public async Task FixAllProtectsEveryEndpointInTheFile()
    {
        await VerifyFixAsync(OutputKind.ConsoleApplication, 
            Program("""
                {|MCPSEC011:app.MapMcp("/a")|};
                var b = {|MCPSEC011:app.MapMcp("/b")|};
                {|MCPSEC011:app.MapGroup("/c")
                    .MapMcp()|};
                """),
            Program("""
                app.MapMcp("/a").RequireAuthorization();
                var b = app.MapMcp("/b").RequireAuthorization();
                app.MapGroup("/c")
                    .MapMcp()
                    .RequireAuthorization();
                """));
    }

    [Fact]
    public async Task AddsTheBuilderNamespaceWhenRequireAuthorizationWouldNotBind()
    {
        await VerifyFixAsync(OutputKind.ConsoleApplication, 
            """
            using System;

            var app = Microsoft.AspNetCore.Builder.WebApplication.CreateBuilder(args).Build();
            {|MCPSEC011:Microsoft.AspNetCore.Builder.McpEndpointRouteBuilderExtensions.MapMcp(app, "/mcp")|};
            Console.WriteLine("started");
            """,
            """
            using System;
            using Microsoft.AspNetCore.Builder;

            var app = Microsoft.AspNetCore.Builder.WebApplication.CreateBuilder(args).Build();
            Microsoft.AspNetCore.Builder.McpEndpointRouteBuilderExtensions.MapMcp(app, "/mcp").RequireAuthorization();
            Console.WriteLine("started");
            """);
    }

    [Fact]
    public async Task DoesNotAddAUsingThatAGlobalUsingAlreadyProvides()
    {
        var test = new CodeFixVerifier<McpEndpointWithoutAuthorizationAnalyzer, McpEndpointWithoutAuthorizationCodeFixProvider>.Test
        {
            CodeFixTestBehaviors = CodeFixTestBehaviors.SkipLocalDiagnosticCheck,
        };
        const string globalUsings = "global using Microsoft.AspNetCore.Builder;\n";
        test.TestState.OutputKind = OutputKind.ConsoleApplication;
        test.TestState.Sources.Add(("/GlobalUsings.cs", globalUsings));
        test.TestState.Sources.Add(("/Program.cs", """
            var app = WebApplication.CreateBuilder(args).Build();
            {|MCPSEC011:app.MapMcp("/mcp")|};
            """));
        test.FixedState.OutputKind = OutputKind.ConsoleApplication;
        test.FixedState.Sources.Add(("/GlobalUsings.cs", globalUsings));
        test.FixedState.Sources.Add(("/Program.cs", """
            var app = WebApplication.CreateBuilder(args).Build();
            app.MapMcp("/mcp").RequireAuthorization();
            """));
        await test.RunAsync();
    }

    [Fact]
    public async Task FixedLibraryCodeCompiles()
    {
        await VerifyFixAsync(OutputKind.DynamicallyLinkedLibrary, 
            """
            using Microsoft.AspNetCore.Builder;
            using Microsoft.AspNetCore.Routing;

            public static class McpRoutes
            {
                public static void MapServer(this IEndpointRouteBuilder endpoints)
                {
                    {|MCPSEC011:endpoints.MapMcp("/mcp")|};
                }
            }
            """,
            """
            using Microsoft.AspNetCore.Builder;
            using Microsoft.AspNetCore.Routing;

            public static class McpRoutes
            {
                public static void MapServer(this IEndpointRouteBuilder endpoints)
                {
                    endpoints.MapMcp("/mcp").RequireAuthorization();
                }
            }
            """);
    }

    /// <summary>
    /// MCPSEC011 is a compilation-end diagnostic (a fallback policy anywhere in the compilation clears it), so
    /// it is non-local: the IDE offers the fix where the diagnostic was already computed (build, full solution
    /// analysis, dotnet format). The testing library's check that fixes target local diagnostics is skipped for that reason.
    /// </summary>
    private static async Task VerifyFixAsync(OutputKind outputKind, string source, string fixedSource)
    {
        var test = new CodeFixVerifier<McpEndpointWithoutAuthorizationAnalyzer, McpEndpointWithoutAuthorizationCodeFixProvider>.Test
        {
            TestCode = source,
            FixedCode = fixedSource,
            CodeFixTestBehaviors = CodeFixTestBehaviors.SkipLocalDiagnosticCheck,
        };
        test.TestState.OutputKind = outputKind;
        test.FixedState.OutputKind = outputKind;
        await test.RunAsync();
    }
}
