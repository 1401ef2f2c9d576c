using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Simplification;

namespace McpAnalyzers.CodeFixes;

/// <summary>
/// Code a fix inserts, parsed from a template whose <see cref="Hole"/>s take the user's own expressions. Only the
/// template's parts carry <see cref="Simplifier.Annotation"/>: the simplifier shortens the fix's fully qualified names
/// but never rewrites the user's expression nor tries the names inside it. Each name it tries costs a speculative bind of
/// the whole statement, so simplifying a copied chain of 2,000 calls did not finish in 300 s.
/// </summary>
internal static class TemplateSyntax
{
    /// <summary>Stands in the template text for the next filling, in textual order.</summary>
    public const string Hole = "__mcpHole__";

    public static StatementSyntax Statement(string template, params ExpressionSyntax[] fillings)
        => Fill(SyntaxFactory.ParseStatement(template), fillings);

    public static ExpressionSyntax Expression(string template, params ExpressionSyntax[] fillings)
        => Fill(SyntaxFactory.ParseExpression(template), fillings);

    private static T Fill<T>(T parsed, ExpressionSyntax[] fillings)
        where T : SyntaxNode
    {
        var holes = parsed.DescendantNodes().OfType<IdentifierNameSyntax>().Where(n => n.Identifier.ValueText == Hole).ToArray();
        if (holes.Length != fillings.Length)
        {
            throw new ArgumentException($"The template has {holes.Length} holes for {fillings.Length} fillings.", nameof(fillings));
        }

        var annotated = (T)AnnotateAround(parsed, holes);
        var current = annotated.DescendantNodes().OfType<IdentifierNameSyntax>().Where(n => n.Identifier.ValueText == Hole).ToList();
        return annotated.ReplaceNodes(current, (original, _) => fillings[current.IndexOf(original)].WithoutTrivia());
    }

    /// <summary>
    /// Annotates every node of the template's parts that hold no hole: the simplifier only takes "simplify everything
    /// below" from the statement it speculates on, otherwise it simplifies the annotated nodes themselves. The template is
    /// small: recursion is fine.
    /// </summary>
    private static SyntaxNode AnnotateAround(SyntaxNode node, IReadOnlyCollection<SyntaxNode> holes)
    {
        if (!holes.Any(hole => node.FullSpan.Contains(hole.FullSpan)))
        {
            return node.ReplaceNodes(node.DescendantNodesAndSelf(), (_, rewritten) => rewritten.WithAdditionalAnnotations(Simplifier.Annotation));
        }

        return holes.Contains(node) ? node : node.ReplaceNodes(node.ChildNodes(), (original, _) => AnnotateAround(original, holes));
    }
}
