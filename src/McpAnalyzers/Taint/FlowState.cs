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
    /// <summary>(sink location, rule) → sink name and the join of every tainted value seen there.</summary>
    public Dictionary<(Location Location, int RuleIndex), (string SinkName, TaintValue Value)> Sinks { get; } = new();

    /// <summary>Fields/properties of <c>this</c> assigned a tainted value, joined.</summary>
    public Dictionary<ISymbol, TaintValue> FieldWrites { get; } = new(SymbolEqualityComparer.Default);

    /// <summary>
    /// (sink location, rule) → where the tainted operands of the sink are (e.g. the logged argument), for
    /// code fixes that rewrite the operand rather than the whole sink. Filled alongside <see cref="Sinks"/>.
    /// </summary>
    public Dictionary<(Location Location, int RuleIndex), HashSet<Location>> SinkValueLocations { get; } = new();

    /// <summary>
    /// The sinks of <see cref="Sinks"/> evaluated in the analysed body itself (or its lambdas and local
    /// functions), as opposed to sinks inside called methods that arrive through their summaries. Only one
    /// body owns an operation, so a direct sink can be reported by exactly one analysis (deterministic
    /// reporting, see <see cref="TaintEngine.AnalyzeEntry"/>).
    /// </summary>
    public HashSet<(Location Location, int RuleIndex)> Direct { get; } = new();

    public void AddSink(Location location, int ruleIndex, string sinkName, TaintValue value, IEnumerable<Location>? valueLocations = null, bool direct = false)
    {
        var key = (location, ruleIndex);
        Sinks[key] = Sinks.TryGetValue(key, out var existing) ? (existing.SinkName, existing.Value.Join(value)) : (sinkName, value);
        if (direct)
        {
            Direct.Add(key);
        }

        if (valueLocations is not null)
        {
            if (!SinkValueLocations.TryGetValue(key, out var set))
            {
                SinkValueLocations[key] = set = new HashSet<Location>();
            }

            set.UnionWith(valueLocations);
        }
    }

    public void AddFieldWrite(ISymbol field, TaintValue value)
        => FieldWrites[field] = FieldWrites.TryGetValue(field, out var existing) ? existing.Join(value) : value;
}
