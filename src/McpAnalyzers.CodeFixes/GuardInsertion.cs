using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace McpAnalyzers.CodeFixes;

/// <summary>
/// The mechanics shared by the fixes that insert a validation guard before a sink (MCPSEC006 root
/// confinement, MCPSEC008 host allowlist): where the guard can go, inserting it (turning an
/// expression-bodied method into a block when needed), and adding the type's allowlist/root field.
/// </summary>
internal static class GuardInsertion
{
    /// <summary>
    /// The statement in a block before which a guard goes, or the expression-bodied method; null inside
    /// lambdas and local functions (a guard there would not run where the reader expects).
    /// </summary>
    public static SyntaxNode? Anchor(SyntaxNode node)
    {
        foreach (var ancestor in node.Ancestors())
        {
            switch (ancestor)
            {
                case StatementSyntax { Parent: BlockSyntax } statement:
                    return statement;
                case ArrowExpressionClauseSyntax { Parent: MethodDeclarationSyntax method }:
                    return method;
                case LambdaExpressionSyntax or LocalFunctionStatementSyntax or AnonymousMethodExpressionSyntax:
                    return null;
            }
        }

        return null;
    }

    /// <summary><paramref name="name"/>, or name2, name3 ... when the name is taken at <paramref name="position"/>.</summary>
    public static string UniqueName(SemanticModel model, int position, string name)
    {
        var candidate = name;
        for (var i = 2; model.LookupSymbols(position, name: candidate).Any(); i++)
        {
            candidate = name + i;
        }

        return candidate;
    }

    /// <summary>
    /// Inserts <paramref name="guard"/> before the tracked <paramref name="anchor"/> (a statement), or turns the
    /// tracked expression-bodied method into a block that starts with the guard.
    /// </summary>
    public static SyntaxNode InsertBefore(
        SyntaxNode trackedRoot, SyntaxNode anchor, IReadOnlyList<StatementSyntax> guard, SemanticModel model, CancellationToken cancellationToken)
    {
        var statements = guard.Select(s => s.WithAdditionalAnnotations(Formatter.Annotation)).ToArray();
        var currentAnchor = trackedRoot.GetCurrentNode(anchor)!;
        if (currentAnchor is StatementSyntax statement)
        {
            statements[0] = statements[0].WithLeadingTrivia(statement.GetLeadingTrivia());
            return trackedRoot.InsertNodesBefore(statement, statements);
        }

        if (currentAnchor is MethodDeclarationSyntax { ExpressionBody: { } body } method)
        {
            var symbol = model.GetDeclaredSymbol((MethodDeclarationSyntax)anchor, cancellationToken);
            var returnsValue = symbol is not null && !symbol.ReturnsVoid
                && !(symbol.IsAsync && symbol.ReturnType is INamedTypeSymbol { IsGenericType: false });
            StatementSyntax last = returnsValue
                ? SyntaxFactory.ReturnStatement(body.Expression.WithoutTrivia())
                : SyntaxFactory.ExpressionStatement(body.Expression.WithoutTrivia());
            var block = SyntaxFactory.Block(statements.Append(last)).WithAdditionalAnnotations(Formatter.Annotation);
            return trackedRoot.ReplaceNode(method, method.WithExpressionBody(null).WithSemicolonToken(default).WithBody(block)
                .WithParameterList(method.ParameterList.WithTrailingTrivia(SyntaxFactory.ElasticLineFeed)));
        }

        return trackedRoot;
    }

    /// <summary>
    /// Adds <paramref name="declaration"/> (a field, with its comment) as the first member of the tracked
    /// <paramref name="type"/> unless the type already has a member named <paramref name="fieldName"/>.
    /// </summary>
    public static SyntaxNode AddFieldIfMissing(
        SyntaxNode trackedRoot, TypeDeclarationSyntax type, string fieldName, string declaration, SemanticModel model, CancellationToken cancellationToken)
    {
        if (model.GetDeclaredSymbol(type, cancellationToken)?.GetMembers(fieldName).Any() != false)
        {
            return trackedRoot;
        }

        var currentType = trackedRoot.GetCurrentNode(type)!;
        var field = SyntaxFactory.ParseMemberDeclaration(declaration + "\n\n")!
            .WithAdditionalAnnotations(Formatter.Annotation, Simplifier.Annotation);
        var members = currentType.Members;
        if (members.Count > 0)
        {
            // Keep a blank line between the new field and the first member.
            members = members.Replace(members[0], members[0].WithLeadingTrivia(members[0].GetLeadingTrivia().Insert(0, SyntaxFactory.EndOfLine("\n"))));
        }

        return trackedRoot.ReplaceNode(currentType, currentType.WithMembers(members.Insert(0, field)));
    }
}
