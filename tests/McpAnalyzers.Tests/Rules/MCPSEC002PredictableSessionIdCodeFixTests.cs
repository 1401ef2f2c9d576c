using System.Threading.Tasks;
using McpAnalyzers.CodeFixes;
using McpAnalyzers.Rules;
using McpAnalyzers.Tests.Infrastructure;
using Xunit;
using VerifyFix = McpAnalyzers.Tests.Infrastructure.CodeFixVerifier<McpAnalyzers.Rules.PredictableSessionIdAnalyzer, McpAnalyzers.CodeFixes.PredictableSessionIdCodeFixProvider>;

namespace McpAnalyzers.Tests.Rules;

public class MCPSEC002PredictableSessionIdCodeFixTests
{
    [Fact]
    public Task StringSessionId_BecomesHexOf32CsprngBytes_AndUsingIsAdded() => VerifyFix.VerifyFixAsync("""
        using System;
        using ModelContextProtocol.Server;

        public class Sessions
        {
            public StreamableHttpServerTransport Create() => new StreamableHttpServerTransport
            {
                {|MCPSEC002:SessionId = new Random().Next().ToString()|},
            };
        }
        """, """
        using System;
        using System.Security.Cryptography;
        using ModelContextProtocol.Server;

        public class Sessions
        {
            public StreamableHttpServerTransport Create() => new StreamableHttpServerTransport
            {
                SessionId = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)),
            };
        }
        """);
}
