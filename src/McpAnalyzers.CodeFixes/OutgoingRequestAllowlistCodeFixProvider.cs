using System;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace McpAnalyzers.CodeFixes;

/// <summary>
/// MCPSEC008: inserts an allowlist guard on scheme and host before the statement that sends the request.
/// A string target becomes <c>var uri = new Uri(target);</c> and the request uses <c>uri</c>; the guard is
/// <c>if (uri.Scheme != Uri.UriSchemeHttps || !AllowedHosts.Contains(uri.Host)) throw new ArgumentException(...)</c>
/// (the form MCPSEC008 recognises as validation). For host sinks (<c>TcpClient.Connect(host, port)</c>) the
/// guard is <c>if (!AllowedHosts.Contains(host))</c>. <c>AllowedHosts</c> is a <c>private static readonly
/// HashSet&lt;string&gt;</c> (case-insensitive) added to the type when missing, empty with a comment: the one
/// place a developer lists the hosts the tool may call.
/// Not offered: relative targets (<c>$"items/{id}"</c> on a client with a <c>BaseAddress</c>: escape the
/// segment with <c>Uri.EscapeDataString</c> instead), sinks in lambdas or top-level statements, property
/// assignments (<c>BaseAddress = ...</c>). Several requests in one method each get their own guard
/// (<c>uri</c>, <c>uri2</c> ...).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(OutgoingRequestAllowlistCodeFixProvider))]
[Shared]
public sealed class OutgoingRequestAllowlistCodeFixProvider : CodeFixProvider
{
    private const string EquivalenceKey = "MCPSEC008.AllowlistGuard";
    private const string AllowlistField = "AllowedHosts";

    private static readonly ImmutableHashSet<string> UriParameters = ImmutableHashSet.Create("requestUri", "requestUriString", "address");
    private static readonly ImmutableHashSet<string> HostParameters = ImmutableHashSet.Create("host", "hostname");

    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(RuleIds.ServerSideRequestForgery);

    /// <summary>
    /// Fix All applies the guards one after the other on the updated document (not the batch merger):
    /// every guard needs the fresh semantic model to pick a free local name (<c>uri</c>, <c>uri2</c>) and
    /// the <c>AllowedHosts</c> field must be added once.
    /// </summary>
    public override FixAllProvider GetFixAllProvider() => FixAllProvider.Create(FixAllInDocumentAsync);

    private static async Task<Document?> FixAllInDocumentAsync(FixAllContext context, Document document, ImmutableArray<Diagnostic> diagnostics)
    {
        var root = await document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return document;
        }

        var targets = new System.Collections.Generic.Dictionary<ArgumentSyntax, (SyntaxAnnotation Annotation, bool IsHost)>();
        foreach (var diagnostic in diagnostics)
        {
            if (FindTarget(root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true), model, context.CancellationToken) is { } target
                && !targets.ContainsKey(target.Argument))
            {
                targets[target.Argument] = (new SyntaxAnnotation(), target.IsHost);
            }
        }

        document = document.WithSyntaxRoot(root.ReplaceNodes(targets.Keys, (original, rewritten) => rewritten.WithAdditionalAnnotations(targets[original].Annotation)));
        foreach (var target in targets.Values)
        {
            var current = await document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            if (current?.GetAnnotatedNodes(target.Annotation).OfType<ArgumentSyntax>().FirstOrDefault() is { } argument)
            {
                document = await GuardAsync(document, argument, target.IsHost, context.CancellationToken).ConfigureAwait(false);
            }
        }

        return document;
    }

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
            if (FindTarget(node, model, context.CancellationToken) is { } target
                && GuardInsertion.Anchor(target.Argument) is not null && target.Argument.FirstAncestorOrSelf<TypeDeclarationSyntax>() is not null)
            {
                context.RegisterCodeFix(
                    CodeAction.Create("Check the scheme and host against an allowlist", ct => GuardAsync(context.Document, target.Argument, target.IsHost, ct), EquivalenceKey),
                    diagnostic);
            }
        }
    }

    /// <summary>The request-target argument of the sink call or creation, and whether it is a bare host name.</summary>
    private static (ArgumentSyntax Argument, bool IsHost)? FindTarget(SyntaxNode node, SemanticModel model, CancellationToken cancellationToken)
    {
        if (node is ArgumentSyntax { Parent.Parent: { } call })
        {
            node = call;
        }

        var arguments = model.GetOperation(node, cancellationToken) switch
        {
            IInvocationOperation invocation => invocation.Arguments,
            IObjectCreationOperation creation => creation.Arguments,
            _ => ImmutableArray<IArgumentOperation>.Empty,
        };
        foreach (var argument in arguments)
        {
            if (OperationSyntax.ArgumentOf(argument) is not { } syntax || argument.Parameter is not { } parameter)
            {
                continue;
            }

            if (HostParameters.Contains(parameter.Name) && parameter.Type.SpecialType == SpecialType.System_String)
            {
                return (syntax, true);
            }

            if (UriParameters.Contains(parameter.Name) && !IsRelative(syntax.Expression, model, cancellationToken))
            {
                // The Uri overload must exist for the rewritten call (HttpClient, WebClient, WebRequest do).
                return (syntax, false);
            }
        }

        return null;
    }

    /// <summary>A string built from a constant start without <c>://</c>: a relative reference.</summary>
    private static bool IsRelative(ExpressionSyntax expression, SemanticModel model, CancellationToken cancellationToken)
    {
        var first = expression;
        var concatenated = false;
        while (true)
        {
            if (first is BinaryExpressionSyntax { RawKind: (int)SyntaxKind.AddExpression } binary)
            {
                first = binary.Left;
                concatenated = true;
            }
            else if (first is ParenthesizedExpressionSyntax parenthesized)
            {
                first = parenthesized.Expression;
            }
            else
            {
                break;
            }
        }

        var prefix = first is InterpolatedStringExpressionSyntax { Contents: { Count: > 0 } contents } && contents[0] is InterpolatedStringTextSyntax text
            ? text.TextToken.ValueText
            : concatenated || first is InterpolatedStringExpressionSyntax ? model.GetConstantValue(first, cancellationToken).Value as string : null;
        return first is InterpolatedStringExpressionSyntax || concatenated
            ? prefix is null || !prefix.Contains("://")
            : false;
    }

    private static async Task<Document> GuardAsync(Document document, ArgumentSyntax argument, bool isHost, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null || GuardInsertion.Anchor(argument) is not { } anchor || argument.FirstAncestorOrSelf<TypeDeclarationSyntax>() is not { } type)
        {
            return document;
        }

        var expression = argument.Expression.WithoutTrivia();
        var parameterName = model.GetSymbolInfo(argument.Expression, cancellationToken).Symbol is IParameterSymbol parameter ? $", nameof({parameter.Name})" : string.Empty;
        var statements = new System.Collections.Generic.List<StatementSyntax>();
        ExpressionSyntax? replacement = null;
        if (isHost)
        {
            statements.Add(TemplateSyntax.Statement(
                $"if (!{AllowlistField}.Contains({TemplateSyntax.Hole}))\n{{\n    throw new System.ArgumentException(\"The host is not allowed.\"{parameterName});\n}}\n",
                expression));
        }
        else
        {
            // A Uri local or parameter is checked as is; anything else is parsed once into a new local.
            var uri = expression;
            var isUriName = expression is IdentifierNameSyntax
                && model.GetTypeInfo(argument.Expression, cancellationToken).Type?.ToDisplayString() == "System.Uri";
            if (!isUriName)
            {
                var local = GuardInsertion.UniqueName(model, argument.SpanStart, "uri");
                statements.Add(TemplateSyntax.Statement($"var {local} = new System.Uri({TemplateSyntax.Hole});\n", expression));
                uri = SyntaxFactory.IdentifierName(local);
                replacement = uri;
            }

            statements.Add(TemplateSyntax.Statement(
                $"if ({TemplateSyntax.Hole}.Scheme != System.Uri.UriSchemeHttps || !{AllowlistField}.Contains({TemplateSyntax.Hole}.Host))\n{{\n    throw new System.ArgumentException(\"The URL is not allowed.\"{parameterName});\n}}\n",
                uri,
                uri));
        }

        var tracked = root.TrackNodes(anchor, argument, type);
        if (replacement is not null)
        {
            tracked = tracked.ReplaceNode(tracked.GetCurrentNode(argument)!, argument.WithExpression(replacement.WithTriviaFrom(argument.Expression)));
        }

        tracked = GuardInsertion.InsertBefore(tracked, anchor, statements, model, cancellationToken);

        // Explicit type rather than target-typed new(): the fix must compile on C# 7.3 projects too.
        tracked = GuardInsertion.AddFieldIfMissing(
            tracked,
            type,
            AllowlistField,
            $"// The hosts this tool may call: add them here.\nprivate static readonly System.Collections.Generic.HashSet<string> {AllowlistField} = new System.Collections.Generic.HashSet<string>(System.StringComparer.OrdinalIgnoreCase) {{ /* \"api.example.com\" */ }};",
            model,
            cancellationToken);
        return document.WithSyntaxRoot(SimplificationScope.WithinDepth(tracked));
    }
}
