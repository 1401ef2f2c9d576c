using System.Threading.Tasks;
using McpAnalyzers.Rules;
using McpAnalyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;
using Verify = McpAnalyzers.Tests.Infrastructure.AnalyzerVerifier<McpAnalyzers.Rules.SessionAsAuthenticationAnalyzer>;

namespace McpAnalyzers.Tests.Rules;

/// <summary>
/// MCPSEC004's text pre-filters skip blocks whose file spells no source and scheme facts whose file spells no
/// configuration member. These cases keep a needed fact in another file (the header-name constant or a piece of it,
/// the cookie registration apart from MapMcp), or spell the source with a Unicode escape: each must still be reported.
/// </summary>
public class MCPSEC004SessionAsAuthenticationPrefilterTests
{
    private const string HeaderLookup = """
        using System.Collections.Concurrent;
        using System.Security.Claims;
        using Microsoft.AspNetCore.Http;

        public class SessionUsers
        {
            private readonly ConcurrentDictionary<string, ClaimsPrincipal> _users = new();

            public string? Who(HttpContext ctx)
            {
                var id = ctx.Request.Headers[KEY].ToString();
                var user = {|MCPSEC004:_users[id]|};
                return user.Identity?.Name;
            }
        }
        """;

    private static async Task VerifyTwoFilesAsync(string main, string other, OutputKind outputKind = OutputKind.DynamicallyLinkedLibrary)
    {
        var test = new AnalyzerVerifier<SessionAsAuthenticationAnalyzer>.Test();
        test.TestState.OutputKind = outputKind;
        test.TestState.Sources.Add(("Main.cs", main));
        test.TestState.Sources.Add(("Other.cs", other));
        await test.RunAsync();
    }

    [Fact]
    public Task HeaderNameConstantInAnotherFile_IsReported() => VerifyTwoFilesAsync(
        HeaderLookup.Replace("KEY", "HeaderNames2.Session"),
        """
        public static class HeaderNames2
        {
            public const string Session = "Mcp-Session-Id";
        }
        """);

    [Fact]
    public Task HeaderNameBuiltFromConstantPiecesInAnotherFile_IsReported() => VerifyTwoFilesAsync(
        HeaderLookup.Replace("KEY", "HeaderNames2.Mcp + HeaderNames2.Tail"),
        """
        public static class HeaderNames2
        {
            public const string Mcp = "Mcp-";
            public const string Tail = "Session-" + "Id";
            public const string Unrelated = "X-Request-Id";
        }
        """);

    [Fact]
    public Task CookieSchemeConfiguredInAnotherFileThanMapMcp_IsReported() => VerifyTwoFilesAsync(
        """
        using Microsoft.AspNetCore.Builder;
        using Microsoft.Extensions.DependencyInjection;

        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddAppAuthentication();
        builder.Services.AddMcpServer().WithHttpTransport();
        var app = builder.Build();
        app.MapMcp("/mcp").RequireAuthorization();
        app.Run();
        """,
        """
        using Microsoft.Extensions.DependencyInjection;

        public static class AuthSetup
        {
            public static IServiceCollection AddAppAuthentication(this IServiceCollection services)
            {
                {|MCPSEC004:services.AddAuthentication("Cookies")|}.AddCookie();
                return services.AddAuthorization();
            }
        }
        """,
        OutputKind.ConsoleApplication);

    [Fact]
    public Task UnicodeEscapedSessionRead_IsReported() => Verify.VerifyAsync("""
        using Microsoft.AspNetCore.Http;

        public class AccountTools(IHttpContextAccessor accessor)
        {
            public string WhoAmI() => {|MCPSEC004:accessor.HttpContext!.Session.GetStr\u0069ng("UserId")|} ?? "anonymous";
        }
        """);

    [Fact]
    public Task SessionReadInNestedType_IsReportedOnce() => Verify.VerifyAsync("""
        using Microsoft.AspNetCore.Http;

        public class Outer
        {
            public class AccountTools(IHttpContextAccessor accessor)
            {
                public string WhoAmI() => {|MCPSEC004:accessor.HttpContext!.Session.GetString("UserId")|} ?? "anonymous";
            }
        }
        """);
}
