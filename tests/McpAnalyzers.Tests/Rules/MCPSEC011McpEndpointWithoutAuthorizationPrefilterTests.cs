using System.Threading.Tasks;
using McpAnalyzers.Rules;
using McpAnalyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;
using static McpAnalyzers.Tests.Rules.MCPSEC011McpEndpointWithoutAuthorizationTests;
using Verify = McpAnalyzers.Tests.Infrastructure.AnalyzerVerifier<McpAnalyzers.Rules.McpEndpointWithoutAuthorizationAnalyzer>;

namespace McpAnalyzers.Tests.Rules;

/// <summary>
/// MCPSEC011's text pre-filters: each compilation-wide fact is collected in its own file (SetFallbackPolicy,
/// AddAuthorizationFilters, the [Authorize] tool types), apart from MapMcp; a Unicode-escaped MapMcp is still seen.
/// </summary>
public class MCPSEC011McpEndpointWithoutAuthorizationPrefilterTests
{
    private static async Task VerifyFilesAsync(string program, params (string Name, string Text)[] others)
    {
        var test = new AnalyzerVerifier<McpEndpointWithoutAuthorizationAnalyzer>.Test();
        test.TestState.OutputKind = OutputKind.ConsoleApplication;
        test.TestState.Sources.Add(("/Program.cs", program));
        foreach (var other in others)
        {
            test.TestState.Sources.Add(("/" + other.Name, other.Text));
        }

        await test.RunAsync();
    }

    [Fact]
    public Task SetFallbackPolicyInAnotherFile_IsNotFlagged() => VerifyFilesAsync(
        Program("""app.MapMcp("/mcp");""", services: "; builder.Services.AddSecureDefaults()"),
        ("AuthSetup.cs", """
            using Microsoft.AspNetCore.Authorization;
            using Microsoft.Extensions.DependencyInjection;

            public static class AuthSetup
            {
                public static IServiceCollection AddSecureDefaults(this IServiceCollection services)
                {
                    services.AddAuthorizationBuilder().SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
                    return services;
                }
            }
            """));

    private const string AuthorizationFiltersSetup = """
        using Microsoft.Extensions.DependencyInjection;

        public static class McpSetup
        {
            public static IMcpServerBuilder AddFilters(this IMcpServerBuilder builder) => builder.AddAuthorizationFilters();
        }
        """;

    [Fact]
    public Task AuthorizationFiltersAndAuthorizedToolsInOtherFiles_AreNotFlagged() => VerifyFilesAsync(
        Program("""app.MapMcp("/mcp");""", services: ".AddFilters()"),
        ("McpSetup.cs", AuthorizationFiltersSetup),
        ("Tools.cs", """
            using System.ComponentModel;
            using Microsoft.AspNetCore.Authorization;
            using ModelContextProtocol.Server;

            [McpServerToolType, Authorize]
            public sealed class AdminTools
            {
                [McpServerTool, Description("Deletes a user.")]
                public static string DeleteUser(string name) => name;
            }
            """));

    [Fact]
    public Task AuthorizationFiltersWithAnUnauthorizedToolTypeInAnotherFile_AreFlagged() => VerifyFilesAsync(
        Program("""{|MCPSEC011:app.MapMcp("/mcp")|};""", services: ".AddFilters()"),
        ("McpSetup.cs", AuthorizationFiltersSetup),
        ("Tools.cs", """
            using ModelContextProtocol.Server;

            [McpServerToolType]
            public sealed class OpenTools
            {
                [McpServerTool]
                public static string Echo(string text) => text;
            }
            """));

    [Fact]
    public Task UnicodeEscapedMapMcp_IsFlagged() => Verify.VerifyProgramAsync(Program("""{|MCPSEC011:app.M\u0061pMcp("/mcp")|};"""));
}
