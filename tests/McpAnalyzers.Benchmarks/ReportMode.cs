using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;

namespace McpAnalyzers.Benchmarks;

/// <summary>
/// The one-shot report: per corpus size, the compiler's own diagnostics time and each analyzer set side by
/// side, the diagnostics each set reported checked against the corpus (a fast-but-blind run fails), the
/// no-MCP corpus, and the targets.
/// </summary>
internal static class ReportMode
{
    /// <summary>Measurements of a corpus above 2,000 files (see <see cref="Repeats"/>).</summary>
    private const int LargeCorpusRepeats = 3;

    private sealed record CorpusRun(
        int Files,
        bool WithMcp,
        int Repeats,
        double CompilerMs,
        double CompilerCpuMs,
        string CompilerWarnings,
        AnalysisResult Baseline,
        AnalysisResult Mcp,
        AnalysisResult? Net,
        IReadOnlyList<AnalysisResult> McpRepeats);

    public static async Task<int> RunAsync(ReportOptions options)
    {
        var report = new StringBuilder();
        var failures = new List<string>();
        var total = Stopwatch.StartNew();

        var empty = AnalyzerSets.Empty();
        // Each McpAnalyzers analyzer in a wrapper that reads the runtime's garbage-collection pause total around its callbacks
        // and the thread's allocated bytes (counters in memory, no clock): the pauses its telemetry counts are reported beside it.
        var mcp = AnalyzerSets.Instrumented(AnalyzerSets.McpAnalyzers(), readCpuClock: false);
        var net = AnalyzerSets.NetAnalyzers();
        Log($"Loaded {mcp.Name}: {string.Join(", ", mcp.Analyzers.Select(AnalyzerSets.NameOf))}");
        Log($"Loaded {net.Name}: {net.Analyzers.Length} analyzers");

        // Warm-up (JIT of the compiler and of every analyzer) on a small corpus; checked, not reported.
        Log("Warm-up on 20 files");
        var warmUp = await MeasureAsync(CorpusGenerator.Generate(20), empty, mcp, net, runNet: true, options.Concurrent, repeats: 1).ConfigureAwait(false);
        Check(warmUp.Run, warmUp.Corpus, new List<string>());

        var runs = new List<(CorpusRun Run, Corpus Corpus)>();
        foreach (var files in options.FileCounts)
        {
            var measured = await MeasureAsync(CorpusGenerator.Generate(files), empty, mcp, net, files <= options.NetMaxFiles, options.Concurrent, Repeats(options, files)).ConfigureAwait(false);
            Check(measured.Run, measured.Corpus, failures);
            runs.Add(measured);
        }

        var noMcp = await MeasureAsync(CorpusGenerator.Generate(options.NoMcpFiles, withMcp: false), empty, mcp, net, runNet: false, options.Concurrent, Repeats(options, options.NoMcpFiles)).ConfigureAwait(false);
        Check(noMcp.Run, noMcp.Corpus, failures);

        WriteMachine(report, options);
        report.AppendLine("## Results").AppendLine();
        report.AppendLine("Per corpus: *compiler diagnostics* is `compilation.GetDiagnostics()` on a fresh compilation; each analyzer set");
        report.AppendLine("runs with `CompilationWithAnalyzers` on a fresh compilation (each with its trees parsed again, untimed). *wall* and *CPU* (process CPU time, all threads) cover");
        report.AppendLine("the whole `GetAnalyzerDiagnosticsAsync` call, binding included; *Δ* is that minus the empty-analyzer baseline");
        report.AppendLine("(one no-op operation-block action); *analyzer ms* is the sum of the analyzers' `ExecutionTime` telemetry;");
        report.AppendLine("*% compiler* = analyzer ms / compiler diagnostics wall ms; *GC pause ms*: the garbage-collection pauses during the run");
        report.AppendLine("of the fastest repeat (every thread stops for them, so they are part of whatever callback is running, analyzer ms included).");
        report.AppendLine("With repeats, each number is the minimum over the repeats.").AppendLine();
        report.AppendLine("| corpus | set | wall ms | Δ wall ms | CPU ms | Δ CPU ms | GC pause ms | analyzer ms | % compiler | analyzer ms/file | diagnostics (expected) |");
        report.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var (run, corpus) in runs.Append(noMcp))
        {
            var label = $"{run.Files:N0} files{(run.WithMcp ? "" : ", no MCP reference")}{(run.Repeats > 1 ? $" (min of {run.Repeats})" : "")}";
            report.AppendLine($"| {label} | compiler diagnostics | {Ms(run.CompilerMs)} | | {Ms(run.CompilerCpuMs)} | | | | | | 0 errors; warnings: {(run.CompilerWarnings.Length == 0 ? "none" : run.CompilerWarnings)} |");
            Row(report, label, run, run.Baseline, "—");
            Row(report, label, run, run.Mcp, DescribeMcp(run.Mcp, corpus));
            if (run.Net is { } netResult)
            {
                Row(report, label, run, netResult, DescribeNet(netResult, corpus));
            }
            else if (run.WithMcp)
            {
                report.AppendLine($"| {label} | NetAnalyzers | not run (--net-max-files {options.NetMaxFiles}) | | | | | | | | |");
            }
        }

        report.AppendLine();
        WritePerAnalyzer(report, runs.Select(r => r.Run).Append(noMcp.Run));
        WriteTargets(report, runs.Select(r => r.Run).ToList(), noMcp.Run);

        report.AppendLine("## Correctness").AppendLine();
        if (failures.Count == 0)
        {
            report.AppendLine("All diagnostic counts match the corpus's expectations; no analyzer exception.");
        }
        else
        {
            foreach (var failure in failures)
            {
                report.AppendLine("- MISMATCH: " + failure);
            }
        }

        report.AppendLine().AppendLine($"Total run time: {total.Elapsed.TotalSeconds:F0} s.");
        var text = report.ToString();
        Console.WriteLine();
        Console.WriteLine(text);
        if (options.OutputPath is { } path)
        {
            File.WriteAllText(path, text);
            Log("Report written to " + Path.GetFullPath(path));
        }

        return failures.Count == 0 ? 0 : 1;
    }

    /// <summary>
    /// Up to 2,000 files each measurement is repeated (minimum kept); larger corpora three times (at most), so that the
    /// scaling ratio compares a minimum with a minimum: against one 10,000-file run it was biased upwards, whichever
    /// way the host drifted (one run measured the tool-input analyzer at 588 ms, another at 2,030 ms).
    /// </summary>
    private static int Repeats(ReportOptions options, int files) => files <= 2000 ? options.Repeats : Math.Min(options.Repeats, LargeCorpusRepeats);

    private static async Task<(CorpusRun Run, Corpus Corpus)> MeasureAsync(Corpus corpus, AnalyzerSet empty, AnalyzerSet mcp, AnalyzerSet net, bool runNet, bool concurrent, int repeats)
    {
        var label = $"{corpus.Files.Count} files{(corpus.WithMcp ? "" : " (no MCP)")}";
        Log($"{label}: compiling");
        var compilation = AnalysisRunner.Compile(corpus);

        // One untimed pass of everything measured first: the compiler's diagnostics and each analyzer set, so that the
        // repeats measure the code the JIT settles on, as in a warmed compiler server (each measurement parses its own
        // trees). Warming the compiler alone left the analyzer sets' first repeats running code the runtime had just
        // compiled at its quick tier: their repeats then fell steadily (one run: McpAnalyzers 450, 219, 151, 135, 107 ms).
        _ = AnalysisRunner.CompilerDiagnostics(compilation);
        Log($"{label}: warm-up pass of each set (untimed)");
        _ = await AnalysisRunner.RunAsync(compilation, empty, concurrent).ConfigureAwait(false);
        _ = await AnalysisRunner.RunAsync(compilation, mcp, concurrent).ConfigureAwait(false);
        if (runNet)
        {
            _ = await AnalysisRunner.RunAsync(compilation, net, concurrent).ConfigureAwait(false);
        }

        var compilerMs = double.MaxValue;
        var compilerCpuMs = double.MaxValue;
        var warnings = "";
        var baselines = new List<AnalysisResult>();
        var mcpResults = new List<AnalysisResult>();
        var netResults = new List<AnalysisResult>();
        for (var i = 1; i <= repeats; i++)
        {
            var repeat = repeats > 1 ? $" [{i}/{repeats}]" : "";
            var compiler = AnalysisRunner.CompilerDiagnostics(compilation);
            (compilerMs, compilerCpuMs, warnings) = (Math.Min(compilerMs, compiler.Ms), Math.Min(compilerCpuMs, compiler.CpuMs), compiler.Warnings);
            Log($"{label}{repeat}: compiler diagnostics {Ms(compiler.Ms)} ms (CPU {Ms(compiler.CpuMs)})");
            baselines.Add(await AnalysisRunner.RunAsync(compilation, empty, concurrent).ConfigureAwait(false));
            Log($"{label}{repeat}: baseline wall {Ms(baselines[^1].WallMs)} ms (CPU {Ms(baselines[^1].CpuMs)})");
            mcpResults.Add(await AnalysisRunner.RunAsync(compilation, mcp, concurrent).ConfigureAwait(false));
            Log($"{label}{repeat}: McpAnalyzers {Ms(mcpResults[^1].AnalyzerMs)} ms (wall {Ms(mcpResults[^1].WallMs)}, CPU {Ms(mcpResults[^1].CpuMs)})");
            if (runNet)
            {
                netResults.Add(await AnalysisRunner.RunAsync(compilation, net, concurrent).ConfigureAwait(false));
                Log($"{label}{repeat}: NetAnalyzers {Ms(netResults[^1].AnalyzerMs)} ms (wall {Ms(netResults[^1].WallMs)}, CPU {Ms(netResults[^1].CpuMs)})");
            }
        }

        var run = new CorpusRun(corpus.Files.Count, corpus.WithMcp, repeats, compilerMs, compilerCpuMs, warnings, Min(baselines), Min(mcpResults), runNet ? Min(netResults) : null, mcpResults);
        return (run, corpus);
    }

    /// <summary>
    /// The minimum of each number over the repeats (the usual estimate when other processes interfere);
    /// diagnostics and exceptions of every repeat are kept so a repeat that differs is caught.
    /// </summary>
    private static AnalysisResult Min(List<AnalysisResult> results)
    {
        var fastest = results.OrderBy(r => r.AnalyzerMs).First();
        var diagnostics = new Dictionary<string, int>(fastest.DiagnosticsById, StringComparer.Ordinal);
        var exceptions = results.SelectMany(r => r.AnalyzerExceptions).Distinct().ToList();
        foreach (var other in results.Where(r => !r.DiagnosticsById.OrderBy(p => p.Key, StringComparer.Ordinal).SequenceEqual(fastest.DiagnosticsById.OrderBy(p => p.Key, StringComparer.Ordinal))))
        {
            exceptions.Add("repeats reported different diagnostics: " + string.Join(", ", other.DiagnosticsById.Select(p => $"{p.Key} {p.Value}")));
        }

        return fastest with
        {
            WallMs = results.Min(r => r.WallMs),
            CpuMs = results.Min(r => r.CpuMs),
            DiagnosticsById = diagnostics,
            AnalyzerExceptions = exceptions,
        };
    }

    /// <summary>
    /// McpAnalyzers: exactly the unvalidated tool flows per rule (MCPSEC005-008), no MCPSEC009, nothing on
    /// a corpus without the MCP reference. NetAnalyzers (controller twins): per taint rule at least the
    /// unvalidated flows (proves its dataflow ran) and at most every non-constant flow (it does not know
    /// regex validation); CA2100 exactly every non-constant CommandText (tool classes and controllers).
    /// </summary>
    private static void Check(CorpusRun run, Corpus corpus, List<string> failures)
    {
        var label = $"{run.Files} files{(run.WithMcp ? "" : " (no MCP)")}";
        foreach (var result in new[] { run.Baseline, run.Mcp, run.Net }.OfType<AnalysisResult>())
        {
            failures.AddRange(result.AnalyzerExceptions.Select(e => $"{label}, {result.SetName}: analyzer exception {e}"));
        }

        var expected = corpus.ExpectedMcpDiagnostics();
        foreach (var (id, count) in expected.Append(new KeyValuePair<string, int>("MCPSEC009", 0)))
        {
            var actual = Get(run.Mcp, id);
            if (actual != count)
            {
                failures.Add($"{label}: McpAnalyzers reported {actual} {id}, expected {count}");
            }
        }

        if (run.Net is not { } net)
        {
            return;
        }

        foreach (var sink in Corpus.Sinks)
        {
            if (Corpus.NetTaintRuleId(sink) is not { } id)
            {
                continue;
            }

            var min = corpus.Count(sink, FlowShape.Direct, FlowShape.OneHelper, FlowShape.TwoHelpers);
            var max = min + corpus.Count(sink, FlowShape.Validated);
            var actual = Get(net, id);
            if (actual < min || actual > max)
            {
                failures.Add($"{label}: NetAnalyzers reported {actual} {id}, expected {min}..{max}");
            }
        }

        var ca2100 = 2 * corpus.Count(SinkKind.Sql, FlowShape.Direct, FlowShape.OneHelper, FlowShape.TwoHelpers, FlowShape.Validated);
        if (Get(net, "CA2100") != ca2100)
        {
            failures.Add($"{label}: NetAnalyzers reported {Get(net, "CA2100")} CA2100, expected {ca2100}");
        }
    }

    private static string DescribeMcp(AnalysisResult result, Corpus corpus)
    {
        var expected = corpus.ExpectedMcpDiagnostics();
        var parts = expected.Select(e => $"{e.Key} {Get(result, e.Key)} ({e.Value})").ToList();
        var others = result.DiagnosticsById.Where(d => !expected.ContainsKey(d.Key)).OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => $"{d.Key} {d.Value}");
        parts.AddRange(others);
        return string.Join(", ", parts);
    }

    private static string DescribeNet(AnalysisResult result, Corpus corpus)
    {
        var parts = new List<string>();
        foreach (var sink in Corpus.Sinks)
        {
            if (Corpus.NetTaintRuleId(sink) is { } id)
            {
                var min = corpus.Count(sink, FlowShape.Direct, FlowShape.OneHelper, FlowShape.TwoHelpers);
                parts.Add($"{id} {Get(result, id)} ({min}..{min + corpus.Count(sink, FlowShape.Validated)})");
            }
        }

        parts.Add($"CA2100 {Get(result, "CA2100")} ({2 * corpus.Count(SinkKind.Sql, FlowShape.Direct, FlowShape.OneHelper, FlowShape.TwoHelpers, FlowShape.Validated)})");
        parts.AddRange(result.DiagnosticsById.Where(d => d.Key is not ("CA3001" or "CA3003" or "CA3006" or "CA2100")).OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => $"{d.Key} {d.Value}"));
        return string.Join(", ", parts);
    }

    private static void Row(StringBuilder report, string label, CorpusRun run, AnalysisResult result, string diagnostics)
    {
        var isBaseline = ReferenceEquals(result, run.Baseline);
        var deltaWall = isBaseline ? "" : Ms(result.WallMs - run.Baseline.WallMs);
        var deltaCpu = isBaseline ? "" : Ms(result.CpuMs - run.Baseline.CpuMs);
        var analyzerMs = isBaseline ? "" : Ms(result.AnalyzerMs);
        var percent = isBaseline ? "" : (100 * result.AnalyzerMs / run.CompilerMs).ToString("F1", CultureInfo.InvariantCulture) + " %";
        var perFile = isBaseline ? "" : (result.AnalyzerMs / run.Files).ToString("F3", CultureInfo.InvariantCulture);
        report.AppendLine($"| {label} | {result.SetName} | {Ms(result.WallMs)} | {deltaWall} | {Ms(result.CpuMs)} | {deltaCpu} | {Ms(result.GcPauseMs)} | {analyzerMs} | {percent} | {perFile} | {diagnostics} |");
    }

    private static void WritePerAnalyzer(StringBuilder report, IEnumerable<CorpusRun> runs)
    {
        report.AppendLine("Per analyzer (`ExecutionTime`, ms), McpAnalyzers:").AppendLine();
        var list = runs.ToList();
        var names = list.SelectMany(r => r.Mcp.MsPerAnalyzer.Keys).Distinct().OrderBy(n => n, StringComparer.Ordinal).ToList();
        report.AppendLine("| analyzer | " + string.Join(" | ", list.Select(r => $"{r.Files:N0}{(r.WithMcp ? "" : " no MCP")}")) + " |");
        report.AppendLine("|---|" + string.Concat(list.Select(_ => "---:|")));
        foreach (var name in names)
        {
            report.AppendLine($"| {name} | " + string.Join(" | ", list.Select(r => r.Mcp.MsPerAnalyzer.TryGetValue(name, out var ms) ? ms.ToString("F2", CultureInfo.InvariantCulture) : "")) + " |");
        }

        report.AppendLine();
    }

    /// <summary>The garbage-collection pauses that ended inside the set's callbacks (its analyzers are <see cref="InstrumentedAnalyzer"/>s).</summary>
    private static double PausesInCallbacks(AnalysisResult result) => result.GcPauseMsPerAnalyzer.Values.Sum();

    private static double FastestNetOfPauses(CorpusRun run) => run.McpRepeats.Min(r => r.AnalyzerMs - PausesInCallbacks(r));

    private static string EveryRepeat(CorpusRun run) => string.Join(", ", run.McpRepeats.Select(r => $"{Ms(r.AnalyzerMs)} ({Ms(PausesInCallbacks(r))})"));

    private static void WriteTargets(StringBuilder report, List<CorpusRun> runs, CorpusRun noMcp)
    {
        report.AppendLine("## Targets").AppendLine();
        report.AppendLine("| target | measured | result |");
        report.AppendLine("|---|---|---|");
        var reference = runs.FirstOrDefault(r => r.Files == 1000) ?? runs[0];
        var ratio = reference.Mcp.AnalyzerMs / reference.CompilerMs;
        report.AppendLine($"| N = {reference.Files:N0}: McpAnalyzers ≤ 10 % of the compiler's diagnostics time | {Ms(reference.Mcp.AnalyzerMs)} / {Ms(reference.CompilerMs)} ms = {ratio * 100:F1} % | {Verdict(ratio <= 0.10)} |");
        var threadRatio = reference.Mcp.AnalyzerMs / reference.CompilerCpuMs;
        report.AppendLine($"| (same, both summed over threads: analyzer ms / compiler CPU ms) | {Ms(reference.Mcp.AnalyzerMs)} / {Ms(reference.CompilerCpuMs)} ms = {threadRatio * 100:F1} % | {Verdict(threadRatio <= 0.10)} |");
        var deltaCpu = reference.Mcp.CpuMs - reference.Baseline.CpuMs;
        report.AppendLine(deltaCpu <= 0
            ? $"| (same, in CPU time: Δ CPU over the baseline / compiler CPU) | Δ CPU {Ms(deltaCpu)} ms: below the run-to-run noise of process CPU time | — |"
            : $"| (same, in CPU time: Δ CPU over the baseline / compiler CPU) | {Ms(deltaCpu)} / {Ms(reference.CompilerCpuMs)} ms = {deltaCpu / reference.CompilerCpuMs * 100:F1} % | {Verdict(deltaCpu / reference.CompilerCpuMs <= 0.10)} |");
        report.AppendLine($"| (context: garbage-collection pauses that ended inside the McpAnalyzers callbacks of its fastest repeat, part of its analyzer ms) | {Ms(PausesInCallbacks(reference.Mcp))} ms | — |");
        if (reference.Net is { } net)
        {
            var netRatio = reference.Mcp.AnalyzerMs / net.AnalyzerMs;
            report.AppendLine($"| N = {reference.Files:N0}: McpAnalyzers ≤ 1/10 of the NetAnalyzers rules | {Ms(reference.Mcp.AnalyzerMs)} / {Ms(net.AnalyzerMs)} ms = 1/{1 / netRatio:F1} | {Verdict(netRatio <= 0.10)} |");
            var netCpuRatio = deltaCpu / (net.CpuMs - reference.Baseline.CpuMs);
            report.AppendLine(deltaCpu <= 0
                ? $"| (same, in Δ CPU time over the baseline) | Δ CPU {Ms(deltaCpu)} ms: below the run-to-run noise | — |"
                : $"| (same, in Δ CPU time over the baseline) | {Ms(deltaCpu)} / {Ms(net.CpuMs - reference.Baseline.CpuMs)} ms = 1/{1 / netCpuRatio:F1} | {Verdict(netCpuRatio <= 0.10)} |");
        }
        else
        {
            report.AppendLine($"| N = {reference.Files:N0}: McpAnalyzers ≤ 1/10 of the NetAnalyzers rules | not measured | — |");
        }

        if (runs.Count > 1)
        {
            var small = runs.OrderBy(r => r.Files).First();
            var large = runs.OrderBy(r => r.Files).Last();
            var growth = (large.Mcp.AnalyzerMs / large.Files) / (small.Mcp.AnalyzerMs / small.Files);
            report.AppendLine($"| McpAnalyzers ms/file from N = {small.Files:N0} to {large.Files:N0} grows < 1.5× | {small.Mcp.AnalyzerMs / small.Files:F3} → {large.Mcp.AnalyzerMs / large.Files:F3} ms/file = {growth:F2}× | {Verdict(growth < 1.5)} |");

            // The machine's own scaling, for context: the same growth for the compiler and for the GC pauses of the baseline.
            var compilerGrowth = (large.CompilerMs / large.Files) / (small.CompilerMs / small.Files);
            var pauseGrowth = (large.Baseline.GcPauseMs / large.Files) / (small.Baseline.GcPauseMs / small.Files);
            report.AppendLine($"| (context, same run: compiler diagnostics ms/file; GC pause ms/file of the baseline) | {compilerGrowth:F2}×; {pauseGrowth:F2}× | — |");
            report.AppendLine($"| (context: GC pauses inside the McpAnalyzers callbacks of the fastest repeat, N = {small.Files:N0}; {large.Files:N0}) | {Ms(PausesInCallbacks(small.Mcp))} ms; {Ms(PausesInCallbacks(large.Mcp))} ms | — |");

            // The fastest of a few short repeats is often one that no collection interrupted, while every long repeat has
            // some: the same growth on estimates that treat both sizes alike, for context (the verdict above stays on the minimum).
            report.AppendLine($"| (context: McpAnalyzers ms of every repeat, GC pauses inside its callbacks in brackets, N = {small.Files:N0}; {large.Files:N0}) | {EveryRepeat(small)}; {EveryRepeat(large)} | — |");
            var meanGrowth = (large.McpRepeats.Average(r => r.AnalyzerMs) / large.Files) / (small.McpRepeats.Average(r => r.AnalyzerMs) / small.Files);
            var netGrowth = (FastestNetOfPauses(large) / large.Files) / (FastestNetOfPauses(small) / small.Files);
            report.AppendLine($"| (context: the same growth on the mean over the repeats; on the fastest repeat less the GC pauses inside its callbacks) | {meanGrowth:F2}×; {netGrowth:F2}× | — |");
        }
        else
        {
            report.AppendLine("| McpAnalyzers ms/file grows < 1.5× from N = 1,000 to 10,000 | not measured (one file count) | — |");
        }

        report.AppendLine($"| no MCP reference ({noMcp.Files:N0} files): all McpAnalyzers < 1 ms | {noMcp.Mcp.AnalyzerMs:F3} ms | {Verdict(noMcp.Mcp.AnalyzerMs < 1)} |");
        report.AppendLine();
    }

    private static void WriteMachine(StringBuilder report, ReportOptions options)
    {
        var memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024);
        report.AppendLine("## Machine").AppendLine();
        report.AppendLine($"- {Environment.ProcessorCount} logical cores, {memory:F1} GiB memory available to the process");
        report.AppendLine($"- {RuntimeInformation.OSDescription} ({RuntimeInformation.OSArchitecture})");
        report.AppendLine($"- {RuntimeInformation.FrameworkDescription}, Roslyn {typeof(Compilation).Assembly.GetName().Version}, GC {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")}");
        report.AppendLine($"- analyzer driver: {(options.Concurrent ? "concurrent analysis on" : "sequential")}, `logAnalyzerExecutionTime: true`; corpora up to 2,000 files measured {options.Repeats}× (minimum kept), larger ones {Math.Min(options.Repeats, LargeCorpusRepeats)}×");
        report.AppendLine($"- run at {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; other builds may share the machine (numbers are one run, not a statistic)");
        report.AppendLine();
    }

    private static int Get(AnalysisResult result, string id) => result.DiagnosticsById.TryGetValue(id, out var n) ? n : 0;

    private static string Verdict(bool met) => met ? "**met**" : "**missed**";

    private static string Ms(double ms) => ms.ToString(ms < 10 ? "F2" : "F0", CultureInfo.InvariantCulture);

    private static void Log(string message) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");
}
