using System;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace McpAnalyzers.Taint;

/// <summary>
/// The state of a tool type (fields and properties its seeding methods fill from tool input) as one analysis of a method
/// of that type reads it. An entry's analysis fetches the type's field taint at its first read of state a seeding method
/// could have assigned: most bodies read none, and fetching it runs every seeding method of the type. The runs made to
/// compute the field taint see none, and only record whether they read such state (<see cref="ReadSeedableState"/>).
/// Summaries of callees have no <see cref="ToolState"/> at all.
/// </summary>
/// <remarks>
/// Asked during the evaluation rather than decided by a walk of the body before it: that walk was an extra pass over
/// every entry body (a twentieth of the analyzer's time in the driver), and the evaluation visits every read anyway.
/// </remarks>
internal sealed class ToolState
{
    private readonly TaintEngine _engine;
    private readonly INamedTypeSymbol _type;
    private readonly bool _fetch;
    private readonly IMethodSymbol? _current;
    private readonly IOperation? _currentBody;
    private readonly Func<IOperation, ControlFlowGraph>? _currentGraph;
    private readonly CancellationToken _cancellationToken;
    private ImmutableDictionary<ISymbol, TaintValue>? _fields;

    private ToolState(
        TaintEngine engine,
        INamedTypeSymbol type,
        bool fetch,
        IMethodSymbol? current,
        IOperation? currentBody,
        Func<IOperation, ControlFlowGraph>? currentGraph,
        CancellationToken cancellationToken)
    {
        _engine = engine;
        _type = type;
        _fetch = fetch;
        _current = current;
        _currentBody = currentBody;
        _currentGraph = currentGraph;
        _cancellationToken = cancellationToken;
    }

    /// <summary>
    /// For the analysis of an entry body of <paramref name="type"/>: the field taint is fetched when needed. The method, its
    /// body and the driver's graph are handed on to that computation, which analyses the method too (no second graph).
    /// </summary>
    public static ToolState ForEntry(
        TaintEngine engine, INamedTypeSymbol type, IMethodSymbol? method, IOperation body, Func<IOperation, ControlFlowGraph> graph, CancellationToken cancellationToken)
        => new(engine, type, fetch: true, method, body, graph, cancellationToken);

    /// <summary>For a run that computes the field taint of <paramref name="type"/>: reads are recorded, nothing is fetched.</summary>
    public static ToolState ForSeedingRun(TaintEngine engine, INamedTypeSymbol type)
        => new(engine, type, fetch: false, current: null, currentBody: null, currentGraph: null, CancellationToken.None);

    /// <summary>True once the analysis has read state that a seeding method of the type could have assigned.</summary>
    public bool ReadSeedableState { get; private set; }

    /// <summary>
    /// The taint a seeding method gave <paramref name="member"/> (read through <c>this</c>, or static); false when none,
    /// or when no seeding method can assign it.
    /// </summary>
    public bool TryGet(ISymbol member, out TaintValue value)
    {
        value = TaintValue.Clean;
        if (!_engine.MaySeed(_type, member))
        {
            return false;
        }

        ReadSeedableState = true;
        if (!_fetch)
        {
            return false;
        }

        _fields ??= _engine.GetFieldTaint(_type, _cancellationToken, _current, _currentBody, _currentGraph);
        return _fields.TryGetValue(member.OriginalDefinition, out value);
    }
}
