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
}
