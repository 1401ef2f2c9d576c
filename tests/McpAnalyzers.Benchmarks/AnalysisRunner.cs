using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace McpAnalyzers.Benchmarks;

/// <summary>The result of one analyzer set over one compilation.</summary>
internal sealed record AnalysisResult(
    string SetName,
    double WallMs,
    double CpuMs,
    double AllocatedMb,
    double AnalyzerMs,
    double GcPauseMs,
    IReadOnlyDictionary<string, double> MsPerAnalyzer,
    IReadOnlyDictionary<string, int> DiagnosticsById,
    IReadOnlyList<string> AnalyzerExceptions)
{
    /// <summary>For a set of <see cref="InstrumentedAnalyzer"/>s that read the CPU clock: CPU ms in each analyzer's callbacks; else empty.</summary>
    public IReadOnlyDictionary<string, double> CpuMsPerAnalyzer { get; init; } = new Dictionary<string, double>();

    /// <summary>The sum of <see cref="CpuMsPerAnalyzer"/>.</summary>
    public double AnalyzerCpuMs => CpuMsPerAnalyzer.Values.Sum();

    /// <summary>For a set of <see cref="InstrumentedAnalyzer"/>s: the garbage-collection pauses inside each analyzer's callbacks, ms; else empty.</summary>
    public IReadOnlyDictionary<string, double> GcPauseMsPerAnalyzer { get; init; } = new Dictionary<string, double>();
}

/// <summary>Compiles a corpus and runs analyzer sets over it with <see cref="CompilationWithAnalyzers"/>.</summary>
internal static class AnalysisRunner
{
    public static CSharpCompilation Compile(Corpus corpus)
    {
        var parseOptions = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = corpus.Files
            .AsParallel().AsOrdered()
            .Select(f => CSharpSyntaxTree.ParseText(f.Text, parseOptions, f.Path))
            .ToArray();
        var options = new CSharpCompilationOptions(
            OutputKind.DynamicallyLinkedLibrary,
            nullableContextOptions: NullableContextOptions.Enable,
            optimizationLevel: OptimizationLevel.Release,
            concurrentBuild: true)
            // As the .NET SDK does (/nowarn:1701,1702): reference-version unification notices, not findings.
            .WithSpecificDiagnosticOptions(new Dictionary<string, ReportDiagnostic> { ["CS1701"] = ReportDiagnostic.Suppress, ["CS1702"] = ReportDiagnostic.Suppress });
        var compilation = CSharpCompilation.Create("Corpus" + corpus.Files.Count, trees, CorpusReferences.Get(corpus.WithMcp), options);

        // Bind the references once, untimed: the copies measured later (Clone, WithOptions) share them,
        // so the first measurement does not also pay for reading ~250 reference assemblies.
        _ = compilation.SourceModule.ReferencedAssemblySymbols;
        return compilation;
    }

    /// <summary>
    /// A copy of the compilation whose trees are parsed again from the same texts (paths and options kept), as every build
    /// parses its files: nothing an earlier run left on the trees carries over — the compiler's lazily computed parts, nor an
    /// analyzer's per-tree caches (McpAnalyzers keeps the words of each tree for the compilations that share it), which
    /// would otherwise make every repeat after the first cheaper than a build. Untimed; the references stay bound.
    /// </summary>
    public static CSharpCompilation WithFreshTrees(CSharpCompilation compilation)
    {
        var trees = compilation.SyntaxTrees
            .AsParallel().AsOrdered()
            .Select(tree => CSharpSyntaxTree.ParseText(tree.GetText(), (CSharpParseOptions)tree.Options, tree.FilePath))
            .ToArray();
        var fresh = compilation.RemoveAllSyntaxTrees().AddSyntaxTrees(trees);

        // The declaration table of the new trees, built untimed as Clone() shared it before: the first to look a type up
        // (an analyzer's compilation-start action, measured 10 ms on 1,000 files) would otherwise pay for what the compiler
        // builds first in a build.
        _ = fresh.ContainsSymbolsWithName("\0", SymbolFilter.All);
        return fresh;
    }

    /// <summary>
    /// The compilation's own diagnostics (declaration + method-body binding) on a fresh copy with freshly parsed trees, so
    /// no state from an earlier run is reused. Throws if the corpus does not compile.
    /// </summary>
    public static (double Ms, double CpuMs, string Warnings) CompilerDiagnostics(CSharpCompilation compilation)
    {
        var fresh = WithFreshTrees(compilation);
        Collect();
        var cpu = CpuTime();
        var stopwatch = Stopwatch.StartNew();
        var diagnostics = fresh.GetDiagnostics();
        stopwatch.Stop();
        cpu = CpuTime() - cpu;
        var errors = diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0)
        {
            throw new InvalidOperationException($"The corpus has {errors.Count} compiler errors, first: {errors[0]}");
        }

        var warnings = diagnostics.Where(d => d.Severity == DiagnosticSeverity.Warning).GroupBy(d => d.Id).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}");
        return (stopwatch.Elapsed.TotalMilliseconds, cpu.TotalMilliseconds, string.Join(", ", warnings));
    }

    /// <summary>
    /// Runs one analyzer set on a fresh copy of the compilation with freshly parsed trees (its options enable exactly the
    /// set's rules). Wall-clock and process CPU time cover everything the driver does, compiler binding
    /// included; analyzer ms is the sum of the per-analyzer <c>ExecutionTime</c> telemetry.
    /// </summary>
    public static async Task<AnalysisResult> RunAsync(CSharpCompilation compilation, AnalyzerSet set, bool concurrent, bool collectFirst = true, CancellationToken cancellationToken = default)
    {
        var fresh = WithFreshTrees(compilation).WithOptions(compilation.Options.WithSpecificDiagnosticOptions(compilation.Options.SpecificDiagnosticOptions.SetItems(set.DiagnosticOptions)));
        var exceptions = new List<string>();
        var analyzerOptions = new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty);
        var options = new CompilationWithAnalyzersOptions(
            analyzerOptions,
            onAnalyzerException: (exception, analyzer, _) =>
            {
                lock (exceptions)
                {
                    exceptions.Add($"{analyzer.GetType().Name}: {exception.GetType().Name}: {exception.Message}");
                }
            },
            concurrentAnalysis: concurrent,
            logAnalyzerExecutionTime: true,
            reportSuppressedDiagnostics: false);
        var withAnalyzers = new CompilationWithAnalyzers(fresh, set.Analyzers, options);

        if (collectFirst)
        {
            Collect();
        }

        // The instrumented wrappers accumulate over the set's runs: each run's share is the difference.
        var cpuBefore = set.Analyzers.OfType<InstrumentedAnalyzer>().Where(a => a.ReadsCpuClock).ToDictionary(a => a, a => a.CpuMs);
        var gcPauseBefore = set.Analyzers.OfType<InstrumentedAnalyzer>().ToDictionary(a => a, a => a.GcPauseMs);
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var pauses = GC.GetTotalPauseDuration();
        var cpu = CpuTime();
        var stopwatch = Stopwatch.StartNew();
        var diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync(cancellationToken).ConfigureAwait(false);
        stopwatch.Stop();
        var gcPauseMs = (GC.GetTotalPauseDuration() - pauses).TotalMilliseconds;
        cpu = CpuTime() - cpu;
        var allocatedMb = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / (1024.0 * 1024);

        var perAnalyzer = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var analyzer in set.Analyzers)
        {
            var telemetry = await withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, cancellationToken).ConfigureAwait(false);
            var name = AnalyzerSets.NameOf(analyzer);
            perAnalyzer[name] = (perAnalyzer.TryGetValue(name, out var ms) ? ms : 0) + telemetry.ExecutionTime.TotalMilliseconds;
        }

        var cpuPerAnalyzer = cpuBefore.ToDictionary(pair => AnalyzerSets.NameOf(pair.Key), pair => pair.Key.CpuMs - pair.Value, StringComparer.Ordinal);
        var gcPausePerAnalyzer = gcPauseBefore.ToDictionary(pair => AnalyzerSets.NameOf(pair.Key), pair => pair.Key.GcPauseMs - pair.Value, StringComparer.Ordinal);

        foreach (var ad0001 in diagnostics.Where(d => d.Id == "AD0001"))
        {
            exceptions.Add(ad0001.GetMessage());
        }

        var byId = diagnostics.GroupBy(d => d.Id).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        return new AnalysisResult(set.Name, stopwatch.Elapsed.TotalMilliseconds, cpu.TotalMilliseconds, allocatedMb, perAnalyzer.Values.Sum(), gcPauseMs, perAnalyzer, byId, exceptions)
        {
            CpuMsPerAnalyzer = cpuPerAnalyzer,
            GcPauseMsPerAnalyzer = gcPausePerAnalyzer,
        };
    }

    /// <summary>CPU time of this process (all threads): unlike wall-clock, barely moved by other processes on the machine.</summary>
    private static TimeSpan CpuTime() => Process.GetCurrentProcess().TotalProcessorTime;

    private static void Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}
