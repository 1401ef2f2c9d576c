using System.Threading.Tasks;
using McpAnalyzers.Rules;
using McpAnalyzers.Tests.Infrastructure;
using Xunit;
using Verify = McpAnalyzers.Tests.Infrastructure.AnalyzerVerifier<McpAnalyzers.Rules.PredictableSessionIdAnalyzer>;

namespace McpAnalyzers.Tests.Rules;

/// <summary>
/// MCPSEC002's text pre-filter skips files that cannot hold a predictable source. These cases put everything but the
/// source in another file (the sink's name, the header-key constant, the counter field, the Random subclass), or spell
/// the source with a Unicode escape: each must still be reported.
/// </summary>
public class MCPSEC002PredictableSessionIdPrefilterTests
{
    private static async Task VerifyTwoFilesAsync(string main, string other, string? editorConfig = null)
    {
        var test = new AnalyzerVerifier<PredictableSessionIdAnalyzer>.Test { TestCode = main };
        test.TestState.Sources.Add(("Other.cs", other));
        if (editorConfig is not null)
        {
            test.TestState.AnalyzerConfigFiles.Add(McpTestSetup.EditorConfig(editorConfig));
        }

        await test.RunAsync();
    }

    [Fact]
    public Task HeaderNameConstantInAnotherFile_IsReported() => VerifyTwoFilesAsync(
        """
        using System;
        using Microsoft.AspNetCore.Http;

        public class SessionStart
        {
            public void Begin(HttpContext context)
            {
                {|MCPSEC002:context.Response.Headers[HeaderKeys.Session] = Random.Shared.Next().ToString()|};
            }
        }
        """,
        """
        public static class HeaderKeys
        {
            public const string Session = "Mcp-Session-Id";
        }
        """);

    [Fact]
    public Task SecretParameterDeclaredInAnotherFile_IsReported() => VerifyTwoFilesAsync(
        """
        using System;

        public class Login
        {
            public void Start() => NonceStore.Remember("user", {|MCPSEC002:DateTime.UtcNow.Ticks.ToString()|});
        }
        """,
        """
        public static class NonceStore
        {
            public static void Remember(string user, string nonce) { }
        }
        """);

    [Fact]
    public Task CounterFieldDeclaredInAnotherFile_IsReported() => VerifyTwoFilesAsync(
        """
        public partial class Sessions
        {
            public string Create()
            {
                _count++;
                var {|MCPSEC002:sessionId = _count.ToString()|};
                return sessionId;
            }

            public string CreateByStep()
            {
                _count += 7;
                var {|MCPSEC002:sessionId = _count.ToString()|};
                return sessionId;
            }
        }
        """,
        """
        public partial class Sessions
        {
            private int _count;
        }
        """);

    [Fact]
    public Task RandomSubclassMethodDeclaredInAnotherFile_IsReported() => VerifyTwoFilesAsync(
        """
        public class Sessions
        {
            private readonly Dice _dice = new();

            public string Create()
            {
                var {|MCPSEC002:sessionId = _dice.Roll().ToString()|};
                return sessionId;
            }
        }
        """,
        """
        using R = System.Random;

        public class Dice : R
        {
            public int Roll() => Next(1, 7);
        }
        """);

    [Fact]
    public Task NewGuidAloneIsReportedOnlyWithFlagGuid() => VerifyTwoFilesAsync(
        """
        using System;

        public class Sessions
        {
            public string Create()
            {
                var {|MCPSEC002:sessionId = Guid.NewGuid().ToString("N")|};
                return sessionId;
            }
        }
        """,
        "public static class Unrelated { }",
        "mcpsec.MCPSEC002.flag_guid = true");

    [Fact]
    public Task UnicodeEscapedSourceName_IsReported() => Verify.VerifyAsync("""
        using System;
        using ModelContextProtocol.Server;

        public class Sessions
        {
            public StreamableHttpServerTransport Create() => new StreamableHttpServerTransport
            {
                {|MCPSEC002:SessionId = new Random().N\u0065xt().ToString()|},
            };
        }
        """);

    [Fact]
    public Task DecrementInsideAStringIsNotACounter() => Verify.VerifyAsync("""
        public class Sessions
        {
            private int _count;

            public string Create(string input)
            {
                var sessionId = _count.ToString() + "--" + input;
                return sessionId;
            }
        }
        """);

    [Fact]
    public Task NestedTypesAndTopLevelStatements_AreReportedOnce() => Verify.VerifyAsync("""
        using System;

        public class Outer
        {
            public string Create()
            {
                var {|MCPSEC002:sessionId = Random.Shared.Next().ToString()|};
                return sessionId;
            }

            public class Inner
            {
                public class Innermost
                {
                    public string Create()
                    {
                        var {|MCPSEC002:nonce = DateTime.UtcNow.Ticks.ToString()|};
                        return nonce;
                    }
                }
            }
        }

        public record Tokens(string State)
        {
            public string Nonce { get; } {|MCPSEC002:= Environment.TickCount.ToString()|};
        }
        """);

    [Fact]
    public Task TopLevelStatements_AreReported() => Verify.VerifyProgramAsync("""
        using System;

        var {|MCPSEC002:sessionId = Random.Shared.Next().ToString()|};
        Console.WriteLine(sessionId);
        """);
}
