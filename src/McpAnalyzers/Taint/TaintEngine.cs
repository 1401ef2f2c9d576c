using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace McpAnalyzers.Taint;

/// <summary>Per-analysis options (read from the entry method's tree): call depth and user sanitisers.</summary>
internal sealed class TaintOptions
{
    public const int DefaultMaxCallDepth = 3;

    public TaintOptions(int maxCallDepth, ImmutableDictionary<string, int> sanitizers)
    {
        MaxCallDepth = Math.Max(0, Math.Min(maxCallDepth, 16));
        Sanitizers = sanitizers;
        Key = maxCallDepth + "|" + string.Join(",", sanitizers.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + p.Value));
    }

    public static TaintOptions Default { get; } = new(DefaultMaxCallDepth, ImmutableDictionary<string, int>.Empty);

    public int MaxCallDepth { get; }

    /// <summary>Documentation comment ID of a user sanitiser → the kind bits it clears.</summary>
    public ImmutableDictionary<string, int> Sanitizers { get; }

    /// <summary>Identity of the options, part of the summary cache key.</summary>
    public string Key { get; }
}

/// <summary>A tainted value reaching a sink: where, for which rule, and what the message says.</summary>
internal sealed class TaintFinding
{
    public TaintFinding(Location location, int ruleIndex, string sinkName, TaintOrigin origin)
    {
        Location = location;
        RuleIndex = ruleIndex;
        SinkName = sinkName;
        Origin = origin;
    }

    public Location Location { get; }

    public int RuleIndex { get; }

    public string SinkName { get; }

    public TaintOrigin Origin { get; }
}

/// <summary>What a method of the compilation does with its parameters, in terms of symbolic origins.</summary>
internal sealed class MethodSummary
{
    public static readonly MethodSummary Empty = new(TaintValue.Clean, ImmutableArray<SummarySink>.Empty, ImmutableArray<KeyValuePair<ISymbol, TaintValue>>.Empty);

    public MethodSummary(TaintValue returnValue, ImmutableArray<SummarySink> sinks, ImmutableArray<KeyValuePair<ISymbol, TaintValue>> fieldWrites)
    {
        Return = returnValue;
        Sinks = sinks;
        FieldWrites = fieldWrites;
    }

    /// <summary>Taint of the returned value (awaited value for async methods).</summary>
    public TaintValue Return { get; }

    public ImmutableArray<SummarySink> Sinks { get; }

    /// <summary>Fields/properties of <c>this</c> assigned from parameters.</summary>
    public ImmutableArray<KeyValuePair<ISymbol, TaintValue>> FieldWrites { get; }
}

internal readonly struct SummarySink
{
    public SummarySink(Location location, int ruleIndex, string sinkName, TaintValue value)
    {
        Location = location;
        RuleIndex = ruleIndex;
        SinkName = sinkName;
        Value = value;
    }

    public Location Location { get; }
    public int RuleIndex { get; }
    public string SinkName { get; }
    public TaintValue Value { get; }
}

/// <summary>
/// The dataflow engine of one compilation. Created in the compilation-start action and dropped with
/// it, so every cache here lives exactly as long as the compilation (no static state): method
/// summaries (keyed by method, remaining call depth and options), the tainted fields of tool types,
/// and the set of (sink, rule) pairs already reported.
/// </summary>
/// <remarks>
/// Nothing cached here may hold a semantic model, an operation tree or a control-flow graph: an
/// operation keeps its semantic model, which keeps every bound body of its tree, so caching them for
/// the compilation's lifetime kept most of the program's bound trees alive and made every garbage
/// collection of the build slower (measured with tests/McpAnalyzers.Benchmarks). Graphs are built on
/// demand instead (cheap: the driver's semantic model of the tree already holds the operations).
/// </remarks>
internal sealed class TaintEngine
{
    private readonly Compilation _compilation;
    private readonly ConcurrentDictionary<(IMethodSymbol Method, int Budget, string Options), MethodSummary> _summaries = new(new SummaryKeyComparer());
    private readonly ConcurrentDictionary<INamedTypeSymbol, ImmutableDictionary<ISymbol, TaintValue>> _fieldTaint = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<INamedTypeSymbol, bool> _typeHasEntries = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<IMethodSymbol, string> _calleeNames = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<(Location, int), byte> _reported = new();

    // Runs of tool methods done while computing a tool type's field taint, kept until the method's own
    // operation-block callback: when the type's field taint is empty and the options are the defaults,
    // that callback's analysis would be the very same run (same initial state, graph, budget and
    // fields), so AnalyzeEntry takes its findings instead of analysing the method a second time.
    private readonly ConcurrentDictionary<IMethodSymbol, FlowCollector> _fieldTaintRuns = new(SymbolEqualityComparer.Default);

    public TaintEngine(Compilation compilation, TaintConfiguration configuration)
    {
        _compilation = compilation;
        Configuration = configuration;
    }

    public TaintConfiguration Configuration { get; }

    /// <summary>
    /// Cheap pre-check: does this body contain a source? True for entry methods (tool methods), bodies
    /// that read an expression source (a low-level handler's <c>request.Params.Arguments</c>), and
    /// methods of a tool type that read an instance field a tool method filled from tool input.
    /// </summary>
    public bool ShouldAnalyze(ISymbol owner, IOperation body, CancellationToken cancellationToken)
    {
        if (owner is IMethodSymbol method && Configuration.Sources.IsEntryMethod(method))
        {
            return true;
        }

        var type = owner.ContainingType;
        var fields = type is not null && TypeHasEntries(type) ? GetFieldTaint(type, cancellationToken) : null;
        foreach (var operation in body.DescendantsAndSelf())
        {
            if (Configuration.Sources.GetExpressionSource(operation) is not null)
            {
                return true;
            }

            if (fields is { Count: > 0 }
                && operation is IMemberReferenceOperation { Member: { } member } && fields.ContainsKey(member.OriginalDefinition))
            {
                return true;
            }

            // Lambdas handed to McpServerTool.Create(...) have bound parameters.
            if (operation is IAnonymousFunctionOperation lambda
                && lambda.Symbol.Parameters.Any(p => Configuration.Sources.DescribeParameterSource(p, lambda) is not null))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Runs the dataflow over an entry body and returns the findings not reported before.
    /// <paramref name="graph"/> (the driver's graph of the body) is only asked for when the body must be
    /// analysed here: a tool method already analysed for its type's field taint is not analysed again.
    /// </summary>
    public ImmutableArray<TaintFinding> AnalyzeEntry(ISymbol owner, Func<ControlFlowGraph> graph, TaintOptions options, CancellationToken cancellationToken)
    {
        var ownerMethod = owner as IMethodSymbol;
        var fields = owner.ContainingType is { } type && TypeHasEntries(type)
            ? GetFieldTaint(type, cancellationToken, ownerMethod, graph)
            : ImmutableDictionary<ISymbol, TaintValue>.Empty;
        var collector = fields.IsEmpty && options.Key == TaintOptions.Default.Key
            && ownerMethod is not null && _fieldTaintRuns.TryRemove(ownerMethod, out var done)
            ? done
            : Run(owner, graph(), options, fields, cancellationToken);

        var findings = ImmutableArray.CreateBuilder<TaintFinding>();
        foreach (var sink in collector.Sinks.OrderBy(s => s.Key.Location.SourceSpan.Start).ThenBy(s => s.Key.RuleIndex))
        {
            var origin = sink.Value.Value.Origins
                .Where(o => !o.Key.IsSymbolic && (o.Value & TaintConfiguration.KindOf(sink.Key.RuleIndex)) != 0)
                .Select(o => o.Key)
                .OrderBy(o => o.Path.Length)
                .ThenBy(o => o.ToString(), StringComparer.Ordinal)
                .FirstOrDefault();
            if (origin is not null && _reported.TryAdd((sink.Key.Location, sink.Key.RuleIndex), 0))
            {
                findings.Add(new TaintFinding(sink.Key.Location, sink.Key.RuleIndex, sink.Value.SinkName, origin));
            }
        }

        return findings.ToImmutable();
    }

    /// <summary>One analysis of an entry body: its source parameters tainted, <paramref name="fields"/> for reads of tool state.</summary>
    private FlowCollector Run(ISymbol owner, ControlFlowGraph graph, TaintOptions options, ImmutableDictionary<ISymbol, TaintValue> fields, CancellationToken cancellationToken)
    {
        var initial = FlowState.Empty();
        if (owner is IMethodSymbol method)
        {
            foreach (var parameter in method.Parameters)
            {
                if (Configuration.Sources.DescribeParameterSource(parameter, lambda: null) is { } description
                    && !Configuration.Types.IsInert(parameter.Type))
                {
                    initial.Set(parameter, TaintValue.From(TaintOrigin.Source(description), Configuration.AllKinds));
                }
            }
        }

        var collector = new FlowCollector();
        new FlowAnalysis(this, graph, owner, options, options.MaxCallDepth, fields, collector, new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default), cancellationToken)
            .Run(initial);
        return collector;
    }

    /// <summary>
    /// The summary of a method of this compilation, computed on demand with <paramref name="budget"/>
    /// further calls allowed below it; null when the method has no body here.
    /// </summary>
    internal MethodSummary? GetSummary(IMethodSymbol method, int budget, TaintOptions options, HashSet<IMethodSymbol> inProgress, CancellationToken cancellationToken)
    {
        method = method.PartialImplementationPart ?? method.OriginalDefinition;
        var key = (method, budget, options.Key);
        if (_summaries.TryGetValue(key, out var cached))
        {
            return cached;
        }

        if (GetGraph(method, cancellationToken) is not { } graph)
        {
            return null;
        }

        if (!inProgress.Add(method))
        {
            // Recursion: the call contributes nothing more than what the outer analysis already tracks.
            return MethodSummary.Empty;
        }

        try
        {
            var initial = FlowState.Empty();
            foreach (var parameter in method.Parameters)
            {
                if (!Configuration.Types.IsInert(parameter.Type))
                {
                    initial.Set(parameter, TaintValue.From(TaintOrigin.Symbolic(parameter.Ordinal), Configuration.AllKinds));
                }
            }

            if (!method.IsStatic)
            {
                initial.Set(FlowState.This, TaintValue.From(TaintOrigin.Symbolic(TaintOrigin.ThisParameter), Configuration.AllKinds));
            }

            var collector = new FlowCollector();
            var analysis = new FlowAnalysis(this, graph, method, options, budget, ImmutableDictionary<ISymbol, TaintValue>.Empty, collector, inProgress, cancellationToken);
            var returned = analysis.Run(initial);
            var summary = new MethodSummary(
                returned,
                collector.Sinks.Select(s => new SummarySink(s.Key.Location, s.Key.RuleIndex, s.Value.SinkName, s.Value.Value)).ToImmutableArray(),
                collector.FieldWrites.ToImmutableArray());
            return _summaries.GetOrAdd(key, summary);
        }
        finally
        {
            inProgress.Remove(method);
        }
    }

    /// <summary>The display name of a callee in message paths, formatted once per method (every call through it needs it).</summary>
    internal string GetCalleeName(IMethodSymbol method, SymbolDisplayFormat format)
        => _calleeNames.GetOrAdd(method, m => m.ToDisplayString(format));

    private bool TypeHasEntries(INamedTypeSymbol type)
        => _typeHasEntries.GetOrAdd(type, t => t.GetMembers().OfType<IMethodSymbol>().Any(Configuration.Sources.IsEntryMethod));

    /// <summary>
    /// Fields and properties of a tool type that its entry methods assign from tool input
    /// (<c>_path = path;</c> in one tool, <c>File.ReadAllText(_path)</c> in another method).
    /// <paramref name="current"/> is the method whose callback asks, with the driver's graph of it
    /// (<paramref name="currentGraph"/>), so that graph is not built a second time.
    /// </summary>
    private ImmutableDictionary<ISymbol, TaintValue> GetFieldTaint(INamedTypeSymbol type, CancellationToken cancellationToken, IMethodSymbol? current = null, Func<ControlFlowGraph>? currentGraph = null)
        => _fieldTaint.GetOrAdd(type, t =>
        {
            var result = ImmutableDictionary.CreateBuilder<ISymbol, TaintValue>(SymbolEqualityComparer.Default);
            foreach (var method in t.GetMembers().OfType<IMethodSymbol>())
            {
                if (!Configuration.Sources.IsEntryMethod(method))
                {
                    continue;
                }

                var graph = currentGraph is not null && SymbolEqualityComparer.Default.Equals(method, current)
                    ? currentGraph()
                    : GetGraph(method, cancellationToken);
                if (graph is null)
                {
                    continue;
                }

                var collector = Run(method, graph, TaintOptions.Default, ImmutableDictionary<ISymbol, TaintValue>.Empty, cancellationToken);
                _fieldTaintRuns[method] = collector;
                foreach (var write in collector.FieldWrites)
                {
                    if (!write.Value.IsClean && write.Value.Origins.All(o => !o.Key.IsSymbolic))
                    {
                        result[write.Key] = result.TryGetValue(write.Key, out var existing) ? existing.Join(write.Value) : write.Value;
                    }
                }
            }

            return result.ToImmutable();
        });

    /// <summary>The control-flow graph of a method declared in this compilation, or null (built each time: see the remarks on the class).</summary>
    internal ControlFlowGraph? GetGraph(IMethodSymbol m, CancellationToken cancellationToken)
    {
        if (m.IsAbstract || m.IsExtern || !SymbolEqualityComparer.Default.Equals(m.ContainingAssembly, _compilation.Assembly))
        {
            return null;
        }

        foreach (var reference in m.DeclaringSyntaxReferences)
        {
            var syntax = reference.GetSyntax(cancellationToken);
            var model = GetModel(syntax.SyntaxTree);
            var operation = model?.GetOperation(syntax, cancellationToken);
            try
            {
                switch (operation)
                {
                    case IMethodBodyOperation body when body.BlockBody is not null || body.ExpressionBody is not null:
                        return ControlFlowGraph.Create(body, cancellationToken);
                    case IConstructorBodyOperation constructorBody:
                        return ControlFlowGraph.Create(constructorBody, cancellationToken);
                }
            }
            catch (ArgumentException)
            {
                // Bodies with errors the graph builder rejects: no summary.
            }
        }

        return null;
    }

    /// <summary>The initializer of a field declared in this compilation (for readonly validators).</summary>
    internal IOperation? GetFieldInitializer(IFieldSymbol field, CancellationToken cancellationToken)
    {
        foreach (var reference in field.DeclaringSyntaxReferences)
        {
            var syntax = reference.GetSyntax(cancellationToken);
            if (GetModel(syntax.SyntaxTree) is not { } model)
            {
                continue;
            }

            foreach (var node in syntax.DescendantNodesAndSelf())
            {
                if (model.GetOperation(node, cancellationToken) is IFieldInitializerOperation initializer)
                {
                    return initializer.Value;
                }
            }
        }

        return null;
    }

    internal IOperation? GetOriginalOperation(SyntaxNode node, CancellationToken cancellationToken)
        => GetModel(node.SyntaxTree)?.GetOperation(node, cancellationToken);

    private SemanticModel? GetModel(SyntaxTree tree)
    {
        if (!_compilation.ContainsSyntaxTree(tree))
        {
            return null;
        }

        // Summaries need the operation trees of other methods of the compilation. Inside the analyzer
        // driver, Compilation.GetSemanticModel returns the driver's own cached model of the tree (its
        // semantic model provider), so the bodies are not bound twice; not caching it here lets the
        // driver release the tree's bound state when it is done with the tree.
#pragma warning disable RS1030 // Do not invoke Compilation.GetSemanticModel() method within a diagnostic analyzer
        return _compilation.GetSemanticModel(tree);
#pragma warning restore RS1030
    }

    private sealed class SummaryKeyComparer : IEqualityComparer<(IMethodSymbol Method, int Budget, string Options)>
    {
        public bool Equals((IMethodSymbol Method, int Budget, string Options) x, (IMethodSymbol Method, int Budget, string Options) y)
            => x.Budget == y.Budget && string.Equals(x.Options, y.Options, StringComparison.Ordinal) && SymbolEqualityComparer.Default.Equals(x.Method, y.Method);

        public int GetHashCode((IMethodSymbol Method, int Budget, string Options) obj)
            => SymbolEqualityComparer.Default.GetHashCode(obj.Method) ^ (obj.Budget * 7919) ^ StringComparer.Ordinal.GetHashCode(obj.Options);
    }
}
