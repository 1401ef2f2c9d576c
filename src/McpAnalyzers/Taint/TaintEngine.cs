using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
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
    public TaintFinding(Location location, int ruleIndex, string sinkName, TaintOrigin origin, ImmutableArray<Location> valueLocations = default)
    {
        Location = location;
        RuleIndex = ruleIndex;
        SinkName = sinkName;
        Origin = origin;
        ValueLocations = valueLocations.IsDefault ? ImmutableArray<Location>.Empty : valueLocations;
    }

    /// <summary>Where the tainted operands of the sink are (e.g. the logged argument), in source order; may be empty.</summary>
    public ImmutableArray<Location> ValueLocations { get; }

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
    public SummarySink(Location location, int ruleIndex, string sinkName, TaintValue value, IReadOnlyList<Location> valueLocations)
    {
        Location = location;
        RuleIndex = ruleIndex;
        SinkName = sinkName;
        Value = value;
        var locations = ImmutableArray.CreateBuilder<Location>(valueLocations.Count);
        for (var i = 0; i < valueLocations.Count; i++)
        {
            locations.Add(valueLocations[i]);
        }

        ValueLocations = locations.MoveToImmutable();
    }

    /// <summary>Where the tainted operands of the sink are (see <see cref="RecordedSink.ValueLocations"/>).</summary>
    public ImmutableArray<Location> ValueLocations { get; }

    public Location Location { get; }
    public int RuleIndex { get; }
    public string SinkName { get; }
    public TaintValue Value { get; }
}

/// <summary>
/// The dataflow engine of one compilation. Created in the compilation-start action and dropped with
/// it, so every cache here lives exactly as long as the compilation (no static state): method
/// summaries (keyed by method, remaining call depth and options), the tainted fields of tool types,
/// the (sink, rule) pairs reported by the body that contains them, and the candidates for sinks
/// reached only through helper summaries (reported at compilation end, see <see cref="AnalyzeEntry"/>).
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
    private readonly ConcurrentDictionary<INamedTypeSymbol, Seeding> _seeding = new(SymbolEqualityComparer.Default);
    private volatile Seeding? _lastSeeding; // see SeedingOf
    private readonly ConcurrentDictionary<IMethodSymbol, string> _calleeNames = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<(Location, int), byte> _reported = new();
    private readonly ConcurrentDictionary<(Location, int), DeferredFinding> _deferred = new();

    // Runs of tool methods done while computing a tool type's field taint, kept until the method's own
    // operation-block callback: when the run read no seedable state, or the type's field taint is empty, and the options
    // are the defaults, that callback's analysis would be the very same run (same initial state, graph, budget and
    // fields), so AnalyzeEntry takes its findings instead of analysing the method a second time. (A run made after
    // that callback stays until the engine is dropped with its compilation: one per tool method at most.)
    private readonly ConcurrentDictionary<IMethodSymbol, (FlowCollector Collector, bool ReadSeedableState)> _fieldTaintRuns = new(SymbolEqualityComparer.Default);

    // Set at the first run stored above: until then (most compilations, whose tool types read no tool state) an entry
    // does not hash its method into the dictionary. A run stored while an entry is past the check is analysed again.
    private volatile bool _anyFieldTaintRun;

    private readonly bool _straightLineTrees;

    /// <param name="straightLineTrees">
    /// Analyse straight-line bodies on their operation tree (<see cref="StraightLineCode"/>); false builds a graph for
    /// every body (tests compare the two).
    /// </param>
    public TaintEngine(Compilation compilation, TaintConfiguration configuration, bool straightLineTrees = true)
    {
        _compilation = compilation;
        Configuration = configuration;
        Validation = new GeneralValidation(configuration.Types);
        _straightLineTrees = straightLineTrees;
    }

    public TaintConfiguration Configuration { get; }

    /// <summary>The general validation checks (stateless: one for every analysis of the compilation).</summary>
    internal GeneralValidation Validation { get; }

    /// <summary>The options of each tree, read once: they cannot change within a compilation.</summary>
    internal ConcurrentDictionary<SyntaxTree, TaintOptions> OptionsByTree { get; } = new();

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

        // The type's field taint runs every seeding method of the type: asked only when the body reads state such a method
        // can have written. Helpers of tool types mostly read none, and their callbacks (often the first of the type)
        // otherwise paid for the tool methods' runs, waiting on the compiler to finish their signatures.
        var type = owner.ContainingType;
        var fields = type is not null && ReadsSeededState(body, type) ? GetFieldTaint(type, cancellationToken) : null;

        // The provider's syntactic pre-check rules out the source forms below (expression, out-argument and lambda
        // sources); only a read of a tainted field is then left, which needs the walk when the type has any.
        if (fields is not { Count: > 0 } && !Configuration.Sources.MayContainSource(body.Syntax))
        {
            return false;
        }

        foreach (var operation in body.DescendantsAndSelf())
        {
            if (Configuration.Sources.GetExpressionSource(operation) is not null)
            {
                return true;
            }

            if (operation is IInvocationOperation invocation
                && invocation.Arguments.Any(a => a.Parameter?.RefKind is RefKind.Out or RefKind.Ref && Configuration.Sources.GetOutArgumentSource(invocation, a) is not null))
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
    /// Runs the dataflow over an entry body and returns the findings at sinks <em>in this body</em> (its own
    /// operations, lambdas and local functions), to be reported now. Sinks inside called methods, reached
    /// through their summaries, are not returned: they are recorded as candidates and reported by
    /// <see cref="GetDeferredFindings"/> from a compilation-end action. <paramref name="graph"/> (the
    /// driver's graph of the body) is only asked for when the body must be analysed here and is not
    /// straight-line code: a tool method already analysed for its type's field taint is not analysed again.
    /// </summary>
    /// <remarks>
    /// Why the split: several entry methods (tools) can reach the same sink in a shared helper, each with
    /// its own origin and path. Reporting the first one found would make the message depend on the
    /// order in which concurrent block actions run. A sink in the analysed body can only be reached
    /// directly by this one body, so reporting it at once is deterministic (and stays live in the IDE);
    /// a helper sink is decided once every entry has been analysed, by a total order over the candidates
    /// (shortest path, then ordinal origin text, then the entry method's documentation ID).
    /// </remarks>
    public ImmutableArray<TaintFinding> AnalyzeEntry(ISymbol owner, IOperation body, Func<IOperation, ControlFlowGraph> graph, TaintOptions options, CancellationToken cancellationToken)
    {
        // The type's field taint is fetched at the first read of state a seeding method can assign (ToolState). A run of
        // this method made by another callback's field-taint computation is taken when that state cannot change it.
        var ownerMethod = owner as IMethodSymbol;
        var type = owner.ContainingType;
        FlowCollector collector;
        if (ownerMethod is not null && type is not null && _anyFieldTaintRun && options.Key == TaintOptions.Default.Key
            && _fieldTaintRuns.TryRemove(ownerMethod, out var done)
            && (!done.ReadSeedableState || GetFieldTaint(type, cancellationToken).IsEmpty))
        {
            collector = done.Collector;
        }
        else
        {
            var toolState = type is null ? null : ToolState.ForEntry(this, type, ownerMethod, body, graph, cancellationToken);
            collector = Run(owner, FlowBody.TreeOf(body, _straightLineTrees) ?? new FlowBody(graph(body)), options, toolState, cancellationToken);
            if (ownerMethod is not null && _anyFieldTaintRun)
            {
                // The field-taint computation this run started (if any) analysed this method too: nobody else will ask.
                _fieldTaintRuns.TryRemove(ownerMethod, out _);
            }
        }

        if (collector.Sinks.Count == 0)
        {
            return ImmutableArray<TaintFinding>.Empty;
        }

        // A total order (List.Sort is not stable): position, then rule, then file (helper sinks may be in other files).
        var sinks = new List<RecordedSink>(collector.Sinks);
        sinks.Sort(static (x, y) =>
        {
            var result = x.Location.SourceSpan.CompareTo(y.Location.SourceSpan);
            result = result != 0 ? result : x.RuleIndex.CompareTo(y.RuleIndex);
            return result != 0 ? result : string.CompareOrdinal(x.Location.SourceTree?.FilePath, y.Location.SourceTree?.FilePath);
        });
        var findings = ImmutableArray.CreateBuilder<TaintFinding>();
        foreach (var sink in sinks)
        {
            if (BestOrigin(sink.Value, TaintConfiguration.KindOf(sink.RuleIndex)) is not { } origin)
            {
                continue;
            }

            var finding = new TaintFinding(sink.Location, sink.RuleIndex, sink.SinkName, origin, InFileOrder(sink.ValueLocations));
            var key = (sink.Location, sink.RuleIndex);
            if (sink.IsDirect)
            {
                if (_reported.TryAdd(key, 0))
                {
                    findings.Add(finding);
                }
            }
            else
            {
                var candidate = new DeferredFinding(finding, owner);
                _deferred.AddOrUpdate(key, candidate, (_, existing) => DeferredFinding.Compare(candidate, existing) < 0 ? candidate : existing);
            }
        }

        return findings.ToImmutable();
    }

    /// <summary>Locations ordered by file path (ordinal), then start, then length (a total order: the sort is not stable).</summary>
    private static ImmutableArray<Location> InFileOrder(IReadOnlyList<Location> locations)
    {
        if (locations.Count == 0)
        {
            return ImmutableArray<Location>.Empty;
        }

        var ordered = ImmutableArray.CreateBuilder<Location>(locations.Count);
        for (var i = 0; i < locations.Count; i++)
        {
            ordered.Add(locations[i]);
        }

        ordered.Sort(static (x, y) =>
        {
            var result = string.CompareOrdinal(x.SourceTree?.FilePath, y.SourceTree?.FilePath);
            result = result != 0 ? result : x.SourceSpan.Start.CompareTo(y.SourceSpan.Start);
            return result != 0 ? result : x.SourceSpan.Length.CompareTo(y.SourceSpan.Length);
        });
        return ordered.MoveToImmutable();
    }

    /// <summary>The origin named in a finding: real (not a summary's parameter), of the sink's kind; shortest path, then ordinal text.</summary>
    private static TaintOrigin? BestOrigin(TaintValue value, int kind)
    {
        TaintOrigin? best = null;
        for (var i = 0; i < value.OriginCount; i++)
        {
            var pair = value.OriginAt(i);
            var origin = pair.Key;
            if (origin.IsSymbolic || (pair.Value & kind) == 0)
            {
                continue;
            }

            // The text is built only to break a tie: most sinks have one candidate origin.
            if (best is null || origin.Path.Length < best.Path.Length
                || (origin.Path.Length == best.Path.Length && string.CompareOrdinal(origin.ToString(), best.ToString()) < 0))
            {
                best = origin;
            }
        }

        return best;
    }

    /// <summary>One analysis of an entry body: its source parameters tainted, <paramref name="toolState"/> for reads of tool state.</summary>
    private FlowCollector Run(ISymbol owner, FlowBody body, TaintOptions options, ToolState? toolState, CancellationToken cancellationToken)
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
        new FlowAnalysis(this, body, owner, options, options.MaxCallDepth, toolState, collector, new CallChain(), cancellationToken)
            .Run(initial);
        return collector;
    }

    /// <summary>
    /// The findings at sinks reached only through helper summaries, one per (sink, rule): the best
    /// candidate over every entry method, skipping sinks already reported by the body that contains
    /// them. Call once, from a compilation-end action (every entry has been analysed by then, so the
    /// result depends on the compilation only, not on the order of the concurrent block actions).
    /// </summary>
    public ImmutableArray<TaintFinding> GetDeferredFindings()
        => _deferred
            .Where(pair => !_reported.ContainsKey(pair.Key))
            .Select(pair => pair.Value.Finding)
            .OrderBy(f => f.Location.SourceTree?.FilePath, StringComparer.Ordinal)
            .ThenBy(f => f.Location.SourceSpan.Start)
            .ThenBy(f => f.RuleIndex)
            .ToImmutableArray();

    /// <summary>
    /// The summary of a method of this compilation, computed on demand with <paramref name="budget"/>
    /// further calls allowed below it; null when the method has no body here.
    /// </summary>
    /// <param name="callerModel">The semantic model of the calling body, used for a callee in the same file (see <see cref="GetBody"/>).</param>
    internal MethodSummary? GetSummary(IMethodSymbol method, int budget, TaintOptions options, HashSet<IMethodSymbol> inProgress, CancellationToken cancellationToken, SemanticModel? callerModel = null)
    {
        method = method.PartialImplementationPart ?? method.OriginalDefinition;

        // Most calls go to referenced assemblies (no body here, see GetBody): answer before hashing the cache key. Metadata
        // has no declaring syntax (cheaper to ask than the assembly); a project reference's source does, hence both.
        if (method.DeclaringSyntaxReferences.IsEmpty || !SymbolEqualityComparer.Default.Equals(method.ContainingAssembly, _compilation.Assembly))
        {
            return null;
        }

        var key = (method, budget, options.Key);
        if (_summaries.TryGetValue(key, out var cached))
        {
            return cached;
        }

        if (GetBody(method, cancellationToken, callerModel) is not { } body)
        {
            return null;
        }

        var chain = inProgress as CallChain;
        if (!inProgress.Add(method))
        {
            // Recursion: the call contributes nothing more than what the outer analysis already tracks.
            chain?.NoteCut(method);
            return MethodSummary.Empty;
        }

        var outerCut = chain?.Enter(method) ?? 0;
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
            var analysis = new FlowAnalysis(this, body, method, options, budget, toolState: null, collector, inProgress, cancellationToken);
            var returned = analysis.Run(initial);
            var sinks = collector.Sinks.Count == 0 ? ImmutableArray<SummarySink>.Empty : SummarySinks(collector);
            var fieldWrites = collector.FieldWrites.Count == 0 ? ImmutableArray<KeyValuePair<ISymbol, TaintValue>>.Empty : collector.FieldWrites.ToImmutableArray();
            var summary = sinks.IsEmpty && fieldWrites.IsEmpty && returned.IsClean ? MethodSummary.Empty : new MethodSummary(returned, sinks, fieldWrites);

            // A summary computed while a recursive call was cut at a method of the *outer* call chain
            // depends on who called first: use it for this caller, but do not cache it (determinism).
            return chain is null || chain.IsContextFree(method) ? _summaries.GetOrAdd(key, summary) : summary;
        }
        finally
        {
            chain?.Exit(method, outerCut);
            inProgress.Remove(method);
        }
    }

    private static ImmutableArray<SummarySink> SummarySinks(FlowCollector collector)
    {
        var sinks = ImmutableArray.CreateBuilder<SummarySink>(collector.Sinks.Count);
        foreach (var sink in collector.Sinks)
        {
            sinks.Add(new SummarySink(sink.Location, sink.RuleIndex, sink.SinkName, sink.Value, sink.ValueLocations));
        }

        return sinks.MoveToImmutable();
    }

    /// <summary>The display name of a callee in message paths, formatted once per method (every call through it needs it).</summary>
    internal string GetCalleeName(IMethodSymbol method)
        => _calleeNames.TryGetValue(method, out var name) ? name : _calleeNames.GetOrAdd(method, CalleeName.Of(method));

    // The caches below are read with TryGetValue first: GetOrAdd with a capturing lambda allocates the
    // delegate on every call, and these are asked once per operation block of the compilation.
    private Seeding SeedingOf(INamedTypeSymbol type)
    {
        // The driver hands over a type's bodies one after another: the last answer first (a reference comparison; a
        // miss, or another thread's type, goes to the dictionary).
        if (_lastSeeding is { } last && ReferenceEquals(last.Type, type))
        {
            return last;
        }

        if (!_seeding.TryGetValue(type, out var seeding))
        {
            var kinds = TypeSeeds.None;
            ImmutableArray<IMethodSymbol>.Builder? methods = null;
            foreach (var member in type.GetMembers())
            {
                // Entry methods seed fields from their parameters; with the provider's opt-in, other methods
                // seed them from the expression sources they read (their parameters stay clean).
                if (member is IMethodSymbol method && (Configuration.Sources.IsEntryMethod(method) || MayReadExpressionSource(method)))
                {
                    kinds |= method.MethodKind is MethodKind.Constructor or MethodKind.StaticConstructor ? TypeSeeds.Constructors : TypeSeeds.Methods;
                    (methods ??= ImmutableArray.CreateBuilder<IMethodSymbol>()).Add(method);
                }
            }

            seeding = _seeding.GetOrAdd(type, new Seeding(type, kinds, methods?.ToImmutable() ?? ImmutableArray<IMethodSymbol>.Empty));
        }

        _lastSeeding = seeding;
        return seeding;
    }

    /// <summary>
    /// Does <paramref name="body"/> read state that a seeding method of <paramref name="type"/> may have assigned? The type's
    /// seeding methods first (found once per type; most types have none), the walk of the body only then.
    /// </summary>
    private bool ReadsSeededState(IOperation body, INamedTypeSymbol type)
    {
        var seeds = SeedingOf(type).Kinds;
        if (seeds == TypeSeeds.None)
        {
            return false;
        }

        var read = StateReadIn(body, type);
        return read != StateRead.None && IsSeedable(read, seeds);
    }

    /// <summary>
    /// Can a seeding method of <paramref name="type"/> have assigned <paramref name="member"/> (read through <c>this</c>, or
    /// static)? See <see cref="ToolState"/>.
    /// </summary>
    internal bool MaySeed(INamedTypeSymbol type, ISymbol member)
    {
        var read = ReadOf(member);
        return read != StateRead.None && IsStateOf(type, member) && IsSeedable(read, SeedingOf(type).Kinds);
    }

    /// <summary>A static member, or an instance member of <paramref name="type"/> or its bases: state a method of the type can assign.</summary>
    private static bool IsStateOf(INamedTypeSymbol type, ISymbol member)
        => member.IsStatic || (member.ContainingType is { } declaring && TaintSink.IsOrDerivesFrom(type, declaring.OriginalDefinition));

    // A readonly member counts only when a constructor seeds (no other method can assign it).
    private static bool IsSeedable(StateRead read, TypeSeeds seeds)
        => read == StateRead.Assignable ? seeds != TypeSeeds.None : (seeds & TypeSeeds.Constructors) != 0;

    /// <summary>What a read of <paramref name="member"/> is, if a method could assign it: constants never count.</summary>
    private static StateRead ReadOf(ISymbol member) => member switch
    {
        IFieldSymbol { IsConst: true } => StateRead.None,
        IFieldSymbol field => field.IsReadOnly ? StateRead.ConstructorOnly : StateRead.Assignable,
        IPropertySymbol property => property.SetMethod is null ? StateRead.ConstructorOnly : StateRead.Assignable,
        _ => StateRead.Assignable,
    };

    /// <summary>
    /// The strongest read in <paramref name="operation"/> of a field, property or event that a method of
    /// <paramref name="type"/> could assign (a key of <see cref="GetFieldTaint"/>: a static member, or an instance member of
    /// the type or its bases, as written through <c>this</c>): <see cref="StateRead.Assignable"/> by any method,
    /// <see cref="StateRead.ConstructorOnly"/> (readonly fields, properties without a setter), or none (constants never
    /// count). A recursive walk: no enumerator is allocated; it stops at the first assignable read.
    /// </summary>
    private static StateRead StateReadIn(IOperation operation, INamedTypeSymbol type)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack(); // see FlowAnalysis.Eval
        var read = StateRead.None;
        // The kind first: an interface type test that fails (most operations) was a third of this walk's time.
        if (operation.Kind is OperationKind.FieldReference or OperationKind.PropertyReference or OperationKind.EventReference
            && ((IMemberReferenceOperation)operation).Member is var member
            && IsStateOf(type, member))
        {
            read = ReadOf(member);
        }

        foreach (var child in operation.ChildOperations)
        {
            if (read == StateRead.Assignable)
            {
                break;
            }

            var childRead = StateReadIn(child, type);
            read = childRead > read ? childRead : read;
        }

        return read;
    }

    /// <summary>
    /// Opt-in (<see cref="TaintSourceProvider.MayReadExpressionSource"/>): a method of this compilation whose
    /// declaration may read an expression source seeds the field taint of its type. Syntactic test only.
    /// </summary>
    private bool MayReadExpressionSource(IMethodSymbol method)
    {
        if (!Configuration.Sources.SeedsFieldsFromExpressionSources)
        {
            return false;
        }

        foreach (var reference in method.DeclaringSyntaxReferences)
        {
            if (Configuration.Sources.MayReadExpressionSource(reference.GetSyntax()))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Fields and properties of a tool type that its entry methods assign from tool input
    /// (<c>_path = path;</c> in one tool, <c>File.ReadAllText(_path)</c> in another method).
    /// <paramref name="current"/> is the method whose callback asks, with its body and the driver's graph of it
    /// (<paramref name="currentBody"/>, <paramref name="currentGraph"/>), so that graph is not built a second time.
    /// </summary>
    internal ImmutableDictionary<ISymbol, TaintValue> GetFieldTaint(
        INamedTypeSymbol type,
        CancellationToken cancellationToken,
        IMethodSymbol? current = null,
        IOperation? currentBody = null,
        Func<IOperation, ControlFlowGraph>? currentGraph = null)
        => _fieldTaint.TryGetValue(type, out var known) ? known : ComputeFieldTaint(type, cancellationToken, current, currentBody, currentGraph);

    private ImmutableDictionary<ISymbol, TaintValue> ComputeFieldTaint(
        INamedTypeSymbol type, CancellationToken cancellationToken, IMethodSymbol? current, IOperation? currentBody, Func<IOperation, ControlFlowGraph>? currentGraph)
        => _fieldTaint.GetOrAdd(type, t =>
        {
            // Built on the first tainted write: most tool types have none, and an empty builder was a visible cost.
            ImmutableDictionary<ISymbol, TaintValue>.Builder? result = null;
            foreach (var method in SeedingOf(t).Methods)
            {
                var body = currentBody is not null && currentGraph is not null && SymbolEqualityComparer.Default.Equals(method, current)
                    ? FlowBody.TreeOf(currentBody, _straightLineTrees) ?? new FlowBody(currentGraph(currentBody))
                    : GetBody(method, cancellationToken, currentBody?.SemanticModel);
                if (body is null)
                {
                    continue;
                }

                var state = ToolState.ForSeedingRun(this, t);
                var collector = Run(method, body.Value, TaintOptions.Default, state, cancellationToken);
                _fieldTaintRuns[method] = (collector, state.ReadSeedableState);
                _anyFieldTaintRun = true;
                foreach (var write in collector.FieldWrites)
                {
                    if (!write.Value.IsClean && write.Value.Origins.All(o => !o.Key.IsSymbolic))
                    {
                        result ??= ImmutableDictionary.CreateBuilder<ISymbol, TaintValue>(SymbolEqualityComparer.Default);
                        result[write.Key] = result.TryGetValue(write.Key, out var existing) ? existing.Join(write.Value) : write.Value;
                    }
                }
            }

            return result?.ToImmutable() ?? ImmutableDictionary<ISymbol, TaintValue>.Empty;
        });

    /// <summary>
    /// What to analyse of a method declared in this compilation: its tree when straight-line, else its control-flow
    /// graph (built each time: see the remarks on the class); null without a body.
    /// </summary>
    /// <remarks>
    /// A method in the file of <paramref name="sameFileModel"/> (the caller's) is read from that model: it is the one the
    /// analyzer driver bound the file's bodies in, without a lookup, and without a new model (that would bind the body
    /// again) when the driver has already released the file's cached model.
    /// </remarks>
    internal FlowBody? GetBody(IMethodSymbol m, CancellationToken cancellationToken, SemanticModel? sameFileModel = null)
    {
        if (m.IsAbstract || m.IsExtern || !SymbolEqualityComparer.Default.Equals(m.ContainingAssembly, _compilation.Assembly))
        {
            return null;
        }

        foreach (var reference in m.DeclaringSyntaxReferences)
        {
            var syntax = reference.GetSyntax(cancellationToken);
            var model = sameFileModel is not null && sameFileModel.SyntaxTree == syntax.SyntaxTree ? sameFileModel : GetModel(syntax.SyntaxTree);
            var operation = model?.GetOperation(syntax, cancellationToken);
            try
            {
                switch (operation)
                {
                    case IMethodBodyOperation body when body.BlockBody is not null || body.ExpressionBody is not null:
                        return FlowBody.TreeOf(body, _straightLineTrees) ?? new FlowBody(ControlFlowGraph.Create(body, cancellationToken));
                    case IConstructorBodyOperation constructorBody:
                        return new FlowBody(ControlFlowGraph.Create(constructorBody, cancellationToken));
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

    /// <summary>Which kinds of methods of a type seed its field taint.</summary>
    [Flags]
    private enum TypeSeeds
    {
        None = 0,
        Methods = 1,
        Constructors = 2,
    }

    /// <summary>What a body reads of the state a type's methods can assign, strongest last.</summary>
    private enum StateRead
    {
        None,
        ConstructorOnly,
        Assignable,
    }

    /// <summary>The methods of a type that seed its field taint (entry methods, or methods reading an expression source), in member order.</summary>
    private sealed class Seeding
    {
        public Seeding(INamedTypeSymbol type, TypeSeeds kinds, ImmutableArray<IMethodSymbol> methods)
        {
            Type = type;
            Kinds = kinds;
            Methods = methods;
        }

        /// <summary>The type (one seeding per type, so that the last one handed out can be recognised: see SeedingOf).</summary>
        public INamedTypeSymbol Type { get; }

        public TypeSeeds Kinds { get; }

        public ImmutableArray<IMethodSymbol> Methods { get; }
    }

    /// <summary>A finding at a helper sink reached from one entry method, waiting for compilation end.</summary>
    private sealed class DeferredFinding
    {
        private readonly ISymbol _entry;
        private string? _entryId;

        public DeferredFinding(TaintFinding finding, ISymbol entry)
        {
            Finding = finding;
            _entry = entry;
        }

        public TaintFinding Finding { get; }

        /// <summary>
        /// Documentation comment ID of the entry method: the last tie-break of the total order, built only when two entries
        /// reach the same helper sink with equal paths and origins (rare; an ID is a string built from the symbol).
        /// </summary>
        public string EntryId => _entryId ??= _entry.GetDocumentationCommentId() ?? _entry.ToDisplayString();

        /// <summary>Total order: shortest path, then origin text (ordinal), then entry ID, then sink name.</summary>
        public static int Compare(DeferredFinding x, DeferredFinding y)
        {
            var result = x.Finding.Origin.Path.Length.CompareTo(y.Finding.Origin.Path.Length);
            if (result == 0)
            {
                result = string.CompareOrdinal(x.Finding.Origin.ToString(), y.Finding.Origin.ToString());
            }

            if (result == 0)
            {
                result = string.CompareOrdinal(x.EntryId, y.EntryId);
            }

            return result != 0 ? result : string.CompareOrdinal(x.Finding.SinkName, y.Finding.SinkName);
        }
    }

    /// <summary>
    /// The methods whose summaries are being computed on the current call chain (the recursion guard
    /// the analyses share), plus the depth of each, so that <see cref="GetSummary"/> can tell whether a
    /// summary saw a recursion cut at a method of the outer chain (then its content depends on the order
    /// of entry analyses and it is not cached). Local functions are added by <see cref="FlowAnalysis"/>
    /// through the base set only; they are analysed inline and never cached.
    /// </summary>
    private sealed class CallChain : HashSet<IMethodSymbol>
    {
        // The summary frames, outermost first: a frame's depth is its position + 1. A list, not a dictionary: chains are
        // a few calls deep, and one is made for every entry analysis.
        private readonly List<IMethodSymbol> _frames = new();
        private int _lowestCut = int.MaxValue;

        public CallChain()
            : base(SymbolEqualityComparer.Default)
        {
        }

        /// <summary>Starts a summary frame; returns the lowest cut seen so far, restored by <see cref="Exit"/>.</summary>
        public int Enter(IMethodSymbol method)
        {
            _frames.Add(method);
            var outer = _lowestCut;
            _lowestCut = int.MaxValue;
            return outer;
        }

        public void NoteCut(IMethodSymbol method)
        {
            if (DepthOf(method) is var depth and > 0)
            {
                _lowestCut = Math.Min(_lowestCut, depth);
            }
        }

        /// <summary>True when no cut inside the frame of <paramref name="method"/> hit a method below it.</summary>
        public bool IsContextFree(IMethodSymbol method)
            => DepthOf(method) is var depth && (depth == 0 || _lowestCut >= depth);

        public void Exit(IMethodSymbol method, int outerCut)
        {
            var depth = DepthOf(method);
            if (depth > 0)
            {
                _frames.RemoveAt(depth - 1);
            }

            _lowestCut = Math.Min(_lowestCut, outerCut);
        }

        /// <summary>The depth of the frame of <paramref name="method"/> (1 = outermost), 0 when it has none.</summary>
        private int DepthOf(IMethodSymbol method)
        {
            for (var i = _frames.Count - 1; i >= 0; i--)
            {
                if (SymbolEqualityComparer.Default.Equals(_frames[i], method))
                {
                    return i + 1;
                }
            }

            return 0;
        }
    }

    private sealed class SummaryKeyComparer : IEqualityComparer<(IMethodSymbol Method, int Budget, string Options)>
    {
        public bool Equals((IMethodSymbol Method, int Budget, string Options) x, (IMethodSymbol Method, int Budget, string Options) y)
            => x.Budget == y.Budget && string.Equals(x.Options, y.Options, StringComparison.Ordinal) && SymbolEqualityComparer.Default.Equals(x.Method, y.Method);

        public int GetHashCode((IMethodSymbol Method, int Budget, string Options) obj)
            => SymbolEqualityComparer.Default.GetHashCode(obj.Method) ^ (obj.Budget * 7919) ^ StringComparer.Ordinal.GetHashCode(obj.Options);
    }
}
