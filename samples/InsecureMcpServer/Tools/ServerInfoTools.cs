using System.ComponentModel;
using System.Globalization;
using ModelContextProtocol.Server;

namespace InsecureMcpServer.Tools;

[McpServerToolType]
public static class ServerInfoTools
{
    [McpServerTool(ReadOnly = true), Description("Returns the server's current UTC time in ISO 8601 format.")]
    public static string GetServerTime() => DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
}
