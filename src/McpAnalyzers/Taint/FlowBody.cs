using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace McpAnalyzers.Taint;

/// <summary>
/// What one <see cref="FlowAnalysis"/> runs over: a control-flow graph, or the operation tree of a
/// straight-line method body (<see cref="StraightLineCode"/>), which needs no graph.
/// </summary>
internal readonly struct FlowBody
{
    public FlowBody(ControlFlowGraph graph)
    {
        Graph = graph;
        StraightLine = null;
    }

    private FlowBody(IOperation straightLine)
    {
        Graph = null;
        StraightLine = straightLine;
    }

    public ControlFlowGraph? Graph { get; }

    public IOperation? StraightLine { get; }

    /// <summary>The tree of <paramref name="body"/> when <paramref name="enabled"/> and it is straight-line code; otherwise null (the caller builds a graph).</summary>
    public static FlowBody? TreeOf(IOperation body, bool enabled)
        => enabled && StraightLineCode.IsStraightLine(body) ? new FlowBody(body) : null;
}
