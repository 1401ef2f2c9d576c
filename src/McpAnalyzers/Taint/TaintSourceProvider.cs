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

    /// <summary>
    /// A source delivered through an <c>out</c> argument (e.g. <c>Headers.TryGetValue("Authorization", out var v)</c>),
    /// or null. Asked for every <c>out</c>/<c>ref</c> argument of every invocation the engine evaluates;
    /// the origin is joined with what the engine's own propagation assigns. Default: none.
    /// </summary>
    public virtual TaintOrigin? GetOutArgumentSource(IInvocationOperation invocation, IArgumentOperation argument) => null;

    /// <summary>
    /// Opt-in for providers without entry methods (e.g. the incoming Authorization header): true when a
    /// method declaration may read an expression source, by a cheap syntactic test (identifier names) made
    /// before any binding. Such methods then seed the instance-field taint of their type, exactly as tool
    /// methods do for tool input (a handler stores the token in a field in one method and forwards it in
    /// another). Default: false, so tool-input rules keep their behaviour and cost.
    /// </summary>
    public virtual bool MayReadExpressionSource(SyntaxNode declaration) => false;

    /// <summary>True when the provider implements the opt-in above: the engine fetches no declaration otherwise.</summary>
    public virtual bool SeedsFieldsFromExpressionSources => false;

    /// <summary>
    /// Conservative syntactic pre-check made by <see cref="TaintEngine.ShouldAnalyze"/> before it walks a body's
    /// operations: false only when no operation under <paramref name="body"/> can be an expression source, an
    /// <c>out</c>-argument source or a lambda with source parameters (a false "true" costs the walk, a false "false"
    /// would lose findings). Reads of tainted fields are checked by the engine itself. Default: true (no skipping).
    /// </summary>
    public virtual bool MayContainSource(SyntaxNode body) => true;
}
