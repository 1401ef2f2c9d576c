using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace McpAnalyzers.Taint;

/// <summary>
/// Where attacker-controlled values enter. Shared by all rules of one <see cref="TaintConfiguration"/>:
/// tool input for MCPSEC005-009/018, the incoming Authorization header for MCPSEC001/013.
/// </summary>
internal abstract class TaintSourceProvider
{
    /// <summary>
    /// The description of a parameter of an entry method that is a source (e.g. "Tool parameter 'path'"),
    /// or null. Asked for the parameters of the method whose body is analysed, and for lambda
    /// parameters (<paramref name="lambda"/> is then the anonymous function operation).
    /// </summary>
    public abstract string? DescribeParameterSource(IParameterSymbol parameter, IOperation? lambda);

    /// <summary>An expression that produces attacker-controlled data (e.g. <c>request.Params.Arguments</c>), or null.</summary>
    public abstract TaintOrigin? GetExpressionSource(IOperation operation);

    /// <summary>True when the method's parameters are sources (so its body is an entry point).</summary>
    public abstract bool IsEntryMethod(IMethodSymbol method);
}
