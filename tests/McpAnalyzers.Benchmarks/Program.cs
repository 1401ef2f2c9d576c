using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace McpAnalyzers.Benchmarks;

internal static class Program
{
    private const string Usage = """
        McpAnalyzers benchmarks

          report [--files 1000,10000] [--no-mcp-files N] [--net-max-files N] [--repeat K] [--sequential] [--out FILE]
              Compiles a synthetic corpus per file count and measures, side by side, an empty-analyzer
              baseline, all McpAnalyzers rules and the NetAnalyzers security rules; checks the diagnostics
              against the corpus's expectations (exit code 1 on a mismatch) and prints a markdown report.
                --files          file counts (default 1000)
                --no-mcp-files   size of the corpus without the MCP reference (default: the first count)
                --net-max-files  largest corpus NetAnalyzers runs on (default 1000; it is the slow one)
                --repeat         measurements per corpus of up to 2,000 files, minimum kept (default 5; larger corpora: at most 3)
                --sequential     analyzer driver without concurrent analysis (default: concurrent)
                --out            also write the report to FILE

          bdn [BenchmarkDotNet arguments, e.g. --filter *]
              BenchmarkDotNet micro-benchmarks (in-process toolchain) on a 100-file corpus.

          profile [files] [repeats] [--sequential] [--cfg] [--floor] [--cpu | --gc]
              McpAnalyzers alone, repeated on one corpus: telemetry per run and the fastest run per analyzer
              (the loop to attach dotnet-trace to). --floor: the reading floor instead; --cpu: each callback's
              thread CPU time (Linux); --gc: the garbage-collection pauses inside the callbacks.

          primitives [files]
              What a text search, a token, syntax-node or operation walk and a control-flow graph cost on the corpus.

          corpus <files> <directory> [--no-mcp]
              Writes the corpus's files into <directory> and prints the McpAnalyzers diagnostics a build of them
              must report (for a real `dotnet build` of it: eng/build-benchmark.sh).

          engine [files] [rounds] [--fresh | --interleaved]
              The tool-input taint engine called directly on every body of the corpus, single-threaded:
              time and bytes allocated by its pre-check and its analyses. --fresh: a new compilation each
              round; --interleaved: file by file, bind then analyse (as the driver does), cold or warmed.
        """;

    public static async Task<int> Main(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            Console.WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }

        switch (args[0])
        {
            case "report":
                ReportOptions options;
                try
                {
                    options = ReportOptions.Parse(args.Skip(1).ToArray());
                }
                catch (FormatException e)
                {
                    Console.Error.WriteLine(e.Message);
                    Console.Error.WriteLine(Usage);
                    return 2;
                }

                return await ReportMode.RunAsync(options).ConfigureAwait(false);
            case "primitives":
                return PrimitivesMode.Run(args.Skip(1).ToArray());
            case "engine":
                return EngineMode.Run(args.Skip(1).ToArray());
            case "corpus" when args.Length >= 3 && int.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count > 0:
                var corpus = CorpusGenerator.Generate(count, withMcp: !args.Contains("--no-mcp"));
                foreach (var file in corpus.Files)
                {
                    var path = Path.Combine(args[2], file.Path);
                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    File.WriteAllText(path, file.Text);
                }

                Console.WriteLine($"{corpus.Files.Count} files written to {Path.GetFullPath(args[2])}");
                foreach (var (id, expected) in corpus.ExpectedMcpDiagnostics().OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    // What a build of these files must report, for eng/build-benchmark.sh to check.
                    Console.WriteLine($"expected {id} {expected}");
                }

                return 0;
            case "profile":
                return await ProfileMode.RunAsync(args.Skip(1).ToArray()).ConfigureAwait(false);
            case "bdn":
                // In-process: no separate build of a generated project on a shared 2-core machine.
                var config = DefaultConfig.Instance.AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance));
                BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args.Skip(1).ToArray(), config);
                return 0;
            default:
                Console.Error.WriteLine(Usage);
                return 2;
        }
    }
}
