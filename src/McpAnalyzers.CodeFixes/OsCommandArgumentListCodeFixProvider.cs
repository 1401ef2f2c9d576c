using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Text;
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

namespace McpAnalyzers.CodeFixes;

/// <summary>
/// MCPSEC005: rewrites a command line built as one string into a <c>ProcessStartInfo</c> with a constant
/// <c>FileName</c>, one <c>ArgumentList</c> entry per argument and <c>UseShellExecute = false</c>.
/// Forms: <c>Process.Start("git", args)</c>, <c>new ProcessStartInfo("git", args) { ... }</c>,
/// <c>new ProcessStartInfo { FileName = "git", Arguments = args }</c> and <c>psi.Arguments = args;</c>.
/// </summary>
/// <remarks>
/// The argument string is split the way <c>Process</c> splits it: constant text on unquoted spaces
/// (double quotes group and are dropped); every non-constant part stays inside the ONE argument it
/// appears in (<c>$"log --author={a} -n 5"</c> → <c>"log"</c>, <c>$"--author={a}"</c>, <c>"-n"</c>, <c>"5"</c>),
/// so tool input can no longer add options or arguments. A POSIX shell running a simple command
/// (<c>bash -c "grep {p} app.log"</c>: a constant program that is not a shell builtin, no shell
/// metacharacters in the constant text) is unwrapped into that program with its arguments.
/// No fix when the rewrite is not well-defined: a non-constant executable (it cannot be made constant
/// without knowing the allowed programs), backslashes in the constant text (escaping rules), cmd.exe and
/// PowerShell scripts, POSIX scripts with metacharacters (pipes, redirections, globs, variables), and
/// <c>psi.Arguments = ...</c> when the executable is not visibly a constant non-shell.
/// </remarks>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(OsCommandArgumentListCodeFixProvider))]
[Shared]
public sealed class OsCommandArgumentListCodeFixProvider : CodeFixProvider
{
    private const string EquivalenceKey = "MCPSEC005.ArgumentList";
    private const string StartInfoType = "System.Diagnostics.ProcessStartInfo";

    private static readonly ImmutableHashSet<string> ShellBuiltins = ImmutableHashSet.Create(
        StringComparer.Ordinal,
        "cd", "export", "source", ".", "eval", "exec", "set", "unset", "alias", "exit", "read", "trap", "ulimit", "umask",
        "wait", "shift", "type", "command", "hash", "history", "jobs", "fg", "bg", "let", "local", "declare", "typeset", "builtin");

    private const string PosixMetacharacters = "|&;<>()$`*?[]{}~!#\\\n\r";

    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(RuleIds.OsCommandInjection);

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
            if (ComputeReplacement(node, model, context.CancellationToken) is { } replacement)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(
                        "Use a constant executable and one ArgumentList entry per argument",
                        ct => ApplyAsync(context.Document, replacement.Old, replacement.New, ct),
                        EquivalenceKey),
                    diagnostic);
            }
        }
    }

    private static async Task<Document> ApplyAsync(Document document, SyntaxNode oldNode, IEnumerable<SyntaxNode> newNodes, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return document;
        }

        var list = newNodes.ToList();
        var newRoot = list.Count == 1 ? root.ReplaceNode(oldNode, list[0]) : root.ReplaceNode(oldNode, list);
        return document.WithSyntaxRoot(SimplificationScope.WithinDepth(newRoot));
    }

    /// <summary>The node to replace and its replacement(s), or null when no well-defined rewrite exists.</summary>
    private static (SyntaxNode Old, IEnumerable<SyntaxNode> New)? ComputeReplacement(SyntaxNode node, SemanticModel model, CancellationToken cancellationToken)
    {
        var startInfo = model.Compilation.GetTypeByMetadataName(StartInfoType);
        if (startInfo is null || startInfo.GetMembers("ArgumentList").IsEmpty)
        {
            return null;
        }

        if (node is ArgumentSyntax { Parent.Parent: { } call })
        {
            node = call;
        }

        switch (node)
        {
            case InvocationExpressionSyntax { ArgumentList.Arguments: { Count: 2 } arguments } invocation
                when model.GetSymbolInfo(invocation, cancellationToken).Symbol is IMethodSymbol { Name: "Start", IsStatic: true } start
                    && start.ContainingType?.ToDisplayString() == "System.Diagnostics.Process"
                    && start.Parameters.Length == 2 && start.Parameters.All(p => p.Type.SpecialType == SpecialType.System_String):
            {
                var creation = BuildCreation(arguments[0].Expression, arguments[1].Expression, Enumerable.Empty<ExpressionSyntax>(), model, cancellationToken);
                return creation is null ? null : (invocation, new[] { invocation.WithArgumentList(SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(creation)))).WithTriviaFrom(invocation) });
            }

            case AssignmentExpressionSyntax { Parent: InitializerExpressionSyntax { Parent: BaseObjectCreationExpressionSyntax creationSyntax } }:
                return RewriteCreation(creationSyntax, startInfo, model, cancellationToken);

            case BaseObjectCreationExpressionSyntax creationSyntax:
                return RewriteCreation(creationSyntax, startInfo, model, cancellationToken);

            case AssignmentExpressionSyntax { Left: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Arguments" } target, Parent: ExpressionStatementSyntax { Parent: BlockSyntax } statement } assignment:
                return RewriteArgumentsStatement(statement, target, assignment.Right, startInfo, model, cancellationToken);

            default:
                return null;
        }
    }

    private static (SyntaxNode Old, IEnumerable<SyntaxNode> New)? RewriteCreation(BaseObjectCreationExpressionSyntax creation, INamedTypeSymbol startInfo, SemanticModel model, CancellationToken cancellationToken)
    {
        if (!SymbolEqualityComparer.Default.Equals(model.GetTypeInfo(creation, cancellationToken).Type, startInfo))
        {
            return null;
        }

        ExpressionSyntax? fileName = null;
        ExpressionSyntax? arguments = null;
        if (creation.ArgumentList is { } argumentList)
        {
            if (argumentList.Arguments.Count > 2)
            {
                return null;
            }

            fileName = argumentList.Arguments.ElementAtOrDefault(0)?.Expression;
            arguments = argumentList.Arguments.ElementAtOrDefault(1)?.Expression;
        }

        var others = new List<ExpressionSyntax>();
        foreach (var member in creation.Initializer?.Expressions ?? default)
        {
            switch ((member as AssignmentExpressionSyntax)?.Left is IdentifierNameSyntax { Identifier.ValueText: var name } ? name : null)
            {
                case "FileName":
                    fileName = ((AssignmentExpressionSyntax)member).Right;
                    break;
                case "Arguments":
                    arguments = ((AssignmentExpressionSyntax)member).Right;
                    break;
                case "ArgumentList":
                    return null;
                case "UseShellExecute":
                    break;
                default:
                    others.Add(member);
                    break;
            }
        }

        if (fileName is null || arguments is null)
        {
            return null;
        }

        var rewritten = BuildCreation(fileName, arguments, others, model, cancellationToken);
        return rewritten is null ? null : (creation, new[] { rewritten.WithTriviaFrom(creation) });
    }

    /// <summary><c>psi.Arguments = args;</c> → <c>psi.ArgumentList.Add(a);</c> per argument.</summary>
    private static (SyntaxNode Old, IEnumerable<SyntaxNode> New)? RewriteArgumentsStatement(
        ExpressionStatementSyntax statement, MemberAccessExpressionSyntax target, ExpressionSyntax value, INamedTypeSymbol startInfo, SemanticModel model, CancellationToken cancellationToken)
    {
        if (model.GetSymbolInfo(target.Expression, cancellationToken).Symbol is not ILocalSymbol local
            || !SymbolEqualityComparer.Default.Equals(local.Type, startInfo)
            || ConstantFileName(local, statement, model, cancellationToken) is not { } fileName
            || OsCommandSinks.ShellName(fileName) is not null
            || Split(Pieces(value, model, cancellationToken), shell: false) is not { } arguments)
        {
            return null;
        }

        var statements = arguments.Select(argument =>
        {
            var add = SyntaxFactory.ExpressionStatement(SyntaxFactory.InvocationExpression(
                SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression,
                    SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, target.Expression.WithoutTrivia(), SyntaxFactory.IdentifierName("ArgumentList")),
                    SyntaxFactory.IdentifierName("Add")),
                SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(ToExpression(argument, model, cancellationToken))))));
            // Every new statement takes the original's indentation and line ending.
            return (SyntaxNode)add.WithLeadingTrivia(statement.GetLeadingTrivia()).WithTrailingTrivia(statement.GetTrailingTrivia());
        }).ToList();
        return statements.Count == 0 ? null : (statement, statements);
    }

    /// <summary>The constant <c>FileName</c> of a local <c>ProcessStartInfo</c>: its initializer, or assignments in the same body.</summary>
    private static string? ConstantFileName(ILocalSymbol local, SyntaxNode usage, SemanticModel model, CancellationToken cancellationToken)
    {
        string? fileName = null;
        if (local.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) is VariableDeclaratorSyntax { Initializer.Value: BaseObjectCreationExpressionSyntax creation })
        {
            if (creation.ArgumentList?.Arguments.FirstOrDefault() is { } first)
            {
                fileName = model.GetConstantValue(first.Expression, cancellationToken).Value as string;
            }

            foreach (var member in creation.Initializer?.Expressions.OfType<AssignmentExpressionSyntax>() ?? Enumerable.Empty<AssignmentExpressionSyntax>())
            {
                if (member.Left is IdentifierNameSyntax { Identifier.ValueText: "FileName" })
                {
                    fileName = model.GetConstantValue(member.Right, cancellationToken).Value as string;
                }
            }
        }

        var body = usage.Ancestors().FirstOrDefault(a => a is BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax or CompilationUnitSyntax);
        foreach (var assignment in body?.DescendantNodes().OfType<AssignmentExpressionSyntax>() ?? Enumerable.Empty<AssignmentExpressionSyntax>())
        {
            if (assignment.Left is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "FileName" } member
                && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(member.Expression, cancellationToken).Symbol, local))
            {
                // Any non-constant assignment makes the executable unknown.
                if (model.GetConstantValue(assignment.Right, cancellationToken).Value is not string text)
                {
                    return null;
                }

                fileName = text;
            }
        }

        return fileName;
    }

    /// <summary><c>new ProcessStartInfo { FileName = ..., ArgumentList = { ... }, UseShellExecute = false, others }</c>, or null.</summary>
    private static ExpressionSyntax? BuildCreation(ExpressionSyntax fileName, ExpressionSyntax arguments, IEnumerable<ExpressionSyntax> others, SemanticModel model, CancellationToken cancellationToken)
    {
        if (model.GetConstantValue(fileName, cancellationToken).Value is not string executable)
        {
            return null;
        }

        var shell = OsCommandSinks.ShellName(executable);
        var tokens = Split(Pieces(arguments, model, cancellationToken), shell: false);
        if (tokens is null)
        {
            return null;
        }

        ExpressionSyntax program = fileName.WithoutTrivia();
        if (shell is not null)
        {
            // Unwrap "sh -c '<program> <args>'" into the program itself; other shells and scripts: no fix.
            if (shell is "cmd" or "powershell" or "pwsh"
                || tokens.Count != 2 || tokens[0].Count != 1 || tokens[0][0].Text is not { } flag || !OsCommandSinks.IsCommandFlag(shell, flag)
                || Split(tokens[1], shell: true) is not { Count: > 0 } script
                || script[0].Count != 1 || script[0][0].Text is not { Length: > 0 } command || ShellBuiltins.Contains(command))
            {
                return null;
            }

            program = SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(command));
            tokens = script.Skip(1).ToList();
        }

        var members = new List<ExpressionSyntax>
        {
            Assign("FileName", program),
            SyntaxFactory.AssignmentExpression(
                SyntaxKind.SimpleAssignmentExpression,
                SyntaxFactory.IdentifierName("ArgumentList"),
                SyntaxFactory.InitializerExpression(
                    SyntaxKind.CollectionInitializerExpression,
                    SyntaxFactory.SeparatedList(tokens.Select(t => ToExpression(t, model, cancellationToken))))),
            Assign("UseShellExecute", SyntaxFactory.LiteralExpression(SyntaxKind.FalseLiteralExpression)),
        };
        members.AddRange(others.Select(o => o.WithoutTrivia()));
        return SyntaxFactory.ObjectCreationExpression(SyntaxFactory.ParseTypeName(StartInfoType).WithAdditionalAnnotations(Simplifier.Annotation))
            .WithArgumentList(null)
            .WithInitializer(SyntaxFactory.InitializerExpression(SyntaxKind.ObjectInitializerExpression, SyntaxFactory.SeparatedList(members)))
            .WithAdditionalAnnotations(Formatter.Annotation);

        static ExpressionSyntax Assign(string name, ExpressionSyntax value)
            => SyntaxFactory.AssignmentExpression(SyntaxKind.SimpleAssignmentExpression, SyntaxFactory.IdentifierName(name), value);
    }

    /// <summary>A constant piece of text, or a non-constant expression (with its interpolation, if any).</summary>
    private sealed class Piece
    {
        public Piece(string text) => Text = text;

        public Piece(ExpressionSyntax expression, InterpolationSyntax? interpolation)
        {
            Expression = expression;
            Interpolation = interpolation;
        }

        public string? Text { get; }

        public ExpressionSyntax? Expression { get; }

        public InterpolationSyntax? Interpolation { get; }
    }

    /// <summary>The argument string as constant text and non-constant parts, in order; null for forms not understood.</summary>
    private static List<Piece>? Pieces(ExpressionSyntax expression, SemanticModel model, CancellationToken cancellationToken)
    {
        var pieces = new List<Piece>();
        return Add(expression) ? pieces : null;

        bool Add(ExpressionSyntax node)
        {
            while (node is ParenthesizedExpressionSyntax parenthesized)
            {
                node = parenthesized.Expression;
            }

            if (model.GetConstantValue(node, cancellationToken) is { HasValue: true, Value: var constant })
            {
                pieces.Add(new Piece(constant as string ?? string.Empty));
                return constant is string or null;
            }

            switch (node)
            {
                case InterpolatedStringExpressionSyntax interpolated:
                    foreach (var content in interpolated.Contents)
                    {
                        if (content is InterpolatedStringTextSyntax text)
                        {
                            pieces.Add(new Piece(text.TextToken.ValueText));
                        }
                        else if (content is InterpolationSyntax hole)
                        {
                            pieces.Add(new Piece(hole.Expression, hole));
                        }
                    }

                    return true;

                case BinaryExpressionSyntax { RawKind: (int)SyntaxKind.AddExpression } binary
                    when model.GetTypeInfo(binary, cancellationToken).Type?.SpecialType == SpecialType.System_String:
                    return Add(binary.Left) && Add(binary.Right);

                default:
                    pieces.Add(new Piece(node, null));
                    return true;
            }
        }
    }

    /// <summary>
    /// Splits pieces into arguments: constant text on unquoted whitespace, double quotes (and single
    /// quotes for a shell script) group and are removed; a non-constant part joins the argument it is in.
    /// Null when the constant text has a backslash, or (shell script) a shell metacharacter.
    /// </summary>
    private static List<List<Piece>>? Split(List<Piece>? pieces, bool shell)
    {
        if (pieces is null)
        {
            return null;
        }

        var arguments = new List<List<Piece>>();
        var current = new List<Piece>();
        var text = new StringBuilder();
        var started = false;
        char quote = '\0';
        foreach (var piece in pieces)
        {
            if (piece.Text is null)
            {
                Flush(keepArgument: true);
                current.Add(piece);
                started = true;
                continue;
            }

            foreach (var c in piece.Text)
            {
                if (quote != '\0')
                {
                    if (c == quote)
                    {
                        quote = '\0';
                    }
                    else if (c == '\\' || (shell && quote == '"' && c is '$' or '`'))
                    {
                        return null;
                    }
                    else
                    {
                        text.Append(c);
                    }
                }
                else if (c == '"' || (shell && c == '\''))
                {
                    quote = c;
                    started = true;
                }
                else if (char.IsWhiteSpace(c))
                {
                    Flush(keepArgument: false);
                }
                else if (c == '\\' || (shell && PosixMetacharacters.IndexOf(c) >= 0))
                {
                    return null;
                }
                else
                {
                    text.Append(c);
                    started = true;
                }
            }
        }

        if (quote != '\0')
        {
            return null;
        }

        Flush(keepArgument: false);
        return arguments;

        void Flush(bool keepArgument)
        {
            if (text.Length > 0)
            {
                current.Add(new Piece(text.ToString()));
                text.Clear();
            }

            if (!keepArgument && started)
            {
                arguments.Add(current);
                current = new List<Piece>();
                started = false;
            }
        }
    }

    /// <summary>One argument as an expression: a literal, the expression itself (a string), or an interpolated string.</summary>
    private static ExpressionSyntax ToExpression(List<Piece> argument, SemanticModel model, CancellationToken cancellationToken)
    {
        if (argument.Count == 1 && argument[0].Text is { } constant)
        {
            return SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(constant));
        }

        if (argument.Count == 1 && argument[0] is { Expression: { } single, Interpolation: var hole }
            && hole is null or { AlignmentClause: null, FormatClause: null }
            && model.GetTypeInfo(single, cancellationToken).Type?.SpecialType == SpecialType.System_String)
        {
            return single.WithoutTrivia();
        }

        var contents = new List<InterpolatedStringContentSyntax>();
        foreach (var piece in argument)
        {
            if (piece.Text is { } text)
            {
                var escaped = text.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("{", "{{").Replace("}", "}}");
                contents.Add(SyntaxFactory.InterpolatedStringText(SyntaxFactory.Token(default, SyntaxKind.InterpolatedStringTextToken, escaped, text, default)));
            }
            else
            {
                contents.Add(piece.Interpolation?.WithoutTrivia() ?? SyntaxFactory.Interpolation(piece.Expression!.WithoutTrivia()));
            }
        }

        return SyntaxFactory.InterpolatedStringExpression(SyntaxFactory.Token(SyntaxKind.InterpolatedStringStartToken), SyntaxFactory.List(contents));
    }
}
