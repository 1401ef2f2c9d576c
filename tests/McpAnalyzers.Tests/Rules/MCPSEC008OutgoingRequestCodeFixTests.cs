using System.Threading.Tasks;
using Xunit;
using Verify = McpAnalyzers.Tests.Infrastructure.CodeFixVerifier<McpAnalyzers.Rules.ToolInputTaintAnalyzer, McpAnalyzers.CodeFixes.OutgoingRequestAllowlistCodeFixProvider>;

namespace McpAnalyzers.Tests.Rules;

public class MCPSEC008OutgoingRequestCodeFixTests
{
    [Fact]
    public Task InsertsSchemeAndHostGuardAndAllowlistField() => Verify.VerifyFixAsync("""
        using System;
        using System.Net.Http;
        using System.Net.Sockets;
        using System.Threading.Tasks;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public sealed class FetchTools(HttpClient client)
        {
            [McpServerTool]
            public async Task<string> Fetch(string url)
            {
                var text = await {|MCPSEC008:client.GetStringAsync(url)|};
                return text;
            }

            [McpServerTool]
            public Task<string> Download(string url) => {|MCPSEC008:client.GetStringAsync($"https://{url}/data")|};

            [McpServerTool]
            public async Task<int> Head(string url)
            {
                var uri = new Uri(url);
                using var response = await {|MCPSEC008:client.GetAsync(uri)|};
                return (int)response.StatusCode;
            }

            [McpServerTool]
            public void Ping(string host)
            {
                using var tcp = new TcpClient();
                {|MCPSEC008:tcp.Connect(host, 443)|};
            }
        }
        """, """
        using System;
        using System.Net.Http;
        using System.Net.Sockets;
        using System.Threading.Tasks;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public sealed class FetchTools(HttpClient client)
        {
            // The hosts this tool may call: add them here.
            private static readonly System.Collections.Generic.HashSet<string> AllowedHosts = new System.Collections.Generic.HashSet<string>(StringComparer.OrdinalIgnoreCase) { /* "api.example.com" */ };

            [McpServerTool]
            public async Task<string> Fetch(string url)
            {
                var uri = new Uri(url);
                if (uri.Scheme != Uri.UriSchemeHttps || !AllowedHosts.Contains(uri.Host))
                {
                    throw new ArgumentException("The URL is not allowed.", nameof(url));
                }
                var text = await client.GetStringAsync(uri);
                return text;
            }

            [McpServerTool]
            public Task<string> Download(string url)
            {
                var uri = new Uri($"https://{url}/data");
                if (uri.Scheme != Uri.UriSchemeHttps || !AllowedHosts.Contains(uri.Host))
                {
                    throw new ArgumentException("The URL is not allowed.");
                }

                return client.GetStringAsync(uri);
            }

            [McpServerTool]
            public async Task<int> Head(string url)
            {
                var uri = new Uri(url);
                if (uri.Scheme != Uri.UriSchemeHttps || !AllowedHosts.Contains(uri.Host))
                {
                    throw new ArgumentException("The URL is not allowed.");
                }
                using var response = await client.GetAsync(uri);
                return (int)response.StatusCode;
            }

            [McpServerTool]
            public void Ping(string host)
            {
                using var tcp = new TcpClient();
                if (!AllowedHosts.Contains(host))
                {
                    throw new ArgumentException("The host is not allowed.", nameof(host));
                }
                tcp.Connect(host, 443);
            }
        }
        """);

    [Fact]
    public Task RelativeTargetGetsNoGuard()
    {
        const string source = """
            using System.Net.Http;
            using System.Threading.Tasks;
            using ModelContextProtocol.Server;

            [McpServerToolType]
            public sealed class FetchTools(HttpClient client)
            {
                [McpServerTool]
                public Task<string> Item(string id) => {|MCPSEC008:client.GetStringAsync($"items/{id}")|};
            }
            """;
        return Verify.VerifyFixAsync(source, source);
    }

    [Fact]
    public Task GuardsAParenthesizedTarget() => Verify.VerifyFixAsync("""
        using System.Net.Http;
        using System.Threading.Tasks;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public sealed class FetchTools(HttpClient client)
        {
            [McpServerTool]
            public Task<string> Fetch(string url) => {|MCPSEC008:client.GetStringAsync((url))|};
        }
        """, """
        using System.Net.Http;
        using System.Threading.Tasks;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public sealed class FetchTools(HttpClient client)
        {
            // The hosts this tool may call: add them here.
            private static readonly System.Collections.Generic.HashSet<string> AllowedHosts = new System.Collections.Generic.HashSet<string>(System.StringComparer.OrdinalIgnoreCase) { /* "api.example.com" */ };

            [McpServerTool]
            public Task<string> Fetch(string url)
            {
                var uri = new System.Uri((url));
                if (uri.Scheme != System.Uri.UriSchemeHttps || !AllowedHosts.Contains(uri.Host))
                {
                    throw new System.ArgumentException("The URL is not allowed.", nameof(url));
                }

                return client.GetStringAsync(uri);
            }
        }
        """);
}
