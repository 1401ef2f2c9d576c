using System;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;

namespace McpAnalyzers.Benchmarks;

/// <summary>
/// <c>profile [files] [repeats] [--sequential]</c>: runs only McpAnalyzers over one corpus several times and
/// prints the telemetry of each run, for stopwatch profiling or to attach a sampling profiler to.
/// </summary>
internal static class ProfileMode
{
    public static async Task<int> RunAsync(string[] args)
    {
        var files = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200;
        var repeats = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
        var concurrent = !args.Contains("--sequential");
        var compilation = AnalysisRunner.Compile(CorpusGenerator.Generate(files));
        var (compilerMs, _, _) = AnalysisRunner.CompilerDiagnostics(compilation);
        Console.WriteLine($"{files} files: compiler diagnostics {compilerMs:F0} ms");
        var empty = await AnalysisRunner.RunAsync(compilation, AnalyzerSets.Empty(), concurrent).ConfigureAwait(false);
        Console.WriteLine($"baseline: wall {empty.WallMs:F0} ms, CPU {empty.CpuMs:F0} ms, allocated {empty.AllocatedMb:F0} MB");
        var mcp = AnalyzerSets.McpAnalyzers();
        for (var i = 0; i < repeats; i++)
        {
            var result = await AnalysisRunner.RunAsync(compilation, mcp, concurrent).ConfigureAwait(false);
            Console.WriteLine($"run {i + 1}: analyzer {result.AnalyzerMs:F0} ms, wall {result.WallMs:F0} ms, CPU {result.CpuMs:F0} ms, allocated {result.AllocatedMb:F0} MB, {result.DiagnosticsById.Values.Sum()} diagnostics");
        }

        return 0;
    }
}
