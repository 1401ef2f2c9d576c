using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Simplification;

namespace McpAnalyzers.CodeFixes;

/// <summary>
/// Roslyn's simplifier reduces the whole outermost statement (or expression body, or initializer) around the code it
/// simplifies, with a recursive rewriter, and rebinds it for every name it tries: in a statement nested 20,000 levels
/// deep (a condition of that many <c>&amp;&amp;</c> terms) it throws <c>InsufficientExecutionStackException</c>, which made
/// the fix fail; so does the import adder's rewriter on a thread with less stack left. Code a fix puts into a statement
/// nested deeper than <see cref="MaxDepth"/> is neither simplified nor given imports: its fully qualified names compile
/// all the same.
/// </summary>
internal static class SimplificationScope
{
    private const int MaxDepth = 1_000;

    /// <summary><paramref name="root"/> without the simplifier's annotations (simplify, add imports) in statements nested too deep.</summary>
    public static SyntaxNode WithinDepth(SyntaxNode root)
    {
        var tooDeep = new HashSet<SyntaxNode>();
        var verdicts = new Dictionary<SyntaxNode, bool>();
        foreach (var node in root.GetAnnotatedNodes(Simplifier.Annotation).Concat(root.GetAnnotatedNodes(Simplifier.AddImportsAnnotation)))
        {
            if (SimplifiedWhole(node) is not { } scope)
            {
                continue;
            }

            if (!verdicts.TryGetValue(scope, out var deep))
            {
                deep = verdicts[scope] = NestsDeeperThan(scope, MaxDepth);
            }

            if (deep)
            {
                tooDeep.Add(node);
            }
        }

        return tooDeep.Count == 0
            ? root
            : root.ReplaceNodes(tooDeep, (_, rewritten) => rewritten.WithoutAnnotations(Simplifier.Annotation).WithoutAnnotations(Simplifier.AddImportsAnnotation));
    }

    /// <summary>The fix's code with its names shortened, where it is not nested too deep.</summary>
    public static async Task<Document> ReduceAsync(Document document, CancellationToken cancellationToken)
    {
        document = await WithinDepthAsync(document, cancellationToken).ConfigureAwait(false);
        return await Simplifier.ReduceAsync(document, Simplifier.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The imports the fix's code needs, then its names shortened: both where it is not nested too deep.</summary>
    public static async Task<Document> AddImportsAndReduceAsync(Document document, CancellationToken cancellationToken)
    {
        document = await WithinDepthAsync(document, cancellationToken).ConfigureAwait(false);
        document = await ImportAdder.AddImportsAsync(document, Simplifier.AddImportsAnnotation, cancellationToken: cancellationToken).ConfigureAwait(false);
        return await Simplifier.ReduceAsync(document, Simplifier.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private static async Task<Document> WithinDepthAsync(Document document, CancellationToken cancellationToken)
        => await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false) is { } root && WithinDepth(root) is var limited && limited != root
            ? document.WithSyntaxRoot(limited)
            : document;

    /// <summary>What the simplifier walks whole around <paramref name="node"/>: the outermost statement, expression body or initializer of the member.</summary>
    private static SyntaxNode? SimplifiedWhole(SyntaxNode node)
        => node.AncestorsAndSelf()
            .TakeWhile(n => n is not MemberDeclarationSyntax)
            .LastOrDefault(n => n is StatementSyntax and not BlockSyntax or ArrowExpressionClauseSyntax or EqualsValueClauseSyntax);

    /// <summary>Iterative, so that measuring the depth cannot itself overflow the stack; stops at the first node past the limit.</summary>
    private static bool NestsDeeperThan(SyntaxNode root, int limit)
    {
        var pending = new Stack<(SyntaxNode Node, int Depth)>();
        pending.Push((root, 0));
        while (pending.Count > 0)
        {
            var (node, depth) = pending.Pop();
            if (depth > limit)
            {
                return true;
            }

            foreach (var child in node.ChildNodes())
            {
                pending.Push((child, depth + 1));
            }
        }

        return false;
    }
}
