using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace McpAnalyzers.Tests.Infrastructure;

/// <summary>
/// Proves the test references are the real SDK: a complete ASP.NET Core MCP server with JwtBearer
/// and Microsoft.Identity.Web compiles with no compiler error (the verifier fails on any).
/// </summary>
public class RealSdkCompilationTests
{
    [Fact]
    public async Task RealMcpServerCompilesWithoutErrors()
    {
        var test = new CSharpAnalyzerTest<EmptyAnalyzer, DefaultVerifier>
        {
            TestCode = """
                using System.ComponentModel;
                using Microsoft.AspNetCore.Authentication.JwtBearer;
                using Microsoft.AspNetCore.Builder;
                using Microsoft.Extensions.DependencyInjection;
                using Microsoft.Identity.Web;
                using ModelContextProtocol.AspNetCore.Authentication;
                using ModelContextProtocol.Authentication;
                using ModelContextProtocol.Server;

                var builder = WebApplication.CreateBuilder(args);
                builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
                    .AddJwtBearer(o => o.TokenValidationParameters.ValidateAudience = true)
                    .AddMcp(o => o.ResourceMetadata = new ProtectedResourceMetadata { Resource = "https://mcp.example.com/" });
                builder.Services.AddAuthorization();
                builder.Services.AddMcpServer().WithHttpTransport().WithTools<EchoTools>();
                var app = builder.Build();
                app.UseAuthentication();
                app.UseAuthorization();
                app.MapMcp("/mcp").RequireAuthorization();
                app.Run();

                [McpServerToolType]
                public sealed class EchoTools
                {
                    [McpServerTool, Description("Echoes the message.")]
                    public static string Echo(string message, ITokenAcquisition tokens) => message;
                }
                """,
            ReferenceAssemblies = TestReferences.ReferenceAssemblies,
        };
        test.TestState.AdditionalReferences.AddRange(TestReferences.All);
        test.TestState.OutputKind = OutputKind.ConsoleApplication;
        await test.RunAsync();
    }

    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class EmptyAnalyzer : DiagnosticAnalyzer
    {
        public override System.Collections.Immutable.ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => System.Collections.Immutable.ImmutableArray<DiagnosticDescriptor>.Empty;

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze | GeneratedCodeAnalysisFlags.ReportDiagnostics);
            context.EnableConcurrentExecution();
        }
    }
}
