using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using McpAnalyzers.Rules;
using McpAnalyzers.Tests.Robustness;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace McpAnalyzers.Tests.Taint;

/// <summary>
/// Code being typed is often broken around the tool type's declaration. The flow rules must still see its tool
/// methods: registering the block action per type (symbol-start action) lost these findings, because the members of
/// a type whose declaration does not parse get no symbol-start callback (found by the 20,000-variant stress run).
/// </summary>
public class BrokenDeclarationTests
{
    [Fact]
    public async Task ToolMethodsOfATypeWhoseDeclarationDoesNotParseAreAnalysed()
    {
        const string source = """
            using System.Diagnostics;
            using System.IO;
            using ModelContextProtocol.Server;

            namespace MyApp;

            public static class Validation
            {
                public static string SafePath(string path) => path;
            }

            [McpServerToolType]
            public class static Tools
            {
                [McpServerTool]
                public static void A(string path)
                {
                    var safe = Validation.SafePath(path);
                    File.Delete(safe);
                    Process.Start(safe);
                }
            }
            """;
        var compilation = RobustnessCompilation.Create(CorpusUnit.Single("Broken.cs", source));
        Assert.Contains(compilation.GetDiagnostics(), d => d.Severity == DiagnosticSeverity.Error);

        var diagnostics = await compilation
            .WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new ToolInputTaintAnalyzer()))
            .GetAnalyzerDiagnosticsAsync();

        Assert.Equal(new[] { "MCPSEC005", "MCPSEC006" }, diagnostics.Select(d => d.Id).OrderBy(id => id));
    }
}
