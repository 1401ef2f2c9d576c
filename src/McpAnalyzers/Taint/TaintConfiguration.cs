using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using McpAnalyzers.Symbols;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace McpAnalyzers.Taint;

/// <summary>
/// What one analyzer asks the engine: one set of sources, several rules (one kind bit each, at most
/// 31). The dataflow for a method runs once for all rules of the configuration.
/// </summary>
internal sealed class TaintConfiguration
{
    public TaintConfiguration(Compilation compilation, TaintSourceProvider sources, IEnumerable<TaintRuleSpec> rules)
    {
        Sources = sources;
        Rules = rules.Where(r => r.IsActive).Take(31).ToImmutableArray();
        AllKinds = (1 << Rules.Length) - 1;
        Types = TaintTypes.For(compilation);
        var (invocationSinks, creationSinks, assignmentSinks, untypedSinks) = IndexSinks(Rules);
        (_invocationSinks, _creationSinks, _untypedSinks) = (invocationSinks, creationSinks, untypedSinks);
        _assignmentCandidates = new Dictionary<string, ImmutableArray<IndexedSink>>(System.StringComparer.Ordinal);
        foreach (var pair in assignmentSinks)
        {
            _assignmentCandidates[pair.Key] = InConfigurationOrder(pair.Value, _untypedSinks);
        }
    }

    public TaintSourceProvider Sources { get; }

    /// <summary>Rules in kind-bit order: rule <c>i</c> owns bit <c>1 &lt;&lt; i</c>.</summary>
    public ImmutableArray<TaintRuleSpec> Rules { get; }

    public int AllKinds { get; }

    public TaintTypes Types { get; }

    public static int KindOf(int ruleIndex) => 1 << ruleIndex;

    // The sinks that match only invocations (SinkTarget.Invocation) of members of one type, by that type, and the same for
    // object creations: most operations the engine offers the sinks are decided by the receiver's type alone.
    private readonly IReadOnlyDictionary<INamedTypeSymbol, ImmutableArray<IndexedSink>> _invocationSinks;
    private readonly IReadOnlyDictionary<INamedTypeSymbol, ImmutableArray<IndexedSink>> _creationSinks;

    // Every other sink: offered every operation. All lists are in rule order, then in the rule's order (IndexedSink.Order).
    private readonly ImmutableArray<IndexedSink> _untypedSinks;

    // For an assigned member name with sinks (SinkTarget.Assignment): those sinks and the untyped ones, in configuration order.
    private readonly Dictionary<string, ImmutableArray<IndexedSink>> _assignmentCandidates;

    // The candidates of each receiver or created type met so far, made at the first call or creation of a member of it: the
    // engine offers every invocation to the sinks, and walking the type's base types through the index, merging and sorting
    // the lists for each one was two fifths of that offer's perf samples on the benchmark corpus; the same few types recur.
    private readonly ConcurrentDictionary<INamedTypeSymbol, ImmutableArray<IndexedSink>> _invocationCandidates = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<INamedTypeSymbol, ImmutableArray<IndexedSink>> _creationCandidates = new(SymbolEqualityComparer.Default);

    /// <summary>
    /// The sinks that can match <paramref name="operation"/> (an invocation, object creation or assignment), in configuration
    /// order (the first sink of a rule to match names the finding): those indexed under the invoked member's or created type
    /// (and, for sinks matching derived types, under its base types) or the assigned member's name, and the untyped ones.
    /// </summary>
    public ImmutableArray<IndexedSink> SinksFor(IOperation operation)
    {
        switch (operation.Kind)
        {
            case OperationKind.Invocation:
                return Candidates(((IInvocationOperation)operation).TargetMethod.ContainingType, _invocationSinks, _invocationCandidates);
            case OperationKind.ObjectCreation:
                return Candidates(((IObjectCreationOperation)operation).Constructor?.ContainingType, _creationSinks, _creationCandidates);
            case OperationKind.SimpleAssignment or OperationKind.CompoundAssignment or OperationKind.CoalesceAssignment or OperationKind.DeconstructionAssignment:
                return operation is IAssignmentOperation { Target: IMemberReferenceOperation { Member.Name: { } assigned } }
                    && _assignmentCandidates.TryGetValue(assigned, out var byName)
                    ? byName
                    : _untypedSinks;
            default:
                return _untypedSinks;
        }
    }

    private ImmutableArray<IndexedSink> Candidates(
        INamedTypeSymbol? type,
        IReadOnlyDictionary<INamedTypeSymbol, ImmutableArray<IndexedSink>> index,
        ConcurrentDictionary<INamedTypeSymbol, ImmutableArray<IndexedSink>> cache)
    {
        if (type is null || index.Count == 0)
        {
            return _untypedSinks;
        }

        if (cache.TryGetValue(type, out var known))
        {
            return known;
        }

        List<IndexedSink>? typed = null; // most types met (the project's own, the BCL's) have no sink
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (index.TryGetValue(current.OriginalDefinition, out var sinks))
            {
                foreach (var sink in sinks)
                {
                    if (ReferenceEquals(current, type) || sink.Sink.MatchesDerivedTypes)
                    {
                        (typed ??= new List<IndexedSink>()).Add(sink);
                    }
                }
            }
        }

        return cache.GetOrAdd(type, typed is null ? _untypedSinks : InConfigurationOrder(typed, _untypedSinks));
    }

    private static ImmutableArray<IndexedSink> InConfigurationOrder(IEnumerable<IndexedSink> first, ImmutableArray<IndexedSink> second)
        => first.Concat(second).OrderBy(sink => sink.Order).ToImmutableArray();

    private static (
        IReadOnlyDictionary<INamedTypeSymbol, ImmutableArray<IndexedSink>> Invocations,
        IReadOnlyDictionary<INamedTypeSymbol, ImmutableArray<IndexedSink>> Creations,
        IReadOnlyDictionary<string, ImmutableArray<IndexedSink>> Assignments,
        ImmutableArray<IndexedSink> Untyped) IndexSinks(ImmutableArray<TaintRuleSpec> rules)
    {
        var invocations = new Dictionary<INamedTypeSymbol, ImmutableArray<IndexedSink>.Builder>(SymbolEqualityComparer.Default);
        var creations = new Dictionary<INamedTypeSymbol, ImmutableArray<IndexedSink>.Builder>(SymbolEqualityComparer.Default);
        var assignments = new Dictionary<string, ImmutableArray<IndexedSink>.Builder>(System.StringComparer.Ordinal);
        var untyped = ImmutableArray.CreateBuilder<IndexedSink>();
        var order = 0;
        for (var i = 0; i < rules.Length; i++)
        {
            foreach (var sink in rules[i].Sinks)
            {
                var indexed = new IndexedSink(sink, i, order++);
                if (sink.Target == SinkTarget.Assignment)
                {
                    foreach (var name in sink.TargetMemberNames)
                    {
                        if (!assignments.TryGetValue(name, out var named))
                        {
                            assignments[name] = named = ImmutableArray.CreateBuilder<IndexedSink>();
                        }

                        named.Add(indexed);
                    }

                    continue;
                }

                var index = sink.Target switch
                {
                    SinkTarget.Invocation => invocations,
                    SinkTarget.Creation => creations,
                    _ => null,
                };
                if (index is null || sink.TargetType is not { } type)
                {
                    untyped.Add(indexed);
                    continue;
                }

                if (!index.TryGetValue(type, out var list))
                {
                    index[type] = list = ImmutableArray.CreateBuilder<IndexedSink>();
                }

                list.Add(indexed);
            }
        }

        return (Freeze(invocations, SymbolEqualityComparer.Default), Freeze(creations, SymbolEqualityComparer.Default), Freeze(assignments, System.StringComparer.Ordinal), untyped.ToImmutable());

        // Plain dictionaries: only read once built (safe across threads), and reads are the hot path.
        static IReadOnlyDictionary<TKey, ImmutableArray<IndexedSink>> Freeze<TKey>(Dictionary<TKey, ImmutableArray<IndexedSink>.Builder> index, IEqualityComparer<TKey> comparer)
        {
            var frozen = new Dictionary<TKey, ImmutableArray<IndexedSink>>(comparer);
            foreach (var pair in index)
            {
                frozen[pair.Key] = pair.Value.ToImmutable();
            }

            return frozen;
        }
    }
}

/// <summary>A sink with its rule (kind bit index) and its position among all sinks of the configuration.</summary>
internal readonly struct IndexedSink
{
    public IndexedSink(TaintSink sink, int ruleIndex, int order)
    {
        Sink = sink;
        RuleIndex = ruleIndex;
        Order = order;
    }

    public TaintSink Sink { get; }

    public int RuleIndex { get; }

    public int Order { get; }
}

/// <summary>BCL types the shared propagation and validation logic needs, resolved once per compilation.</summary>
internal sealed class TaintTypes
{
    // Shared by every engine of a compilation (three analyzers build one each), resolved once; see McpSdkSymbols.
    private static readonly ConditionalWeakTable<Compilation, TaintTypes> Cache = new();

    /// <summary>The BCL types of <paramref name="compilation"/>, resolved once per compilation.</summary>
    public static TaintTypes For(Compilation compilation) => Cache.GetValue(compilation, static c => new TaintTypes(c));

    private TaintTypes(Compilation compilation)
    {
        String = compilation.GetSpecialType(SpecialType.System_String);
        StringBuilder = compilation.FindType("System.Text.StringBuilder");
        Path = compilation.FindType("System.IO.Path");
        Uri = compilation.FindType("System.Uri");
        Convert = compilation.FindType("System.Convert");
        Encoding = compilation.FindType("System.Text.Encoding");
        Enumerable = compilation.FindType("System.Linq.Enumerable");
        Queryable = compilation.FindType("System.Linq.Queryable");
        IEnumerable = compilation.FindType("System.Collections.IEnumerable");
        Task = compilation.FindType("System.Threading.Tasks.Task");
        TaskOfT = compilation.FindType("System.Threading.Tasks.Task`1");
        ValueTaskOfT = compilation.FindType("System.Threading.Tasks.ValueTask`1");
        Regex = compilation.FindType("System.Text.RegularExpressions.Regex");
        GeneratedRegexAttribute = compilation.FindType("System.Text.RegularExpressions.GeneratedRegexAttribute");
        Enum = compilation.FindType("System.Enum");
        WebUtility = compilation.FindType("System.Net.WebUtility");
        MemoryExtensions = compilation.FindType("System.MemoryExtensions");
        Guid = compilation.FindType("System.Guid");
        DateTimeOffset = compilation.FindType("System.DateTimeOffset");
        TimeSpan = compilation.FindType("System.TimeSpan");
        CollectionExtensions = compilation.FindType("System.Collections.Generic.CollectionExtensions");
        var passThrough = new[] { StringBuilder, Path, Uri, Convert, WebUtility, Enumerable, Queryable, MemoryExtensions, Task, TaskOfT };
        _passThroughTypes = new HashSet<INamedTypeSymbol>(passThrough.Where(t => t is not null).Select(t => t!), SymbolEqualityComparer.Default);
    }

    // One hash lookup instead of a comparison with each type: asked for every call to a method outside the compilation.
    private readonly HashSet<INamedTypeSymbol> _passThroughTypes;

    public INamedTypeSymbol String { get; }
    public INamedTypeSymbol? StringBuilder { get; }
    public INamedTypeSymbol? Path { get; }
    public INamedTypeSymbol? Uri { get; }
    public INamedTypeSymbol? Convert { get; }
    public INamedTypeSymbol? Encoding { get; }
    public INamedTypeSymbol? Enumerable { get; }
    public INamedTypeSymbol? Queryable { get; }
    public INamedTypeSymbol? IEnumerable { get; }
    public INamedTypeSymbol? Task { get; }
    public INamedTypeSymbol? TaskOfT { get; }
    public INamedTypeSymbol? ValueTaskOfT { get; }
    public INamedTypeSymbol? Regex { get; }
    public INamedTypeSymbol? GeneratedRegexAttribute { get; }
    public INamedTypeSymbol? Enum { get; }
    public INamedTypeSymbol? WebUtility { get; }
    public INamedTypeSymbol? MemoryExtensions { get; }
    public INamedTypeSymbol? Guid { get; }
    public INamedTypeSymbol? DateTimeOffset { get; }
    public INamedTypeSymbol? TimeSpan { get; }
    public INamedTypeSymbol? CollectionExtensions { get; }

    /// <summary>
    /// Types whose values cannot carry an injection payload: numbers, booleans, chars, enums, dates,
    /// GUIDs, non-generic tasks. A value of such a type is clean whatever it was computed from (this is
    /// how <c>int.Parse</c>, <c>Enum.TryParse</c> and binding to <c>int</c>/<c>bool</c>/enum validate).
    /// </summary>
    public bool IsInert(ITypeSymbol? type)
    {
        if (type is null)
        {
            return false;
        }

        switch (type.SpecialType)
        {
            case SpecialType.System_Void:
            case SpecialType.System_Boolean:
            case SpecialType.System_Char:
            case SpecialType.System_SByte:
            case SpecialType.System_Byte:
            case SpecialType.System_Int16:
            case SpecialType.System_UInt16:
            case SpecialType.System_Int32:
            case SpecialType.System_UInt32:
            case SpecialType.System_Int64:
            case SpecialType.System_UInt64:
            case SpecialType.System_Decimal:
            case SpecialType.System_Single:
            case SpecialType.System_Double:
            case SpecialType.System_IntPtr:
            case SpecialType.System_UIntPtr:
            case SpecialType.System_DateTime:
                return true;

            // The types of most tainted values: answered before the enum, nullable, task and value-type checks below.
            case SpecialType.System_String:
            case SpecialType.System_Object:
                return false;
        }

        if (type.TypeKind == TypeKind.Enum)
        {
            return true;
        }

        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
        {
            return nullable.TypeArguments.Length == 1 && IsInert(nullable.TypeArguments[0]);
        }

        if (type is INamedTypeSymbol { IsGenericType: true } generic
            && (SymbolEqualityComparer.Default.Equals(generic.OriginalDefinition, TaskOfT) || SymbolEqualityComparer.Default.Equals(generic.OriginalDefinition, ValueTaskOfT)))
        {
            return IsInert(generic.TypeArguments[0]);
        }

        return SymbolEqualityComparer.Default.Equals(type, Guid)
            || SymbolEqualityComparer.Default.Equals(type, DateTimeOffset)
            || SymbolEqualityComparer.Default.Equals(type, TimeSpan)
            || SymbolEqualityComparer.Default.Equals(type, Task);
    }

    /// <summary>
    /// BCL types (definitions) whose methods pass their inputs to their results: StringBuilder, Path, Uri, Convert,
    /// WebUtility, Enumerable, Queryable, MemoryExtensions, Task and Task&lt;T&gt;. Read-only after construction.
    /// </summary>
    public bool IsPassThroughType(INamedTypeSymbol definition) => _passThroughTypes.Contains(definition);

    /// <summary>
    /// BCL types whose methods pass their inputs through to their results: string, the pass-through types, Encoding and
    /// its subclasses, System.Text.Json. Asked for every call to a method outside the compilation, hence kept per type
    /// (finding an Encoding subclass walks the base types).
    /// </summary>
    public bool IsPropagatingType(INamedTypeSymbol? type)
    {
        if (type is null)
        {
            return false;
        }

        var definition = type.OriginalDefinition;
        if (definition.SpecialType == SpecialType.System_String)
        {
            return true;
        }

        if (!_isPropagating.TryGetValue(definition, out var propagating))
        {
            propagating = IsPassThroughType(definition) || (Encoding is not null && TaintSink.IsOrDerivesFrom(definition, Encoding)) || IsJson(definition);
            _isPropagating.TryAdd(definition, propagating);
        }

        return propagating;
    }

    private readonly ConcurrentDictionary<INamedTypeSymbol, bool> _isPropagating = new(SymbolEqualityComparer.Default);

    /// <summary>A type of <c>System.Text.Json</c> or <c>System.Text.Json.Nodes</c> (compared by name parts: this runs for every call, no display string).</summary>
    public static bool IsJson(INamedTypeSymbol? type)
    {
        var ns = type?.ContainingNamespace;
        if (ns is { Name: "Nodes" })
        {
            ns = ns.ContainingNamespace;
        }

        return ns is { Name: "Json", ContainingNamespace: { Name: "Text", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } };
    }

    /// <summary>True for types that hold elements (arrays, lists, dictionaries, sets...), not strings.</summary>
    public bool IsCollection(ITypeSymbol? type)
    {
        if (type is null || type.SpecialType == SpecialType.System_String)
        {
            return false;
        }

        if (type.TypeKind == TypeKind.Array)
        {
            return true;
        }

        if (IEnumerable is null)
        {
            return false;
        }

        // Asked for the receiver type of most instance calls; a type's interface list is a new array on every request.
        if (!_isCollection.TryGetValue(type, out var isCollection))
        {
            isCollection = SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, IEnumerable) || type.AllInterfaces.Contains(IEnumerable, SymbolEqualityComparer.Default);
            _isCollection.TryAdd(type, isCollection);
        }

        return isCollection;
    }

    private readonly ConcurrentDictionary<ITypeSymbol, bool> _isCollection = new(SymbolEqualityComparer.Default);
}
