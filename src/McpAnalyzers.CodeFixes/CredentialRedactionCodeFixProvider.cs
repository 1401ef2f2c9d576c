using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using McpAnalyzers.Taint;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;
using Microsoft.CodeAnalysis.Text;

namespace McpAnalyzers.CodeFixes;

/// <summary>
/// MCPSEC013: replaces the credential written to a log, console, exception message or tool result with a
/// redacted form. Only the tainted parts are rewritten (the logged argument, the interpolation hole, the
/// concatenated operand: the analyzer passes their spans), so the message and the other arguments stay.
/// </summary>
/// <remarks>
/// The redacted form is a short fingerprint — the first 8 hex digits of the value's SHA-256 —
/// <c>Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(value))).Substring(0, 8)</c>: it lets an operator
/// correlate log lines of one token or secret without being usable as a credential, and needs no package.
/// Where those APIs do not exist (.NET Standard, .NET Framework, before .NET 5) the value becomes the literal
/// <c>"[redacted]"</c>. Values that are not strings are converted first (<c>StringValues.ToString()</c>,
/// <c>value?.ToString() ?? ""</c>); nullable strings are coalesced to <c>""</c>. Tainted objects that are not
/// text (e.g. a whole <c>CallToolResult</c>) get no fix: what to remove from them is a design decision.
/// </remarks>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(CredentialRedactionCodeFixProvider))]
[Shared]
public sealed class CredentialRedactionCodeFixProvider : CodeFixProvider
{
    private const string EquivalenceKey = "MCPSEC013.Redact";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.CredentialExposure);

    /// <summary>
    /// One pass per document: every fix adds the same <c>using</c> directives, which the batch fixer would
    /// see as conflicting edits.
    /// </summary>
    public override FixAllProvider GetFixAllProvider()
        => FixAllProvider.Create(async (context, document, diagnostics) => (Document?)await RedactAsync(document, diagnostics, context.CancellationToken).ConfigureAwait(false));

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
            if (FindValues(root, model, diagnostic, context.CancellationToken).Count > 0)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(
                        "Write a redacted fingerprint instead of the credential",
                        cancellationToken => RedactAsync(context.Document, ImmutableArray.Create(diagnostic), cancellationToken),
                        EquivalenceKey),
                    diagnostic);
            }
        }
    }

    /// <summary>The tainted text expressions of the diagnostic; empty when one of them is not text.</summary>
    private static List<ExpressionSyntax> FindValues(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var values = new List<ExpressionSyntax>();
        if (!diagnostic.Properties.TryGetValue(TaintAnalysisHost.ValueSpansProperty, out var spans) || string.IsNullOrEmpty(spans))
        {
            return values;
        }

        foreach (var text in spans!.Split(','))
        {
            var parts = text.Split(':');
            if (parts.Length != 2
                || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var start)
                || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var length)
                || start + length > root.FullSpan.End)
            {
                return new List<ExpressionSyntax>();
            }

            var node = root.FindNode(new TextSpan(start, length), getInnermostNodeForTie: true);
            while (node is ArgumentSyntax or ParenthesizedExpressionSyntax && node.Span.Length == length)
            {
                node = node is ArgumentSyntax argument ? argument.Expression : ((ParenthesizedExpressionSyntax)node).Expression;
            }

            if (node is not ExpressionSyntax expression || ToText(expression, model, cancellationToken) is null)
            {
                return new List<ExpressionSyntax>();
            }

            values.Add(expression);
        }

        return values;
    }

    private static async Task<Document> RedactAsync(Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return document;
        }

        var values = diagnostics.SelectMany(d => FindValues(root, model, d, cancellationToken)).Distinct().ToList();
        var fingerprint = HasFingerprintApis(model.Compilation);
        var newRoot = root.ReplaceNodes(values, (original, _) => Redacted(original, model, fingerprint, cancellationToken).WithTriviaFrom(original));
        var updated = document.WithSyntaxRoot(newRoot);
        updated = await SimplificationScope.AddImportsAndReduceAsync(updated, cancellationToken).ConfigureAwait(false);
        return await Formatter.FormatAsync(updated, Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private static ExpressionSyntax Redacted(ExpressionSyntax value, SemanticModel model, bool fingerprint, CancellationToken cancellationToken)
    {
        if (!fingerprint)
        {
            return SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal("[redacted]"));
        }

        var text = ToText(value, model, cancellationToken)!;
        var result = TemplateSyntax.Expression(
            $"global::System.Convert.ToHexString(global::System.Security.Cryptography.SHA256.HashData(global::System.Text.Encoding.UTF8.GetBytes({TemplateSyntax.Hole}))).Substring(0, 8)",
            text);
        return result.WithAdditionalAnnotations(Simplifier.AddImportsAnnotation, Formatter.Annotation);
    }

    /// <summary>The value as a non-null string expression, or null when it is not text (or text-like).</summary>
    private static ExpressionSyntax? ToText(ExpressionSyntax value, SemanticModel model, CancellationToken cancellationToken)
    {
        var info = model.GetTypeInfo(value, cancellationToken);
        var type = info.Type;
        var operand = value is IdentifierNameSyntax or MemberAccessExpressionSyntax or InvocationExpressionSyntax or ElementAccessExpressionSyntax
            ? value.WithoutTrivia()
            : SyntaxFactory.ParenthesizedExpression(value.WithoutTrivia()).WithAdditionalAnnotations(Simplifier.Annotation);
        if (type is null || type.TypeKind == TypeKind.Error)
        {
            return null;
        }

        if (type.SpecialType == SpecialType.System_String)
        {
            var maybeNull = info.Nullability.FlowState == NullableFlowState.MaybeNull;
            return maybeNull ? Coalesce(operand) : operand;
        }

        if (type.ToDisplayString() == "Microsoft.Extensions.Primitives.StringValues")
        {
            return SyntaxFactory.InvocationExpression(SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, operand, SyntaxFactory.IdentifierName("ToString")));
        }

        if (type.SpecialType == SpecialType.System_Object)
        {
            var conditional = SyntaxFactory.ConditionalAccessExpression(
                operand,
                SyntaxFactory.InvocationExpression(SyntaxFactory.MemberBindingExpression(SyntaxFactory.IdentifierName("ToString"))));
            return Coalesce(conditional);
        }

        return null;
    }

    /// <summary><c>value ?? ""</c> (it only ever becomes an argument, so it needs no parentheses).</summary>
    private static ExpressionSyntax Coalesce(ExpressionSyntax value)
        => SyntaxFactory.BinaryExpression(SyntaxKind.CoalesceExpression, value, SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(string.Empty)));

    private static bool HasFingerprintApis(Compilation compilation)
        => compilation.GetTypeByMetadataName("System.Security.Cryptography.SHA256")?.GetMembers("HashData").OfType<IMethodSymbol>()
                .Any(m => m.IsStatic && m.Parameters.Length == 1 && m.Parameters[0].Type is IArrayTypeSymbol) == true
            && compilation.GetTypeByMetadataName("System.Convert")?.GetMembers("ToHexString").Any() == true;
}
