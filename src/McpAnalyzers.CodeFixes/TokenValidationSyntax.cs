using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;

namespace McpAnalyzers.CodeFixes;

/// <summary>Syntax edits shared by the MCPSEC003 and MCPSEC010 code fixes.</summary>
internal static class TokenValidationSyntax
{
    /// <summary>The property name on the left of <c>X = ...</c> / <c>a.b.X = ...</c>.</summary>
    public static string? AssignedName(AssignmentExpressionSyntax assignment) => assignment.Left switch
    {
        IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
        MemberAccessExpressionSyntax member => member.Name.Identifier.ValueText,
        _ => null,
    };

    /// <summary>The receiver of <c>receiver.X = ...</c>, or null for an object-initializer member.</summary>
    public static ExpressionSyntax? Receiver(AssignmentExpressionSyntax assignment)
        => (assignment.Left as MemberAccessExpressionSyntax)?.Expression;

    public static LiteralExpressionSyntax True(SyntaxNode replaced)
        => SyntaxFactory.LiteralExpression(SyntaxKind.TrueLiteralExpression).WithTriviaFrom(replaced);

    /// <summary>The member of an object initializer assigned under <paramref name="name"/>.</summary>
    public static AssignmentExpressionSyntax? Member(InitializerExpressionSyntax initializer, string name)
        => initializer.Expressions.OfType<AssignmentExpressionSyntax>().FirstOrDefault(a => a.Left is IdentifierNameSyntax id && id.Identifier.ValueText == name);

    /// <summary>
    /// Inserts <paramref name="member"/> after the element at <paramref name="index"/> (or first when -1),
    /// copying the layout (indentation, line breaks, trailing comma) of the existing elements.
    /// </summary>
    public static InitializerExpressionSyntax InsertMember(InitializerExpressionSyntax initializer, int index, ExpressionSyntax member)
    {
        var expressions = initializer.Expressions;
        if (expressions.Count == 0)
        {
            return initializer
                .WithExpressions(SyntaxFactory.SingletonSeparatedList(member.WithAdditionalAnnotations(Formatter.Annotation)))
                .WithAdditionalAnnotations(Formatter.Annotation);
        }

        var items = expressions.GetWithSeparators().ToList();
        if (index < 0)
        {
            var first = expressions[0];
            var comma = SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(LineBreakAfter(initializer.OpenBraceToken) ? SyntaxFactory.ElasticCarriageReturnLineFeed : SyntaxFactory.Space);
            items.InsertRange(0, new SyntaxNodeOrToken[] { member.WithLeadingTrivia(first.GetLeadingTrivia()), comma });
            return initializer.WithExpressions(SyntaxFactory.SeparatedList<ExpressionSyntax>(items));
        }

        var anchor = expressions[index];
        var anchorPosition = 2 * index;
        var newMember = member.WithLeadingTrivia(anchor.GetLeadingTrivia());
        if (anchorPosition + 1 < items.Count)
        {
            // anchor, sep, ... => anchor, sep, member, sep-copy, ...
            var separator = items[anchorPosition + 1].AsToken();
            items.InsertRange(anchorPosition + 2, new SyntaxNodeOrToken[] { newMember, SyntaxFactory.Token(SyntaxKind.CommaToken).WithTriviaFrom(separator) });
        }
        else
        {
            // Last element without a trailing comma: its trailing trivia (line break or space) moves behind the new member.
            var trailing = anchor.GetTrailingTrivia();
            items[anchorPosition] = anchor.WithoutTrailingTrivia();
            items.InsertRange(anchorPosition + 1, new SyntaxNodeOrToken[]
            {
                SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(trailing.Any(t => t.IsKind(SyntaxKind.EndOfLineTrivia)) ? trailing : SyntaxFactory.TriviaList(SyntaxFactory.Space)),
                newMember.WithTrailingTrivia(trailing),
            });
        }

        return initializer.WithExpressions(SyntaxFactory.SeparatedList<ExpressionSyntax>(items));
    }

    /// <summary>
    /// Removes the member assigned under <paramref name="name"/> with its separator, keeping the line
    /// layout: when it is the last element, the element before it takes over its trailing line break.
    /// </summary>
    public static InitializerExpressionSyntax RemoveMember(InitializerExpressionSyntax initializer, string? name)
    {
        var member = name is null ? null : Member(initializer, name);
        if (member is null)
        {
            return initializer;
        }

        var items = initializer.Expressions.GetWithSeparators().ToList();
        var position = items.FindIndex(i => i.AsNode() == member);
        if (position + 1 < items.Count)
        {
            items.RemoveRange(position, 2);
        }
        else if (position >= 2)
        {
            var previous = items[position - 2].AsNode()!;
            items.RemoveRange(position - 1, 2);
            items[position - 2] = previous.WithTrailingTrivia(member.GetTrailingTrivia());
        }
        else
        {
            items.Clear();
        }

        return initializer.WithExpressions(SyntaxFactory.SeparatedList<ExpressionSyntax>(items));
    }

    private static bool LineBreakAfter(SyntaxToken token) => token.TrailingTrivia.Any(t => t.IsKind(SyntaxKind.EndOfLineTrivia));

    /// <summary>
    /// Removes an assignment: an object-initializer member, a statement, or the body of an expression
    /// lambda (which becomes <c>{ }</c>). False when the assignment sits anywhere else.
    /// </summary>
    public static bool TryRemoveAssignment(DocumentEditor editor, AssignmentExpressionSyntax assignment)
    {
        switch (assignment.Parent)
        {
            case InitializerExpressionSyntax initializer:
                var name = AssignedName(assignment);
                editor.ReplaceNode(initializer, (current, _) => RemoveMember((InitializerExpressionSyntax)current, name));
                return true;
            case ExpressionStatementSyntax { Parent: BlockSyntax } statement:
                editor.RemoveNode(statement, SyntaxRemoveOptions.KeepNoTrivia);
                return true;
            case ExpressionStatementSyntax { Parent: GlobalStatementSyntax global }:
                editor.RemoveNode(global, SyntaxRemoveOptions.KeepNoTrivia);
                return true;
            case LambdaExpressionSyntax lambda when lambda.ExpressionBody == assignment:
                editor.ReplaceNode(lambda, (current, _) => ((LambdaExpressionSyntax)current)
                    .WithExpressionBody(null)
                    .WithBlock(SyntaxFactory.Block().WithTriviaFrom(assignment)));
                return true;
            default:
                return false;
        }
    }
}
