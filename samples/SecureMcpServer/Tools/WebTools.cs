using System.ComponentModel;
using ModelContextProtocol;
using ModelContextProtocol.Server;

namespace SecureMcpServer.Tools;

[McpServerToolType]
public sealed class WebTools(IHttpClientFactory httpClientFactory)
{
    private static readonly HashSet<string> AllowedHosts = new(StringComparer.OrdinalIgnoreCase)
    {
        "learn.microsoft.com",
        "modelcontextprotocol.io",
    };

    [McpServerTool(ReadOnly = true, OpenWorld = true), Description("Fetches a page of the documentation sites and returns its text.")]
    public async Task<string> FetchPage([Description("The page URL.")] string url, CancellationToken cancellationToken)
    {
        var uri = new Uri(url, UriKind.Absolute);
        if (uri.Scheme != Uri.UriSchemeHttps || !AllowedHosts.Contains(uri.Host))
        {
            throw new McpException("Only HTTPS pages of the documentation sites can be fetched.");
        }

        using var client = httpClientFactory.CreateClient();
        return await client.GetStringAsync(uri, cancellationToken);
    }
}
