using System.Threading.Tasks;
using McpAnalyzers.Rules;
using McpAnalyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = McpAnalyzers.Tests.Infrastructure.AnalyzerVerifier<McpAnalyzers.Rules.PredictableSessionIdAnalyzer>;

namespace McpAnalyzers.Tests.Rules;

public class MCPSEC002PredictableSessionIdTests
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Diagnostics;
        using System.IO;
        using System.Security.Cryptography;
        using System.Threading;
        using Microsoft.AspNetCore.Http;
        using ModelContextProtocol.Server;

        """;

    // ---- Sources × the StreamableHttpServerTransport.SessionId sink -----------------------------------------

    [Fact]
    public Task RandomInObjectInitializer_IsReportedWithMessage() => Verify.VerifyAsync(Usings + """
        public class Sessions
        {
            public StreamableHttpServerTransport Create() => new StreamableHttpServerTransport
            {
                {|#0:SessionId = new Random().Next().ToString()|},
            };
        }
        """,
        Verify.Diagnostic("MCPSEC002").WithLocation(0).WithArguments(
            "Session ID 'StreamableHttpServerTransport.SessionId'", "System.Random, which is predictable"));

    [Fact]
    public Task SeededRandomFieldAndRandomShared_AreReported() => Verify.VerifyAsync(Usings + """
        public class Sessions
        {
            private readonly Random _random = new Random(42);

            public object Seeded() => new StreamableHttpServerTransport { {|MCPSEC002:SessionId = _random.Next().ToString("x")|} };

            public object Shared() => new StreamableHttpServerTransport { {|MCPSEC002:SessionId = Random.Shared.NextInt64().ToString()|} };

            public object Bytes()
            {
                var buffer = new byte[32];
                Random.Shared.NextBytes(buffer);
                return new StreamableHttpServerTransport { {|MCPSEC002:SessionId = Convert.ToHexString(buffer)|} };
            }
        }
        """);

    [Fact]
    public Task TimeSources_AreReportedAndNamed() => Verify.VerifyAsync(Usings + """
        public class Sessions
        {
            public object Now() => new StreamableHttpServerTransport { {|#0:SessionId = DateTime.Now.Ticks.ToString()|} };
            public object UtcNow() => new StreamableHttpServerTransport { {|#1:SessionId = DateTime.UtcNow.ToString("O")|} };
            public object Offset() => new StreamableHttpServerTransport { {|#2:SessionId = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString()|} };
            public object Ticks() => new StreamableHttpServerTransport { {|#3:SessionId = Environment.TickCount64.ToString()|} };
            public object Timestamp() => new StreamableHttpServerTransport { {|#4:SessionId = Stopwatch.GetTimestamp().ToString()|} };
            public object Elapsed(Stopwatch watch) => new StreamableHttpServerTransport { {|#5:SessionId = watch.ElapsedTicks.ToString()|} };
            public object Provider(TimeProvider clock) => new StreamableHttpServerTransport { {|#6:SessionId = clock.GetUtcNow().Ticks.ToString()|} };
        }
        """,
        Verify.Diagnostic("MCPSEC002").WithLocation(0).WithArguments("Session ID 'StreamableHttpServerTransport.SessionId'", "DateTime.Now, which is predictable"),
        Verify.Diagnostic("MCPSEC002").WithLocation(1).WithArguments("Session ID 'StreamableHttpServerTransport.SessionId'", "DateTime.UtcNow, which is predictable"),
        Verify.Diagnostic("MCPSEC002").WithLocation(2).WithArguments("Session ID 'StreamableHttpServerTransport.SessionId'", "DateTimeOffset.UtcNow, which is predictable"),
        Verify.Diagnostic("MCPSEC002").WithLocation(3).WithArguments("Session ID 'StreamableHttpServerTransport.SessionId'", "Environment.TickCount64, which is predictable"),
        Verify.Diagnostic("MCPSEC002").WithLocation(4).WithArguments("Session ID 'StreamableHttpServerTransport.SessionId'", "Stopwatch.GetTimestamp(), which is predictable"),
        Verify.Diagnostic("MCPSEC002").WithLocation(5).WithArguments("Session ID 'StreamableHttpServerTransport.SessionId'", "Stopwatch.ElapsedTicks, which is predictable"),
        Verify.Diagnostic("MCPSEC002").WithLocation(6).WithArguments("Session ID 'StreamableHttpServerTransport.SessionId'", "TimeProvider.GetUtcNow(), which is predictable"));
}
