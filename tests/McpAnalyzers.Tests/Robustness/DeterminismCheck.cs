using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace McpAnalyzers.Tests.Robustness;

/// <summary>
/// Analyzes a corpus several times with concurrent execution on and compares the sorted diagnostic
/// lists (unit, ID, severity, location, message, additional locations) of every run with the first.
/// The same analyzer instances serve every run, as in a long-lived IDE or build server, so state
/// leaking between compilations shows up as well as races inside one. Units of one run are analyzed
/// in parallel to add scheduling variety.
/// </summary>
public static class DeterminismCheck
{
    public sealed record Result(int Runs, int Units, IReadOnlyList<string> Baseline, string? FirstDifference, IReadOnlyList<string> AnalyzerExceptions);

    public static async Task<Result> RunAsync(IReadOnlyList<CorpusUnit> corpus, ImmutableArray<DiagnosticAnalyzer> analyzers, int runs, CancellationToken cancellationToken = default)
    {
        if (analyzers.IsEmpty)
        {
            // CompilationWithAnalyzers needs an analyzer: there is nothing whose output could vary.
            return new Result(0, corpus.Count, Array.Empty<string>(), null, Array.Empty<string>());
        }

        var compilations = corpus.Select(RobustnessCompilation.Create).ToList();
        var exceptions = new ConcurrentQueue<string>();
        IReadOnlyList<string>? baseline = null;
        for (var run = 1; run <= runs; run++)
        {
            var diagnostics = await AnalyzeAsync(corpus, compilations, analyzers, exceptions, cancellationToken).ConfigureAwait(false);
            if (baseline is null)
            {
                baseline = diagnostics;
                continue;
            }

            var difference = FirstDifference(baseline, diagnostics);
            if (difference is not null)
            {
                return new Result(run, corpus.Count, baseline, $"Run {run} differs from run 1: {difference}", exceptions.ToList());
            }
        }

        return new Result(runs, corpus.Count, baseline ?? Array.Empty<string>(), null, exceptions.ToList());
    }

    private static async Task<IReadOnlyList<string>> AnalyzeAsync(
        IReadOnlyList<CorpusUnit> corpus,
        IReadOnlyList<Compilation> compilations,
        ImmutableArray<DiagnosticAnalyzer> analyzers,
        ConcurrentQueue<string> exceptions,
        CancellationToken cancellationToken)
    {
        var lines = new ConcurrentBag<string>();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, corpus.Count), parallel, async (i, token) =>
        {
            var options = new CompilationWithAnalyzersOptions(
                new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
                onAnalyzerException: (exception, analyzer, _) => exceptions.Enqueue($"{corpus[i].Name}: {analyzer.GetType().Name}: {exception.GetType().Name}: {exception.Message}"),
                concurrentAnalysis: true,
                logAnalyzerExecutionTime: false,
                reportSuppressedDiagnostics: false);

            // CompilationWithAnalyzers works on its own copy of the compilation, so every run binds afresh.
            var diagnostics = await compilations[i].WithAnalyzers(analyzers, options).GetAnalyzerDiagnosticsAsync(token).ConfigureAwait(false);
            foreach (var diagnostic in diagnostics)
            {
                lines.Add(Format(corpus[i].Name, diagnostic));
            }
        }).ConfigureAwait(false);
        return lines.OrderBy(l => l, StringComparer.Ordinal).ToList();
    }

    public static string Format(string unit, Diagnostic diagnostic)
        => $"{unit} | {diagnostic.Id} | {diagnostic.Severity} | {Format(diagnostic.Location)} | {diagnostic.GetMessage(CultureInfo.InvariantCulture)}"
            + (diagnostic.AdditionalLocations.Count == 0 ? "" : " | also " + string.Join(", ", diagnostic.AdditionalLocations.Select(Format)));

    /// <summary><c>path(line,column-line,column)</c>, from 1; also the stress run's outcome lines (<see cref="RobustnessReport.Outcomes"/>).</summary>
    internal static string Format(Location location)
    {
        if (location == Location.None)
        {
            return "(no location)";
        }

        var span = location.GetLineSpan();
        return $"{span.Path}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1}-{span.EndLinePosition.Line + 1},{span.EndLinePosition.Character + 1})";
    }

    internal static string? FirstDifference(IReadOnlyList<string> expected, IReadOnlyList<string> actual)
    {
        var missing = expected.Except(actual, StringComparer.Ordinal).ToList();
        var extra = actual.Except(expected, StringComparer.Ordinal).ToList();
        if (missing.Count == 0 && extra.Count == 0)
        {
            // Same distinct lines: a duplicated diagnostic still changes the multiset.
            return expected.SequenceEqual(actual, StringComparer.Ordinal) ? null : $"{expected.Count} diagnostics before, {actual.Count} now (duplicates differ)";
        }

        return $"{expected.Count} diagnostics before, {actual.Count} now; "
            + (missing.Count > 0 ? $"missing e.g. [{missing[0]}]" : "")
            + (missing.Count > 0 && extra.Count > 0 ? "; " : "")
            + (extra.Count > 0 ? $"new e.g. [{extra[0]}]" : "");
    }
}
