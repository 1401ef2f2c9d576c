using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using McpAnalyzers.Rules;
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
/// MCPSEC002: replaces the predictable expression with a 256-bit CSPRNG value of the same type
/// (<c>Convert.ToHexString(RandomNumberGenerator.GetBytes(32))</c> for strings), or <c>Random.NextBytes(buffer)</c>
/// with <c>RandomNumberGenerator.Fill(buffer)</c>. FixAll applies every fix of a document in one pass, so that two
/// diagnostics sharing an expression or a helper method produce one edit.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(PredictableSessionIdCodeFixProvider))]
[Shared]
public sealed class PredictableSessionIdCodeFixProvider : CodeFixProvider
{
    internal const string EquivalenceKey = "MCPSEC002.UseRandomNumberGenerator";

    private const string Title = "Generate it with RandomNumberGenerator";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.PredictableSessionId);

    public override FixAllProvider GetFixAllProvider()
        => FixAllProvider.Create(async (context, document, diagnostics) => await FixAsync(document, diagnostics, context.CancellationToken).ConfigureAwait(false));

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
            if (Plan(root, model, diagnostic, context.CancellationToken) is not null)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(Title, ct => FixAsync(context.Document, ImmutableArray.Create(diagnostic), ct), EquivalenceKey),
                    diagnostic);
            }
        }
    }

    /// <summary>One planned edit: the node to replace, its replacement, and whether the helper method is needed.</summary>
    private sealed class Edit
    {
        public Edit(SyntaxNode node, ExpressionSyntax replacement, TypeDeclarationSyntax? helperHost)
        {
            Node = node;
            Replacement = replacement;
            HelperHost = helperHost;
        }

        public SyntaxNode Node { get; }

        public ExpressionSyntax Replacement { get; }

        /// <summary>The type that must contain <c>CreateSecureRandomBytes</c>, when the fallback form is used and it is not there yet.</summary>
        public TypeDeclarationSyntax? HelperHost { get; }
    }

    private static Edit? Plan(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if (!diagnostic.Properties.TryGetValue(PredictableSessionIdAnalyzer.FixProperty, out var fix))
        {
            return null;
        }

        var flagGuid = diagnostic.Properties.TryGetValue(PredictableSessionIdAnalyzer.FlagGuidProperty, out var flag) && flag == "true";
        var compilation = model.Compilation;
        if (fix == PredictableSessionIdAnalyzer.FixFill)
        {
            // Random.NextBytes(buffer) → RandomNumberGenerator.Fill(buffer): same buffer, same statement.
            if (!CsprngExpressions.HasFill(compilation)
                || root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not InvocationExpressionSyntax { ArgumentList.Arguments.Count: 1 } call)
            {
                return null;
            }

            var buffer = call.ArgumentList.Arguments[0].Expression.WithoutTrivia();
            var fill = SyntaxFactory.ParseExpression("global::System.Security.Cryptography.RandomNumberGenerator.Fill(x)");
            fill = ((InvocationExpressionSyntax)fill).WithArgumentList(SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(buffer))));
            return new Edit(call, Annotate(fill, call), null);
        }

        if (fix != PredictableSessionIdAnalyzer.FixReplace
            || !diagnostic.Properties.TryGetValue(PredictableSessionIdAnalyzer.RootSpanProperty, out var spanText)
            || !TryParseSpan(spanText, out var span)
            || span.End > root.FullSpan.End
            || root.FindNode(span, getInnermostNodeForTie: true) is not ExpressionSyntax expression
            || expression.Span != span)
        {
            return null;
        }

        var api = CsprngExpressions.Select(compilation);
        var text = CsprngExpressions.Build(model.GetTypeInfo(expression, cancellationToken).Type, compilation, api, flagGuid, out var usesHelper);
        if (text is null)
        {
            return null;
        }

        TypeDeclarationSyntax? host = null;
        if (usesHelper)
        {
            host = expression.FirstAncestorOrSelf<TypeDeclarationSyntax>(t => t is ClassDeclarationSyntax or StructDeclarationSyntax or RecordDeclarationSyntax);
            if (host is null || model.GetDeclaredSymbol(host, cancellationToken) is not { } hostType)
            {
                return null;
            }

            var existing = hostType.GetMembers(CsprngExpressions.HelperName);
            if (existing.Any(m => !IsHelper(m)))
            {
                // A different member already uses the name: do not guess.
                return null;
            }

            if (!existing.IsEmpty)
            {
                host = null;
            }
        }

        return new Edit(expression, Annotate(SyntaxFactory.ParseExpression(text), expression), host);
    }

    private static async Task<Document> FixAsync(Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return document;
        }

        var edits = new Dictionary<SyntaxNode, Edit>();
        foreach (var diagnostic in diagnostics.OrderBy(d => d.Location.SourceSpan.Start))
        {
            if (Plan(root, model, diagnostic, cancellationToken) is { } edit && !edits.ContainsKey(edit.Node))
            {
                edits.Add(edit.Node, edit);
            }
        }

        if (edits.Count == 0)
        {
            return document;
        }

        // Mark the helper hosts first, then replace the expressions (an outer replacement wins over a nested one).
        var hostMark = new SyntaxAnnotation("MCPSEC002.HelperHost");
        var hosts = edits.Values.Select(e => e.HelperHost).OfType<SyntaxNode>().Distinct().ToList();
        var newRoot = root.ReplaceNodes(
            edits.Keys.Concat(hosts),
            (original, rewritten) => edits.TryGetValue(original, out var edit)
                ? edit.Replacement
                : rewritten.WithAdditionalAnnotations(hostMark));

        // The helper goes last in its type, after a blank line, with the document's own line endings.
        var endOfLine = root.DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia)).ToString() is { Length: > 0 } eol ? eol : "\n";
        while (newRoot.GetAnnotatedNodes(hostMark).OfType<TypeDeclarationSyntax>().FirstOrDefault() is { } host)
        {
            var helper = SyntaxFactory.ParseMemberDeclaration(CsprngExpressions.HelperMethod.Replace("\r\n", "\n").Replace("\n", endOfLine))!
                .WithLeadingTrivia(SyntaxFactory.EndOfLine(endOfLine))
                .WithAdditionalAnnotations(Formatter.Annotation, Simplifier.Annotation, Simplifier.AddImportsAnnotation);
            newRoot = newRoot.ReplaceNode(host, host.WithoutAnnotations(hostMark).AddMembers(helper));
        }

        var updated = document.WithSyntaxRoot(newRoot);
        updated = await SimplificationScope.AddImportsAndReduceAsync(updated, cancellationToken).ConfigureAwait(false);
        return await Formatter.FormatAsync(updated, Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private static ExpressionSyntax Annotate(ExpressionSyntax replacement, SyntaxNode original)
        => replacement.WithTriviaFrom(original).WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation);

    private static bool IsHelper(ISymbol member)
        => member is IMethodSymbol { IsStatic: true, Parameters.Length: 1, ReturnType: IArrayTypeSymbol { ElementType.SpecialType: SpecialType.System_Byte } } method
            && method.Parameters[0].Type.SpecialType == SpecialType.System_Int32;

    private static bool TryParseSpan(string? text, out TextSpan span)
    {
        span = default;
        var parts = text?.Split(':');
        if (parts is not { Length: 2 }
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var start)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var length))
        {
            return false;
        }

        span = new TextSpan(start, length);
        return true;
    }
}
