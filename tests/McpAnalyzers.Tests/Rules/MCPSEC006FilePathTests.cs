using System.Threading.Tasks;
using McpAnalyzers.Rules;
using McpAnalyzers.Tests.Infrastructure;
using Xunit;
using Verify = McpAnalyzers.Tests.Infrastructure.AnalyzerVerifier<McpAnalyzers.Rules.ToolInputTaintAnalyzer>;

namespace McpAnalyzers.Tests.Rules;

public class MCPSEC006FilePathTests
{
    [Fact]
    public Task ToolParameterReachesFileReadAllText() => Verify.VerifyAsync("""
        using System.IO;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public static class FileTools
        {
            [McpServerTool]
            public static string Read(string path) => {|#0:File.ReadAllText(path)|};
        }
        """,
        Verify.Diagnostic("MCPSEC006").WithLocation(0).WithArguments("Tool parameter 'path'", "File.ReadAllText", ""));

    [Fact]
    public Task PathCombineAndHelperDepth() => Verify.VerifyAsync("""
        using System.IO;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class FileTools
        {
            private const string Root = "/srv/data";

            [McpServerTool]
            public string Read(string name)
            {
                var full = Combine(name);
                return {|#0:File.ReadAllText(full)|};
            }

            private static string Combine(string name) => Path.Combine(Root, name);
        }
        """,
        Verify.Diagnostic("MCPSEC006").WithLocation(0).WithArguments("Tool parameter 'name'", "File.ReadAllText", " through Combine(string)"));

    [Fact]
    public Task GuardedByRootConfinementIsClean() => Verify.VerifyAsync("""
        using System;
        using System.IO;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class FileTools
        {
            private static readonly string Root = Path.GetFullPath("/srv/data") + Path.DirectorySeparatorChar;

            [McpServerTool]
            public string Read(string name)
            {
                var full = Path.GetFullPath(Path.Combine(Root, name));
                if (!full.StartsWith(Root, StringComparison.Ordinal))
                {
                    throw new ArgumentException("Outside the root.", nameof(name));
                }

                return File.ReadAllText(full);
            }

            [McpServerTool]
            public string ReadName(string name) => File.ReadAllText(Path.Combine(Root, Path.GetFileName(name)));
        }
        """);
}

public class MCPSEC006FilePathSanitizerTests
{
    [Fact]
    public Task FileNameWithoutExtensionAndExtensionSanitise() => Verify.VerifyAsync("""
        using System.IO;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public static class FileTools
        {
            [McpServerTool]
            public static string Read(string name, string other)
            {
                var stem = Path.GetFileNameWithoutExtension(name);
                var extension = Path.GetExtension(name);
                var a = File.ReadAllText(Path.Combine("/data", stem + ".txt"));
                var b = File.ReadAllText("/data/report" + extension);
                var c = {|MCPSEC006:File.ReadAllText(Path.Combine("/data", Path.GetDirectoryName(other)!, stem))|};
                return a + b + c;
            }
        }
        """);
}
