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

public class MCPSEC008OutgoingRequestSinkTests
{
    [Fact]
    public Task SocketTcpClientWebClientAndWebRequestSinks() => Verify.VerifyAsync("""
        using System;
        using System.Net;
        using System.Net.Sockets;
        using System.Threading.Tasks;
        using ModelContextProtocol.Server;

        #pragma warning disable SYSLIB0014
        [McpServerToolType]
        public static class NetTools
        {
            [McpServerTool]
            public static async Task<string> Probe(string host, string url, int port)
            {
                using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                {|#0:socket.Connect(host, port)|};
                await {|MCPSEC008:socket.ConnectAsync(host, port)|};
                using var tcp = {|MCPSEC008:new TcpClient(host, port)|};
                using var tcp2 = new TcpClient();
                {|MCPSEC008:tcp2.Connect(host, port)|};
                await {|MCPSEC008:tcp2.ConnectAsync(host, port)|};
                using var web = new WebClient();
                var text = {|MCPSEC008:web.DownloadString(url)|};
                var text2 = {|MCPSEC008:web.DownloadString(new Uri(url))|};
                var request = {|MCPSEC008:WebRequest.Create(url)|};
                var request2 = {|MCPSEC008:WebRequest.CreateHttp(url)|};

                // A port from tool input alone does not choose the destination.
                socket.Connect("db.internal", port);
                return text + text2;
            }
        }
        """,
        Verify.Diagnostic("MCPSEC008").WithLocation(0).WithArguments("Tool parameter 'host'", "Socket.Connect", ""));

    [Fact]
    public Task DtoMemberAndStaticFieldReachTheRequest() => Verify.VerifyAsync("""
        using System.Net.Http;
        using System.Threading.Tasks;
        using ModelContextProtocol.Server;

        public sealed class FetchRequest
        {
            public string Url { get; set; } = "";
            public int Retries { get; set; }
        }

        [McpServerToolType]
        public sealed class FetchTools(HttpClient client)
        {
            private static string s_lastUrl = "https://example.com/";

            [McpServerTool]
            public Task<string> Fetch(FetchRequest request) => {|#0:client.GetStringAsync(request.Url)|};

            [McpServerTool]
            public Task<string> Remember(string url)
            {
                s_lastUrl = url;
                return {|MCPSEC008:client.GetStringAsync(s_lastUrl)|};
            }
        }
        """,
        Verify.Diagnostic("MCPSEC008").WithLocation(0).WithArguments("Tool parameter 'request'", "HttpClient.GetStringAsync", ""));
}
