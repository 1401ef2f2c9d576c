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

    [Fact]
    public Task DerivedThroughLocals_TheDefiningExpressionIsReplaced() => VerifyFix.VerifyFixAsync("""
        using System;
        using ModelContextProtocol.Server;

        public class Sessions
        {
            public StreamableHttpServerTransport Create(string userId)
            {
                var t = DateTime.UtcNow.Ticks;
                var id = $"{userId}-{t}"; // minted here
                return new StreamableHttpServerTransport { {|MCPSEC002:SessionId = id|} };
            }
        }
        """, """
        using System;
        using System.Security.Cryptography;
        using ModelContextProtocol.Server;

        public class Sessions
        {
            public StreamableHttpServerTransport Create(string userId)
            {
                var t = DateTime.UtcNow.Ticks;
                var id = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)); // minted here
                return new StreamableHttpServerTransport { SessionId = id };
            }
        }
        """);

    [Fact]
    public Task GuidTarget_BecomesNewGuid() => VerifyFix.VerifyFixAsync("""
        using System;

        public class Sessions
        {
            public Guid SessionId { get; } {|MCPSEC002:= Guid.CreateVersion7()|};
        }
        """, """
        using System;

        public class Sessions
        {
            public Guid SessionId { get; } = Guid.NewGuid();
        }
        """);

    [Fact]
    public async Task GuidTarget_WithFlagGuid_BecomesGuidOfCsprngBytes()
    {
        var test = new VerifyFix.Test
        {
            TestCode = """
                using System;

                public class Sessions
                {
                    private Guid _sessionId;

                    public void Start() => {|MCPSEC002:_sessionId = Guid.NewGuid()|};
                }
                """,
            FixedCode = """
                using System;
                using System.Security.Cryptography;

                public class Sessions
                {
                    private Guid _sessionId;

                    public void Start() => _sessionId = new Guid(RandomNumberGenerator.GetBytes(16));
                }
                """,
        };
        test.TestState.AnalyzerConfigFiles.Add(McpTestSetup.EditorConfig("mcpsec.MCPSEC002.flag_guid = true"));
        await test.RunAsync();
    }

    [Fact]
    public Task IntegralAndByteArrayTargets_KeepTheirType() => VerifyFix.VerifyFixAsync("""
        using System;

        public class Codes
        {
            private long _authorizationCode;
            private int _nonce;
            private byte[] _codeVerifier = Array.Empty<byte>();

            public void Mint(Random random)
            {
                {|MCPSEC002:_authorizationCode = random.NextInt64()|};
                {|MCPSEC002:_nonce = Environment.TickCount|};
                {|MCPSEC002:_codeVerifier = BitConverter.GetBytes(DateTime.UtcNow.Ticks)|};
            }
        }
        """, """
        using System;
        using System.Security.Cryptography;

        public class Codes
        {
            private long _authorizationCode;
            private int _nonce;
            private byte[] _codeVerifier = Array.Empty<byte>();

            public void Mint(Random random)
            {
                _authorizationCode = BitConverter.ToInt64(RandomNumberGenerator.GetBytes(8), 0);
                _nonce = BitConverter.ToInt32(RandomNumberGenerator.GetBytes(4), 0);
                _codeVerifier = RandomNumberGenerator.GetBytes(32);
            }
        }
        """);

    [Fact]
    public Task NextBytesIntoNamedBuffer_BecomesRandomNumberGeneratorFill() => VerifyFix.VerifyFixAsync("""
        using System;

        public class Pkce
        {
            public byte[] CreateVerifier()
            {
                var codeVerifier = new byte[32];
                {|MCPSEC002:Random.Shared.NextBytes(codeVerifier)|};
                return codeVerifier;
            }
        }
        """, """
        using System;
        using System.Security.Cryptography;

        public class Pkce
        {
            public byte[] CreateVerifier()
            {
                var codeVerifier = new byte[32];
                RandomNumberGenerator.Fill(codeVerifier);
                return codeVerifier;
            }
        }
        """);

    [Fact]
    public Task FixAll_FixesEverySinkInTheDocument() => VerifyFix.VerifyFixAsync("""
        using System;
        using System.IO;
        using System.Threading;
        using Microsoft.AspNetCore.Http;
        using ModelContextProtocol.Server;

        public class Handler
        {
            private static long _next;

            public object Sse(Stream stream) => new SseResponseStreamTransport(stream, "/message", {|MCPSEC002:Random.Shared.Next().ToString()|});

            public void Header(HttpContext context)
            {
                var id = "s-" + Environment.TickCount64;
                {|MCPSEC002:context.Response.Headers["Mcp-Session-Id"] = id|};
                context.Response.Headers.Append("X-Debug-Session", id);
            }

            public object Streamable() => new StreamableHttpServerTransport
            {
                {|MCPSEC002:SessionId = Interlocked.Increment(ref _next).ToString()|},
            };
        }
        """, """
        using System;
        using System.IO;
        using System.Security.Cryptography;
        using System.Threading;
        using Microsoft.AspNetCore.Http;
        using ModelContextProtocol.Server;

        public class Handler
        {
            private static long _next;

            public object Sse(Stream stream) => new SseResponseStreamTransport(stream, "/message", Convert.ToHexString(RandomNumberGenerator.GetBytes(32)));

            public void Header(HttpContext context)
            {
                var id = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
                context.Response.Headers["Mcp-Session-Id"] = id;
                context.Response.Headers.Append("X-Debug-Session", id);
            }

            public object Streamable() => new StreamableHttpServerTransport
            {
                SessionId = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)),
            };
        }
        """);

    [Fact]
    public async Task TypeThatCannotBeKept_GetsNoFix()
    {
        const string source = """
            using System;
            using System.Collections.Generic;

            public class Claims
            {
                public void Add(Dictionary<string, object> items) => {|MCPSEC002:items["nonce"] = DateTime.UtcNow|};
            }
            """;
        var test = new VerifyFix.Test { TestCode = source, FixedCode = source };
        await test.RunAsync();
    }

    [Fact]
    public async Task LocalWithSeveralDefinitions_IsReportedOnceWithoutFix()
    {
        const string source = """
            using System;
            using ModelContextProtocol.Server;

            public class Sessions
            {
                public StreamableHttpServerTransport Create(bool fast, string fromClient)
                {
                    var id = fromClient;
                    if (fast)
                    {
                        id = Random.Shared.Next().ToString();
                    }

                    return new StreamableHttpServerTransport { {|MCPSEC002:SessionId = id|} };
                }
            }
            """;
        var test = new VerifyFix.Test { TestCode = source, FixedCode = source };
        await test.RunAsync();
    }
}

