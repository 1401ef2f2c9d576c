using System.ComponentModel;
using System.Net.Http.Headers;
using ModelContextProtocol.Server;

namespace InsecureMcpServer.Tools;

[McpServerToolType]
public sealed class TicketTools(IHttpContextAccessor httpContextAccessor, IHttpClientFactory httpClientFactory, ILogger<TicketTools> logger)
{
    [McpServerTool(ReadOnly = true, OpenWorld = true), Description("Lists the caller's open tickets from the ticket service.")]
    public async Task<string> ListMyTickets(CancellationToken cancellationToken)
    {
        var authorization = httpContextAccessor.HttpContext?.Request.Headers.Authorization.ToString() ?? string.Empty;
        // The caller's bearer token ends up in the log files.
        logger.LogInformation("Calling the ticket service with {Authorization}", authorization);
        using var client = httpClientFactory.CreateClient();
        // Token passthrough: the ticket service receives a token that was issued for this MCP server.
        client.DefaultRequestHeaders.Authorization = AuthenticationHeaderValue.Parse(authorization);
        return await client.GetStringAsync("https://tickets.example.com/api/tickets?assignee=me", cancellationToken);
    }
}
