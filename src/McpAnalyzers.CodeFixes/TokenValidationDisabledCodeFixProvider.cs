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
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Text;

namespace McpAnalyzers.CodeFixes;

/// <summary>
/// MCPSEC010: sets a disabled flag back to <c>true</c>, or removes a <c>SignatureValidator</c> delegate
/// that accepts any token (IdentityModel's own signature check then applies). Claims read from a
/// parsed-only token get no fix: where the token should be validated, and with which parameters, is
/// the author's decision.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(TokenValidationDisabledCodeFixProvider))]
[Shared]
public sealed class TokenValidationDisabledCodeFixProvider : CodeFixProvider
{
    private const string SetTrueKey = "MCPSEC010.SetTrue";
    private const string RemoveDelegateKey = "MCPSEC010.RemoveDelegate";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.TokenValidationDisabled);

    public override FixAllProvider GetFixAllProvider()
        => FixAllProvider.Create(async (context, document, diagnostics) => (Document?)await ApplyAsync(document, diagnostics, context.CodeActionEquivalenceKey, context.CancellationToken).ConfigureAwait(false));

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (var diagnostic in context.Diagnostics)
        {
            if (root?.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not AssignmentExpressionSyntax assignment
                || TokenValidationSyntax.AssignedName(assignment) is not { } name)
            {
                continue;
            }

            var key = KeyOf(diagnostic);
            if (key is null || (key == RemoveDelegateKey && !CanRemove(assignment)))
            {
                continue;
            }

            var title = key == SetTrueKey ? $"Set '{name}' to true" : $"Remove the '{name}' delegate";
            context.RegisterCodeFix(
                CodeAction.Create(title, ct => ApplyAsync(context.Document, ImmutableArray.Create(diagnostic), key, ct), key),
                diagnostic);
        }
    }

    private static string? KeyOf(Diagnostic diagnostic)
        => diagnostic.Properties.TryGetValue(TokenValidationDisabledAnalyzer.KindKey, out var kind) ? kind switch
        {
            TokenValidationDisabledAnalyzer.KindFlag => SetTrueKey,
            TokenValidationDisabledAnalyzer.KindSignatureValidator => RemoveDelegateKey,
            _ => null,
        } : null;

    private static bool CanRemove(AssignmentExpressionSyntax assignment)
        => assignment.Parent is InitializerExpressionSyntax
            or ExpressionStatementSyntax { Parent: BlockSyntax or GlobalStatementSyntax }
            or LambdaExpressionSyntax;

    /// <summary>Applies every diagnostic of one kind in one document through a single editor (single fix and FixAll alike).</summary>
    private static async Task<Document> ApplyAsync(Document document, ImmutableArray<Diagnostic> diagnostics, string? equivalenceKey, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var root = editor.OriginalRoot;

        // Outer nodes first. A finding inside a node an earlier edit replaced or removed (a validator
        // nested in another's body) goes with it: editing it too would make the editor look for a node
        // that is no longer in the tree.
        var replaced = new List<TextSpan>();
        foreach (var diagnostic in diagnostics.OrderBy(d => d.Location.SourceSpan.Start).ThenByDescending(d => d.Location.SourceSpan.Length))
        {
            if (KeyOf(diagnostic) is not { } key || (equivalenceKey is not null && key != equivalenceKey)
                || root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not AssignmentExpressionSyntax assignment
                || replaced.Any(span => span.Contains(assignment.Span)))
            {
                continue;
            }

            if (key == SetTrueKey)
            {
                editor.ReplaceNode(assignment.Right, TokenValidationSyntax.True(assignment.Right));
                replaced.Add(assignment.Right.Span);
            }
            else
            {
                TokenValidationSyntax.TryRemoveAssignment(editor, assignment);
                replaced.Add(assignment.Span);
            }
        }

        return editor.GetChangedDocument();
    }
}
