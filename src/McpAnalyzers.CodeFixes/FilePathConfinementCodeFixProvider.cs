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

namespace McpAnalyzers.CodeFixes;

/// <summary>
/// MCPSEC006: inserts a root-confinement guard before the statement holding the file sink. The
/// path becomes <c>Path.GetFullPath(path)</c> in a local, which must start (ordinal) with
/// <c>AllowedRoot</c>, else <c>ArgumentException</c>; the sink uses the local. <c>AllowedRoot</c> is a
/// <c>private static readonly string</c> field added to the type when missing, initialised to the
/// application folder: honest and compiling, and the one line a developer must point at the folder the
/// tool may use (no configuration key is invented). Offered for sinks in block statements and in
/// expression-bodied methods (converted to a block).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(FilePathConfinementCodeFixProvider))]
[Shared]
public sealed class FilePathConfinementCodeFixProvider : CodeFixProvider
{
    private const string EquivalenceKey = "MCPSEC006.Confine";
    private const string RootField = "AllowedRoot";

    private static readonly ImmutableHashSet<string> PathParameters = ImmutableHashSet.Create(
        "path", "fileName", "sourceFileName", "destFileName", "sourceDirName", "destDirName");

    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(RuleIds.FilePathInjection);

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
            if (FindPathArgument(node, model, context.CancellationToken) is { } argument && GuardInsertion.Anchor(argument) is not null)
            {
                context.RegisterCodeFix(
                    CodeAction.Create("Confine the path under an allowed root", ct => ConfineAsync(context.Document, argument, ct), EquivalenceKey),
                    diagnostic);
            }
        }
    }

    private static ArgumentSyntax? FindPathArgument(SyntaxNode node, SemanticModel model, CancellationToken cancellationToken)
    {
        var arguments = node switch
        {
            InvocationExpressionSyntax invocation => invocation.ArgumentList.Arguments,
            BaseObjectCreationExpressionSyntax { ArgumentList: { } list } => list.Arguments,
            _ => default,
        };
        var operation = model.GetOperation(node, cancellationToken);
        var parameters = (operation as Microsoft.CodeAnalysis.Operations.IInvocationOperation)?.Arguments
            ?? (operation as Microsoft.CodeAnalysis.Operations.IObjectCreationOperation)?.Arguments;
        if (parameters is null)
        {
            return null;
        }

        foreach (var argumentOperation in parameters.Value)
        {
            if (argumentOperation.Parameter is { } parameter && PathParameters.Contains(parameter.Name)
                && OperationSyntax.ArgumentOf(argumentOperation) is { } syntax && arguments.Contains(syntax))
            {
                return syntax;
            }
        }

        return null;
    }

    private static async Task<Document> ConfineAsync(Document document, ArgumentSyntax argument, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null || GuardInsertion.Anchor(argument) is not { } anchor || argument.FirstAncestorOrSelf<TypeDeclarationSyntax>() is not { } type)
        {
            return document;
        }

        var local = GuardInsertion.UniqueName(model, argument.SpanStart, "fullPath");
        var guard = TemplateSyntax.Statement($"var {local} = System.IO.Path.GetFullPath({TemplateSyntax.Hole});\n", argument.Expression);
        var check = TemplateSyntax.Statement(
            $"if (!{local}.StartsWith({RootField}, System.StringComparison.Ordinal))\n{{\n    throw new System.ArgumentException(\"The path is outside the allowed folder.\");\n}}\n");

        var tracked = root.TrackNodes(anchor, argument, type);
        tracked = tracked.ReplaceNode(tracked.GetCurrentNode(argument)!, argument.WithExpression(SyntaxFactory.IdentifierName(local).WithTriviaFrom(argument.Expression)));
        tracked = GuardInsertion.InsertBefore(tracked, anchor, new[] { guard, check }, model, cancellationToken);
        tracked = GuardInsertion.AddFieldIfMissing(
            tracked,
            type,
            RootField,
            $"// The folder this tool may read and write: point it at your data folder.\nprivate static readonly string {RootField} = System.IO.Path.GetFullPath(System.AppContext.BaseDirectory);",
            model,
            cancellationToken);
        return document.WithSyntaxRoot(SimplificationScope.WithinDepth(tracked));
    }
}
