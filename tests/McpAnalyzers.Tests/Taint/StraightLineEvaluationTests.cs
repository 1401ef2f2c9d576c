using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using McpAnalyzers.Benchmarks;
using McpAnalyzers.Rules;
using McpAnalyzers.Taint;
using McpAnalyzers.Tests.Robustness;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Xunit;

namespace McpAnalyzers.Tests.Taint;

/// <summary>
/// The taint engine evaluates straight-line bodies on their operation tree instead of a control-flow graph
/// (<see cref="StraightLineCode"/>): which bodies qualify, and that both evaluations agree on every method of the
/// test and sample corpus.
/// </summary>
public class StraightLineEvaluationTests
{
    private const string Prelude = """
        using System;
        using System.Collections.Generic;
        using System.Diagnostics;
        using System.IO;
        using System.Threading.Tasks;

        public sealed class Subject
        {
            private string _last = "";
            private static readonly System.Net.Http.HttpClient Http = new();

        """;

    [Theory]
    [InlineData("public string M(string input) => input;")]
    [InlineData("public void M(string input) => File.Delete(input);")]
    [InlineData("public string M(string input) { var path = \"data/\" + input; return File.ReadAllText(path); }")]
    [InlineData("public string M(string input) { _ = input.Length; Process.Start(\"git\", \"status\")?.WaitForExit(); return \"done\"; }")]
    [InlineData("public string M(string input) { using var reader = new StringReader(input); return reader.ReadLine() ?? string.Empty; }")]
    [InlineData("public async Task<string> M(string input) => await Http.GetStringAsync($\"https://{input}/status\");")]
    [InlineData("public void M(List<string>? items, string input) { items?.Add(input); _last = input; }")]
    [InlineData("public string M(string input) { { var a = input; _last = a; } return _last; }")]
    [InlineData("public int M(string input) { var n = input.Length; n += 2; n++; return n; }")]
    [InlineData("public bool M(string input) => int.TryParse(input, out var n) && n > 0 || input is null ? false : true;", false)]
    [InlineData("public string M(string input) { if (!System.Text.RegularExpressions.Regex.IsMatch(input, \"^[a-z]+$\")) { throw new ArgumentException(\"Invalid.\", nameof(input)); } return File.ReadAllText(input); }")]
    [InlineData("public string M(string input) { if (input.Length > 3) return input; return \"\"; }")]
    [InlineData("public void M(string input) { if (input.Length == 0) throw new ArgumentException(input); if (input == \"a\") return; File.Delete(input); }")]
    [InlineData("public string M(string input) { if (input.Length > 3) { _last = input; } return _last; }", false)]
    [InlineData("public string M(string input) { if (input.Length > 3) return input; else return \"\"; }", false)]
    [InlineData("public string M(string input) { if (input.Length > 3 && input != \"a\") return input; return \"\"; }", false)]
    [InlineData("public string M(string input) { if (input.Length > 3) { _last = input; return input; } return \"\"; }", false)]
    [InlineData("public string M(string input) { return input; _last = input; }", false)]
    [InlineData("public string M(string input) { foreach (var c in input) _last += c; return _last; }", false)]
    [InlineData("public string M(string input) { try { return File.ReadAllText(input); } catch (IOException) { return \"\"; } }", false)]
    [InlineData("public string M(string input) => input.Length > 3 ? input : \"\";", false)]
    [InlineData("public bool M(string input) => input.Length > 3 && input.StartsWith(\"a\");", false)]
    [InlineData("public string M(string input) => input ?? throw new ArgumentNullException(nameof(input));", false)]
    [InlineData("public string M(string? input) => input ?? (_last = \"x\");", false)]
    [InlineData("public void M(Dictionary<string, string>? map, string input) => map?.TryGetValue(input, out _last);", false)]
    [InlineData("public ProcessStartInfo M(string input) => new ProcessStartInfo { FileName = input };", false)]
    [InlineData("public Func<string> M(string input) => () => input;", false)]
    [InlineData("public string M(string input) { return Local(); string Local() => input; }", false)]
    [InlineData("public IEnumerable<string> M(string input) { yield return input; }", false)]
    [InlineData("public bool M(object input) => input is string { Length: > 3 } s && s != \"\";", false)]
    [InlineData("public string M(string input) => input switch { \"a\" => \"b\", _ => input };", false)]
    [InlineData("public string M(string input) => File.ReadAllText(input.Length > 3 ? input : \"\");", false)]
    [InlineData("public string M(string? input) => \"a\".Trim().Replace(\"a\", input ?? (_last = \"x\"));", false)]
    [InlineData("public object M(string input) => (object)(\"a\" + (input.Length > 3 ? input : \"\"));", false)]
    [InlineData("public void M(Dictionary<string, string>? map, string input) { map?.Remove(input.Trim()); }")]
    public void StraightLineBodiesAreRecognised(string member, bool expected = true)
    {
        var compilation = Compile(Prelude + member + "\n}\n");
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        var tree = compilation.SyntaxTrees.Single();
        var declaration = tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().Single();
        var body = (IMethodBodyOperation)compilation.GetSemanticModel(tree).GetOperation(declaration)!;

        Assert.Equal(expected, StraightLineCode.IsStraightLine(body));
        Assert.Equal(expected, StraightLineCode.IsStraightLine(body.BlockBody ?? body.ExpressionBody!)); // as the analyzer driver hands it over
    }

    [Fact]
    public void EveryBodyOfTheBenchmarkCorpusIsStraightLine()
    {
        var corpus = CorpusGenerator.Generate(20);
        var compilation = CSharpCompilation.Create(
            "Corpus",
            corpus.Files.Select(f => CSharpSyntaxTree.ParseText(f.Text, RobustnessCompilation.ParseOptions, f.Path)),
            RobustnessCompilation.References,
            RobustnessCompilation.CompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var graphOnly = new List<string>();
        var straight = 0;
        foreach (var (symbol, body) in MethodBodies.Of(compilation))
        {
            if (StraightLineCode.IsStraightLine(body.BlockBody ?? body.ExpressionBody!))
            {
                straight++;
            }
            else
            {
                graphOnly.Add(symbol.ContainingType.Name + "." + symbol.Name);
            }
        }

        // Every shape, the validated one (a guard clause that throws) included, is analysed without a graph.
        Assert.Empty(graphOnly);
        Assert.Equal(MethodBodies.Of(compilation).Count(), straight);
    }

    /// <summary>
    /// Every method of the corpus (test snippets and samples, ~340 compilations) summarised and analysed as an entry by
    /// two engines of each flow rule family, one evaluating straight-line bodies on the tree and one building a graph for
    /// every body: the summaries (returned value, sinks, field writes) and the findings must be the same.
    /// </summary>
    [Fact]
    public void TreeAndGraphEvaluationAgreeOnTheTestAndSampleCorpus()
    {
        var compared = 0;
        var straightLine = 0;
        var withFlows = 0;
        var differences = new List<string>();
        foreach (var unit in RobustnessCorpus.Load())
        {
            var compilation = RobustnessCompilation.Create(unit);
            var configurations = new[]
            {
                ToolInputTaintAnalyzer.CreateConfiguration(compilation),
                TokenPassthroughAnalyzer.CreateConfiguration(compilation, CancellationToken.None),
                CredentialExposureAnalyzer.CreateConfiguration(compilation, CancellationToken.None),
            };
            foreach (var configuration in configurations.OfType<TaintConfiguration>())
            {
                var tree = new TaintEngine(compilation, configuration, straightLineTrees: true);
                var graph = new TaintEngine(compilation, configuration, straightLineTrees: false);
                foreach (var (method, body) in MethodBodies.Of(compilation))
                {
                    compared++;
                    straightLine += StraightLineCode.IsStraightLine(body) ? 1 : 0;
                    var fromTree = Describe(tree, method, body);
                    var fromGraph = Describe(graph, method, body);
                    if (fromTree.Text != fromGraph.Text)
                    {
                        differences.Add($"{unit.Name} {method.ToDisplayString()}:\n  tree:  {fromTree.Text}\n  graph: {fromGraph.Text}");
                    }
                    else if (fromTree.HasFlow && StraightLineCode.IsStraightLine(body))
                    {
                        withFlows++;
                    }
                }
            }
        }

        Assert.True(differences.Count == 0, string.Join("\n", differences));
        // Measured: 634 (method, rule family) pairs, 373 of them straight-line, 113 of those with a flow to compare.
        Assert.True(compared > 500, $"{compared} methods compared");
        Assert.True(straightLine > 250, $"{straightLine} straight-line bodies among {compared}");
        Assert.True(withFlows > 80, $"{withFlows} straight-line bodies with a tainted return, sink or finding");
    }

    /// <summary>The summary and entry findings as text, and whether they hold any flow (a tainted return, a sink, a finding).</summary>
    private static (string Text, bool HasFlow) Describe(TaintEngine engine, IMethodSymbol method, IMethodBodyOperation body)
    {
        var summary = engine.GetSummary(method, TaintOptions.DefaultMaxCallDepth, TaintOptions.Default, new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default), CancellationToken.None);
        // The entry analysis gets the body block, as from the analyzer driver (whose graph is of the whole method body).
        var findings = engine.AnalyzeEntry(method, body.BlockBody ?? body.ExpressionBody!, b => ControlFlowGraph.Create((IMethodBodyOperation)b.Parent!), TaintOptions.Default, CancellationToken.None);
        if (summary is null)
        {
            return ("no summary", false);
        }

        var sinks = summary.Sinks.Select(s => $"{s.Location.SourceSpan}/{s.RuleIndex}/{s.SinkName}/{s.Value}/[{string.Join(",", s.ValueLocations.Select(l => l.SourceSpan).OrderBy(l => l.Start))}]").OrderBy(s => s, StringComparer.Ordinal);
        var fields = summary.FieldWrites.Select(w => $"{w.Key.Name}={w.Value}").OrderBy(s => s, StringComparer.Ordinal);
        var reported = findings.Select(f => $"{f.Location.SourceSpan}/{f.RuleIndex}/{f.SinkName}/{f.Origin}/[{string.Join(",", f.ValueLocations.Select(l => l.SourceSpan))}]");
        var text = $"return {summary.Return}; sinks {string.Join("; ", sinks)}; fields {string.Join("; ", fields)}; findings {string.Join("; ", reported)}";
        return (text, !summary.Return.IsClean || !summary.Sinks.IsEmpty || !findings.IsEmpty);
    }

    private static CSharpCompilation Compile(string source)
        => CSharpCompilation.Create(
            "StraightLine",
            new[] { CSharpSyntaxTree.ParseText(source, RobustnessCompilation.ParseOptions) },
            RobustnessCompilation.References,
            RobustnessCompilation.CompilationOptions(OutputKind.DynamicallyLinkedLibrary));
}
