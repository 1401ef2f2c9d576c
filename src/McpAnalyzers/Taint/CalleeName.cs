using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace McpAnalyzers.Taint;

/// <summary>
/// The name of a helper method in a finding's path (<c>Execute(string)</c>): the method's name and its parameter types,
/// as <see cref="Format"/> displays it. Every helper a flow passes through needs one, so the common case (an ordinary
/// method whose parameter types are all keyword types) is written directly: the symbol display visitor cost several
/// microseconds per method, a tenth of the dataflow's time on the benchmark corpus.
/// </summary>
internal static class CalleeName
{
    /// <summary>The display format of a callee: what <see cref="Of"/> returns for every method.</summary>
    public static readonly SymbolDisplayFormat Format = new(
        memberOptions: SymbolDisplayMemberOptions.IncludeParameters,
        parameterOptions: SymbolDisplayParameterOptions.IncludeType,
        miscellaneousOptions: SymbolDisplayMiscellaneousOptions.UseSpecialTypes);

    public static string Of(IMethodSymbol method)
    {
        if (method.MethodKind != MethodKind.Ordinary
            || SyntaxFacts.GetKeywordKind(method.Name) != SyntaxKind.None
            || SyntaxFacts.GetContextualKeywordKind(method.Name) != SyntaxKind.None)
        {
            return method.ToDisplayString(Format);
        }

        var parameters = method.Parameters;
        var text = new StringBuilder(method.Name.Length + 2 + (parameters.Length * 8));
        text.Append(method.Name).Append('(');
        for (var i = 0; i < parameters.Length; i++)
        {
            if (Keyword(parameters[i].Type) is not { } keyword)
            {
                return method.ToDisplayString(Format);
            }

            text.Append(i == 0 ? "" : ", ").Append(keyword);
        }

        return text.Append(')').ToString();
    }

    /// <summary>The keyword <see cref="SymbolDisplayMiscellaneousOptions.UseSpecialTypes"/> shows for a type, or null.</summary>
    private static string? Keyword(ITypeSymbol type) => type.SpecialType switch
    {
        SpecialType.System_Object => "object",
        SpecialType.System_Boolean => "bool",
        SpecialType.System_Char => "char",
        SpecialType.System_SByte => "sbyte",
        SpecialType.System_Byte => "byte",
        SpecialType.System_Int16 => "short",
        SpecialType.System_UInt16 => "ushort",
        SpecialType.System_Int32 => "int",
        SpecialType.System_UInt32 => "uint",
        SpecialType.System_Int64 => "long",
        SpecialType.System_UInt64 => "ulong",
        SpecialType.System_Decimal => "decimal",
        SpecialType.System_Single => "float",
        SpecialType.System_Double => "double",
        SpecialType.System_String => "string",
        _ => null,
    };
}
