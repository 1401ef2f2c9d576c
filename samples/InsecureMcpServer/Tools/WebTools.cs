using System.ComponentModel;
using ModelContextProtocol.Server;

namespace InsecureMcpServer.Tools;

[McpServerToolType]
public sealed class WebTools(IHttpClientFactory httpClientFactory)
{
    [McpServerTool(ReadOnly = true, OpenWorld = true), Description("Fetches a web page and returns its text.")]
    public async Task<string> FetchPage([Description("The page URL.")] string url, CancellationToken cancellationToken)
    {
        using var client = httpClientFactory.CreateClient();
        // "http://169.254.169.254/latest/meta-data/" reads cloud credentials from inside the network.
        return await client.GetStringAsync(url, cancellationToken);
    }
}
