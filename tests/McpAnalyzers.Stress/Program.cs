using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using McpAnalyzers.Tests.Robustness;

namespace McpAnalyzers.Stress;

/// <summary>
/// Opt-in robustness stress run: every shipped analyzer and code fix over the corpus and N broken
/// variants of it (default 20,000). Prints "N variants, N analyzer exceptions, N code-fix exceptions"
/// and exits 1 on any failure. Usage: see <see cref="Usage"/> and docs/robustness.md.
/// </summary>
public static class Program
{
    private const string Usage = """
        Usage: dotnet run -c Release --project tests/McpAnalyzers.Stress -- [options]
          --variants N   broken variants to run (default 20000)
          --seed N       variant seed (default 1; the normal test suite uses 20250618)
          --parallel N   variants analyzed at once (default: processor count)
          --timeout S    per-variant time cap in seconds (default 30)
          --show N       distinct failures to print in full (default 10)
          --only I       run only variant #I of this seed (to reproduce a reported failure)
          --dump FILE    also write what each variant produced (diagnostics, code actions, fix-alls), one line each,
                         sorted: two runs of one seed compare with diff
        Exit code: 0 no failure, 1 analyzer/code-fix exceptions or timeouts, 2 bad arguments.
        """;

    public static async Task<int> Main(string[] args)
    {
        var variants = 20_000;
        var seed = 1;
        var parallel = Environment.ProcessorCount;
        var timeout = 30;
        var show = 10;
        var only = -1;
        string? dump = null;
        for (var i = 0; i < args.Length; i++)
        {
            var ok = args[i] switch
            {
                "--variants" => TryRead(args, ref i, out variants, minimum: 1),
                "--seed" => TryRead(args, ref i, out seed, minimum: int.MinValue),
                "--parallel" => TryRead(args, ref i, out parallel, minimum: 1),
                "--timeout" => TryRead(args, ref i, out timeout, minimum: 1),
                "--show" => TryRead(args, ref i, out show, minimum: 0),
                "--only" => TryRead(args, ref i, out only, minimum: 0),
                "--dump" => TryReadPath(args, ref i, out dump),
                _ => false,
            };
            if (!ok)
            {
                Console.Error.WriteLine(args[i] is "-h" or "--help" ? Usage : $"Unrecognised or invalid argument '{args[i]}'.\n{Usage}");
                return args[i] is "-h" or "--help" ? 0 : 2;
            }
        }

        var corpus = RobustnessCorpus.Load();
        using var harness = RobustnessHarness.ForPackage(TimeSpan.FromSeconds(timeout));
        Console.WriteLine($"Corpus: {corpus.Length} units. Package: {harness.AnalyzerCount} analyzers, {harness.CodeFixCount} code fixes.");

        IEnumerable<SourceVariant> work;
        if (only >= 0)
        {
            var variant = VariantGenerator.Single(corpus, only, seed);
            work = variant is null ? Array.Empty<SourceVariant>() : new[] { variant };
            Console.WriteLine(variant is null ? "The corpus has nothing to mutate." : $"Running variant {variant.Description}:\n{variant.MutatedText}");
        }
        else
        {
            work = VariantGenerator.Originals(corpus).Concat(VariantGenerator.Generate(corpus, variants, seed));
            Console.WriteLine($"Running the corpus and {variants} variants (seed {seed}, {parallel} at once, {timeout} s cap each)...");
        }

        var stopwatch = Stopwatch.StartNew();
        var total = only >= 0 ? 1 : corpus.Length + variants;
        var step = Math.Max(1, total / 20);
        var report = await harness.RunAsync(
            work,
            parallel,
            done =>
            {
                if (done % step == 0)
                {
                    Console.WriteLine($"  {done}/{total} ({stopwatch.Elapsed.TotalSeconds:0} s)");
                }
            });

        if (report.Failures.Count > 0)
        {
            Console.WriteLine();
            Console.WriteLine(report.FormatFailures(show));
        }

        if (dump is not null)
        {
            File.WriteAllLines(dump, report.Outcomes);
            Console.WriteLine($"{report.Outcomes.Count} outcome lines written to {Path.GetFullPath(dump)}");
        }

        Console.WriteLine(report.Details);
        Console.WriteLine(report.Summary + (report.Timeouts > 0 ? $", {report.Timeouts} timeouts" : ""));
        return report.Failures.Count == 0 ? 0 : 1;
    }

    private static bool TryReadPath(string[] args, ref int index, out string? path)
    {
        path = index + 1 < args.Length && !args[index + 1].StartsWith("--", StringComparison.Ordinal) ? args[index + 1] : null;
        index += path is null ? 0 : 1;
        return path is not null;
    }

    private static bool TryRead(string[] args, ref int index, out int value, int minimum)
    {
        value = 0;
        if (index + 1 >= args.Length || !int.TryParse(args[index + 1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value) || value < minimum)
        {
            return false;
        }

        index++;
        return true;
    }
}
