using System;
using System.Globalization;
using System.Linq;
using System.Diagnostics;
using System.Collections.Immutable;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace McpAnalyzers.Benchmarks;

/// <summary>
/// <c>profile [files] [repeats] [--sequential] [--floor] [--cpu | --gc]</c>: runs only McpAnalyzers over one corpus several times and
/// prints the telemetry of each run and the fastest run of each analyzer, for stopwatch profiling or to attach a sampling profiler to.
/// <c>--floor</c> runs <see cref="ReadingFloorAnalyzer"/> instead: what reading the tool methods and their helpers costs alone.
/// <c>--cpu</c> runs the analyzers in <see cref="InstrumentedAnalyzer"/>s (Linux): the CPU time in their callbacks and how many
/// callbacks ran, beside the telemetry (which the clock's system calls then inflate: on a busy machine a thread often loses
/// its core at one). <c>--gc</c> runs them in wrappers that read only the garbage-collection pause total and the thread's
/// allocated bytes (no system call): the pauses inside each analyzer's callbacks, which its telemetry counts, the fastest
/// telemetry less them, and the bytes allocated inside the callbacks (the analyzer's and those of the compiler APIs it calls).
/// </summary>
internal static class ProfileMode
{
    public static async Task<int> RunAsync(string[] args)
    {
        var files = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200;
        var repeats = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
        var concurrent = !args.Contains("--sequential");
        var compilation = AnalysisRunner.Compile(CorpusGenerator.Generate(files));
        if (args.Contains("--cfg"))
        {
            GraphCost(compilation);
        }

        var (compilerMs, _, _) = AnalysisRunner.CompilerDiagnostics(compilation);
        Console.WriteLine($"{files} files: compiler diagnostics {compilerMs:F0} ms");
        var (p0, g1, g2) = (GC.GetTotalPauseDuration(), GC.CollectionCount(1), GC.CollectionCount(2));
        var empty = await AnalysisRunner.RunAsync(compilation, AnalyzerSets.Empty(), concurrent).ConfigureAwait(false);
        Console.WriteLine($"  GC: pauses {(GC.GetTotalPauseDuration() - p0).TotalMilliseconds:F0} ms, gen1 {GC.CollectionCount(1) - g1}, gen2 {GC.CollectionCount(2) - g2}");
        Console.WriteLine($"baseline: wall {empty.WallMs:F0} ms, CPU {empty.CpuMs:F0} ms, allocated {empty.AllocatedMb:F0} MB, no-op analyzer {empty.AnalyzerMs:F1} ms");
        var floor = args.Contains("--floor");
        var mcp = floor
            ? new AnalyzerSet("Reading floor", ImmutableArray.Create<DiagnosticAnalyzer>(new ReadingFloorAnalyzer()), ImmutableDictionary<string, ReportDiagnostic>.Empty)
            : AnalyzerSets.McpAnalyzers();
        var cpuTimed = args.Contains("--cpu") && ThreadCpuClock.IsAvailable;
        if (args.Contains("--cpu") && !cpuTimed)
        {
            Console.WriteLine("--cpu: no thread CPU clock on this system (Linux only); the analyzers run without it");
        }

        var gcTimed = args.Contains("--gc") && !cpuTimed;
        if (cpuTimed)
        {
            mcp = AnalyzerSets.Instrumented(mcp);
            Console.WriteLine($"CPU-timed callbacks (thread CPU clock, {ThreadCpuClock.IntervalOverheadNs} ns of clock per interval subtracted)");
        }
        else if (gcTimed)
        {
            mcp = AnalyzerSets.Instrumented(mcp, readCpuClock: false);
            Console.WriteLine("callbacks read the garbage-collection pause total (no clock)");
        }

        var fastestCpu = new System.Collections.Generic.Dictionary<string, double>(StringComparer.Ordinal);
        var fastest = new System.Collections.Generic.Dictionary<string, double>(StringComparer.Ordinal);
        var fastestNetOfPauses = new System.Collections.Generic.Dictionary<string, double>(StringComparer.Ordinal);
        for (var i = 0; i < repeats; i++)
        {
            var (pause, gen1, gen2) = (GC.GetTotalPauseDuration(), GC.CollectionCount(1), GC.CollectionCount(2));
            var result = await AnalysisRunner.RunAsync(compilation, mcp, concurrent).ConfigureAwait(false);
            Console.WriteLine($"  GC: pauses {(GC.GetTotalPauseDuration() - pause).TotalMilliseconds:F0} ms, gen1 {GC.CollectionCount(1) - gen1}, gen2 {GC.CollectionCount(2) - gen2}");
            Console.WriteLine($"run {i + 1}: analyzer {result.AnalyzerMs:F0} ms, wall {result.WallMs:F0} ms, CPU {result.CpuMs:F0} ms, allocated {result.AllocatedMb:F0} MB, {result.DiagnosticsById.Values.Sum()} diagnostics{(floor ? $", {ReadingFloorAnalyzer.OperationsRead} operations read so far" : "")}");
            foreach (var (name, ms) in result.MsPerAnalyzer)
            {
                fastest[name] = fastest.TryGetValue(name, out var best) ? Math.Min(best, ms) : ms;
            }

            foreach (var (name, ms) in result.CpuMsPerAnalyzer)
            {
                fastestCpu[name] = fastestCpu.TryGetValue(name, out var best) ? Math.Min(best, ms) : ms;
            }

            foreach (var (name, pauseMs) in result.GcPauseMsPerAnalyzer)
            {
                var net = result.MsPerAnalyzer[name] - pauseMs;
                fastestNetOfPauses[name] = fastestNetOfPauses.TryGetValue(name, out var best) ? Math.Min(best, net) : net;
            }

            if (cpuTimed || gcTimed)
            {
                var toolInput = result.GcPauseMsPerAnalyzer.TryGetValue("ToolInputTaintAnalyzer", out var toolInputPauses) ? toolInputPauses : 0;
                Console.WriteLine($"  GC pauses inside the callbacks {result.GcPauseMsPerAnalyzer.Values.Sum():F1} ms (ToolInputTaintAnalyzer {toolInput:F1} ms)");
                var allocated = mcp.Analyzers.OfType<InstrumentedAnalyzer>().Select(a => $"{AnalyzerSets.NameOf(a)} {a.AllocatedBytes / (1024.0 * 1024):F1}");
                Console.WriteLine($"  MB allocated inside the callbacks so far: {string.Join(", ", allocated)}");
            }

            if (cpuTimed)
            {
                var callbacks = mcp.Analyzers.OfType<InstrumentedAnalyzer>().Select(a => $"{AnalyzerSets.NameOf(a)} {a.Callbacks}");
                Console.WriteLine($"  CPU in the callbacks {result.AnalyzerCpuMs:F1} ms; callbacks so far: {string.Join(", ", callbacks)}");
            }
        }

        // The minimum per analyzer over the runs: the least disturbed by JIT, GC and other processes.
        Console.WriteLine($"fastest run per analyzer (sum {fastest.Values.Sum():F1} ms):");
        foreach (var (name, ms) in fastest.OrderByDescending(p => p.Value))
        {
            var cpuText = fastestCpu.TryGetValue(name, out var cpu) ? $"   (CPU {cpu:F1} ms)" : "";
            var netText = fastestNetOfPauses.TryGetValue(name, out var net) ? $"   (less the GC pauses inside its callbacks: {net:F1} ms)" : "";
            Console.WriteLine($"  {name,-45} {ms,8:F1} ms{cpuText}{netText}");
        }

        return 0;
    }

    /// <summary>What binding and control-flow graphs of the tool classes' methods cost on their own (single thread).</summary>
    private static void GraphCost(CSharpCompilation compilation)
    {
        for (var round = 0; round < 3; round++)
        {
            var fresh = compilation.Clone();
            var bodies = new System.Collections.Generic.List<IMethodBodyOperation>();
            var bind = Stopwatch.StartNew();
            foreach (var tree in fresh.SyntaxTrees)
            {
                var model = fresh.GetSemanticModel(tree);
                foreach (var method in tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>())
                {
                    if (model.GetOperation(method) is IMethodBodyOperation body)
                    {
                        bodies.Add(body);
                    }
                }
            }

            bind.Stop();
            var graphs = Stopwatch.StartNew();
            var blocks = 0;
            foreach (var body in bodies)
            {
                blocks += ControlFlowGraph.Create(body).Blocks.Length;
            }

            graphs.Stop();
            Console.WriteLine($"round {round + 1}: {bodies.Count} method bodies: binding + operations {bind.ElapsedMilliseconds} ms, control-flow graphs {graphs.ElapsedMilliseconds} ms ({blocks} blocks)");
        }
    }
}
