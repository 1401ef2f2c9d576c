using System.ComponentModel;
using ModelContextProtocol.Server;

namespace InsecureMcpServer.Tools;

[McpServerToolType]
public sealed class AccountTools(IHttpContextAccessor httpContextAccessor)
{
    [McpServerTool(ReadOnly = true), Description("Returns the caller's account id.")]
    public string GetMyAccountId()
    {
        var context = httpContextAccessor.HttpContext ?? throw new InvalidOperationException("No HTTP request.");
        // Whoever holds the session cookie is taken for the user: the bearer token is never consulted.
        return context.Session.GetString("UserId") ?? "anonymous";
    }
}
