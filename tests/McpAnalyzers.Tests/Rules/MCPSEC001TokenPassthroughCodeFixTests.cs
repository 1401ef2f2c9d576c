using System.Threading.Tasks;
using Xunit;
using Verify = McpAnalyzers.Tests.Infrastructure.CodeFixVerifier<McpAnalyzers.Rules.TokenPassthroughAnalyzer, McpAnalyzers.CodeFixes.TokenPassthroughCodeFixProvider>;

namespace McpAnalyzers.Tests.Rules;

public class MCPSEC001TokenPassthroughCodeFixTests
{
    [Fact]
    public Task ToolMethodGetsServiceParametersAndFixAllSharesThem() => Verify.VerifyFixAsync("""
        using System.Net.Http;
        using System.Net.Http.Headers;
        using System.Threading.Tasks;
        using Microsoft.AspNetCore.Http;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public sealed class ProxyTools(IHttpContextAccessor accessor, HttpClient client)
        {
            [McpServerTool]
            public async Task<string> Me()
            {
                var token = accessor.HttpContext!.Request.Headers.Authorization.ToString().Replace("Bearer ", "");
                using var request = new HttpRequestMessage(HttpMethod.Get, "https://api.example.com/me");
                request.Headers.Authorization = {|MCPSEC001:new AuthenticationHeaderValue("Bearer", token)|};
                {|MCPSEC001:request.Headers.Add("Authorization", "Bearer " + token)|};
                using var response = await client.SendAsync(request);
                return await response.Content.ReadAsStringAsync();
            }
        }
        """, """
        using System;
        using System.Net.Http;
        using System.Net.Http.Headers;
        using System.Threading.Tasks;
        using Microsoft.AspNetCore.Http;
        using Microsoft.Extensions.Configuration;
        using Microsoft.Identity.Abstractions;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public sealed class ProxyTools(IHttpContextAccessor accessor, HttpClient client)
        {
            [McpServerTool]
            public async Task<string> Me(IAuthorizationHeaderProvider authorizationHeaderProvider, IConfiguration configuration)
            {
                var token = accessor.HttpContext!.Request.Headers.Authorization.ToString().Replace("Bearer ", "");
                using var request = new HttpRequestMessage(HttpMethod.Get, "https://api.example.com/me");
                request.Headers.Authorization = AuthenticationHeaderValue.Parse(await authorizationHeaderProvider.CreateAuthorizationHeaderForUserAsync(configuration.GetSection("DownstreamApi:Scopes").Get<string[]>() ?? Array.Empty<string>()));
                request.Headers.Add("Authorization", await authorizationHeaderProvider.CreateAuthorizationHeaderForUserAsync(configuration.GetSection("DownstreamApi:Scopes").Get<string[]>() ?? Array.Empty<string>()));
                using var response = await client.SendAsync(request);
                return await response.Content.ReadAsStringAsync();
            }
        }
        """);

    [Fact]
    public Task DelegatingHandlerGetsPrimaryConstructorParametersAndReusesConfiguration() => Verify.VerifyFixAsync("""
        using System.Net.Http;
        using System.Net.Http.Headers;
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.AspNetCore.Http;
        using Microsoft.Extensions.Configuration;

        public sealed class ForwardTokenHandler(IHttpContextAccessor accessor, IConfiguration settings) : DelegatingHandler
        {
            protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                var header = accessor.HttpContext!.Request.Headers.Authorization.ToString();
                request.Headers.Authorization = {|MCPSEC001:AuthenticationHeaderValue.Parse(header)|};
                return await base.SendAsync(request, cancellationToken);
            }
        }
        """, """
        using System;
        using System.Net.Http;
        using System.Net.Http.Headers;
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.AspNetCore.Http;
        using Microsoft.Extensions.Configuration;
        using Microsoft.Identity.Abstractions;

        public sealed class ForwardTokenHandler(IHttpContextAccessor accessor, IConfiguration settings, IAuthorizationHeaderProvider authorizationHeaderProvider) : DelegatingHandler
        {
            protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                var header = accessor.HttpContext!.Request.Headers.Authorization.ToString();
                request.Headers.Authorization = AuthenticationHeaderValue.Parse(await authorizationHeaderProvider.CreateAuthorizationHeaderForUserAsync(settings.GetSection("DownstreamApi:Scopes").Get<string[]>() ?? Array.Empty<string>()));
                return await base.SendAsync(request, cancellationToken);
            }
        }
        """);

    [Fact]
    public Task ServiceWithConstructorGetsFields() => Verify.VerifyFixAsync("""
        using System.Net.Http;
        using System.Net.Http.Headers;
        using System.Threading.Tasks;
        using Microsoft.AspNetCore.Http;

        public sealed class DownstreamClient
        {
            private readonly HttpClient _client;

            public DownstreamClient(HttpClient client)
            {
                _client = client;
            }

            public async Task<string> CallAsync(HttpContext context)
            {
                string? token = context.Request.Headers.Authorization;
                _client.DefaultRequestHeaders.Authorization = {|MCPSEC001:new AuthenticationHeaderValue("Bearer", token)|};
                return await _client.GetStringAsync("https://api.example.com/data");
            }
        }
        """, """
        using System;
        using System.Net.Http;
        using System.Net.Http.Headers;
        using System.Threading.Tasks;
        using Microsoft.AspNetCore.Http;
        using Microsoft.Extensions.Configuration;
        using Microsoft.Identity.Abstractions;

        public sealed class DownstreamClient
        {
            private readonly IConfiguration _configuration;
            private readonly IAuthorizationHeaderProvider _authorizationHeaderProvider;
            private readonly HttpClient _client;

            public DownstreamClient(HttpClient client, IAuthorizationHeaderProvider authorizationHeaderProvider, IConfiguration configuration)
            {
                _client = client;
                _authorizationHeaderProvider = authorizationHeaderProvider;
                _configuration = configuration;
            }

            public async Task<string> CallAsync(HttpContext context)
            {
                string? token = context.Request.Headers.Authorization;
                _client.DefaultRequestHeaders.Authorization = AuthenticationHeaderValue.Parse(await _authorizationHeaderProvider.CreateAuthorizationHeaderForUserAsync(_configuration.GetSection("DownstreamApi:Scopes").Get<string[]>() ?? Array.Empty<string>()));
                return await _client.GetStringAsync("https://api.example.com/data");
            }
        }
        """);

    [Fact]
    public Task NoFixWhenNotAsync() => Verify.VerifyFixAsync("""
        using System.Net.Http;
        using System.Net.Http.Headers;
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.AspNetCore.Http;

        public sealed class ForwardTokenHandler(IHttpContextAccessor accessor) : DelegatingHandler
        {
            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                request.Headers.Authorization = {|MCPSEC001:AuthenticationHeaderValue.Parse(accessor.HttpContext!.Request.Headers.Authorization!)|};
                return base.SendAsync(request, cancellationToken);
            }
        }
        """, """
        using System.Net.Http;
        using System.Net.Http.Headers;
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.AspNetCore.Http;

        public sealed class ForwardTokenHandler(IHttpContextAccessor accessor) : DelegatingHandler
        {
            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                request.Headers.Authorization = {|MCPSEC001:AuthenticationHeaderValue.Parse(accessor.HttpContext!.Request.Headers.Authorization!)|};
                return base.SendAsync(request, cancellationToken);
            }
        }
        """);
}
