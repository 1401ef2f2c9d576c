using System;
using System.Collections.Generic;
using System.Linq;
using McpAnalyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace McpAnalyzers.Tests.Robustness;

/// <summary>
/// How corpus units are compiled: latest C#, nullable enabled, the real test references
/// (<see cref="TestReferences.All"/>), and a console application when a file has top-level statements.
/// </summary>
public static class RobustnessCompilation
{
    public static CSharpParseOptions ParseOptions { get; } = new(LanguageVersion.Latest);

    public static IReadOnlyList<MetadataReference> References => TestReferences.All;

    public static OutputKind OutputKindFor(IEnumerable<SyntaxTree> trees)
        => trees.Any(t => t.GetRoot() is CompilationUnitSyntax unit && unit.Members.Any(m => m is GlobalStatementSyntax))
            ? OutputKind.ConsoleApplication
            : OutputKind.DynamicallyLinkedLibrary;

    public static CSharpCompilationOptions CompilationOptions(OutputKind outputKind)
        => new(outputKind, nullableContextOptions: NullableContextOptions.Enable);

    public static IReadOnlyList<SyntaxTree> Parse(CorpusUnit unit)
        => unit.Documents.Select(d => CSharpSyntaxTree.ParseText(d.Text, ParseOptions, path: d.Path)).ToList();

    public static CSharpCompilation Create(CorpusUnit unit)
    {
        var trees = Parse(unit);
        var empty = OutputKindFor(trees) == OutputKind.ConsoleApplication ? EmptyConsoleApplication.Value : EmptyLibrary.Value;
        return empty.AddSyntaxTrees(trees);
    }

    // Binding ~300 references costs far more than compiling a snippet; compilations derived from one
    // empty compilation share its reference manager, so that cost is paid once per output kind.
    private static readonly Lazy<CSharpCompilation> EmptyLibrary = new(() => CreateEmpty(OutputKind.DynamicallyLinkedLibrary));
    private static readonly Lazy<CSharpCompilation> EmptyConsoleApplication = new(() => CreateEmpty(OutputKind.ConsoleApplication));

    private static CSharpCompilation CreateEmpty(OutputKind outputKind)
        => CSharpCompilation.Create("Corpus", Array.Empty<SyntaxTree>(), References, CompilationOptions(outputKind));
}
