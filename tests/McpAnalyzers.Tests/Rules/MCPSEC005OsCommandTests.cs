using System.Threading.Tasks;
using Xunit;
using Verify = McpAnalyzers.Tests.Infrastructure.AnalyzerVerifier<McpAnalyzers.Rules.ToolInputTaintAnalyzer>;

namespace McpAnalyzers.Tests.Rules;

public class MCPSEC005OsCommandTests
{
    [Fact]
    public Task ProcessStartForms() => Verify.VerifyAsync("""
        using System.Diagnostics;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public static class ShellTools
        {
            [McpServerTool]
            public static void Run(string command, string args)
            {
                {|#0:Process.Start(command)|};
                {|MCPSEC005:Process.Start("git", args)|};
                {|MCPSEC005:Process.Start("bash", $"-c \"{command}\"")|};
                var psi = {|MCPSEC005:new ProcessStartInfo("git", "log " + args)|};
                var psi2 = new ProcessStartInfo { {|MCPSEC005:FileName = command|}, UseShellExecute = false };
                {|MCPSEC005:psi2.Arguments = args|};
            }
        }
        """,
        Verify.Diagnostic("MCPSEC005").WithLocation(0).WithArguments("Tool parameter 'command'", "Process.Start", ""));

    [Fact]
    public Task PowerShellAddScriptIsASink() => Verify.VerifyAsync("""
        using System.Management.Automation;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public static class PowerShellTools
        {
            [McpServerTool]
            public static void Run(string script, string path)
            {
                using var shell = PowerShell.Create();
                {|#0:shell.AddScript(script)|};
                {|MCPSEC005:shell.AddScript("Get-Content " + path, useLocalScope: true)|};
                {|MCPSEC005:PowerShell.Create().AddCommand("Get-Item").AddScript($"Remove-Item {path}")|};

                // Compliant: a constant script, and a command with its input bound as a parameter value.
                shell.AddScript("Get-Date");
                shell.AddCommand("Get-Content").AddParameter("Path", path);
                shell.Invoke();
            }
        }
        """,
        Verify.Diagnostic("MCPSEC005").WithLocation(0).WithArguments("Tool parameter 'script'", "PowerShell.AddScript", ""));

    [Fact]
    public Task ArgumentListWithConstantExecutableIsCompliant() => Verify.VerifyAsync("""
        using System.Diagnostics;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public static class GitTools
        {
            [McpServerTool]
            public static void Log(string branch, string[] paths)
            {
                var psi = new ProcessStartInfo { FileName = "git", UseShellExecute = false };
                psi.ArgumentList.Add("log");
                psi.ArgumentList.Add(branch);
                Process.Start(psi);
                Process.Start("git", paths);
            }
        }
        """);

    [Fact]
    public Task LookAlikeStartMethodIsNotASink() => Verify.VerifyAsync("""
        using ModelContextProtocol.Server;

        namespace MyApp
        {
            public static class Process
            {
                public static void Start(string fileName) { }
            }

            [McpServerToolType]
            public static class Tools
            {
                [McpServerTool]
                public static void Run(string command) => Process.Start(command);
            }
        }
        """);

    [Fact]
    public Task ShellScriptInArgumentListIsASink() => Verify.VerifyAsync("""
        using System.Diagnostics;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public static class ShellTools
        {
            [McpServerTool]
            public static void Run(string command, string file)
            {
                var psi = new ProcessStartInfo { FileName = "bash", UseShellExecute = false };
                psi.ArgumentList.Add("-c");
                {|#0:psi.ArgumentList.Add(command)|};
                Process.Start(psi);

                // The script is constant; tool input is a positional parameter ($1): compliant.
                var positional = new ProcessStartInfo { FileName = "bash", UseShellExecute = false };
                positional.ArgumentList.Add("-c");
                positional.ArgumentList.Add("grep -- \"$1\" app.log");
                positional.ArgumentList.Add("_");
                positional.ArgumentList.Add(file);

                var sh = new ProcessStartInfo { FileName = "/bin/sh", ArgumentList = { "-lc", {|MCPSEC005:command|} } };
                var cmd = new ProcessStartInfo("cmd.exe") { ArgumentList = { "/c", {|MCPSEC005:command|} } };
                {|MCPSEC005:Process.Start("pwsh", new[] { "-Command", command })|};

                // git -c sets a configuration value: git is not a shell.
                var git = new ProcessStartInfo { FileName = "git", ArgumentList = { "-c", command } };
                Process.Start("git", new[] { "-c", command });
            }
        }
        """,
        Verify.Diagnostic("MCPSEC005").WithLocation(0).WithArguments("Tool parameter 'command'", "ProcessStartInfo.ArgumentList (bash -c)", ""));
}
