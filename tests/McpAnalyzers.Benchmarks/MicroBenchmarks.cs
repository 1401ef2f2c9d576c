using System.Linq;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis.CSharp;

namespace McpAnalyzers.Benchmarks;

/// <summary>
/// BenchmarkDotNet micro-benchmarks (<c>-- bdn</c>): the same analyzer sets as the report, on a small
/// corpus, with BenchmarkDotNet's statistics. Each invocation analyses a fresh copy of the compilation
/// (no forced collection: BenchmarkDotNet handles GC between iterations).
/// </summary>
[MemoryDiagnoser]
public class AnalyzerBenchmarks
{
    private CSharpCompilation _compilation = null!;
    private CSharpCompilation _noMcpCompilation = null!;
    private AnalyzerSet _empty = null!;
    private AnalyzerSet _mcp = null!;
    private AnalyzerSet _net = null!;

    [Params(100)]
    public int Files { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _compilation = AnalysisRunner.Compile(CorpusGenerator.Generate(Files));
        _noMcpCompilation = AnalysisRunner.Compile(CorpusGenerator.Generate(Files, withMcp: false));
        _empty = AnalyzerSets.Empty();
        _mcp = AnalyzerSets.McpAnalyzers();
        _net = AnalyzerSets.NetAnalyzers();
    }

    [Benchmark]
    public int CompilerDiagnostics() => _compilation.Clone().GetDiagnostics().Length;

    [Benchmark(Baseline = true)]
    public async Task<int> EmptyAnalyzer() => Count(await AnalysisRunner.RunAsync(_compilation, _empty, concurrent: true, collectFirst: false).ConfigureAwait(false));

    [Benchmark]
    public async Task<int> McpAnalyzers() => Count(await AnalysisRunner.RunAsync(_compilation, _mcp, concurrent: true, collectFirst: false).ConfigureAwait(false));

    [Benchmark]
    public async Task<int> McpAnalyzersNoMcpReference() => Count(await AnalysisRunner.RunAsync(_noMcpCompilation, _mcp, concurrent: true, collectFirst: false).ConfigureAwait(false));

    [Benchmark]
    public async Task<int> NetAnalyzersSecurity() => Count(await AnalysisRunner.RunAsync(_compilation, _net, concurrent: true, collectFirst: false).ConfigureAwait(false));

    private static int Count(AnalysisResult result) => result.DiagnosticsById.Values.Sum();
}
