using System.ComponentModel;
using System.Security.Claims;
using ModelContextProtocol.Server;

namespace SecureMcpServer.Tools;

[McpServerToolType]
public sealed class AccountTools(IHttpContextAccessor httpContextAccessor)
{
    [McpServerTool(ReadOnly = true), Description("Returns the caller's account id.")]
    public string GetMyAccountId()
    {
        var context = httpContextAccessor.HttpContext ?? throw new InvalidOperationException("No HTTP request.");
        // The identity of this request, from its validated bearer token.
        return context.User.FindFirst(ClaimTypes.NameIdentifier)?.Value ?? "anonymous";
    }
}
