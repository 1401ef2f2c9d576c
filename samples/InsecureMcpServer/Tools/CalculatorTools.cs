using System.ComponentModel;
using System.Data;
using System.Globalization;
using ModelContextProtocol.Server;

namespace InsecureMcpServer.Tools;

[McpServerToolType]
public static class CalculatorTools
{
    [McpServerTool(ReadOnly = true), Description("Evaluates an arithmetic expression such as '2 * (3 + 4)'.")]
    public static string Calculate([Description("The expression.")] string expression)
        // DataTable.Compute is an expression language: input chooses what it evaluates.
        => Convert.ToString(new DataTable().Compute(expression, null), CultureInfo.InvariantCulture) ?? string.Empty;
}
