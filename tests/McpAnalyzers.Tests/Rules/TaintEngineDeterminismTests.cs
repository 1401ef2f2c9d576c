using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using McpAnalyzers.Rules;
using McpAnalyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;
using Verify = McpAnalyzers.Tests.Infrastructure.AnalyzerVerifier<McpAnalyzers.Rules.ToolInputTaintAnalyzer>;

namespace McpAnalyzers.Tests.Rules;

/// <summary>
/// Issue 5: the diagnostics are a pure function of the compilation. Several tools reaching one sink in
/// a shared helper must give the same single diagnostic (same origin, same path) whatever the order in
/// which the concurrent block actions run.
/// </summary>
public class TaintEngineDeterminismTests
{
    private const string Helper = """
        using System.IO;

        internal static class Storage
        {
            public static void Remove(string path) => File.Delete(path);

            public static void Forward(string path) => Remove(path);
        }
        """;

    /// <summary>Each tool in its own file, so that permuting the trees changes the analysis order.</summary>
    private static readonly string[] ToolFiles =
    {
        Tool("ZetaTools", "Delete", "zeta", "Storage.Remove(zeta)"),
        Tool("AlphaTools", "Purge", "alpha", "Storage.Forward(alpha)"),
        Tool("BetaTools", "Clean", "beta", "Storage.Remove(beta)"),
        Tool("GammaTools", "Wipe", "beta", "Storage.Remove(\"/tmp/\" + beta)"),
        Tool("DeltaTools", "Erase", "delta", "Storage.Remove(delta)"),
    };

    private static string Tool(string type, string method, string parameter, string call) => $$"""
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public static class {{type}}
        {
            [McpServerTool]
            public static void {{method}}(string {{parameter}}) => {{call}};
        }
        """;

    [Fact]
    public async Task RepeatedConcurrentAnalysesGiveIdenticalDiagnostics()
    {
        string[]? first = null;
        for (var run = 0; run < 20; run++)
        {
            // Rotate and, every other run, reverse the tool files: a "first report wins" engine names
            // a different tool depending on which block action runs first.
            var tools = ToolFiles.Skip(run % ToolFiles.Length).Concat(ToolFiles.Take(run % ToolFiles.Length));
            if (run % 2 == 1)
            {
                tools = tools.Reverse();
            }

            var sources = tools.Select((text, i) => (Path: $"/Tool{Array.IndexOf(ToolFiles, text)}.cs", Text: text))
                .Append(("/Storage.cs", Helper));
            var diagnostics = await AnalyzeAsync(sources);
            first ??= diagnostics;
            Assert.Equal(first, diagnostics);
        }

        var only = Assert.Single(first!);
        Assert.Equal(
            "MCPSEC006 /Storage.cs(5,47): Tool parameter 'beta' reaches File.Delete through Remove(string) without validation: confine the full path under a fixed root",
            only);
    }

    [Fact]
    public Task HelperSinkNamesTheShortestPathThenTheOrdinalFirstOrigin() => Verify.VerifyAsync("""
        using System.IO;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public static class Tools
        {
            [McpServerTool]
            public static void Delete(string zeta) => Remove(zeta);

            [McpServerTool]
            public static void Purge(string alpha) => Forward(alpha);

            [McpServerTool]
            public static void Clean(string beta) => Remove(beta);

            private static void Forward(string path) => Remove(path);

            private static void Remove(string path) => {|#0:File.Delete(path)|};
        }
        """,
        Verify.Diagnostic("MCPSEC006").WithLocation(0).WithArguments("Tool parameter 'beta'", "File.Delete", " through Remove(string)"));

    [Fact]
    public Task SinkInAToolCalledByAnotherToolNamesTheDirectSource() => Verify.VerifyAsync("""
        using System.IO;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public static class Tools
        {
            [McpServerTool]
            public static void Outer(string a) => Inner(a);

            [McpServerTool]
            public static void Inner(string name) => {|#0:File.Delete(name)|};
        }
        """,
        Verify.Diagnostic("MCPSEC006").WithLocation(0).WithArguments("Tool parameter 'name'", "File.Delete", ""));

    [Fact]
    public Task RecursiveHelpersDoNotDependOnAnalysisOrder() => Verify.VerifyAsync("""
        using System.IO;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public static class Tools
        {
            [McpServerTool]
            public static void A(string first) => Ping(first, 3);

            [McpServerTool]
            public static void B(string second) => Pong(second, 3);

            private static void Ping(string p, int n)
            {
                if (n > 0) Pong(p, n - 1);
            }

            private static void Pong(string p, int n)
            {
                {|#0:File.Delete(p)|};
                if (n > 0) Ping(p, n - 1);
            }
        }
        """,
        Verify.Diagnostic("MCPSEC006").WithLocation(0).WithArguments("Tool parameter 'second'", "File.Delete", " through Pong(string, int)"));

    private static async Task<string[]> AnalyzeAsync(IEnumerable<(string Path, string Text)> sources)
    {
        var parseOptions = new CSharpParseOptions(LanguageVersion.Latest);
        var compilation = CSharpCompilation.Create(
            "Determinism",
            sources.Select(s => CSharpSyntaxTree.ParseText(s.Text, parseOptions, s.Path)),
            TestReferences.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));

        var analyzers = ImmutableArray.Create<DiagnosticAnalyzer>(new ToolInputTaintAnalyzer());
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
            onAnalyzerException: null,
            concurrentAnalysis: true,
            logAnalyzerExecutionTime: false,
            reportSuppressedDiagnostics: false);
        var diagnostics = await compilation.WithAnalyzers(analyzers, options).GetAllDiagnosticsAsync();
        return diagnostics
            .Where(d => d.Id.StartsWith("MCPSEC", StringComparison.Ordinal) || d.Id == "AD0001")
            .Select(d => $"{d.Id} {d.Location.GetLineSpan().Path}({d.Location.GetLineSpan().StartLinePosition.Line + 1},{d.Location.GetLineSpan().StartLinePosition.Character + 1}): {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}")
            .OrderBy(s => s, StringComparer.Ordinal)
            .ToArray();
    }
}
