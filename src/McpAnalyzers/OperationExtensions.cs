using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace McpAnalyzers;

internal static class OperationExtensions
{
    /// <summary>The operand under any conversions (implicit or explicit) wrapping <paramref name="operation"/>.</summary>
    public static IOperation WithoutConversions(this IOperation operation)
    {
        while (operation is IConversionOperation conversion)
        {
            operation = conversion.Operand;
        }

        return operation;
    }

    /// <summary>The operand under any conversions and parentheses wrapping <paramref name="operation"/>.</summary>
    public static IOperation WithoutConversionsAndParentheses(this IOperation operation)
    {
        while (true)
        {
            switch (operation)
            {
                case IConversionOperation conversion:
                    operation = conversion.Operand;
                    break;
                case IParenthesizedOperation parenthesized:
                    operation = parenthesized.Operand;
                    break;
                default:
                    return operation;
            }
        }
    }

    /// <summary>
    /// The value of a string constant, else null. A string literal's value is read from its token: <c>ConstantValue</c>
    /// makes a new string (and a weak handle to it) the first time it is asked for each literal, which showed in the
    /// taint rules' profile on the benchmark corpus.
    /// </summary>
    public static string? ConstantString(this IOperation operation)
        => operation is { Kind: OperationKind.Literal, IsImplicit: false, Syntax: LiteralExpressionSyntax { Token.Value: string text } }
            ? text
            : operation.ConstantValue.Value as string;
}
