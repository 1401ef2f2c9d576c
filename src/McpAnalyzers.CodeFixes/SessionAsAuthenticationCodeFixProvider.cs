using System.Collections.Generic;
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
using Microsoft.CodeAnalysis.Simplification;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace McpAnalyzers.CodeFixes;

/// <summary>
/// MCPSEC004 fixes. (a) <c>ctx.Session.GetString("UserId")</c> → <c>ctx.User.FindFirst(ClaimTypes.NameIdentifier)?.Value</c>
/// (the claim chosen by the analyzer from the key). (c) for a cookie scheme reported at its configuration, the MapMcp
/// calls of the same document require the JwtBearer scheme. Session-id lookups and migration handlers get no fix.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(SessionAsAuthenticationCodeFixProvider))]
[Shared]
public sealed class SessionAsAuthenticationCodeFixProvider : CodeFixProvider
{
    internal const string UseClaimEquivalenceKey = "MCPSEC004.UseClaim";
    internal const string RequireBearerEquivalenceKey = "MCPSEC004.RequireBearerOnMapMcp";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.SessionUsedAsAuthentication);

    /// <summary>Every fix adds the same using directives, which BatchFixer would treat as conflicting edits: fix a document at once.</summary>
    public override FixAllProvider GetFixAllProvider() => new FixAll();

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            diagnostic.Properties.TryGetValue(SessionAsAuthenticationAnalyzer.FixProperty, out var fix);
            if (fix == SessionAsAuthenticationAnalyzer.FixSessionRead
                && FindSessionRead(root, diagnostic) is { } read
                && BuildClaimRead(read.Invocation, read.ClaimType) is not null)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(
                        $"Read ClaimTypes.{read.ClaimType} from HttpContext.User",
                        ct => ReplaceSessionReadsAsync(context.Document, ImmutableArray.Create(diagnostic), ct),
                        UseClaimEquivalenceKey),
                    diagnostic);
            }
            else if (fix == SessionAsAuthenticationAnalyzer.FixCookieScheme)
            {
                var semanticModel = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
                if (semanticModel?.Compilation.GetTypeByMetadataName("Microsoft.AspNetCore.Authentication.JwtBearer.JwtBearerDefaults") is null
                    || FindMapMcpCalls(root, semanticModel, context.CancellationToken).Count == 0)
                {
                    continue;
                }

                context.RegisterCodeFix(
                    CodeAction.Create(
                        "Require the JwtBearer scheme on MapMcp",
                        ct => RequireBearerAsync(context.Document, ct),
                        RequireBearerEquivalenceKey),
                    diagnostic);
            }
        }
    }

    private static (InvocationExpressionSyntax Invocation, string ClaimType)? FindSessionRead(SyntaxNode root, Diagnostic diagnostic)
    {
        if (!diagnostic.Properties.TryGetValue(SessionAsAuthenticationAnalyzer.ClaimTypeProperty, out var claimType)
            || claimType is null
            || !root.FullSpan.Contains(diagnostic.Location.SourceSpan))
        {
            return null;
        }

        var invocation = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<InvocationExpressionSyntax>();
        return invocation is null ? null : (invocation, claimType);
    }

    private static async Task<Document> ReplaceSessionReadsAsync(Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return document;
        }

        var reads = new Dictionary<InvocationExpressionSyntax, string>();
        foreach (var diagnostic in diagnostics)
        {
            if (FindSessionRead(root, diagnostic) is { } read)
            {
                reads[read.Invocation] = read.ClaimType;
            }
        }

        // Built from the rewritten node, so a read nested in another read's receiver is kept.
        var newRoot = root.ReplaceNodes(reads.Keys, (original, rewritten) => BuildClaimRead(rewritten, reads[original]) ?? (SyntaxNode)rewritten);
        return await SimplificationScope.AddImportsAndReduceAsync(document.WithSyntaxRoot(newRoot), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The replacement of a string session read; the HttpContext expression is kept as written.</summary>
    private static ExpressionSyntax? BuildClaimRead(InvocationExpressionSyntax invocation, string claimType)
    {
        if (invocation.Expression is not MemberAccessExpressionSyntax { Name.Identifier.ValueText: "GetString" } getString)
        {
            return null;
        }

        var claimTypes = ParseExpression("System.Security.Claims.ClaimTypes." + claimType)
            .WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation);
        var findFirstArguments = ArgumentList(SingletonSeparatedList(Argument(claimTypes)));

        switch (getString.Expression)
        {
            // ctx.Session.GetString(key) → ctx.User.FindFirst(claim)?.Value
            case MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Session" } session:
                var user = MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, session.Expression, IdentifierName("User"));
                ExpressionSyntax claimRead = ConditionalAccessExpression(
                    InvocationExpression(MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, user, IdentifierName("FindFirst")), findFirstArguments),
                    MemberBindingExpression(IdentifierName("Value")));
                if (invocation.Parent is MemberAccessExpressionSyntax or ElementAccessExpressionSyntax
                    || (invocation.Parent is ConditionalAccessExpressionSyntax parentAccess && parentAccess.Expression == invocation))
                {
                    claimRead = ParenthesizedExpression(claimRead);
                }

                return claimRead.WithTriviaFrom(invocation);

            // accessor.HttpContext?.Session.GetString(key) → accessor.HttpContext?.User.FindFirst(claim)?.Value
            case MemberBindingExpressionSyntax { Name.Identifier.ValueText: "Session" }
                when invocation.Parent is ConditionalAccessExpressionSyntax access && access.WhenNotNull == invocation:
                var boundRead = ConditionalAccessExpression(
                    InvocationExpression(
                        MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, MemberBindingExpression(IdentifierName("User")), IdentifierName("FindFirst")),
                        findFirstArguments),
                    MemberBindingExpression(IdentifierName("Value")));
                return boundRead.WithTriviaFrom(invocation);

            default:
                return null;
        }
    }

    private static async Task<Document> RequireBearerAsync(Document document, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var semanticModel = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || semanticModel is null)
        {
            return document;
        }

        var calls = FindMapMcpCalls(root, semanticModel, cancellationToken);
        var newRoot = root.ReplaceNodes(calls, (original, rewritten) => AppendRequireBearer(rewritten));
        return await SimplificationScope.AddImportsAndReduceAsync(document.WithSyntaxRoot(newRoot), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>app.MapMcp(...)</c> → <c>app.MapMcp(...).RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = JwtBearerDefaults.AuthenticationScheme })</c>.
    /// Authorization data combine, so an existing <c>.RequireAuthorization(...)</c> keeps its requirements and gains the scheme.
    /// </summary>
    private static SyntaxNode AppendRequireBearer(InvocationExpressionSyntax mapMcp)
    {
        var attribute = ParseExpression(
                "new Microsoft.AspNetCore.Authorization.AuthorizeAttribute { AuthenticationSchemes = Microsoft.AspNetCore.Authentication.JwtBearer.JwtBearerDefaults.AuthenticationScheme }")
            .WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation);
        var arguments = ArgumentList(SingletonSeparatedList(Argument(attribute)));
        return InvocationExpression(
                MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, mapMcp.WithoutTrailingTrivia(), IdentifierName("RequireAuthorization")),
                arguments)
            .WithTrailingTrivia(mapMcp.GetTrailingTrivia());
    }

    /// <summary>The document's calls of the SDK's MapMcp.</summary>
    private static List<InvocationExpressionSyntax> FindMapMcpCalls(SyntaxNode root, SemanticModel semanticModel, CancellationToken cancellationToken)
    {
        var calls = new List<InvocationExpressionSyntax>();
        foreach (var invocation in root.DescendantNodes().OfType<InvocationExpressionSyntax>())
        {
            var name = invocation.Expression switch
            {
                MemberAccessExpressionSyntax member => member.Name.Identifier.ValueText,
                IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
                _ => null,
            };
            if (name == "MapMcp"
                && semanticModel.GetSymbolInfo(invocation, cancellationToken).Symbol is IMethodSymbol method
                && method.ContainingType?.ToDisplayString() == "Microsoft.AspNetCore.Builder.McpEndpointRouteBuilderExtensions")
            {
                calls.Add(invocation);
            }
        }

        return calls;
    }

    /// <summary>Applies every diagnostic of the chosen fix kind in a document in one edit.</summary>
    private sealed class FixAll : DocumentBasedFixAllProvider
    {
        protected override async Task<Document?> FixAllAsync(FixAllContext fixAllContext, Document document, ImmutableArray<Diagnostic> diagnostics)
        {
            var kind = fixAllContext.CodeActionEquivalenceKey == RequireBearerEquivalenceKey
                ? SessionAsAuthenticationAnalyzer.FixCookieScheme
                : SessionAsAuthenticationAnalyzer.FixSessionRead;
            var matching = diagnostics
                .Where(d => d.Properties.TryGetValue(SessionAsAuthenticationAnalyzer.FixProperty, out var fix) && fix == kind)
                .ToImmutableArray();
            if (matching.IsEmpty)
            {
                return document;
            }

            return kind == SessionAsAuthenticationAnalyzer.FixCookieScheme
                ? await RequireBearerAsync(document, fixAllContext.CancellationToken).ConfigureAwait(false)
                : await ReplaceSessionReadsAsync(document, matching, fixAllContext.CancellationToken).ConfigureAwait(false);
        }
    }
}
