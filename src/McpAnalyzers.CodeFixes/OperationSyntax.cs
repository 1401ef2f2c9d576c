using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace McpAnalyzers.CodeFixes;

/// <summary>The syntax a fix rewrites for an operation, where the operation's own syntax is not it.</summary>
internal static class OperationSyntax
{
    /// <summary>
    /// The written argument: <see cref="IArgumentOperation.Syntax"/> is the <see cref="ArgumentSyntax"/>, except for a
    /// parenthesized argument (<c>File.ReadAllText((name))</c>), where it is the expression inside the parentheses.
    /// Null for arguments not written as such (a <c>params</c> array, a default value).
    /// </summary>
    public static ArgumentSyntax? ArgumentOf(IArgumentOperation argument)
    {
        var node = argument.Syntax;
        if (node is ArgumentSyntax written)
        {
            return written;
        }

        if (node.Parent is not ParenthesizedExpressionSyntax)
        {
            return null;
        }

        while (node.Parent is ParenthesizedExpressionSyntax parenthesized)
        {
            node = parenthesized;
        }

        return node.Parent as ArgumentSyntax;
    }
}
