using System.ComponentModel;
using System.Diagnostics;
using ModelContextProtocol.Server;

namespace SecureMcpServer.Tools;

[McpServerToolType]
public static class GitTools
{
    [McpServerTool(ReadOnly = true), Description("Lists the latest commits of a branch of the server's repository.")]
    public static async Task<string> GitLog([Description("The branch name.")] string branch)
    {
        // A constant executable, no shell, and the branch passed as one argument after "--end-of-options".
        var startInfo = new ProcessStartInfo
        {
            FileName = "git",
            UseShellExecute = false,
            RedirectStandardOutput = true,
        };
        startInfo.ArgumentList.Add("log");
        startInfo.ArgumentList.Add("--oneline");
        startInfo.ArgumentList.Add("-n");
        startInfo.ArgumentList.Add("20");
        startInfo.ArgumentList.Add("--end-of-options");
        startInfo.ArgumentList.Add(branch);
        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException("git did not start.");
        return await process.StandardOutput.ReadToEndAsync();
    }
}
