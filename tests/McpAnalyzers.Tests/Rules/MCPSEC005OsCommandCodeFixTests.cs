using System.Threading.Tasks;
using Xunit;
using Verify = McpAnalyzers.Tests.Infrastructure.CodeFixVerifier<McpAnalyzers.Rules.ToolInputTaintAnalyzer, McpAnalyzers.CodeFixes.OsCommandArgumentListCodeFixProvider>;

namespace McpAnalyzers.Tests.Rules;

public class MCPSEC005OsCommandCodeFixTests
{
    [Fact]
    public Task RewritesEveryCommandLineFormToArgumentList() => Verify.VerifyFixAsync("""
        using System.Diagnostics;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public static class GitTools
        {
            [McpServerTool]
            public static void Log(string branch, string author, int count)
            {
                {|MCPSEC005:Process.Start("git", "log " + branch)|};
                var psi = {|MCPSEC005:new ProcessStartInfo("git", $"log --author={author} -n {count}") { RedirectStandardOutput = true }|};
                var psi2 = new ProcessStartInfo { FileName = "git", {|MCPSEC005:Arguments = $"show \"{branch}\""|}, UseShellExecute = true };
                var psi3 = new ProcessStartInfo { FileName = "git" };
                {|MCPSEC005:psi3.Arguments = "checkout " + branch|};
                {|MCPSEC005:Process.Start("bash", $"-c \"grep {author} /var/log/app.log\"")|};
            }
        }
        """, """
        using System.Diagnostics;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public static class GitTools
        {
            [McpServerTool]
            public static void Log(string branch, string author, int count)
            {
                Process.Start(new ProcessStartInfo { FileName = "git", ArgumentList = { "log", branch }, UseShellExecute = false });
                var psi = new ProcessStartInfo { FileName = "git", ArgumentList = { "log", $"--author={author}", "-n", $"{count}" }, UseShellExecute = false, RedirectStandardOutput = true };
                var psi2 = new ProcessStartInfo { FileName = "git", ArgumentList = { "show", branch }, UseShellExecute = false };
                var psi3 = new ProcessStartInfo { FileName = "git" };
                psi3.ArgumentList.Add("checkout");
                psi3.ArgumentList.Add(branch);
                Process.Start(new ProcessStartInfo { FileName = "grep", ArgumentList = { author, "/var/log/app.log" }, UseShellExecute = false });
            }
        }
        """);

    [Fact]
    public Task NoFixWhereTheRewriteIsNotWellDefined()
    {
        const string source = """
            using System.Diagnostics;
            using ModelContextProtocol.Server;

            [McpServerToolType]
            public static class ShellTools
            {
                [McpServerTool]
                public static void Run(string command, string path)
                {
                    {|MCPSEC005:Process.Start(command)|};
                    {|MCPSEC005:Process.Start(command, "--version")|};
                    {|MCPSEC005:Process.Start("cmd.exe", "/c dir " + path)|};
                    {|MCPSEC005:Process.Start("bash", $"-c \"cat {path} | wc -l\"")|};
                    {|MCPSEC005:Process.Start("bash", $"-c \"cd {path}\"")|};
                    {|MCPSEC005:Process.Start("git", $"log C:\\{path}")|};
                    var psi = new ProcessStartInfo { FileName = "bash" };
                    {|MCPSEC005:psi.Arguments = "-c " + command|};
                }
            }
            """;
        return Verify.VerifyFixAsync(source, source);
    }

    [Fact]
    public Task NoFixForAPowerShellScript()
    {
        // A script is PowerShell syntax, not a command line: there is no argument list to split it into.
        const string source = """
            using System.Management.Automation;
            using ModelContextProtocol.Server;

            [McpServerToolType]
            public static class PowerShellTools
            {
                [McpServerTool]
                public static void Run(string script)
                {
                    using var shell = PowerShell.Create();
                    {|MCPSEC005:shell.AddScript(script)|};
                }
            }
            """;
        return Verify.VerifyFixAsync(source, source);
    }
}
