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
    IReadOnlyList<string> AnalyzerExceptions);

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
    /// The compilation's own diagnostics (declaration + method-body binding) on a fresh copy, so no bound
    /// state from an earlier run is reused. Throws if the corpus does not compile.
    /// </summary>
    public static (double Ms, double CpuMs, string Warnings) CompilerDiagnostics(CSharpCompilation compilation)
    {
        var fresh = compilation.Clone();
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
    /// Runs one analyzer set on a fresh copy of the compilation (its options enable exactly the set's
    /// rules). Wall-clock and process CPU time cover everything the driver does, compiler binding
    /// included; analyzer ms is the sum of the per-analyzer <c>ExecutionTime</c> telemetry.
    /// </summary>
    public static async Task<AnalysisResult> RunAsync(CSharpCompilation compilation, AnalyzerSet set, bool concurrent, bool collectFirst = true, CancellationToken cancellationToken = default)
    {
        var fresh = compilation.WithOptions(compilation.Options.WithSpecificDiagnosticOptions(compilation.Options.SpecificDiagnosticOptions.SetItems(set.DiagnosticOptions)));
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
            var name = analyzer.GetType().Name;
            perAnalyzer[name] = (perAnalyzer.TryGetValue(name, out var ms) ? ms : 0) + telemetry.ExecutionTime.TotalMilliseconds;
        }

        foreach (var ad0001 in diagnostics.Where(d => d.Id == "AD0001"))
        {
            exceptions.Add(ad0001.GetMessage());
        }

        var byId = diagnostics.GroupBy(d => d.Id).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        return new AnalysisResult(set.Name, stopwatch.Elapsed.TotalMilliseconds, cpu.TotalMilliseconds, allocatedMb, perAnalyzer.Values.Sum(), gcPauseMs, perAnalyzer, byId, exceptions);
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
