using System.Threading.Tasks;
using McpAnalyzers.Rules;
using McpAnalyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace McpAnalyzers.Tests;

/// <summary>
/// The text pre-filter (<see cref="SourceTextFilter"/>) and the flow rules that skip trees with it: whatever a
/// tree's text lacks, findings that depend on another file (constants) or on escaped identifiers stay.
/// </summary>
public class SourceTextFilterTests
{
    [Theory]
    [InlineData("var t = ctx.Token;", true)]
    [InlineData("var t = ctx?.Token;", true)]
    [InlineData("CancellationToken token = default;", false)]
    [InlineData("var TokenCount = 1;", false)]
    [InlineData("var t = @Token;", true)]
    [InlineData("Token", true)]
    public void IdentifiersAreMatchedWhole(string text, bool expected)
        => Assert.Equal(expected, Matches(new SourceTextFilter(new[] { "Token" }), text));

    [Theory]
    [InlineData("config[\"Smtp:PASSWORD\"]", true)]
    [InlineData("config[\"Jwt:SigningKey\"]", true)]
    [InlineData("var keys = new List<string>();", false)]
    public void FragmentsAreMatchedAnywhereIgnoringCase(string text, bool expected)
        => Assert.Equal(expected, Matches(new SourceTextFilter(new[] { "Unrelated" }, new[] { "password", "key\"" }), text));

    [Fact]
    public void TextWithUnicodeEscapeAlwaysPasses()
        => Assert.True(Matches(new SourceTextFilter(new[] { "Authorization" }), "var h = headers.\\u0041uthorization;"));

    [Fact]
    public void AnswerIsCachedPerTree()
    {
        var filter = new SourceTextFilter(new[] { "Arguments" });
        var tree = CSharpSyntaxTree.ParseText("class C { void M(object request) { _ = request.ToString(); } }");
        Assert.False(filter.MayMatch(tree));
        Assert.False(filter.MayMatch(tree));
    }

    [Fact]
    public void FragmentAnswerOfATreeIsSharedByEveryFilter()
    {
        var tree = CSharpSyntaxTree.ParseText("class C { string M() => \"Bearer-Secret\"; }");
        var clean = CSharpSyntaxTree.ParseText("class D { string M() => \"public\"; }");
        foreach (var compilation in new[] { CSharpCompilation.Create("One", new[] { tree, clean }), CSharpCompilation.Create("Two", new[] { tree, clean }) })
        {
            var first = new SourceTextFilter(new string[0], new[] { "secret" });
            var second = new SourceTextFilter(new[] { "Absent" }, new[] { "secret" }); // answered from the first filter's search
            first.ReserveFor(compilation);
            Assert.True(first.MayMatch(tree));
            Assert.False(first.MayMatch(clean));
            Assert.True(second.MayMatch(tree));
            Assert.False(second.MayMatch(clean));
        }
    }

    [Fact]
    public void ReservedTreesAndOtherTreesGetTheSameAnswers()
    {
        var with = CSharpSyntaxTree.ParseText("class A { object M(dynamic request) => request.Params.Arguments; }");
        var without = CSharpSyntaxTree.ParseText("class B { }");
        var foreign = CSharpSyntaxTree.ParseText("class C { object M(dynamic r) => r.Arguments; }");
        var filter = new SourceTextFilter(new[] { "Arguments" });
        filter.ReserveFor(CSharpCompilation.Create("Reserved", new[] { with, without }));
        filter.ReserveFor(CSharpCompilation.Create("Again", new[] { without }));
        for (var i = 0; i < 2; i++)
        {
            Assert.True(filter.MayMatch(with));
            Assert.False(filter.MayMatch(without));
            Assert.True(filter.MayMatch(foreign));
        }
    }

    [Fact]
    public Task AuthorizationHeaderKeyConstantFromAnotherFileIsStillASource()
        => VerifyForwardedHeaderAsync(
            "accessor.HttpContext?.Request.Headers[HeaderKeys.Auth]",
            ("Keys.cs", """
                public static class HeaderKeys
                {
                    public const string Auth = "Authorization";
                }
                """));

    [Fact]
    public Task EscapedIdentifierIsStillASource()
        => VerifyForwardedHeaderAsync("accessor.HttpContext!.Request.Headers.\\u0041uthorization.ToString()");

    [Fact]
    public async Task SecretConfigurationKeyConstantFromAnotherFileIsStillASource()
    {
        var test = new AnalyzerVerifier<CredentialExposureAnalyzer>.Test();
        test.TestState.Sources.Add(("Settings.cs", """
            public static class Settings
            {
                public const string Payments = "Payments:ApiKey";
            }
            """));
        test.TestState.Sources.Add(("Startup.cs", """
            using Microsoft.Extensions.Configuration;
            using Microsoft.Extensions.Logging;

            public sealed class Startup(IConfiguration configuration, ILogger<Startup> logger)
            {
                public void Run() => {|MCPSEC013:logger.LogInformation("Using {Value}", configuration[Settings.Payments])|};
            }
            """));
        await test.RunAsync();
    }

    [Fact]
    public async Task ConfigurationKeyThatIsNoSecretStaysClean()
    {
        var test = new AnalyzerVerifier<CredentialExposureAnalyzer>.Test();
        test.TestState.Sources.Add(("Startup.cs", """
            using Microsoft.Extensions.Configuration;
            using Microsoft.Extensions.Logging;

            public sealed class Startup(IConfiguration configuration, ILogger<Startup> logger)
            {
                public void Run() => logger.LogInformation("Region {Value}", configuration["Payments:Region"]);
            }
            """));
        await test.RunAsync();
    }

    private static bool Matches(SourceTextFilter filter, string text) => filter.MayMatch(CSharpSyntaxTree.ParseText(text));

    /// <summary>A tool that reads the header with <paramref name="headerRead"/> (in a file that never spells "Authorization") and forwards it: MCPSEC001.</summary>
    private static async Task VerifyForwardedHeaderAsync(string headerRead, params (string Name, string Text)[] otherFiles)
    {
        var test = new AnalyzerVerifier<TokenPassthroughAnalyzer>.Test();
        foreach (var file in otherFiles)
        {
            test.TestState.Sources.Add(file);
        }

        test.TestState.Sources.Add(("Tools.cs", $$"""
            using System.Net.Http;
            using System.Net.Http.Headers;
            using Microsoft.AspNetCore.Http;
            using ModelContextProtocol.Server;

            [McpServerToolType]
            public sealed class ProxyTools(IHttpContextAccessor accessor)
            {
                [McpServerTool]
                public string Forward()
                {
                    string? header = {{headerRead}};
                    var credential = {|MCPSEC001:new AuthenticationHeaderValue("Bearer", header)|};
                    return credential.Scheme;
                }
            }
            """));
        await test.RunAsync();
    }
}
