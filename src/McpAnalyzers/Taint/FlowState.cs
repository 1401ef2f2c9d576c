using System;
using System.Collections.Generic;
using System.Collections.Immutable;
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
    private static readonly Dictionary<ISymbol, TaintValue> NoFieldWrites = new(SymbolEqualityComparer.Default);

    // One record per (sink location, rule), holding everything about it: a dictionary and sets per kind of fact
    // cost several collections per sink (measured: a seventh of the engine's allocations on the benchmark corpus).
    private Dictionary<(Location Location, int RuleIndex), RecordedSink>? _sinks;
    private Dictionary<ISymbol, TaintValue>? _fieldWrites;

    /// <summary>The sinks reached, one per (sink location, rule), with the join of every tainted value seen there.</summary>
    public IReadOnlyCollection<RecordedSink> Sinks => (IReadOnlyCollection<RecordedSink>?)_sinks?.Values ?? Array.Empty<RecordedSink>();

    /// <summary>Fields/properties of <c>this</c> assigned a tainted value, joined.</summary>
    public IReadOnlyDictionary<ISymbol, TaintValue> FieldWrites => _fieldWrites ?? NoFieldWrites;

    public void AddSink(Location location, int ruleIndex, string sinkName, TaintValue value, ImmutableArray<Location> valueLocations)
    {
        var sink = Record(location, ruleIndex, sinkName, value);
        foreach (var valueLocation in valueLocations)
        {
            sink.AddValueLocation(valueLocation);
        }
    }

    /// <summary>A sink evaluated in the analysed body itself (see <see cref="RecordedSink.IsDirect"/>).</summary>
    public void AddDirectSink(Location location, int ruleIndex, string sinkName, TaintValue value, List<Location> valueLocations)
    {
        var sink = Record(location, ruleIndex, sinkName, value);
        sink.IsDirect = true;
        foreach (var valueLocation in valueLocations)
        {
            sink.AddValueLocation(valueLocation);
        }
    }

    private RecordedSink Record(Location location, int ruleIndex, string sinkName, TaintValue value)
    {
        var key = (location, ruleIndex);
        _sinks ??= new();
        if (_sinks.TryGetValue(key, out var sink))
        {
            sink.Value = sink.Value.Join(value);
        }
        else
        {
            _sinks[key] = sink = new RecordedSink(location, ruleIndex, sinkName, value);
        }

        return sink;
    }

    public void AddFieldWrite(ISymbol field, TaintValue value)
    {
        _fieldWrites ??= new(SymbolEqualityComparer.Default);
        _fieldWrites[field] = _fieldWrites.TryGetValue(field, out var existing) ? existing.Join(value) : value;
    }
}

/// <summary>A sink an analysis reached: where, for which rule, the first sink name seen, and what reached it.</summary>
internal sealed class RecordedSink
{
    private List<Location>? _valueLocations;

    public RecordedSink(Location location, int ruleIndex, string sinkName, TaintValue value)
    {
        Location = location;
        RuleIndex = ruleIndex;
        SinkName = sinkName;
        Value = value;
    }

    public Location Location { get; }

    public int RuleIndex { get; }

    public string SinkName { get; }

    /// <summary>The join of every tainted value seen at the sink.</summary>
    public TaintValue Value { get; set; }

    /// <summary>
    /// Whether the sink was evaluated in the analysed body itself (or its lambdas and local functions), as opposed to a
    /// sink inside a called method that arrived through its summary. Only one body owns an operation, so a direct sink can
    /// be reported by exactly one analysis (deterministic reporting, see <see cref="TaintEngine.AnalyzeEntry"/>).
    /// </summary>
    public bool IsDirect { get; set; }

    /// <summary>
    /// Where the tainted operands of the sink are (e.g. the logged argument), each once, for code fixes that rewrite the
    /// operand rather than the whole sink.
    /// </summary>
    public IReadOnlyList<Location> ValueLocations => (IReadOnlyList<Location>?)_valueLocations ?? Array.Empty<Location>();

    public void AddValueLocation(Location location)
    {
        _valueLocations ??= new List<Location>(1);
        if (!_valueLocations.Contains(location))
        {
            _valueLocations.Add(location);
        }
    }
}
