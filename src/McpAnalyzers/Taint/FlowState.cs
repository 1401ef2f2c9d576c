using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace McpAnalyzers.Taint;

/// <summary>
/// Taint of every storage location at one program point: locals, parameters, flow captures,
/// fields/auto-properties of <c>this</c>, and <c>this</c> itself. Absent = clean.
/// </summary>
internal sealed class FlowState
{
    /// <summary>Key of the receiver (<c>this</c>) of the analysed method.</summary>
    public static readonly object This = new();

    private readonly Dictionary<object, TaintValue> _values;

    private FlowState(Dictionary<object, TaintValue> values) => _values = values;

    public static FlowState Empty() => new(new Dictionary<object, TaintValue>(KeyComparer.Instance));

    public FlowState Clone() => new(new Dictionary<object, TaintValue>(_values, KeyComparer.Instance));

    public TaintValue Get(object key) => _values.TryGetValue(key, out var value) ? value : TaintValue.Clean;

    public bool TryGet(object key, out TaintValue value) => _values.TryGetValue(key, out value);

    public void Set(object key, TaintValue value)
    {
        if (value.IsClean)
        {
            _values.Remove(key);
        }
        else
        {
            _values[key] = value;
        }
    }

    /// <summary>Weak update: the location may now also hold <paramref name="value"/> (collections, builders, objects).</summary>
    public void Add(object key, TaintValue value) => Set(key, Get(key).Join(value));

    public IEnumerable<KeyValuePair<object, TaintValue>> Entries => _values;

    /// <summary>Joins <paramref name="other"/> into this state; true when this state changed.</summary>
    public bool JoinWith(FlowState other)
    {
        var changed = false;
        foreach (var pair in other._values)
        {
            var current = Get(pair.Key);
            var joined = current.Join(pair.Value);
            if (!joined.Equals(current))
            {
                _values[pair.Key] = joined;
                changed = true;
            }
        }

        return changed;
    }

    private sealed class KeyComparer : IEqualityComparer<object>
    {
        public static readonly KeyComparer Instance = new();

        public new bool Equals(object? x, object? y)
            => x is ISymbol a && y is ISymbol b ? SymbolEqualityComparer.Default.Equals(a, b) : object.Equals(x, y);

        public int GetHashCode(object obj)
            => obj is ISymbol symbol ? SymbolEqualityComparer.Default.GetHashCode(symbol) : obj.GetHashCode();
    }
}

/// <summary>Results of one analysis (shared with the lambdas and local functions it analyses inline).</summary>
internal sealed class FlowCollector
{
    // Created on first use: a collector is made for every analysis and summary, and many record nothing.
    private static readonly Dictionary<(Location Location, int RuleIndex), (string SinkName, TaintValue Value)> NoSinks = new();
    private static readonly Dictionary<ISymbol, TaintValue> NoFieldWrites = new(SymbolEqualityComparer.Default);
    private static readonly Dictionary<(Location Location, int RuleIndex), HashSet<Location>> NoValueLocations = new();

    private Dictionary<(Location Location, int RuleIndex), (string SinkName, TaintValue Value)>? _sinks;
    private Dictionary<ISymbol, TaintValue>? _fieldWrites;
    private Dictionary<(Location Location, int RuleIndex), HashSet<Location>>? _sinkValueLocations;
    private HashSet<(Location Location, int RuleIndex)>? _direct;

    /// <summary>(sink location, rule) → sink name and the join of every tainted value seen there.</summary>
    public IReadOnlyDictionary<(Location Location, int RuleIndex), (string SinkName, TaintValue Value)> Sinks => _sinks ?? NoSinks;

    /// <summary>Fields/properties of <c>this</c> assigned a tainted value, joined.</summary>
    public IReadOnlyDictionary<ISymbol, TaintValue> FieldWrites => _fieldWrites ?? NoFieldWrites;

    /// <summary>
    /// (sink location, rule) → where the tainted operands of the sink are (e.g. the logged argument), for
    /// code fixes that rewrite the operand rather than the whole sink. Filled alongside <see cref="Sinks"/>.
    /// </summary>
    public IReadOnlyDictionary<(Location Location, int RuleIndex), HashSet<Location>> SinkValueLocations => _sinkValueLocations ?? NoValueLocations;

    /// <summary>
    /// Whether a sink of <see cref="Sinks"/> was evaluated in the analysed body itself (or its lambdas and local
    /// functions), as opposed to a sink inside a called method that arrived through its summary. Only one
    /// body owns an operation, so a direct sink can be reported by exactly one analysis (deterministic
    /// reporting, see <see cref="TaintEngine.AnalyzeEntry"/>).
    /// </summary>
    public bool IsDirect((Location Location, int RuleIndex) sink) => _direct?.Contains(sink) == true;

    public void AddSink(Location location, int ruleIndex, string sinkName, TaintValue value, IEnumerable<Location>? valueLocations = null, bool direct = false)
    {
        var key = (location, ruleIndex);
        _sinks ??= new();
        _sinks[key] = _sinks.TryGetValue(key, out var existing) ? (existing.SinkName, existing.Value.Join(value)) : (sinkName, value);
        if (direct)
        {
            (_direct ??= new()).Add(key);
        }

        if (valueLocations is not null)
        {
            _sinkValueLocations ??= new();
            if (!_sinkValueLocations.TryGetValue(key, out var set))
            {
                _sinkValueLocations[key] = set = new HashSet<Location>();
            }

            set.UnionWith(valueLocations);
        }
    }

    public void AddFieldWrite(ISymbol field, TaintValue value)
    {
        _fieldWrites ??= new(SymbolEqualityComparer.Default);
        _fieldWrites[field] = _fieldWrites.TryGetValue(field, out var existing) ? existing.Join(value) : value;
    }
}
