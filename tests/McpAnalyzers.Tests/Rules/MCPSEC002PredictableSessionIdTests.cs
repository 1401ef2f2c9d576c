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

    [Fact]
    public Task Counters_AreReported() => Verify.VerifyAsync(Usings + """
        public class Sessions
        {
            private long _next;
            private int _count;
            private int _total;

            public object Interlocked1() => new StreamableHttpServerTransport { {|#0:SessionId = Interlocked.Increment(ref _next).ToString()|} };
            public object PostIncrement() => new StreamableHttpServerTransport { {|#1:SessionId = (_count++).ToString()|} };
            public object CompoundAdd() => new StreamableHttpServerTransport { {|#2:SessionId = (_total += 7).ToString()|} };

            public object ReadAfterIncrement()
            {
                _count++;
                return new StreamableHttpServerTransport { {|#3:SessionId = "s" + _count|} };
            }
        }
        """,
        Verify.Diagnostic("MCPSEC002").WithLocation(0).WithArguments("Session ID 'StreamableHttpServerTransport.SessionId'", "the counter '_next' (Interlocked.Increment), which is predictable"),
        Verify.Diagnostic("MCPSEC002").WithLocation(1).WithArguments("Session ID 'StreamableHttpServerTransport.SessionId'", "the counter '_count', which is predictable"),
        Verify.Diagnostic("MCPSEC002").WithLocation(2).WithArguments("Session ID 'StreamableHttpServerTransport.SessionId'", "the counter '_total', which is predictable"),
        Verify.Diagnostic("MCPSEC002").WithLocation(3).WithArguments("Session ID 'StreamableHttpServerTransport.SessionId'", "the counter '_count', which is predictable"));

    [Fact]
    public Task HashCodesAndVersion7Guids_AreReported() => Verify.VerifyAsync(Usings + """
        public class Sessions
        {
            public object Hash(string userId) => new StreamableHttpServerTransport { {|#0:SessionId = userId.GetHashCode().ToString()|} };
            public object Combine(string userId, DateTime at) => new StreamableHttpServerTransport { {|#1:SessionId = HashCode.Combine(userId, at).ToString()|} };
            public object V7() => new StreamableHttpServerTransport { {|#2:SessionId = Guid.CreateVersion7().ToString("N")|} };
        }
        """,
        Verify.Diagnostic("MCPSEC002").WithLocation(0).WithArguments("Session ID 'StreamableHttpServerTransport.SessionId'", "GetHashCode(), which is predictable"),
        Verify.Diagnostic("MCPSEC002").WithLocation(1).WithArguments("Session ID 'StreamableHttpServerTransport.SessionId'", "HashCode.Combine, which is predictable"),
        Verify.Diagnostic("MCPSEC002").WithLocation(2).WithArguments("Session ID 'StreamableHttpServerTransport.SessionId'", "Guid.CreateVersion7(), which is timestamp-based and predictable"));

    // ---- Sinks ------------------------------------------------------------------------------------------------

    [Fact]
    public Task SseResponseStreamTransportSessionIdArgument_IsReported() => Verify.VerifyAsync(Usings + """
        public class Sessions
        {
            public object Positional(Stream stream) => new SseResponseStreamTransport(stream, "/message", {|#0:DateTime.UtcNow.Ticks.ToString()|});
            public object Named(Stream stream) => new SseResponseStreamTransport(stream, {|#1:sessionId: Random.Shared.Next().ToString()|});
            public object Secure(Stream stream) => new SseResponseStreamTransport(stream, "/message", Convert.ToHexString(RandomNumberGenerator.GetBytes(32)));
        }
        """,
        Verify.Diagnostic("MCPSEC002").WithLocation(0).WithArguments("Session ID passed as 'sessionId' to SseResponseStreamTransport", "DateTime.UtcNow, which is predictable"),
        Verify.Diagnostic("MCPSEC002").WithLocation(1).WithArguments("Session ID passed as 'sessionId' to SseResponseStreamTransport", "System.Random, which is predictable"));

    [Fact]
    public Task McpSessionIdHeaderWrites_AreReported() => Verify.VerifyAsync(Usings + """
        public class Handler
        {
            private static int _next;

            public void Indexer(HttpContext context) => {|#0:context.Response.Headers["Mcp-Session-Id"] = Random.Shared.Next().ToString()|};
            public void Append(HttpResponse response) => {|#1:response.Headers.Append("mcp-session-id", DateTime.UtcNow.Ticks.ToString())|};
            public void Add(HttpResponse response) => {|#2:response.Headers.Add("Mcp-Session-Id", Interlocked.Increment(ref _next).ToString())|};
            public void TryAdd(HttpResponse response) => {|#3:response.Headers.TryAdd("Mcp-Session-Id", Environment.TickCount.ToString())|};
            private const string SessionHeader = "Mcp-Session-Id";

            public void Constant(HttpResponse response) => {|#4:response.Headers[SessionHeader] = Guid.CreateVersion7().ToString()|};
            public void HttpClientHeaders(System.Net.Http.HttpResponseMessage message) => {|#5:message.Headers.Add("Mcp-Session-Id", DateTime.Now.ToString("O"))|};
        }
        """,
        Verify.Diagnostic("MCPSEC002").WithLocation(0).WithArguments("Session ID in the 'Mcp-Session-Id' header", "System.Random, which is predictable"),
        Verify.Diagnostic("MCPSEC002").WithLocation(1).WithArguments("Session ID in the 'mcp-session-id' header", "DateTime.UtcNow, which is predictable"),
        Verify.Diagnostic("MCPSEC002").WithLocation(2).WithArguments("Session ID in the 'Mcp-Session-Id' header", "the counter '_next' (Interlocked.Increment), which is predictable"),
        Verify.Diagnostic("MCPSEC002").WithLocation(3).WithArguments("Session ID in the 'Mcp-Session-Id' header", "Environment.TickCount, which is predictable"),
        Verify.Diagnostic("MCPSEC002").WithLocation(4).WithArguments("Session ID in the 'Mcp-Session-Id' header", "Guid.CreateVersion7(), which is timestamp-based and predictable"),
        Verify.Diagnostic("MCPSEC002").WithLocation(5).WithArguments("Session ID in the 'Mcp-Session-Id' header", "DateTime.Now, which is predictable"));

    [Fact]
    public Task NamedVariablesFieldsPropertiesAndParameters_AreReported() => Verify.VerifyAsync(Usings + """
        public class OAuthProxy
        {
            private string? _sessionId;
            private readonly string _oauthState {|#0:= Random.Shared.Next().ToString()|};

            public string Nonce { get; set; } = "";
            public string CodeVerifier { get; } {|#1:= DateTime.UtcNow.Ticks.ToString()|};

            public void Start(string userId, string? state)
            {
                {|#2:_sessionId = $"{userId}-{DateTime.UtcNow.Ticks}"|};
                {|#3:Nonce = Random.Shared.NextInt64().ToString()|};
                {|#4:state = Environment.TickCount64.ToString("x")|};
                var {|#5:code_verifier = Convert.ToBase64String(BitConverter.GetBytes(DateTime.UtcNow.Ticks))|};
                long {|#6:authorizationCode = Random.Shared.NextInt64()|};
                string {|#7:authCode = Stopwatch.GetTimestamp().ToString()|};
                Guid {|#8:sessionId = Guid.CreateVersion7()|};
            }
        }
        """,
        Verify.Diagnostic("MCPSEC002").WithLocation(0).WithArguments("OAuth state '_oauthState'", "System.Random, which is predictable"),
        Verify.Diagnostic("MCPSEC002").WithLocation(1).WithArguments("PKCE code verifier 'CodeVerifier'", "DateTime.UtcNow, which is predictable"),
        Verify.Diagnostic("MCPSEC002").WithLocation(2).WithArguments("Session ID '_sessionId'", "DateTime.UtcNow, which is predictable"),
        Verify.Diagnostic("MCPSEC002").WithLocation(3).WithArguments("Nonce 'Nonce'", "System.Random, which is predictable"),
        Verify.Diagnostic("MCPSEC002").WithLocation(4).WithArguments("OAuth state 'state'", "Environment.TickCount64, which is predictable"),
        Verify.Diagnostic("MCPSEC002").WithLocation(5).WithArguments("PKCE code verifier 'code_verifier'", "DateTime.UtcNow, which is predictable"),
        Verify.Diagnostic("MCPSEC002").WithLocation(6).WithArguments("Authorization code 'authorizationCode'", "System.Random, which is predictable"),
        Verify.Diagnostic("MCPSEC002").WithLocation(7).WithArguments("Authorization code 'authCode'", "Stopwatch.GetTimestamp(), which is predictable"),
        Verify.Diagnostic("MCPSEC002").WithLocation(8).WithArguments("Session ID 'sessionId'", "Guid.CreateVersion7(), which is timestamp-based and predictable"));

    [Fact]
    public Task ArgumentToParameterNamedAsSecret_IsReported() => Verify.VerifyAsync(Usings + """
        public class Store
        {
            public void Save(string sessionId, string owner) { }
            public void Remember(string user, string nonce) { }

            public void Use(string user)
            {
                Save({|#0:DateTime.UtcNow.Ticks.ToString()|}, user);
                Remember(user, {|#1:nonce: Random.Shared.Next().ToString()|});
                Save(Convert.ToHexString(RandomNumberGenerator.GetBytes(32)), user);
            }
        }
        """,
        Verify.Diagnostic("MCPSEC002").WithLocation(0).WithArguments("Session ID passed as 'sessionId' to Save", "DateTime.UtcNow, which is predictable"),
        Verify.Diagnostic("MCPSEC002").WithLocation(1).WithArguments("Nonce passed as 'nonce' to Remember", "System.Random, which is predictable"));

    [Fact]
    public Task DictionaryKeysNamedAsSecrets_AreReported() => Verify.VerifyAsync(Usings + """
        public class Authorize
        {
            public Dictionary<string, string> Build(string clientId)
            {
                var query = new Dictionary<string, string>
                {
                    ["client_id"] = clientId,
                    {|#0:["state"] = Random.Shared.Next().ToString()|},
                };
                {|#1:query.Add("nonce", DateTime.UtcNow.Ticks.ToString())|};
                {|#2:query["code_verifier"] = Environment.TickCount64.ToString()|};
                {|#3:query.TryAdd("session_id", HashCode.Combine(clientId, 1).ToString())|};
                return query;
            }

            public KeyValuePair<string, string> Pair() => {|#4:new KeyValuePair<string, string>("state", DateTime.Now.ToString())|};
        }
        """,
        Verify.Diagnostic("MCPSEC002").WithLocation(0).WithArguments("OAuth state under key 'state'", "System.Random, which is predictable"),
        Verify.Diagnostic("MCPSEC002").WithLocation(1).WithArguments("Nonce under key 'nonce'", "DateTime.UtcNow, which is predictable"),
        Verify.Diagnostic("MCPSEC002").WithLocation(2).WithArguments("PKCE code verifier under key 'code_verifier'", "Environment.TickCount64, which is predictable"),
        Verify.Diagnostic("MCPSEC002").WithLocation(3).WithArguments("Session ID under key 'session_id'", "HashCode.Combine, which is predictable"),
        Verify.Diagnostic("MCPSEC002").WithLocation(4).WithArguments("OAuth state under key 'state'", "DateTime.Now, which is predictable"));

    [Fact]
    public Task BufferNamedAsSecretFilledByRandom_IsReportedAtTheFillCall() => Verify.VerifyAsync(Usings + """
        public class Pkce
        {
            private readonly byte[] _codeVerifier = new byte[32];

            public void Fill() => {|#0:Random.Shared.NextBytes(_codeVerifier)|};

            public void Secure(byte[] nonce) => RandomNumberGenerator.Fill(nonce);
        }
        """,
        Verify.Diagnostic("MCPSEC002").WithLocation(0).WithArguments("PKCE code verifier '_codeVerifier'", "System.Random, which is predictable"));

    // ---- Derived values ---------------------------------------------------------------------------------------

    [Fact]
    public Task ValueDerivedThroughLocals_IsReportedAtTheSink() => Verify.VerifyAsync(Usings + """
        public class Sessions
        {
            public object Create(string userId)
            {
                var t = DateTime.UtcNow.Ticks;
                var id = $"{userId}-{t}";
                return new StreamableHttpServerTransport { {|#0:SessionId = id|} };
            }
        }
        """,
        Verify.Diagnostic("MCPSEC002").WithLocation(0).WithArguments("Session ID 'StreamableHttpServerTransport.SessionId'", "DateTime.UtcNow, which is predictable"));

    [Fact]
    public Task ConcatenationFormattingAndHashingOfPredictableParts_AreReported() => Verify.VerifyAsync(Usings + """
        using System.Text;

        public class Sessions
        {
            public object Concat(string user) => new StreamableHttpServerTransport { {|MCPSEC002:SessionId = string.Concat(user, ":", DateTime.UtcNow.Ticks)|} };
            public object Format(string user) => new StreamableHttpServerTransport { {|MCPSEC002:SessionId = string.Format("{0}-{1}", user, Environment.TickCount)|} };
            public object Plus(int tenant) => new StreamableHttpServerTransport { {|MCPSEC002:SessionId = tenant + "-" + Random.Shared.Next()|} };
            public object Hashed(string user) => new StreamableHttpServerTransport
            {
                {|MCPSEC002:SessionId = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(user + DateTime.UtcNow.Ticks)))|},
            };
            public object Branch(bool fast) => new StreamableHttpServerTransport
            {
                {|MCPSEC002:SessionId = fast ? Random.Shared.Next().ToString() : Convert.ToHexString(RandomNumberGenerator.GetBytes(32))|},
            };
        }
        """);

    [Fact]
    public Task OneDefectOneDiagnostic_NamedLocalThenSdkSink() => Verify.VerifyAsync(Usings + """
        public class Sessions
        {
            public object Create(HttpContext context)
            {
                var {|#0:sessionId = Random.Shared.Next().ToString()|};
                context.Response.Headers["Mcp-Session-Id"] = sessionId;
                return new StreamableHttpServerTransport { SessionId = "mcp-" + sessionId };
            }

            public object Shared(HttpContext context)
            {
                var id = DateTime.UtcNow.Ticks.ToString();
                {|#1:context.Response.Headers["Mcp-Session-Id"] = id|};
                return new StreamableHttpServerTransport { SessionId = id };
            }
        }
        """,
        Verify.Diagnostic("MCPSEC002").WithLocation(0).WithArguments("Session ID 'sessionId'", "System.Random, which is predictable"),
        Verify.Diagnostic("MCPSEC002").WithLocation(1).WithArguments("Session ID in the 'Mcp-Session-Id' header", "DateTime.UtcNow, which is predictable"));

    // ---- Not flagged ------------------------------------------------------------------------------------------

    [Fact]
    public Task CsprngValues_AreNotReported() => Verify.VerifyAsync(Usings + """
        public class Sessions
        {
            public void All(HttpContext context, string userId)
            {
                var a = new StreamableHttpServerTransport { SessionId = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)) };
                var b = new StreamableHttpServerTransport { SessionId = RandomNumberGenerator.GetInt32(int.MaxValue).ToString() };
                var c = new StreamableHttpServerTransport { SessionId = RandomNumberGenerator.GetHexString(64) };
                var buffer = new byte[32];
                RandomNumberGenerator.Fill(buffer);
                var d = new StreamableHttpServerTransport { SessionId = Convert.ToBase64String(buffer) };
                var other = new byte[32];
                using (var rng = RandomNumberGenerator.Create())
                {
                    rng.GetBytes(other);
                }

                string sessionId = Convert.ToHexString(other);
                context.Response.Headers["Mcp-Session-Id"] = Guid.NewGuid().ToString("N");
                var state = $"{userId}:{DateTime.UtcNow.Ticks}:{Convert.ToHexString(RandomNumberGenerator.GetBytes(16))}";
            }
        }
        """);

    [Fact]
    public Task ComparedLoggedAndNonSecretValues_AreNotReported() => Verify.VerifyAsync(Usings + """
        using Microsoft.Extensions.Configuration;
        using Microsoft.Extensions.Logging;

        public class Sessions
        {
            private int _state;

            public bool Check(string sessionId, ILogger logger, IConfiguration config, HttpContext context, string fromClient)
            {
                logger.LogInformation("Session {SessionId} opened at {Time}", sessionId, DateTime.UtcNow);
                var requestId = Random.Shared.Next().ToString();
                context.Response.Headers["X-Request-Id"] = DateTime.UtcNow.Ticks.ToString();
                var fromConfig = new StreamableHttpServerTransport { SessionId = config["Mcp:FixedSessionId"] };
                var fromParameter = new StreamableHttpServerTransport { SessionId = fromClient };
                var header = context.Request.Headers["Mcp-Session-Id"].ToString();
                _state = Random.Shared.Next(3);
                int state = Environment.TickCount;
                var stateMachine = DateTime.UtcNow.Ticks.ToString();
                var currentState = Random.Shared.Next().ToString();
                System.Threading.Tasks.Task.Factory.StartNew(_ => { }, DateTime.UtcNow);
                return sessionId == DateTime.UtcNow.Ticks.ToString() || IsValidState(Random.Shared.Next().ToString());
            }

            private static bool IsValidState(string value) => value.Length > 0;
        }
        """);

    [Fact]
    public Task GuidNewGuid_IsNotReportedByDefault_ButIsWithFlagGuid()
    {
        const string source = Usings + """
            public class Sessions
            {
                public object Create() => new StreamableHttpServerTransport { {|#0:SessionId = Guid.NewGuid().ToString("N")|} };
            }
            """;
        var withOption = new Verify.Test { TestCode = source };
        withOption.TestState.AnalyzerConfigFiles.Add(McpTestSetup.EditorConfig("mcpsec.MCPSEC002.flag_guid = true"));
        withOption.ExpectedDiagnostics.Add(Verify.Diagnostic("MCPSEC002").WithLocation(0).WithArguments(
            "Session ID 'StreamableHttpServerTransport.SessionId'",
            "Guid.NewGuid(), which is not specified to be cryptographically random and carries only 122 random bits (mcpsec.MCPSEC002.flag_guid = true)"));

        var explicitlyOff = new Verify.Test { TestCode = source };
        explicitlyOff.TestState.AnalyzerConfigFiles.Add(McpTestSetup.EditorConfig("mcpsec.MCPSEC002.flag_guid = false"));

        return Task.WhenAll(Verify.VerifyAsync(source), withOption.RunAsync(), explicitlyOff.RunAsync());
    }

    // ---- Look-alikes ------------------------------------------------------------------------------------------

    [Fact]
    public Task UserTypeNamedRandom_IsNotASource() => Verify.VerifyAsync(Usings + """
        namespace Game
        {
            public class Random
            {
                public int Next() => 4;
            }

            public class Sessions
            {
                public object Create() => new StreamableHttpServerTransport { SessionId = new Random().Next().ToString() };
            }
        }
        """);

    [Fact]
    public Task SessionIdPropertyOfANonSdkType_IsANameBasedTarget() => Verify.VerifyAsync(Usings + """
        public class MySession
        {
            public string SessionId { get; set; } = "";
            public IState? State { get; set; }
        }

        public interface IState { }

        public class Sessions
        {
            public MySession Create() => new MySession { {|#0:SessionId = DateTime.UtcNow.Ticks.ToString()|} };
        }
        """,
        Verify.Diagnostic("MCPSEC002").WithLocation(0).WithArguments("Session ID 'SessionId'", "DateTime.UtcNow, which is predictable"));

    [Fact]
    public Task TopLevelProgram_HeaderWriteIsReported() => Verify.VerifyProgramAsync("""
        using System;
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Http;
        using Microsoft.Extensions.DependencyInjection;

        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddMcpServer().WithHttpTransport();
        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            {|MCPSEC002:context.Response.Headers["Mcp-Session-Id"] = $"sess-{DateTime.UtcNow:yyyyMMddHHmmssfff}"|};
            await next(context);
        });
        app.MapMcp();
        app.Run();
        """);

    // ---- Broken code ------------------------------------------------------------------------------------------

    [Fact]
    public Task IncompleteCode_DoesNotCrash()
    {
        var test = new Verify.Test
        {
            TestCode = Usings + """
                public class Sessions
                {
                    private string _sessionId = {|CS0103:Missing|}.Next().ToString();

                    public object Create(HttpContext context)
                    {
                        var sessionId = {|CS0103:Undefined|}();
                        context.Response.Headers["Mcp-Session-Id"] = DateTime.{|CS0117:Whatever|};
                        var t = new StreamableHttpServerTransport { {|CS0117:NoSuchProperty|} = Random.Shared.Next() };
                        {|MCPSEC002:{|CS0841:nonce|} = Random.Shared.Next().ToString()|};
                        string nonce;
                        return new {|CS0246:Unknown|} { SessionId = DateTime.Now.Ticks.ToString() };
                    }
                }
                """,
        };
        return test.RunAsync();
    }

    [Fact]
    public Task GeneralFlagGuidKey_IsHonoured()
    {
        var test = new Verify.Test
        {
            TestCode = Usings + """
                public class Sessions
                {
                    public void Set(HttpResponse response) => {|MCPSEC002:response.Headers["Mcp-Session-Id"] = Guid.NewGuid().ToString()|};
                }
                """,
        };
        test.TestState.AnalyzerConfigFiles.Add(McpTestSetup.EditorConfig("mcpsec.flag_guid = true"));
        return test.RunAsync();
    }

    [Fact]
    public Task CookieAndQueryStringWrites_AreKeyValueTargets() => Verify.VerifyAsync(Usings + """
        using Microsoft.AspNetCore.WebUtilities;

        public class Login
        {
            public string Redirect(HttpResponse response, string authorizeUrl)
            {
                {|#0:response.Cookies.Append("session_id", DateTime.UtcNow.Ticks.ToString())|};
                return {|#1:QueryHelpers.AddQueryString(authorizeUrl, "state", Random.Shared.Next().ToString())|};
            }
        }
        """,
        Verify.Diagnostic("MCPSEC002").WithLocation(0).WithArguments("Session ID under key 'session_id'", "DateTime.UtcNow, which is predictable"),
        Verify.Diagnostic("MCPSEC002").WithLocation(1).WithArguments("OAuth state under key 'state'", "System.Random, which is predictable"));

    [Fact]
    public Task DocumentationSample_IsReportedOncePerDefect() => Verify.VerifyAsync(Usings + """
        public sealed class SessionFactory
        {
            private static long _next;

            public StreamableHttpServerTransport Create(HttpContext context, string userId)
            {
                var id = $"{userId}-{DateTime.UtcNow.Ticks}";
                {|MCPSEC002:context.Response.Headers["Mcp-Session-Id"] = id|};
                return new StreamableHttpServerTransport { SessionId = id };
            }

            public void Begin(Dictionary<string, string> query)
                => {|MCPSEC002:query["state"] = Interlocked.Increment(ref _next).ToString()|};
        }
        """);
}

