using System.ComponentModel;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text.Json;
using ModelContextProtocol.Server;

namespace SecureMcpServer.Tools;

[McpServerToolType]
public sealed class TicketTools(IHttpContextAccessor httpContextAccessor, IHttpClientFactory httpClientFactory, IConfiguration configuration, ILogger<TicketTools> logger)
{
    private const string TicketService = "https://tickets.example.com/";

    [McpServerTool(ReadOnly = true, OpenWorld = true), Description("Lists the caller's open tickets from the ticket service.")]
    public async Task<string> ListMyTickets(CancellationToken cancellationToken)
    {
        var context = httpContextAccessor.HttpContext ?? throw new InvalidOperationException("No HTTP request.");
        logger.LogInformation("Listing tickets for {User}", context.User.FindFirst(ClaimTypes.NameIdentifier)?.Value);
        using var client = httpClientFactory.CreateClient();

        // RFC 8693 token exchange: the authorization server issues a token whose audience is the ticket service.
        var subjectToken = context.Request.Headers.Authorization.ToString().Replace("Bearer ", string.Empty, StringComparison.OrdinalIgnoreCase);
        using var exchange = await client.PostAsync(
            configuration["Auth:TokenEndpoint"],
            new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "urn:ietf:params:oauth:grant-type:token-exchange",
                ["subject_token"] = subjectToken,
                ["subject_token_type"] = "urn:ietf:params:oauth:token-type:access_token",
                ["audience"] = TicketService,
            }),
            cancellationToken);
        exchange.EnsureSuccessStatusCode();
        using var tokenResponse = JsonDocument.Parse(await exchange.Content.ReadAsStringAsync(cancellationToken));
        var ticketServiceToken = tokenResponse.RootElement.GetProperty("access_token").GetString();

        using var request = new HttpRequestMessage(HttpMethod.Get, TicketService + "api/tickets?assignee=me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ticketServiceToken);
        using var response = await client.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync(cancellationToken);
    }
}
