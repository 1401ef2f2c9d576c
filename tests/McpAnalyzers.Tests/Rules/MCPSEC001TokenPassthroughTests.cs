using System.Threading.Tasks;
using McpAnalyzers.Tests.Infrastructure;
using Xunit;
using Verify = McpAnalyzers.Tests.Infrastructure.AnalyzerVerifier<McpAnalyzers.Rules.TokenPassthroughAnalyzer>;

namespace McpAnalyzers.Tests.Rules;

public class MCPSEC001TokenPassthroughTests
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Net.Http;
        using System.Net.Http.Headers;
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.AspNetCore.Authentication;
        using Microsoft.AspNetCore.Http;
        using ModelContextProtocol.Server;

        """;

    [Fact]
    public Task HeaderSourceForms() => Verify.VerifyAsync(Usings + """
        [McpServerToolType]
        public sealed class ProxyTools(IHttpContextAccessor accessor, HttpClient client)
        {
            [McpServerTool]
            public async Task<string> Property()
            {
                var token = accessor.HttpContext!.Request.Headers.Authorization.ToString().Replace("Bearer ", "");
                client.DefaultRequestHeaders.Authorization = {|#0:new AuthenticationHeaderValue("Bearer", token)|};
                return await client.GetStringAsync("https://api.example.com/me");
            }

            [McpServerTool]
            public async Task<string> Indexer()
            {
                string? header = accessor.HttpContext?.Request.Headers["authorization"];
                using var request = new HttpRequestMessage(HttpMethod.Get, "https://api.example.com/me");
                request.Headers.Authorization = {|#1:AuthenticationHeaderValue.Parse(header!)|};
                using var response = await client.SendAsync(request);
                return response.StatusCode.ToString();
            }

            [McpServerTool]
            public async Task<string> HeaderNamesConstant()
            {
                var header = accessor.HttpContext!.Request.Headers[Microsoft.Net.Http.Headers.HeaderNames.Authorization];
                using var request = new HttpRequestMessage(HttpMethod.Get, "https://api.example.com/me");
                {|#2:request.Headers.Add("Authorization", header.ToString())|};
                using var response = await client.SendAsync(request);
                return response.StatusCode.ToString();
            }

            [McpServerTool]
            public async Task<string> TryGetValue()
            {
                if (!accessor.HttpContext!.Request.Headers.TryGetValue("Authorization", out var values))
                {
                    return "anonymous";
                }

                var token = values.ToString().Substring("Bearer ".Length);
                using var request = new HttpRequestMessage(HttpMethod.Get, "https://api.example.com/me");
                {|#3:request.Headers.TryAddWithoutValidation("authorization", $"Bearer {token}")|};
                using var response = await client.SendAsync(request);
                return response.StatusCode.ToString();
            }

            [McpServerTool]
            public async Task<string> SplitAndAssign()
            {
                var token = accessor.HttpContext!.Request.Headers.Authorization.ToString().Split(' ')[1];
                var value = {|#4:new AuthenticationHeaderValue("Bearer", token)|};
                client.DefaultRequestHeaders.Authorization = value;
                return await client.GetStringAsync("https://api.example.com/me");
            }
        }
        """,
        Verify.Diagnostic("MCPSEC001").WithLocation(0).WithArguments("The incoming Authorization header", "new AuthenticationHeaderValue(...)", ""),
        Verify.Diagnostic("MCPSEC001").WithLocation(1).WithArguments("The incoming Authorization header", "AuthenticationHeaderValue.Parse", ""),
        Verify.Diagnostic("MCPSEC001").WithLocation(2).WithArguments("The incoming Authorization header", "HttpRequestHeaders.Add(\"Authorization\", ...)", ""),
        Verify.Diagnostic("MCPSEC001").WithLocation(3).WithArguments("The incoming Authorization header", "HttpRequestHeaders.TryAddWithoutValidation(\"Authorization\", ...)", ""),
        Verify.Diagnostic("MCPSEC001").WithLocation(4).WithArguments("The incoming Authorization header", "new AuthenticationHeaderValue(...)", ""));

    [Fact]
    public Task AzureCredentialBuiltFromTheIncomingToken() => Verify.VerifyAsync(Usings + """
        using Azure.Core;

        public sealed class ForwardingCredential(IHttpContextAccessor accessor) : TokenCredential
        {
            public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
            {
                var token = accessor.HttpContext!.Request.Headers.Authorization.ToString().Substring("Bearer ".Length);
                return {|#0:new AccessToken(token, DateTimeOffset.UtcNow.AddMinutes(5))|};
            }

            public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
                => new(GetToken(requestContext, cancellationToken));
        }

        public sealed class OwnCredential(string appToken) : TokenCredential
        {
            // A token the server obtained for itself is not passthrough.
            public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
                => new AccessToken(appToken, DateTimeOffset.UtcNow.AddMinutes(5));

            public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
                => new(GetToken(requestContext, cancellationToken));
        }
        """,
        Verify.Diagnostic("MCPSEC001").WithLocation(0).WithArguments("The incoming Authorization header", "new AccessToken(...)", ""));

    [Fact]
    public Task TokenApisInMinimalApiHandlers() => Verify.VerifyProgramAsync("""
        using System.Net.Http;
        using System.Net.Http.Headers;
        using Microsoft.AspNetCore.Authentication;
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Http;
        using Microsoft.Extensions.DependencyInjection;

        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddMcpServer().WithHttpTransport();
        var app = builder.Build();

        app.MapGet("/a", async (HttpContext context, HttpClient client) =>
        {
            var token = await context.GetTokenAsync("access_token");
            client.DefaultRequestHeaders.Authorization = {|#0:new AuthenticationHeaderValue("Bearer", token)|};
            return await client.GetStringAsync("https://api.example.com/a");
        });

        app.MapGet("/b", async (HttpContext context, HttpClient client) =>
        {
            var result = await context.AuthenticateAsync();
            var token = result.Properties?.GetTokenValue("access_token");
            {|MCPSEC001:client.DefaultRequestHeaders.Add("Authorization", "Bearer " + token)|};
            return await client.GetStringAsync("https://api.example.com/b");
        });

        app.MapMcp();
        app.Run();
        """,
        Verify.Diagnostic("MCPSEC001").WithLocation(0).WithArguments("The incoming 'access_token' (GetTokenAsync)", "new AuthenticationHeaderValue(...)", ""));

    [Fact]
    public Task JwtBearerEventTokens() => Verify.VerifyProgramAsync("""
        using System.IdentityModel.Tokens.Jwt;
        using System.Net.Http;
        using System.Net.Http.Headers;
        using Microsoft.AspNetCore.Authentication.JwtBearer;
        using Microsoft.AspNetCore.Builder;
        using Microsoft.Extensions.DependencyInjection;
        using Microsoft.IdentityModel.JsonWebTokens;

        var builder = WebApplication.CreateBuilder(args);
        var audit = new HttpClient();
        builder.Services.AddAuthentication().AddJwtBearer(options =>
        {
            options.Events = new JwtBearerEvents
            {
                OnMessageReceived = async context =>
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, "https://audit.example.com/seen");
                    request.Headers.Authorization = {|#0:new AuthenticationHeaderValue("Bearer", context.Token)|};
                    await audit.SendAsync(request);
                },
                OnTokenValidated = async context =>
                {
                    var raw = context.SecurityToken is JsonWebToken jwt ? jwt.EncodedToken : ((JwtSecurityToken)context.SecurityToken).RawData;
                    using var request = new HttpRequestMessage(HttpMethod.Post, "https://audit.example.com/valid");
                    {|MCPSEC001:request.Headers.Add("Authorization", "Bearer " + raw)|};
                    await audit.SendAsync(request);
                },
            };
        });
        var app = builder.Build();
        app.Run();
        """,
        Verify.Diagnostic("MCPSEC001").WithLocation(0).WithArguments("The incoming bearer token (MessageReceivedContext.Token)", "new AuthenticationHeaderValue(...)", ""));

    [Fact]
    public Task DelegatingHandlerWithHttpContextAccessor() => Verify.VerifyAsync(Usings + """
        public sealed class ForwardTokenHandler(IHttpContextAccessor accessor) : DelegatingHandler
        {
            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                var header = accessor.HttpContext?.Request.Headers.Authorization.FirstOrDefault();
                if (header is not null)
                {
                    request.Headers.Authorization = {|MCPSEC001:AuthenticationHeaderValue.Parse(header)|};
                }

                return base.SendAsync(request, cancellationToken);
            }
        }
        """);

    [Fact]
    public Task TokenStoredInFieldAndForwardedLater() => Verify.VerifyAsync(Usings + """
        public sealed class DownstreamClient(HttpClient client)
        {
            private string? _token;

            public AuthenticationHeaderValue? Cached { get; private set; }

            public void Capture(HttpContext context)
            {
                _token = context.Request.Headers.Authorization.ToString()["Bearer ".Length..];
            }

            public void CaptureHeader(HttpRequest request)
            {
                if ({|MCPSEC001:AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var parsed)|})
                {
                    Cached = parsed;
                }
            }

            public Task<string> CallAsync()
            {
                client.DefaultRequestHeaders.Authorization = {|MCPSEC001:new AuthenticationHeaderValue("Bearer", _token)|};
                return client.GetStringAsync("https://api.example.com/data");
            }
        }
        """);

    // A readonly field or get-only property can only be assigned by a constructor: read in another method, it carries the
    // token only when a constructor of the type reads one (not when the type's other methods do).
    [Fact]
    public Task ReadonlyStateIsTaintedOnlyWhenAConstructorReadsTheToken() => Verify.VerifyAsync(Usings + """
        public sealed class ConstructorCapture
        {
            private readonly HttpClient _client = new();
            private readonly string _token;

            public ConstructorCapture(IHttpContextAccessor accessor)
            {
                _token = accessor.HttpContext!.Request.Headers.Authorization.ToString();
            }

            public Task<string> CallAsync()
            {
                {|MCPSEC001:_client.DefaultRequestHeaders.Add("Authorization", _token)|};
                return _client.GetStringAsync("https://api.example.com/data");
            }
        }

        public sealed class MethodCapture
        {
            private readonly HttpClient _client = new();
            private readonly string _token = "service-token";

            public string Peek(HttpRequest request) => request.Headers.Authorization.ToString();

            public Task<string> CallAsync()
            {
                _client.DefaultRequestHeaders.Add("Authorization", _token);
                return _client.GetStringAsync("https://api.example.com/data");
            }
        }
        """);

    // The engine's syntactic pre-check skips bodies without a source-like name or indexer: a body that only reads a
    // field filled by another method, and a header key that is a constant declared in another class, must still be seen.
    [Fact]
    public Task PreFilterKeepsFieldReadsAndConstantKeysDeclaredElsewhere() => Verify.VerifyAsync(Usings + """
        public static class HeaderKeys
        {
            public const string Auth = "Authorization";
        }

        public sealed class Forwarder(HttpClient client)
        {
            private string? _token;

            public void Capture(HttpRequest request) => _token = request.Headers.Authorization;

            public Task<string> CallAsync()
            {
                {|MCPSEC001:client.DefaultRequestHeaders.Add("Authorization", "Bearer " + _token)|};
                return client.GetStringAsync("https://api.example.com/data");
            }

            public Task<string> CallWithKeyAsync(HttpRequest request)
            {
                var token = request.Headers[HeaderKeys.Auth].ToString();
                {|MCPSEC001:client.DefaultRequestHeaders.Add("Authorization", token)|};
                return client.GetStringAsync("https://api.example.com/data");
            }

            public Task<string> NoSource(string[] values)
            {
                client.DefaultRequestHeaders.Add("Authorization", values[0]);
                return client.GetStringAsync("https://api.example.com/data");
            }
        }
        """);

    [Fact]
    public Task HelperMethodPathIsNamed() => Verify.VerifyAsync(Usings + """
        [McpServerToolType]
        public sealed class ProxyTools(IHttpContextAccessor accessor, HttpClient client)
        {
            [McpServerTool]
            public Task<string> Me() => Call(accessor.HttpContext!.Request.Headers.Authorization!);

            private Task<string> Call(string header)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "https://api.example.com/me");
                {|#0:request.Headers.Add("Authorization", header)|};
                return client.GetStringAsync("https://api.example.com/me");
            }
        }
        """,
        Verify.Diagnostic("MCPSEC001").WithLocation(0).WithArguments("The incoming Authorization header", "HttpRequestHeaders.Add(\"Authorization\", ...)", " through Call(string)"));

    [Fact]
    public Task McpClientTransportHeaders() => Verify.VerifyAsync(Usings + """
        using ModelContextProtocol.Client;

        [McpServerToolType]
        public sealed class GatewayTools(IHttpContextAccessor accessor)
        {
            [McpServerTool]
            public HttpClientTransportOptions Options()
            {
                var header = accessor.HttpContext!.Request.Headers.Authorization.ToString();
                var options = new HttpClientTransportOptions
                {
                    Endpoint = new Uri("https://other.example.com/mcp"),
                    {|MCPSEC001:AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = header }|},
                };
                {|MCPSEC001:options.AdditionalHeaders["X-Forwarded-Authorization"] = header|};
                return options;
            }
        }
        """);

    [Fact]
    public Task OnBehalfOfAndTokenExchangeAreNotFlagged() => Verify.VerifyAsync(Usings + """
        using System.Net.Http.Json;
        using Microsoft.Identity.Abstractions;
        using Microsoft.Identity.Client;
        using Microsoft.Identity.Web;

        public sealed record ExchangeResponse(string access_token);

        [McpServerToolType]
        public sealed class DownstreamTools(IHttpContextAccessor accessor, HttpClient client, ITokenAcquisition tokens,
            IAuthorizationHeaderProvider headers, IConfidentialClientApplication msal)
        {
            private static readonly string[] Scopes = ["api://downstream/.default"];

            [McpServerTool]
            public async Task<string> ViaTokenAcquisition()
            {
                var token = await tokens.GetAccessTokenForUserAsync(Scopes);
                client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
                return await client.GetStringAsync("https://api.example.com/a");
            }

            [McpServerTool]
            public async Task<string> ViaHeaderProvider()
            {
                var header = await headers.CreateAuthorizationHeaderForUserAsync(Scopes);
                client.DefaultRequestHeaders.Authorization = AuthenticationHeaderValue.Parse(header);
                return await client.GetStringAsync("https://api.example.com/b");
            }

            [McpServerTool]
            public async Task<string> ViaMsalOnBehalfOf()
            {
                var incoming = accessor.HttpContext!.Request.Headers.Authorization.ToString().Replace("Bearer ", "");
                var result = await msal.AcquireTokenOnBehalfOf(Scopes, new UserAssertion(incoming)).ExecuteAsync();
                client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", result.AccessToken);
                return await client.GetStringAsync("https://api.example.com/c");
            }

            [McpServerTool]
            public async Task<string> ViaRfc8693Exchange()
            {
                var incoming = accessor.HttpContext!.Request.Headers.Authorization.ToString()["Bearer ".Length..];
                using var form = new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["grant_type"] = "urn:ietf:params:oauth:grant-type:token-exchange",
                    ["subject_token"] = incoming,
                    ["subject_token_type"] = "urn:ietf:params:oauth:token-type:access_token",
                    ["audience"] = "https://api.example.com",
                });
                using var response = await client.PostAsync("https://sts.example.com/token", form);
                var exchanged = await response.Content.ReadFromJsonAsync<ExchangeResponse>();
                using var request = new HttpRequestMessage(HttpMethod.Get, "https://api.example.com/d");
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", exchanged!.access_token);
                using var final = await client.SendAsync(request);
                return final.StatusCode.ToString();
            }

            [McpServerTool]
            public async Task<string> ClientCredentials(Microsoft.Extensions.Configuration.IConfiguration configuration)
            {
                var app = await msal.AcquireTokenForClient(Scopes).ExecuteAsync();
                client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", app.AccessToken);
                var own = await tokens.GetAccessTokenForAppAsync("api://downstream/.default");
                client.DefaultRequestHeaders.Add("Authorization", "Bearer " + own);
                client.DefaultRequestHeaders.Add("X-Api-Key", configuration["Downstream:ApiKey"]);
                client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", configuration["Downstream:Token"]);
                return await client.GetStringAsync("https://api.example.com/e");
            }

            [McpServerTool]
            public async Task<string> ClaimsAndOtherHeaders()
            {
                var user = accessor.HttpContext!.User.FindFirst("sub")?.Value;
                var requestId = accessor.HttpContext.Request.Headers["X-Request-Id"].ToString();
                var hasToken = !string.IsNullOrEmpty(accessor.HttpContext.Request.Headers.Authorization);
                client.DefaultRequestHeaders.Add("X-User", user);
                client.DefaultRequestHeaders.Add("X-Request-Id", requestId);
                client.DefaultRequestHeaders.Add("Authorization", hasToken ? "Bearer fixed" : "none");
                return await client.GetStringAsync("https://api.example.com/f");
            }
        }
        """);

    [Fact]
    public Task LookAlikesAreNotFlagged() => Verify.VerifyAsync(Usings + """
        namespace Other
        {
            public sealed class Headers { public string Authorization { get; set; } = ""; public string this[string key] => key; }
            public sealed class Context { public string Token { get; set; } = ""; }
        }

        [McpServerToolType]
        public sealed class Tools(HttpClient client)
        {
            [McpServerTool]
            public Task<string> A(Other.Headers headers, Other.Context context, HttpRequestMessage outgoing)
            {
                client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", headers.Authorization + headers["Authorization"] + context.Token);
                client.DefaultRequestHeaders.Authorization = outgoing.Headers.Authorization;
                return client.GetStringAsync("https://api.example.com/a");
            }
        }
        """);

    [Fact]
    public Task IncompleteCodeDoesNotThrow() => new AnalyzerVerifier<McpAnalyzers.Rules.TokenPassthroughAnalyzer>.Test
    {
        TestCode = Usings + """
            public sealed partial class Broken(IHttpContextAccessor accessor, HttpClient client)
            {
                public void A()
                {
                    var token = accessor.HttpContext!.Request.Headers.Authorization;
                    {|MCPSEC001:client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(token, {|CS0103:nothing|})|};
                    client.DefaultRequestHeaders.Add("Authorization", {|CS0103:missing|});
                    accessor.HttpContext.Request.Headers.TryGetValue("Authorization", {|CS1620:token|});
                    {|CS0103:Unknown|}.Headers.Authorization = token;
                    client.DefaultRequestHeaders.Authorization = {|MCPSEC001:AuthenticationHeaderValue.Parse(token)|};
                }

                public partial void {|CS8795:B|}(string token);
            }
            """,
    }.RunAsync();
}
