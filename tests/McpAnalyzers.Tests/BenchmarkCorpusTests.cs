using System;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using System.Threading.Tasks;
using McpAnalyzers.Benchmarks;
using McpAnalyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace McpAnalyzers.Tests;

/// <summary>
/// The benchmark corpus (tests/McpAnalyzers.Benchmarks) is only a fair benchmark if McpAnalyzers finds
/// exactly the flows the generator planted: checked here on a small corpus (correctness, not timing).
/// </summary>
public class BenchmarkCorpusTests
{
    [Fact]
    public async Task McpAnalyzersReportExactlyTheUnvalidatedToolFlows()
    {
        var corpus = CorpusGenerator.Generate(20);
        var diagnostics = await AnalyzeAsync(corpus);

        var expected = corpus.ExpectedMcpDiagnostics();
        Assert.Equal(new[] { 3, 3, 3, 3 }, expected.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => e.Value));
        foreach (var (id, count) in expected)
        {
            Assert.Equal(count, diagnostics.Count(d => d.Id == id));
        }

        Assert.DoesNotContain(diagnostics, d => d.Id == "MCPSEC009");

        // Only tool classes are sources: nothing on the ASP.NET Core controller twins.
        Assert.All(
            diagnostics.Where(d => expected.ContainsKey(d.Id)),
            d => Assert.Contains("class Tools", d.Location.SourceTree!.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task WithoutTheMcpReferenceNothingIsReported()
    {
        var diagnostics = await AnalyzeAsync(CorpusGenerator.Generate(20, withMcp: false));
        Assert.DoesNotContain(diagnostics, d => d.Id.StartsWith("MCPSEC", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task InstrumentedAnalyzersReportWhatTheAnalyzersReportAndCountTheirCallbacks(bool readCpuClock)
    {
        // profile --cpu and --gc run the analyzers inside InstrumentedAnalyzer: its figures mean something only if the wrapped
        // analyzers get every callback and report exactly what they report unwrapped.
        var corpus = CorpusGenerator.Generate(20);
        var plain = await AnalyzeAsync(corpus);
        var wrappers = new System.Collections.Generic.List<InstrumentedAnalyzer>();
        var wrapped = await AnalyzeAsync(corpus, analyzer =>
        {
            var wrapper = new InstrumentedAnalyzer(analyzer, readCpuClock);
            wrappers.Add(wrapper);
            return wrapper;
        });

        Assert.Equal(Describe(plain), Describe(wrapped));
        Assert.NotEmpty(plain);
        Assert.All(wrappers, wrapper => Assert.True(wrapper.Callbacks >= 1, wrapper.Inner.GetType().Name));
        Assert.True(wrappers.Single(t => t.Inner.GetType().Name == "ToolInputTaintAnalyzer").Callbacks > 20);
        if (!readCpuClock)
        {
            Assert.All(wrappers, wrapper => Assert.Equal(0, wrapper.CpuMs));
        }
        else if (ThreadCpuClock.IsAvailable)
        {
            Assert.True(wrappers.Sum(t => t.CpuMs) > 0);
        }

        static string[] Describe(ImmutableArray<Diagnostic> diagnostics)
            => diagnostics.Select(d => d.Id + " " + d.Location.GetLineSpan()).OrderBy(d => d, StringComparer.Ordinal).ToArray();
    }

    [Fact]
    public async Task InstrumentedAnalyzerCountsTheGarbageCollectionPausesInsideItsCallbacks()
    {
        // profile --gc subtracts these pauses from the telemetry: a collection made inside a callback must be counted.
        var compilation = CSharpCompilation.Create("Empty", new[] { CSharpSyntaxTree.ParseText("class C { }") }, TestReferences.All);
        var collecting = new InstrumentedAnalyzer(new CollectingAnalyzer(), readCpuClock: false);
        var idle = new InstrumentedAnalyzer(new CollectingAnalyzer(collect: false), readCpuClock: false);

        await compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(collecting, idle), new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), onAnalyzerException: null, concurrentAnalysis: false, logAnalyzerExecutionTime: false)).GetAnalyzerDiagnosticsAsync();

        Assert.Equal(1, collecting.Callbacks);
        Assert.True(collecting.GcPauseMs > 0, $"pauses counted: {collecting.GcPauseMs} ms");
        Assert.Equal(0, idle.GcPauseMs);
    }

#pragma warning disable RS1001, RS1025, RS1026 // a test double, run only by the test above
    private sealed class CollectingAnalyzer(bool collect = true) : DiagnosticAnalyzer
    {
        // One descriptor, never reported: the driver skips an analyzer that supports none.
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
            new DiagnosticDescriptor("TEST001", "Unused", "Unused", "Test", DiagnosticSeverity.Warning, isEnabledByDefault: true));

        public override void Initialize(AnalysisContext context) => context.RegisterCompilationAction(_ =>
        {
            if (collect)
            {
                GC.Collect();
            }
        });
    }
#pragma warning restore RS1001, RS1025, RS1026

    /// <summary>Compiles the corpus (no compiler error allowed) and runs every analyzer of the McpAnalyzers assembly.</summary>
    private static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(Corpus corpus, Func<DiagnosticAnalyzer, DiagnosticAnalyzer>? wrap = null)
    {
        var trees = corpus.Files.Select(f => CSharpSyntaxTree.ParseText(f.Text, new CSharpParseOptions(LanguageVersion.Latest), f.Path));
        var references = corpus.WithMcp
            ? TestReferences.All
            : TestReferences.All.Where(r => !(r.Display ?? "").Contains("ModelContextProtocol", StringComparison.Ordinal)).ToImmutableArray();
        var compilation = CSharpCompilation.Create(
            "Corpus",
            trees,
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));

        var analyzers = typeof(Descriptors).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttributes<DiagnosticAnalyzerAttribute>().Any())
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .Select(analyzer => wrap is null ? analyzer : wrap(analyzer))
            .ToImmutableArray();
        Assert.NotEmpty(analyzers);
        var diagnostics = await compilation.WithAnalyzers(analyzers).GetAnalyzerDiagnosticsAsync();
        Assert.DoesNotContain(diagnostics, d => d.Id == "AD0001");
        return diagnostics;
    }
}
