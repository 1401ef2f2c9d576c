using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace McpAnalyzers;

/// <summary>
/// The <c>const</c> declarations of a syntax tree, found without binding: text pre-filters need the names under which
/// a key declared in one file (<c>const string Auth = "Authorization";</c>) is used in another (<c>Headers[Keys.Auth]</c>).
/// </summary>
internal static class ConstantDeclarations
{
    /// <summary>
    /// The declarators of the tree's <c>const</c> fields and, with <paramref name="includeLocals"/>, of its <c>const</c>
    /// locals (without them, member bodies are not descended into).
    /// </summary>
    public static IEnumerable<VariableDeclaratorSyntax> InTree(SyntaxTree tree, bool includeLocals, CancellationToken cancellationToken)
    {
        var root = tree.GetRoot(cancellationToken);
        var nodes = includeLocals
            ? root.DescendantNodes()
            : root.DescendantNodes(n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax or TypeDeclarationSyntax);
        foreach (var node in nodes)
        {
            var declaration = node switch
            {
                FieldDeclarationSyntax field when field.Modifiers.Any(SyntaxKind.ConstKeyword) => field.Declaration,
                LocalDeclarationStatementSyntax local when includeLocals && local.IsConst => local.Declaration,
                _ => null,
            };
            if (declaration is null)
            {
                continue;
            }

            foreach (var variable in declaration.Variables)
            {
                yield return variable;
            }
        }
    }
}
