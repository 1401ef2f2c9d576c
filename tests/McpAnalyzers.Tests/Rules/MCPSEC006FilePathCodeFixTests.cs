using System.Linq;
using System.Threading.Tasks;
using Xunit;
using Verify = McpAnalyzers.Tests.Infrastructure.CodeFixVerifier<McpAnalyzers.Rules.ToolInputTaintAnalyzer, McpAnalyzers.CodeFixes.FilePathConfinementCodeFixProvider>;

namespace McpAnalyzers.Tests.Rules;

public class MCPSEC006FilePathCodeFixTests
{
    [Fact]
    public Task InsertsRootGuardInBlockAndExpressionBody() => Verify.VerifyFixAsync("""
        using System.IO;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class FileTools
        {
            [McpServerTool]
            public string Read(string name)
            {
                var text = {|MCPSEC006:File.ReadAllText(name)|};
                return text;
            }

            [McpServerTool]
            public void Delete(string name) => {|MCPSEC006:File.Delete(name)|};
        }
        """, """
        using System.IO;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class FileTools
        {
            // The folder this tool may read and write: point it at your data folder.
            private static readonly string AllowedRoot = Path.GetFullPath(System.AppContext.BaseDirectory);

            [McpServerTool]
            public string Read(string name)
            {
                var fullPath = Path.GetFullPath(name);
                if (!fullPath.StartsWith(AllowedRoot, System.StringComparison.Ordinal))
                {
                    throw new System.ArgumentException("The path is outside the allowed folder.");
                }
                var text = File.ReadAllText(fullPath);
                return text;
            }

            [McpServerTool]
            public void Delete(string name)
            {
                var fullPath = Path.GetFullPath(name);
                if (!fullPath.StartsWith(AllowedRoot, System.StringComparison.Ordinal))
                {
                    throw new System.ArgumentException("The path is outside the allowed folder.");
                }
                File.Delete(fullPath);
            }
        }
        """);

    [Fact]
    public Task CopiesThePathExpressionAsWritten() => Verify.VerifyFixAsync("""
        using System.IO;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class FileTools
        {
            private readonly string _folder = "data";

            [McpServerTool]
            public string Read(string name)
            {
                return {|MCPSEC006:File.ReadAllText(System.IO.Path.Combine(this._folder, name))|};
            }
        }
        """, """
        using System.IO;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class FileTools
        {
            // The folder this tool may read and write: point it at your data folder.
            private static readonly string AllowedRoot = Path.GetFullPath(System.AppContext.BaseDirectory);

            private readonly string _folder = "data";

            [McpServerTool]
            public string Read(string name)
            {
                var fullPath = Path.GetFullPath(System.IO.Path.Combine(this._folder, name));
                if (!fullPath.StartsWith(AllowedRoot, System.StringComparison.Ordinal))
                {
                    throw new System.ArgumentException("The path is outside the allowed folder.");
                }
                return File.ReadAllText(fullPath);
            }
        }
        """);

    [Fact]
    public Task ConfinesAParenthesizedPath() => Verify.VerifyFixAsync("""
        using System.IO;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class FileTools
        {
            [McpServerTool]
            public void Delete(string name) => {|MCPSEC006:File.Delete((name))|};
        }
        """, """
        using System.IO;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class FileTools
        {
            // The folder this tool may read and write: point it at your data folder.
            private static readonly string AllowedRoot = Path.GetFullPath(System.AppContext.BaseDirectory);

            [McpServerTool]
            public void Delete(string name)
            {
                var fullPath = Path.GetFullPath((name));
                if (!fullPath.StartsWith(AllowedRoot, System.StringComparison.Ordinal))
                {
                    throw new System.ArgumentException("The path is outside the allowed folder.");
                }
                File.Delete(fullPath);
            }
        }
        """);

    [Fact]
    public Task KeepsQualifiedNamesInsideADeeplyNestedStatement()
    {
        // Roslyn's simplifier walks the whole `if` recursively (at 20,000 terms it runs out of stack, DeepNestingTests):
        // past 1,000 levels the guard keeps its qualified names, which compile all the same.
        var condition = string.Join(" && ", Enumerable.Range(0, 1_200).Select(i => $"name != \"v{i}\""));
        return Verify.VerifyFixAsync($$"""
            using System.IO;
            using ModelContextProtocol.Server;

            [McpServerToolType]
            public class FileTools
            {
                [McpServerTool]
                public string Read(string name)
                {
                    if ({{condition}})
                    {
                        return {|MCPSEC006:File.ReadAllText(name)|};
                    }

                    return "";
                }
            }
            """, $$"""
            using System.IO;
            using ModelContextProtocol.Server;

            [McpServerToolType]
            public class FileTools
            {
                // The folder this tool may read and write: point it at your data folder.
                private static readonly string AllowedRoot = Path.GetFullPath(System.AppContext.BaseDirectory);

                [McpServerTool]
                public string Read(string name)
                {
                    if ({{condition}})
                    {
                        var fullPath = System.IO.Path.GetFullPath(name);
                        if (!fullPath.StartsWith(AllowedRoot, System.StringComparison.Ordinal))
                        {
                            throw new System.ArgumentException("The path is outside the allowed folder.");
                        }
                        return File.ReadAllText(fullPath);
                    }

                    return "";
                }
            }
            """);
    }
}
