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
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Text;

namespace McpAnalyzers.CodeFixes;

/// <summary>
/// MCPSEC003: switches audience validation on and binds it to this server.
/// <list type="bullet">
/// <item><c>ValidateAudience = false</c> (or non-constant): set to <c>true</c> and, unless an audience is
/// already supplied nearby (ValidAudience(s), AudienceValidator, JwtBearerOptions.Audience), add
/// <c>ValidAudience = </c> the expression <see cref="AudienceSource"/> finds. When it finds none, only
/// <c>true</c> is set (the title says so): IdentityModel then rejects tokens until an audience is
/// configured, which fails closed.</item>
/// <item><c>AudienceValidator</c> ignoring its audiences: the delegate is replaced by <c>ValidAudience = ...</c>
/// (or removed when an audience is already supplied or none can be found).</item>
/// <item>Hand-validated parameters without audience: <c>ValidAudience = ...</c> is added; no fix when no
/// audience expression exists (adding nothing would change nothing).</item>
/// </list>
/// Audiences that differ from or mix with ProtectedResourceMetadata.Resource get no fix: which of the
/// two values is wrong is the author's call.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(TokenAudienceNotValidatedCodeFixProvider))]
[Shared]
public sealed class TokenAudienceNotValidatedCodeFixProvider : CodeFixProvider
{
    private const string ValidateAudienceKey = "MCPSEC003.ValidateAudience";
    private const string AudienceValidatorKey = "MCPSEC003.AudienceValidator";
    private const string NoAudienceKey = "MCPSEC003.NoAudience";

    private static readonly ImmutableHashSet<string> AudienceMembers = ImmutableHashSet.Create("ValidAudience", "ValidAudiences", "AudienceValidator", "Audience");

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.TokenAudienceNotValidated);

    public override FixAllProvider GetFixAllProvider()
        => FixAllProvider.Create(async (context, document, diagnostics) => (Document?)await ApplyAsync(document, diagnostics, context.CodeActionEquivalenceKey, context.CancellationToken).ConfigureAwait(false));

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
            var key = KeyOf(diagnostic);
            var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            if (key is null)
            {
                continue;
            }

            var audience = await AudienceSource.FindAsync(context.Document, model, diagnostic.Location.SourceSpan.Start, context.CancellationToken).ConfigureAwait(false);
            string? title = null;
            if (key == NoAudienceKey)
            {
                title = node.FirstAncestorOrSelf<BaseObjectCreationExpressionSyntax>() is not null && audience is not null
                    ? "Validate the audience against this server's resource"
                    : null;
            }
            else if (node is AssignmentExpressionSyntax assignment)
            {
                var needsAudience = !AudienceSupplied(assignment, model, context.CancellationToken);
                title = key == ValidateAudienceKey
                    ? (!needsAudience ? "Set 'ValidateAudience' to true"
                        : audience is not null ? "Set 'ValidateAudience' to true and validate against this server's resource"
                        : "Set 'ValidateAudience' to true (then configure 'ValidAudience')")
                    : !CanReplaceOrRemove(assignment) ? null
                    : !needsAudience ? "Remove the 'AudienceValidator' delegate"
                    : audience is not null ? "Replace the 'AudienceValidator' delegate with this server's resource as 'ValidAudience'"
                    : "Remove the 'AudienceValidator' delegate (then configure 'ValidAudience')";
            }

            if (title is not null)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(title, ct => ApplyAsync(context.Document, ImmutableArray.Create(diagnostic), key, ct), key),
                    diagnostic);
            }
        }
    }

    private static string? KeyOf(Diagnostic diagnostic)
        => diagnostic.Properties.TryGetValue(TokenAudienceNotValidatedAnalyzer.KindKey, out var kind) ? kind switch
        {
            TokenAudienceNotValidatedAnalyzer.KindValidateAudience => ValidateAudienceKey,
            TokenAudienceNotValidatedAnalyzer.KindAudienceValidator => AudienceValidatorKey,
            TokenAudienceNotValidatedAnalyzer.KindNoAudience => NoAudienceKey,
            _ => null,
        } : null;

    private static bool CanReplaceOrRemove(AssignmentExpressionSyntax assignment)
        => assignment.Parent is InitializerExpressionSyntax
            or ExpressionStatementSyntax { Parent: BlockSyntax or GlobalStatementSyntax }
            or LambdaExpressionSyntax;

    /// <summary>Applies every diagnostic of one kind in one document through a single editor (single fix and FixAll alike).</summary>
    private static async Task<Document> ApplyAsync(Document document, ImmutableArray<Diagnostic> diagnostics, string? equivalenceKey, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var model = editor.SemanticModel;
        var root = editor.OriginalRoot;

        // Outer nodes first. A finding inside a node an earlier edit replaced or removed (a validator
        // nested in another's body, or in half-typed code) goes with it: editing it too would make the
        // editor look for a node that is no longer in the tree.
        var replaced = new List<TextSpan>();
        foreach (var diagnostic in diagnostics.OrderBy(d => d.Location.SourceSpan.Start).ThenByDescending(d => d.Location.SourceSpan.Length))
        {
            var key = KeyOf(diagnostic);
            if (key is null || (equivalenceKey is not null && key != equivalenceKey))
            {
                continue;
            }

            var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            if (replaced.Any(span => span.Contains(node.Span)))
            {
                continue;
            }

            var audience = await AudienceSource.FindAsync(document, model, diagnostic.Location.SourceSpan.Start, cancellationToken).ConfigureAwait(false);
            switch (key)
            {
                case ValidateAudienceKey when node is AssignmentExpressionSyntax assignment:
                    replaced.Add(EnableValidation(editor, assignment, AudienceSupplied(assignment, model, cancellationToken) ? null : audience).Span);
                    break;
                case AudienceValidatorKey when node is AssignmentExpressionSyntax assignment:
                    ReplaceValidator(editor, assignment, AudienceSupplied(assignment, model, cancellationToken) ? null : audience);
                    replaced.Add(assignment.Span);
                    break;
                case NoAudienceKey when audience is not null && node.FirstAncestorOrSelf<BaseObjectCreationExpressionSyntax>() is { } creation:
                    AddAudience(editor, creation, audience);
                    break;
            }
        }

        var changed = editor.GetChangedDocument();
        changed = await SimplificationScope.ReduceAsync(changed, cancellationToken).ConfigureAwait(false);
        return await Formatter.FormatAsync(changed, Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>ValidateAudience = true</c>, plus <c>ValidAudience = audience</c> next to it when given. Returns the
    /// original node whose content the edit drops (the old value, or the whole lambda it rebuilds).
    /// </summary>
    private static SyntaxNode EnableValidation(DocumentEditor editor, AssignmentExpressionSyntax assignment, ExpressionSyntax? audience)
    {
        switch (assignment.Parent)
        {
            case InitializerExpressionSyntax initializer:
                editor.ReplaceNode(initializer, (current, _) =>
                {
                    var updated = (InitializerExpressionSyntax)current;
                    if (TokenValidationSyntax.Member(updated, "ValidateAudience") is not { } member)
                    {
                        return updated;
                    }

                    updated = updated.ReplaceNode(member.Right, TokenValidationSyntax.True(member.Right));
                    if (audience is null || HasAudienceMember(updated))
                    {
                        return updated;
                    }

                    var index = updated.Expressions.IndexOf(e => e is AssignmentExpressionSyntax a && TokenValidationSyntax.AssignedName(a) == "ValidateAudience");
                    return TokenValidationSyntax.InsertMember(updated, index, InitializerMember(audience));
                });
                return assignment.Right;

            case ExpressionStatementSyntax statement when audience is not null && TokenValidationSyntax.Receiver(assignment) is { } receiver
                && statement.Parent is BlockSyntax or GlobalStatementSyntax:
            {
                editor.ReplaceNode(assignment.Right, TokenValidationSyntax.True(assignment.Right));
                var added = SyntaxFactory.ExpressionStatement(ReceiverAssignment(receiver, audience))
                    .WithLeadingTrivia(Indentation(statement.Parent is GlobalStatementSyntax global ? global : statement))
                    .WithTrailingTrivia(statement.GetTrailingTrivia());
                if (statement.Parent is GlobalStatementSyntax globalStatement)
                {
                    editor.InsertAfter(globalStatement, SyntaxFactory.GlobalStatement(added));
                }
                else
                {
                    editor.InsertAfter(statement, added);
                }

                return assignment.Right;
            }

            case LambdaExpressionSyntax lambda when audience is not null && lambda.ExpressionBody == assignment && TokenValidationSyntax.Receiver(assignment) is { } receiver:
            {
                var enabled = assignment.WithRight(TokenValidationSyntax.True(assignment.Right)).WithoutTrivia();
                var block = SyntaxFactory.Block(
                        SyntaxFactory.ExpressionStatement(enabled),
                        SyntaxFactory.ExpressionStatement(ReceiverAssignment(receiver, audience)))
                    .WithAdditionalAnnotations(Formatter.Annotation);
                editor.ReplaceNode(lambda, lambda.WithExpressionBody(null).WithBlock(block).WithArrowToken(lambda.ArrowToken.WithTrailingTrivia(SyntaxFactory.ElasticCarriageReturnLineFeed)));
                return lambda;
            }

            default:
                editor.ReplaceNode(assignment.Right, TokenValidationSyntax.True(assignment.Right));
                return assignment.Right;
        }
    }

    /// <summary>Replaces the validator with <c>ValidAudience = audience</c>, or removes it when no audience is to be added.</summary>
    private static void ReplaceValidator(DocumentEditor editor, AssignmentExpressionSyntax assignment, ExpressionSyntax? audience)
    {
        if (assignment.Parent is InitializerExpressionSyntax initializer)
        {
            editor.ReplaceNode(initializer, (current, _) =>
            {
                var updated = (InitializerExpressionSyntax)current;
                if (TokenValidationSyntax.Member(updated, "AudienceValidator") is not { } member)
                {
                    return updated;
                }

                var withoutValidator = TokenValidationSyntax.RemoveMember(updated, "AudienceValidator");
                return audience is null || HasAudienceMember(withoutValidator)
                    ? withoutValidator
                    : updated.ReplaceNode(member, InitializerMember(audience).WithTriviaFrom(member));
            });
            return;
        }

        if (audience is not null && TokenValidationSyntax.Receiver(assignment) is { } receiver)
        {
            editor.ReplaceNode(assignment, ReceiverAssignment(receiver, audience).WithTriviaFrom(assignment));
            return;
        }

        TokenValidationSyntax.TryRemoveAssignment(editor, assignment);
    }

    private static void AddAudience(DocumentEditor editor, BaseObjectCreationExpressionSyntax creation, ExpressionSyntax audience)
    {
        if (creation.Initializer is { } initializer)
        {
            editor.ReplaceNode(initializer, (current, _) =>
            {
                var updated = (InitializerExpressionSyntax)current;
                return HasAudienceMember(updated) ? updated : TokenValidationSyntax.InsertMember(updated, updated.Expressions.Count - 1, InitializerMember(audience));
            });
            return;
        }

        editor.ReplaceNode(creation, (current, _) =>
        {
            var updated = (BaseObjectCreationExpressionSyntax)current;
            var newInitializer = SyntaxFactory.InitializerExpression(
                SyntaxKind.ObjectInitializerExpression,
                SyntaxFactory.SingletonSeparatedList<ExpressionSyntax>(InitializerMember(audience)));
            return updated.WithoutTrailingTrivia()
                .WithInitializer(newInitializer.WithTrailingTrivia(updated.GetTrailingTrivia()))
                .WithAdditionalAnnotations(Formatter.Annotation);
        });
    }

    private static AssignmentExpressionSyntax InitializerMember(ExpressionSyntax audience)
        => SyntaxFactory.AssignmentExpression(SyntaxKind.SimpleAssignmentExpression, SyntaxFactory.IdentifierName("ValidAudience"), audience);

    private static AssignmentExpressionSyntax ReceiverAssignment(ExpressionSyntax receiver, ExpressionSyntax audience)
        => SyntaxFactory.AssignmentExpression(
            SyntaxKind.SimpleAssignmentExpression,
            SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, receiver.WithoutTrivia(), SyntaxFactory.IdentifierName("ValidAudience")),
            audience);

    private static bool HasAudienceMember(InitializerExpressionSyntax initializer)
        => initializer.Expressions.OfType<AssignmentExpressionSyntax>().Any(a => TokenValidationSyntax.AssignedName(a) is "ValidAudience" or "ValidAudiences" or "AudienceValidator");

    private static SyntaxTriviaList Indentation(SyntaxNode statement)
        => statement.GetLeadingTrivia().LastOrDefault() is { } last && last.IsKind(SyntaxKind.WhitespaceTrivia)
            ? SyntaxFactory.TriviaList(last)
            : SyntaxFactory.TriviaList();

    /// <summary>
    /// True when an audience is already named for the same parameters: another member of the same object
    /// initializer, or an assignment in the same block or lambda body to <c>receiver.ValidAudience(s)</c> /
    /// <c>receiver.AudienceValidator</c> on the same receiver, or to <c>JwtBearerOptions.Audience</c> of
    /// the options that own these parameters (the handler copies it into ValidAudience). The validator
    /// being replaced does not count.
    /// </summary>
    private static bool AudienceSupplied(AssignmentExpressionSyntax assignment, SemanticModel model, CancellationToken cancellationToken)
    {
        ExpressionSyntax? receiver;
        ExpressionSyntax? bearerOptions;
        if (assignment.Parent is InitializerExpressionSyntax initializer)
        {
            if (initializer.Expressions.OfType<AssignmentExpressionSyntax>().Any(a => a != assignment && TokenValidationSyntax.AssignedName(a) is "ValidAudience" or "ValidAudiences" or "AudienceValidator"))
            {
                return true;
            }

            receiver = null;
            bearerOptions = initializer.Parent?.Parent is AssignmentExpressionSyntax { Left: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "TokenValidationParameters" } owner }
                ? owner.Expression
                : null;
        }
        else
        {
            receiver = TokenValidationSyntax.Receiver(assignment);
            bearerOptions = receiver is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "TokenValidationParameters" } parameters ? parameters.Expression : null;
        }

        var scope = assignment.Ancestors().FirstOrDefault(a => a is BlockSyntax or AnonymousFunctionExpressionSyntax or CompilationUnitSyntax);
        if (scope is null || (receiver is null && bearerOptions is null))
        {
            return false;
        }

        foreach (var other in scope.DescendantNodes().OfType<AssignmentExpressionSyntax>())
        {
            if (other == assignment || TokenValidationSyntax.AssignedName(other) is not { } name || !AudienceMembers.Contains(name)
                || TokenValidationSyntax.Receiver(other) is not { } otherReceiver)
            {
                continue;
            }

            var sameOwner = name == "Audience"
                ? bearerOptions is not null && otherReceiver.IsEquivalentTo(bearerOptions, topLevel: false)
                : receiver is not null && otherReceiver.IsEquivalentTo(receiver, topLevel: false);
            if (sameOwner
                && model.GetSymbolInfo(other.Left, cancellationToken).Symbol is IPropertySymbol property
                && property.ContainingType.ToDisplayString() is "Microsoft.IdentityModel.Tokens.TokenValidationParameters" or "Microsoft.AspNetCore.Authentication.JwtBearer.JwtBearerOptions")
            {
                return true;
            }
        }

        return false;
    }
}
