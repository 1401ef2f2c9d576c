using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace McpAnalyzers.CodeFixes;

/// <summary>
/// MCPSEC007: turns SQL built from tool input into a parameterised command. <c>cmd.CommandText = $"... '{x}'"</c>
/// (interpolation or concatenation) becomes constant text with <c>@p0</c>... plus
/// <c>cmd.Parameters.AddWithValue("@p0", x);</c>; EF Core <c>FromSqlRaw($"...")</c>/<c>ExecuteSqlRaw(Async)($"...")</c>
/// become <c>FromSql</c>/<c>ExecuteSql(Async)</c>, whose interpolation holes are parameters.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(SqlParameterizationCodeFixProvider))]
[Shared]
public sealed class SqlParameterizationCodeFixProvider : CodeFixProvider
{
    private const string EquivalenceKey = "MCPSEC007.Parameterize";

    private static readonly ImmutableDictionary<string, string> EfRenames = new Dictionary<string, string>
    {
        ["FromSqlRaw"] = "FromSql",
        ["ExecuteSqlRaw"] = "ExecuteSql",
        ["ExecuteSqlRawAsync"] = "ExecuteSqlAsync",
    }.ToImmutableDictionary();

    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(RuleIds.SqlInjection);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            if (node.FirstAncestorOrSelf<InvocationExpressionSyntax>() is { } invocation && TryGetEfRename(invocation, out _, out _))
            {
                context.RegisterCodeFix(
                    CodeAction.Create("Use the interpolated (parameterised) EF Core API", ct => RenameEfAsync(context.Document, invocation, ct), EquivalenceKey),
                    diagnostic);
            }
            else if (node.FirstAncestorOrSelf<AssignmentExpressionSyntax>() is { Parent: ExpressionStatementSyntax { Parent: BlockSyntax } } assignment
                && IsParameterizable(assignment, model, context.CancellationToken))
            {
                context.RegisterCodeFix(
                    CodeAction.Create("Pass the values as command parameters", ct => ParameterizeAsync(context.Document, assignment, ct), EquivalenceKey),
                    diagnostic);
            }
        }
    }

    private static bool TryGetEfRename(InvocationExpressionSyntax invocation, out SimpleNameSyntax name, out string newName)
    {
        name = null!;
        newName = string.Empty;
        if (invocation.Expression is not MemberAccessExpressionSyntax { Name: { } member }
            || !EfRenames.TryGetValue(member.Identifier.ValueText, out newName!)
            || invocation.ArgumentList.Arguments.Count != 1
            || invocation.ArgumentList.Arguments[0].Expression is not InterpolatedStringExpressionSyntax)
        {
            return false;
        }

        name = member;
        return true;
    }

    private static async Task<Document> RenameEfAsync(Document document, InvocationExpressionSyntax invocation, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || !TryGetEfRename(invocation, out var name, out var newName))
        {
            return document;
        }

        var interpolated = (InterpolatedStringExpressionSyntax)invocation.ArgumentList.Arguments[0].Expression;
        var newInvocation = invocation
            .ReplaceNodes(
                new SyntaxNode[] { name, interpolated },
                (original, _) => original == name
                    ? IdentifierName(newName).WithTriviaFrom(name)
                    : WithoutQuotesAroundHoles((InterpolatedStringExpressionSyntax)original));
        return document.WithSyntaxRoot(root.ReplaceNode(invocation, newInvocation));
    }

    /// <summary><c>'{x}'</c> → <c>{x}</c>: a parameter is not quoted.</summary>
    private static InterpolatedStringExpressionSyntax WithoutQuotesAroundHoles(InterpolatedStringExpressionSyntax interpolated)
    {
        var contents = interpolated.Contents;
        var result = new List<InterpolatedStringContentSyntax>();
        for (var i = 0; i < contents.Count; i++)
        {
            if (contents[i] is InterpolatedStringTextSyntax text)
            {
                var value = text.TextToken.Text;
                if (i + 1 < contents.Count && contents[i + 1] is InterpolationSyntax && value.EndsWith("'", System.StringComparison.Ordinal)
                    && i + 2 < contents.Count && contents[i + 2] is InterpolatedStringTextSyntax next && next.TextToken.Text.StartsWith("'", System.StringComparison.Ordinal))
                {
                    value = value.Substring(0, value.Length - 1);
                }

                if (i > 0 && contents[i - 1] is InterpolationSyntax && value.StartsWith("'", System.StringComparison.Ordinal)
                    && i > 1 && contents[i - 2] is InterpolatedStringTextSyntax previous && previous.TextToken.Text.EndsWith("'", System.StringComparison.Ordinal))
                {
                    value = value.Substring(1);
                }

                if (value.Length > 0)
                {
                    result.Add(text.WithTextToken(Token(text.TextToken.LeadingTrivia, SyntaxKind.InterpolatedStringTextToken, value, value, text.TextToken.TrailingTrivia)));
                }
            }
            else
            {
                result.Add(contents[i]);
            }
        }

        return interpolated.WithContents(List(result));
    }

    /// <summary>The receiver is a simple name and its <c>Parameters</c> collection has <c>AddWithValue</c>.</summary>
    private static bool IsParameterizable(AssignmentExpressionSyntax assignment, SemanticModel model, CancellationToken cancellationToken)
    {
        if (assignment.Left is not MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax receiver, Name.Identifier.ValueText: "CommandText" }
            || assignment.Right is not (InterpolatedStringExpressionSyntax or BinaryExpressionSyntax))
        {
            return false;
        }

        var type = model.GetTypeInfo(receiver, cancellationToken).Type;
        var parameters = type?.GetMembers("Parameters").OfType<IPropertySymbol>().FirstOrDefault()
            ?? type?.BaseType?.GetMembers("Parameters").OfType<IPropertySymbol>().FirstOrDefault();
        return parameters?.Type.GetMembers("AddWithValue").Any() == true;
    }

    private static async Task<Document> ParameterizeAsync(Document document, AssignmentExpressionSyntax assignment, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var model = editor.SemanticModel;
        var receiver = ((MemberAccessExpressionSyntax)assignment.Left).Expression;
        var text = new StringBuilder();
        var values = new List<ExpressionSyntax>();

        void AddValue(ExpressionSyntax value)
        {
            if (text.Length > 0 && text[text.Length - 1] == '\'')
            {
                text.Length--;
                text.Append("@p").Append(values.Count).Append('\u0001');
            }
            else
            {
                text.Append("@p").Append(values.Count);
            }

            values.Add(value.WithoutTrivia());
        }

        void AddText(string value)
        {
            // Drop the closing quote of a quoted parameter ('{x}' → @p0).
            if (text.Length > 0 && text[text.Length - 1] == '\u0001')
            {
                text.Length--;
                if (value.StartsWith("'", System.StringComparison.Ordinal))
                {
                    value = value.Substring(1);
                }
            }

            text.Append(value);
        }

        void Visit(ExpressionSyntax expression)
        {
            switch (expression)
            {
                case InterpolatedStringExpressionSyntax interpolated:
                    foreach (var content in interpolated.Contents)
                    {
                        if (content is InterpolatedStringTextSyntax part)
                        {
                            AddText(part.TextToken.ValueText);
                        }
                        else if (content is InterpolationSyntax hole)
                        {
                            AddValue(hole.Expression);
                        }
                    }

                    break;
                case BinaryExpressionSyntax binary when binary.IsKind(SyntaxKind.AddExpression):
                    Visit(binary.Left);
                    Visit(binary.Right);
                    break;
                case ParenthesizedExpressionSyntax parenthesized when model.GetConstantValue(parenthesized, cancellationToken) is not { HasValue: true }:
                    Visit(parenthesized.Expression);
                    break;
                default:
                    if (model.GetConstantValue(expression, cancellationToken) is { HasValue: true, Value: { } constant })
                    {
                        AddText(System.Convert.ToString(constant, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty);
                    }
                    else
                    {
                        AddValue(expression);
                    }

                    break;
            }
        }

        Visit(assignment.Right);
        var sql = text.ToString().Replace("\u0001", string.Empty);
        var statement = (ExpressionStatementSyntax)assignment.Parent!;
        editor.ReplaceNode(assignment.Right, LiteralExpression(SyntaxKind.StringLiteralExpression, Literal(sql)).WithTriviaFrom(assignment.Right));
        var added = values.Select((value, index) => (SyntaxNode)ExpressionStatement(
                InvocationExpression(
                    MemberAccessExpression(
                        SyntaxKind.SimpleMemberAccessExpression,
                        MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, receiver.WithoutTrivia(), IdentifierName("Parameters")),
                        IdentifierName("AddWithValue")),
                    ArgumentList(SeparatedList(new[]
                    {
                        Argument(LiteralExpression(SyntaxKind.StringLiteralExpression, Literal("@p" + index))),
                        Argument(value),
                    }))))
            .WithAdditionalAnnotations(Formatter.Annotation))
            .ToList();
        editor.InsertAfter(statement, added);
        return editor.GetChangedDocument();
    }
}
