using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using McpAnalyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.CodeAnalysis.Text;

namespace McpAnalyzers.Tests.Robustness;

/// <summary>
/// The real-code corpus the robustness and determinism checks start from: the seed sources in
/// <see cref="SeedSources"/>, every sample project under <c>samples/</c>, and every C# snippet
/// embedded in the rule tests under <c>tests/McpAnalyzers.Tests/Rules/</c>. Order is stable
/// (seeds, samples, snippets; paths ordinal) so seeded variant generation is reproducible.
/// </summary>
public static class RobustnessCorpus
{
    // What `<ImplicitUsings>enable</ImplicitUsings>` adds, so samples compile as they do in their own build.
    private static readonly string[] ImplicitUsings =
    {
        "System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Threading", "System.Threading.Tasks",
    };

    private static readonly string[] WebImplicitUsings =
    {
        "System.Net.Http.Json", "Microsoft.AspNetCore.Builder", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Http",
        "Microsoft.AspNetCore.Routing", "Microsoft.Extensions.Configuration", "Microsoft.Extensions.DependencyInjection",
        "Microsoft.Extensions.Hosting", "Microsoft.Extensions.Logging",
    };

    /// <summary>Seeds + samples + rule-test snippets of this repository.</summary>
    public static ImmutableArray<CorpusUnit> Load()
    {
        var root = RepositoryPaths.Root;
        return SeedSources.Units
            .Concat(LoadSamples(Path.Combine(root, "samples")))
            .Concat(LoadTestSnippets(Path.Combine(root, "tests", "McpAnalyzers.Tests", "Rules")))
            .ToImmutableArray();
    }

    /// <summary>
    /// One unit per sample project (every .cs below the folder of a .csproj, without nested projects,
    /// bin and obj), plus one unit per .cs file that belongs to no project. An absent folder gives nothing.
    /// </summary>
    public static IEnumerable<CorpusUnit> LoadSamples(string samplesDirectory)
    {
        if (!Directory.Exists(samplesDirectory))
        {
            yield break;
        }

        var projectDirectories = Directory.EnumerateFiles(samplesDirectory, "*.csproj", SearchOption.AllDirectories)
            .Where(p => !IsBuildOutput(samplesDirectory, p))
            .ToDictionary(p => Path.GetDirectoryName(p)!, p => p, StringComparer.Ordinal);

        var filesByProject = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(samplesDirectory, "*.cs", SearchOption.AllDirectories).Where(f => !IsBuildOutput(samplesDirectory, f)))
        {
            var owner = OwningProjectDirectory(file, samplesDirectory, projectDirectories) ?? file;
            if (!filesByProject.TryGetValue(owner, out var list))
            {
                filesByProject[owner] = list = new List<string>();
            }

            list.Add(file);
        }

        foreach (var (owner, files) in filesByProject)
        {
            files.Sort(StringComparer.Ordinal);
            var documents = files
                .Select(f => new CorpusDocument(Relative(f), File.ReadAllText(f)))
                .ToList();
            if (projectDirectories.TryGetValue(owner, out var projectFile))
            {
                var globalUsings = ImplicitGlobalUsings(File.ReadAllText(projectFile));
                if (globalUsings is not null)
                {
                    documents.Add(new CorpusDocument(Relative(Path.Combine(owner, "ImplicitGlobalUsings.g.cs")), globalUsings, Mutable: false));
                }
            }

            yield return new CorpusUnit(Relative(owner), documents.ToImmutableArray());
        }
    }

    /// <summary>One unit per distinct C# snippet found in the test files below <paramref name="rulesDirectory"/> (absent folder: none).</summary>
    public static IEnumerable<CorpusUnit> LoadTestSnippets(string rulesDirectory)
    {
        if (!Directory.Exists(rulesDirectory))
        {
            yield break;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var files = Directory.EnumerateFiles(rulesDirectory, "*.cs", SearchOption.AllDirectories)
            .Where(f => !IsBuildOutput(rulesDirectory, f))
            .OrderBy(f => f, StringComparer.Ordinal);
        foreach (var file in files)
        {
            foreach (var (line, snippet) in ExtractSnippets(File.ReadAllText(file)))
            {
                if (seen.Add(snippet))
                {
                    // The file path the testing framework gives test sources: analyzers see what they see in the rule tests.
                    yield return CorpusUnit.Single($"{Relative(file)}:{line}", snippet, path: "/0/Test0.cs");
                }
            }
        }
    }

    /// <summary>
    /// The C# programs embedded in a test file: string and raw string literals (not interpolated), and
    /// concatenations of them with <c>const string</c>s of the same file (<c>Usings + """...""")</c>),
    /// that, once the test markup is removed, parse as a compilation unit with a type declaration or
    /// top-level statements. Returns the 1-based line of each expression and the clean source.
    /// </summary>
    public static IEnumerable<(int Line, string Source)> ExtractSnippets(string testFileText)
    {
        var root = CSharpSyntaxTree.ParseText(testFileText, new CSharpParseOptions(LanguageVersion.Latest)).GetRoot();
        var constants = ConstantStrings(root);
        var consumed = new List<TextSpan>();
        foreach (var expression in root.DescendantNodes().OfType<ExpressionSyntax>())
        {
            var isConcatenation = expression.IsKind(SyntaxKind.AddExpression) && !expression.Parent.IsKind(SyntaxKind.AddExpression);
            var isLiteral = expression.IsKind(SyntaxKind.StringLiteralExpression) && !consumed.Any(span => span.Contains(expression.Span));
            if (!isConcatenation && !isLiteral)
            {
                continue;
            }

            var value = Evaluate(expression, constants);
            if (value is null)
            {
                continue;
            }

            if (isConcatenation)
            {
                consumed.Add(expression.Span);
            }

            var source = StripMarkup(value);
            if (LooksLikeProgram(source))
            {
                yield return (expression.GetLocation().GetLineSpan().StartLinePosition.Line + 1, source);
            }
        }
    }

    /// <summary>The values of the file's <c>const string</c> fields and locals that are literals or concatenations of them.</summary>
    private static Dictionary<string, string> ConstantStrings(SyntaxNode root)
    {
        var constants = new Dictionary<string, string>(StringComparer.Ordinal);
        var declarations = root.DescendantNodes()
            .Where(n => n is FieldDeclarationSyntax field && field.Modifiers.Any(SyntaxKind.ConstKeyword)
                || n is LocalDeclarationStatementSyntax local && local.IsConst)
            .SelectMany(n => n.DescendantNodes().OfType<VariableDeclaratorSyntax>());
        foreach (var declarator in declarations)
        {
            if (declarator.Initializer is { } initializer && Evaluate(initializer.Value, constants) is { } value)
            {
                constants[declarator.Identifier.ValueText] = value;
            }
        }

        return constants;
    }

    private static string? Evaluate(ExpressionSyntax expression, IReadOnlyDictionary<string, string> constants)
        => expression switch
        {
            LiteralExpressionSyntax literal when literal.IsKind(SyntaxKind.StringLiteralExpression) => literal.Token.ValueText,
            IdentifierNameSyntax name => constants.TryGetValue(name.Identifier.ValueText, out var value) ? value : null,
            MemberAccessExpressionSyntax member => constants.TryGetValue(member.Name.Identifier.ValueText, out var value) ? value : null,
            ParenthesizedExpressionSyntax parenthesized => Evaluate(parenthesized.Expression, constants),
            BinaryExpressionSyntax binary when binary.IsKind(SyntaxKind.AddExpression)
                => Evaluate(binary.Left, constants) is { } left && Evaluate(binary.Right, constants) is { } right ? left + right : null,
            _ => null,
        };

    /// <summary>
    /// Removes Microsoft.CodeAnalysis.Testing markup (<c>{|ID:</c>…<c>|}</c>, <c>[|</c>…<c>|]</c>, <c>$$</c>)
    /// with the framework's own parser; text whose markup does not parse is returned unchanged.
    /// </summary>
    public static string StripMarkup(string text)
    {
        try
        {
            TestFileMarkupParser.GetPositionsAndSpans(text, out var output, out ImmutableArray<int> _, out ImmutableDictionary<string, ImmutableArray<TextSpan>> _);
            return output;
        }
        catch (ArgumentException)
        {
            return text;
        }
        catch (InvalidOperationException)
        {
            return text;
        }
    }

    /// <summary>
    /// A type declaration (a snippet may be deliberately broken), or top-level statements that parse
    /// without error: messages, IDs, paths and option values in tests parse as broken statements.
    /// </summary>
    internal static bool LooksLikeProgram(string source)
    {
        if (string.IsNullOrWhiteSpace(source))
        {
            return false;
        }

        var tree = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest));
        var unit = (CompilationUnitSyntax)tree.GetRoot();
        if (unit.DescendantNodes().Any(n => n is BaseTypeDeclarationSyntax or DelegateDeclarationSyntax))
        {
            return true;
        }

        return unit.Members.Any(m => m is GlobalStatementSyntax)
            && !tree.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error);
    }

    private static string? ImplicitGlobalUsings(string projectFileText)
    {
        if (projectFileText.IndexOf("<ImplicitUsings>enable</ImplicitUsings>", StringComparison.OrdinalIgnoreCase) < 0)
        {
            return null;
        }

        var isWeb = projectFileText.IndexOf("Microsoft.NET.Sdk.Web", StringComparison.OrdinalIgnoreCase) >= 0;
        var namespaces = isWeb ? ImplicitUsings.Concat(WebImplicitUsings) : ImplicitUsings;
        return string.Concat(namespaces.Select(n => $"global using global::{n};\n"));
    }

    private static string? OwningProjectDirectory(string file, string samplesDirectory, IReadOnlyDictionary<string, string> projectDirectories)
    {
        for (var dir = Path.GetDirectoryName(file); dir is not null && dir.Length >= samplesDirectory.Length; dir = Path.GetDirectoryName(dir))
        {
            if (projectDirectories.ContainsKey(dir))
            {
                return dir;
            }
        }

        return null;
    }

    private static bool IsBuildOutput(string baseDirectory, string path)
        => Path.GetRelativePath(baseDirectory, path)
            .Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar)
            .Any(part => part is "bin" or "obj");

    private static string Relative(string path) => Path.GetRelativePath(RepositoryPaths.Root, path).Replace('\\', '/');
}
