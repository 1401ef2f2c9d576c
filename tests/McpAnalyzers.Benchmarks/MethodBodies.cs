using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace McpAnalyzers.Benchmarks;

/// <summary>The ordinary methods with a body (block or expression) declared in a compilation, with their bound bodies.</summary>
public static class MethodBodies
{
    public static IEnumerable<(IMethodSymbol Method, IMethodBodyOperation Body)> Of(Compilation compilation)
        => compilation.SyntaxTrees.SelectMany(tree => Of(compilation, tree));

    /// <summary>Those of one tree.</summary>
    public static IEnumerable<(IMethodSymbol Method, IMethodBodyOperation Body)> Of(Compilation compilation, SyntaxTree tree)
    {
        var model = compilation.GetSemanticModel(tree);
        foreach (var declaration in tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>())
        {
            if ((declaration.Body is not null || declaration.ExpressionBody is not null)
                && model.GetDeclaredSymbol(declaration) is IMethodSymbol method
                && model.GetOperation(declaration) is IMethodBodyOperation body)
            {
                yield return (method, body);
            }
        }
    }
}
