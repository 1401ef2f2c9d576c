using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace McpAnalyzers.Benchmarks;

/// <summary>
/// <c>primitives [files]</c>: what the building blocks of a pre-filter cost on the corpus, single-threaded, after
/// binding (so only the walk itself is timed): a text search of every file, a walk of its tokens or syntax nodes, a
/// walk of the operations of every method body, and a control-flow graph of every body. Four rounds; the first
/// includes JIT. This is the measurement behind the choice of plain text searches for the rules' pre-filters.
/// </summary>
internal static class PrimitivesMode
{
    private static readonly string[] Words = { "Authorization", "GetTokenAsync", "Token", "RawData" };

    private static readonly string[] AbsentTypes =
    {
        "System.Linq.Dynamic.Core.DynamicExpressionParser", "Microsoft.CodeAnalysis.CSharp.Scripting.CSharpScript", "Newtonsoft.Json.JsonConvert",
        "System.DirectoryServices.DirectorySearcher", "Dapper.SqlMapper", "Npgsql.NpgsqlCommand", "MySqlConnector.MySqlCommand", "Renci.SshNet.SshClient",
        "RestSharp.RestClient", "Flurl.Http.FlurlRequest",
    };

    private static readonly string[] FilterIdentifiers =
    {
        "Today", "Add", "Combine", "Sample", "GetItems", "Shuffle", "GetHexString", "GetString", "Start", "Open", "Connect", "Send",
        "Token", "Authorization", "GetTokenAsync", "RawData", "EncodedToken", "UnsafeToString", "ClientSecret", "GetConnectionString",
    };

    private static readonly string[] FilterFragments = { "next", "now", "tick", "elapsed", "timestamp", "crement", "hashcode", "version7" };

    public static int Run(string[] args)
    {
        var files = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 1000;
        var compilation = AnalysisRunner.Compile(CorpusGenerator.Generate(files));
        var names = new HashSet<string>(Words, StringComparer.Ordinal);
        for (var round = 1; round <= 4; round++)
        {
            var fresh = compilation.Clone();
            var trees = fresh.SyntaxTrees.ToList();
            var bodies = MethodBodies.Of(fresh).Select(b => b.Body).ToList();

            var found = 0L;
            var text = Time(() =>
            {
                foreach (var tree in trees)
                {
                    var source = tree.GetText().ToString();
                    found += Words.Count(w => source.IndexOf(w, StringComparison.Ordinal) >= 0);
                }
            });
            var tokens = Time(() => found += trees.Sum(t => t.GetRoot().DescendantTokens().Count(k => k.IsKind(SyntaxKind.IdentifierToken) && names.Contains(k.ValueText))));
            var nodes = Time(() => found += trees.Sum(t => t.GetRoot().DescendantNodes().Count(n => n is SimpleNameSyntax s && names.Contains(s.Identifier.ValueText))));
            var operations = Time(() => found += bodies.Sum(b => b.DescendantsAndSelf().Count(o => o.Kind == OperationKind.Invocation)));
            var graphs = Time(() => found += bodies.Sum(b => ControlFlowGraph.Create(b).Blocks.Length));
            Console.WriteLine(
                $"round {round}: {trees.Count} files, {bodies.Count} method bodies: text search ({Words.Length} words) {text:F1} ms, "
                + $"token walk {tokens:F1} ms, syntax-node walk {nodes:F1} ms, operation walk {operations:F1} ms, control-flow graphs {graphs:F1} ms ({found} items)");

            // The rules' text filters at compilation start: the words of MCPSEC002's filter (20 identifiers, 8 fragments) looked
            // for in every file, searching the text for each word (no reservation), then with the shared words of each tree
            // (reserved: the first filter makes them, a second filter of the same compilation reuses them).
            var filterWords = FilterIdentifiers;
            var exact = Time(() => found += trees.Count(t => new McpAnalyzers.SourceTextFilter(filterWords, FilterFragments).MayMatch(t)));
            var first = new McpAnalyzers.SourceTextFilter(filterWords, FilterFragments);
            var second = new McpAnalyzers.SourceTextFilter(filterWords.Reverse(), FilterFragments);
            var withWords = Time(() =>
            {
                first.ReserveFor(fresh);
                found += trees.Count(t => first.MayMatch(t));
            });
            var reused = Time(() =>
            {
                second.ReserveFor(fresh);
                found += trees.Count(t => second.MayMatch(t));
            });
            Console.WriteLine($"  text filter ({FilterIdentifiers.Length} identifiers, {FilterFragments.Length} fragments) over every file: text searched per word {exact:F1} ms; with the trees' words {withWords:F1} ms, again with them made {reused:F1} ms");

            // Symbol resolution at compilation start, on a compilation nobody has asked for types yet.
            var unresolved = compilation.Clone();
            var absent = Time(() => found += AbsentTypes.Count(n => unresolved.GetTypeByMetadataName(n) is null));
            var setup = compilation.Clone();
            var configuration = Time(() => found += McpAnalyzers.Rules.ToolInputTaintAnalyzer.CreateConfiguration(setup)?.Rules.Length ?? 0);
            Console.WriteLine(
                $"  {setup.References.Count()} references: {AbsentTypes.Length} absent types looked up {absent:F1} ms; tool-input rules' sources and sinks resolved {configuration:F1} ms");
        }

        return 0;
    }

    private static double Time(Action action)
    {
        var stopwatch = Stopwatch.StartNew();
        action();
        return stopwatch.Elapsed.TotalMilliseconds;
    }
}
