using System.Threading.Tasks;
using Xunit;
using Verify = McpAnalyzers.Tests.Infrastructure.AnalyzerVerifier<McpAnalyzers.Rules.ToolInputTaintAnalyzer>;

namespace McpAnalyzers.Tests.Rules;

public class MCPSEC008OutgoingRequestTests
{
    [Fact]
    public Task RequestForms() => Verify.VerifyAsync("""
        using System;
        using System.Net;
        using System.Net.Http;
        using System.Net.Sockets;
        using System.Threading.Tasks;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public sealed class FetchTools(HttpClient client)
        {
            [McpServerTool]
            public async Task<string> Fetch(string url, string host)
            {
                var text = await {|#0:client.GetStringAsync(url)|};
                var uri = new Uri(url);
                using var response = await {|MCPSEC008:client.GetAsync(uri)|};
                using var request = {|MCPSEC008:new HttpRequestMessage(HttpMethod.Get, url)|};
                await client.SendAsync(request);
                #pragma warning disable SYSLIB0014
                var legacy = {|MCPSEC008:WebRequest.Create(url)|};
                #pragma warning restore SYSLIB0014
                using var tcp = new TcpClient();
                {|MCPSEC008:tcp.Connect(host, 443)|};
                await {|MCPSEC008:client.PostAsync("http://" + host + "/api", null)|};
                return text;
            }
        }
        """,
        Verify.Diagnostic("MCPSEC008").WithLocation(0).WithArguments("Tool parameter 'url'", "HttpClient.GetStringAsync", ""));

    [Fact]
    public Task ConfinedPathAndEscapedSegmentAndHostAllowlist() => Verify.VerifyAsync("""
        using System;
        using System.Collections.Generic;
        using System.Net.Http;
        using System.Threading.Tasks;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public sealed class FetchTools(HttpClient client)
        {
            private static readonly HashSet<string> AllowedHosts = new(StringComparer.OrdinalIgnoreCase) { "api.example.com" };

            [McpServerTool]
            public async Task<string> Item(string id, string url)
            {
                var a = await client.GetStringAsync($"https://api.example.com/items/{id}");
                var b = await client.GetStringAsync("https://api.example.com/items/" + id);
                var c = await client.GetStringAsync($"items/{Uri.EscapeDataString(id)}");
                var d = await {|MCPSEC008:client.GetStringAsync($"items/{id}")|};
                var e = await {|MCPSEC008:client.GetStringAsync($"https://{id}/items")|};
                var uri = new Uri(url);
                if (uri.Scheme != Uri.UriSchemeHttps || !AllowedHosts.Contains(uri.Host))
                {
                    throw new ArgumentException("Host not allowed.", nameof(url));
                }

                var f = await client.GetStringAsync(uri);
                return a + b + c + d + e + f;
            }
        }
        """);
}
