using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using McpAnalyzers.Rules;
using McpAnalyzers.Taint;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace McpAnalyzers.Benchmarks;

/// <summary>
/// <c>engine [files] [rounds] [--fresh]</c>: the tool-input taint engine called directly on every method body of the corpus,
/// single-threaded and after binding, as the operation-block action would (pre-check, then the analysis of the bodies
/// that pass): time and bytes allocated per phase, without the analyzer driver, concurrency or other analyzers, and the
/// collections that fell inside a phase (their pauses are part of its time: one at 10,000 files took 186 ms).
/// <c>--interleaved</c>: file by file, as the driver goes, the file's bodies bound and then analysed (see <see cref="Interleaved"/>).
/// </summary>
internal static class EngineMode
{
    public static int Run(string[] args)
    {
        var files = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 1000;
        var rounds = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 6;
        var fresh = args.Contains("--fresh");
        if (args.Contains("--interleaved"))
        {
            Interleaved(files, rounds);
            return 0;
        }

        var corpus = AnalysisRunner.Compile(CorpusGenerator.Generate(files));
        Compilation compilation = null!;
        List<(IMethodSymbol Method, IOperation Block)> bodies = null!;
        for (var round = 1; round <= rounds; round++)
        {
            if (round == 1 || fresh)
            {
                // --fresh: a new compilation every round, bound before the measurement, as in a build (where the engine is the
                // first to ask for what binding does not compute: attributes, other members, interface lists...).
                compilation = WithCachedSemanticModels(corpus.Clone());
                // The analyzer driver hands over the body block, not the method body operation.
                bodies = MethodBodies.Of(compilation).Select(b => (b.Method, Block: (IOperation)(b.Body.BlockBody ?? b.Body.ExpressionBody!))).ToList();
            }

            var (setup, configuration) = Measure(() => ToolInputTaintAnalyzer.CreateConfiguration(compilation)!);
            var engine = new TaintEngine(compilation, configuration);
            var analysed = new List<(IMethodSymbol, IOperation)>();
            var (check, _) = Measure(() =>
            {
                foreach (var (method, block) in bodies)
                {
                    if (engine.ShouldAnalyze(method, block, CancellationToken.None))
                    {
                        analysed.Add((method, block));
                    }
                }

                return 0;
            });
            var findings = 0;
            var (analysis, _) = Measure(() =>
            {
                foreach (var (method, block) in analysed)
                {
                    findings += engine.AnalyzeEntry(method, block, b => ControlFlowGraph.Create((IMethodBodyOperation)b.Parent!), TaintOptions.Default, CancellationToken.None).Length;
                }

                return 0;
            });
            findings += engine.GetDeferredFindings().Length;
            Console.WriteLine(
                $"round {round}: {bodies.Count} bodies; configuration {setup}; pre-check {check}; analysis of {analysed.Count} {analysis}; {findings} findings");
        }

        return 0;
    }

    /// <summary>
    /// The compilation with the analyzer driver's semantic-model cache (internal API, reached by reflection): inside the
    /// driver, Compilation.GetSemanticModel returns the model that already holds the bound bodies, and the engine relies on it.
    /// </summary>
    private static Compilation WithCachedSemanticModels(Compilation compilation)
    {
        var providerType = typeof(Compilation).Assembly.GetType("Microsoft.CodeAnalysis.Diagnostics.CachingSemanticModelProvider", throwOnError: true)!;
        var provider = Activator.CreateInstance(providerType, nonPublic: true);
        var with = typeof(Compilation).GetMethod("WithSemanticModelProvider", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Public)!;
        return (Compilation)with.Invoke(compilation, new[] { provider })!;
    }

    /// <summary>
    /// The engine as the analyzer driver runs it: a new compilation each round, and file by file its methods bound (not timed)
    /// and then the pre-check and analysis of each (timed), so that every analysis follows the binding of its file, not the
    /// analysis of the previous body. Three variants per file, in rotating rounds: <c>cold</c> (as the driver), <c>after the
    /// previous file</c> (a throwaway engine first analyses the previous file: the engine's code is warm, this file's symbols
    /// and operations are not) and <c>after the same file</c> (a throwaway engine first analyses this file: code and data warm).
    /// Their differences split the engine's cost in the driver into warming its code, first touches of the file's symbols
    /// and operations, and the analysis itself.
    /// </summary>
    private static void Interleaved(int files, int rounds)
    {
        var corpus = AnalysisRunner.Compile(CorpusGenerator.Generate(files));
        string[] variants = { "cold", "after the previous file", "after the same file" };
        for (var round = 1; round <= rounds; round++)
        {
            var variant = (round - 1) % variants.Length;
            var compilation = WithCachedSemanticModels(corpus.Clone());
            var configuration = ToolInputTaintAnalyzer.CreateConfiguration(compilation)!;
            var engine = new TaintEngine(compilation, configuration);
            var timed = new Stopwatch();
            var paused = TimeSpan.Zero;
            List<(IMethodSymbol Method, IOperation Block)>? previous = null;
            foreach (var tree in compilation.SyntaxTrees)
            {
                var bodies = MethodBodies.Of(compilation, tree).Select(b => (b.Method, Block: (IOperation)(b.Body.BlockBody ?? b.Body.ExpressionBody!))).ToList();
                var warmUp = variant switch
                {
                    1 => previous,
                    2 => bodies,
                    _ => null,
                };
                if (warmUp is not null)
                {
                    AnalyseAll(new TaintEngine(compilation, configuration), warmUp);
                }

                var pause = GC.GetTotalPauseDuration();
                timed.Start();
                AnalyseAll(engine, bodies);
                timed.Stop();
                paused += GC.GetTotalPauseDuration() - pause;
                previous = bodies;
            }

            Console.WriteLine($"round {round}: {files} files bound and analysed one by one, {variants[variant]}: pre-check and analysis {timed.Elapsed.TotalMilliseconds:F1} ms, of which GC pauses {paused.TotalMilliseconds:F1} ms");
        }

        static void AnalyseAll(TaintEngine engine, List<(IMethodSymbol Method, IOperation Block)> bodies)
        {
            foreach (var (method, block) in bodies)
            {
                if (engine.ShouldAnalyze(method, block, CancellationToken.None))
                {
                    engine.AnalyzeEntry(method, block, b => ControlFlowGraph.Create((IMethodBodyOperation)b.Parent!), TaintOptions.Default, CancellationToken.None);
                }
            }
        }
    }

    private static string Kb(long bytes) => (bytes / 1024.0).ToString("F0", System.Globalization.CultureInfo.InvariantCulture) + " KB";

    /// <summary>A measured phase: time, bytes allocated on this thread, and the collections inside it (they count in its time).</summary>
    private readonly record struct Phase(double Ms, long Bytes, int Collections, double PauseMs)
    {
        public override string ToString()
            => $"{Ms:F1} ms {Kb(Bytes)}" + (Collections == 0 ? "" : $" ({Collections} GC, {PauseMs:F1} ms paused)");
    }

    private static (Phase Phase, T Result) Measure<T>(Func<T> action)
    {
        var bytes = GC.GetAllocatedBytesForCurrentThread();
        var collections = GC.CollectionCount(0);
        var pauses = GC.GetTotalPauseDuration();
        var stopwatch = Stopwatch.StartNew();
        var result = action();
        var ms = stopwatch.Elapsed.TotalMilliseconds;
        var phase = new Phase(ms, GC.GetAllocatedBytesForCurrentThread() - bytes, GC.CollectionCount(0) - collections, (GC.GetTotalPauseDuration() - pauses).TotalMilliseconds);
        return (phase, result);
    }
}
