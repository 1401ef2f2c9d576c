using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using McpAnalyzers.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace McpAnalyzers.CodeFixes;

/// <summary>
/// MCPSEC011: appends <c>.RequireAuthorization()</c> to an unprotected <c>MapMcp(...)</c>, or turns
/// <c>.AllowAnonymous()</c> on the endpoint or its group into <c>.RequireAuthorization()</c>.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(McpEndpointWithoutAuthorizationCodeFixProvider)), Shared]
public sealed class McpEndpointWithoutAuthorizationCodeFixProvider : CodeFixProvider
{
    private const string RequireAuthorization = "RequireAuthorization";
    private const string AuthorizationNamespace = "Microsoft.AspNetCore.Builder";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.EndpointWithoutAuthorization);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.TryGetValue(McpEndpointWithoutAuthorizationAnalyzer.FixKey, out var fix)
                || root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not InvocationExpressionSyntax invocation)
            {
                continue;
            }

            if (fix == McpEndpointWithoutAuthorizationAnalyzer.AppendRequireAuthorization)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(
                        "Append .RequireAuthorization()",
                        ct => AppendRequireAuthorizationAsync(context.Document, invocation, ct),
                        equivalenceKey: McpEndpointWithoutAuthorizationAnalyzer.AppendRequireAuthorization),
                    diagnostic);
            }
            else if (fix == McpEndpointWithoutAuthorizationAnalyzer.ReplaceAllowAnonymous
                && invocation.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "AllowAnonymous" })
            {
                context.RegisterCodeFix(
                    CodeAction.Create(
                        "Replace .AllowAnonymous() with .RequireAuthorization()",
                        ct => ReplaceAllowAnonymousAsync(context.Document, invocation, ct),
                        equivalenceKey: McpEndpointWithoutAuthorizationAnalyzer.ReplaceAllowAnonymous),
                    diagnostic);
            }
        }
    }

    private static async Task<Document> AppendRequireAuthorizationAsync(Document document, InvocationExpressionSyntax mapMcp, CancellationToken cancellationToken)
    {
        var dot = Token(SyntaxKind.DotToken);
        var receiver = mapMcp.WithoutTrailingTrivia();

        // In a chain written one call per line, the new call gets its own line with the same indentation.
        if (mapMcp.Expression is MemberAccessExpressionSyntax member
            && member.Expression.GetTrailingTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia)) is var endOfLine
            && endOfLine.IsKind(SyntaxKind.EndOfLineTrivia))
        {
            receiver = receiver.WithTrailingTrivia(endOfLine);
            dot = dot.WithLeadingTrivia(member.OperatorToken.LeadingTrivia);
        }

        var protectedCall = InvocationExpression(
                MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, receiver, dot, IdentifierName(RequireAuthorization)),
                ArgumentList())
            .WithTrailingTrivia(mapMcp.GetTrailingTrivia());

        return await ReplaceAsync(document, mapMcp, protectedCall, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<Document> ReplaceAllowAnonymousAsync(Document document, InvocationExpressionSyntax allowAnonymous, CancellationToken cancellationToken)
    {
        var name = ((MemberAccessExpressionSyntax)allowAnonymous.Expression).Name.Identifier;
        var renamed = allowAnonymous.ReplaceToken(name, Identifier(name.LeadingTrivia, RequireAuthorization, name.TrailingTrivia));
        return await ReplaceAsync(document, allowAnonymous, renamed, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Replaces the node, adding <c>using Microsoft.AspNetCore.Builder;</c> when RequireAuthorization would not
    /// bind otherwise (MapMcp called through its static class with a fully qualified name).
    /// </summary>
    private static async Task<Document> ReplaceAsync(Document document, InvocationExpressionSyntax oldNode, InvocationExpressionSyntax newNode, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return document;
        }

        var newRoot = root.ReplaceNode(oldNode, newNode);
        var binds = model is not null
            && model.GetSpeculativeSymbolInfo(oldNode.SpanStart, newNode, SpeculativeBindingOption.BindAsExpression).Symbol is not null;
        if (!binds && newRoot is CompilationUnitSyntax unit
            && !unit.Usings.Any(u => u.Alias is null && u.StaticKeyword.IsKind(SyntaxKind.None) && u.Name?.ToString() == AuthorizationNamespace))
        {
            var endOfLine = unit.DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
            newRoot = unit.AddUsings(UsingDirective(ParseName(AuthorizationNamespace))
                .WithTrailingTrivia(endOfLine.IsKind(SyntaxKind.EndOfLineTrivia) ? endOfLine : ElasticLineFeed));
        }

        return document.WithSyntaxRoot(newRoot);
    }
}
