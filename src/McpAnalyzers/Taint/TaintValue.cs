using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;

namespace McpAnalyzers.Taint;

/// <summary>
/// Where a tainted value comes from: a source (e.g. "Tool parameter 'path'") or, while a method summary
/// is computed, a symbolic parameter of that method that the caller substitutes with its own taint.
/// <see cref="Path"/> lists the helper methods the value travelled through, for the message.
/// </summary>
internal sealed class TaintOrigin : IEquatable<TaintOrigin>
{
    /// <summary><see cref="SymbolicParameter"/> of an origin that is a real source.</summary>
    public const int NotSymbolic = int.MinValue;

    /// <summary><see cref="SymbolicParameter"/> of the receiver (<c>this</c>) of a summarised method.</summary>
    public const int ThisParameter = -1;

    private readonly int _hash;

    public TaintOrigin(string description, int symbolicParameter, ImmutableArray<string> path, string? keyedDescriptionFormat)
    {
        Description = description;
        SymbolicParameter = symbolicParameter;
        Path = path.IsDefault ? ImmutableArray<string>.Empty : path;
        KeyedDescriptionFormat = keyedDescriptionFormat;
        var hash = StringComparer.Ordinal.GetHashCode(description) ^ (symbolicParameter * 397) ^ (keyedDescriptionFormat is null ? 0 : 1);
        foreach (var step in Path)
        {
            hash = (hash * 31) ^ StringComparer.Ordinal.GetHashCode(step);
        }

        _hash = hash;
    }

    /// <summary>How a message names the source, e.g. <c>Tool parameter 'path'</c>.</summary>
    public string Description { get; }

    public int SymbolicParameter { get; }

    public bool IsSymbolic => SymbolicParameter != NotSymbolic;

    /// <summary>Helper methods the value flowed through, outermost first (display strings).</summary>
    public ImmutableArray<string> Path { get; }

    /// <summary>
    /// Set for a whole bag of inputs (e.g. a tool's raw argument dictionary): a read with a constant
    /// key renames the origin after the key with this format (<see cref="ForKey"/>), e.g. <c>Tool argument '{0}'</c>.
    /// </summary>
    public string? KeyedDescriptionFormat { get; }

    public bool IsKeyedBag => KeyedDescriptionFormat is not null;

    public static TaintOrigin Source(string description, string? keyedDescriptionFormat = null)
        => new(description, NotSymbolic, ImmutableArray<string>.Empty, keyedDescriptionFormat);

    /// <summary>The origin of a summarised method's parameter <paramref name="parameter"/> (<see cref="ThisParameter"/>: its receiver).</summary>
    public static TaintOrigin Symbolic(int parameter)
        => parameter >= ThisParameter && parameter < SymbolicOrigins.Length - 1
            ? SymbolicOrigins[parameter + 1]
            : CreateSymbolic(parameter);

    // Immutable, so shared: every summary starts from one per parameter.
    private static readonly TaintOrigin[] SymbolicOrigins = Enumerable.Range(ThisParameter, 17).Select(CreateSymbolic).ToArray();

    private static TaintOrigin CreateSymbolic(int parameter)
        => new("parameter #" + parameter, parameter, ImmutableArray<string>.Empty, keyedDescriptionFormat: null);

    /// <summary>The same origin after a call: the caller's path, then the callee, then the callee's own path.</summary>
    public TaintOrigin WithPath(ImmutableArray<string> prefix, ImmutableArray<string> suffix)
        => new(Description, SymbolicParameter, prefix.AddRange(suffix), KeyedDescriptionFormat);

    public TaintOrigin ForKey(string key)
        => KeyedDescriptionFormat is null
            ? this
            : new(string.Format(System.Globalization.CultureInfo.InvariantCulture, KeyedDescriptionFormat, key), SymbolicParameter, Path, keyedDescriptionFormat: null);

    /// <summary>" through A(string) and B(string)", or empty when the flow is direct.</summary>
    public string PathText()
    {
        if (Path.IsEmpty)
        {
            return string.Empty;
        }

        var text = new StringBuilder(" through ");
        for (var i = 0; i < Path.Length; i++)
        {
            if (i > 0)
            {
                text.Append(i == Path.Length - 1 ? " and " : ", ");
            }

            text.Append(Path[i]);
        }

        return text.ToString();
    }

    public bool Equals(TaintOrigin? other)
        => ReferenceEquals(this, other)
            || (other is not null
            && _hash == other._hash
            && SymbolicParameter == other.SymbolicParameter
            && string.Equals(KeyedDescriptionFormat, other.KeyedDescriptionFormat, StringComparison.Ordinal)
            && string.Equals(Description, other.Description, StringComparison.Ordinal)
            && Path.SequenceEqual(other.Path, StringComparer.Ordinal));

    public override bool Equals(object? obj) => Equals(obj as TaintOrigin);

    public override int GetHashCode() => _hash;

    public override string ToString() => Description + PathText();
}

/// <summary>
/// The lattice value of one storage location or expression: for each origin, the set of sink kinds
/// (one bit per rule) it is still dangerous for. Sink-specific sanitisers clear one bit; general
/// validation clears all. Join = union of origins, OR of their kinds. Clean = no origins.
/// Immutable; the number of origins per value is small (parameters x helper paths).
/// </summary>
internal readonly struct TaintValue : IEquatable<TaintValue>
{
    // A small array, not a dictionary: a value has one or two origins almost always, and the fixed point joins,
    // compares and scans values for every operation it evaluates (an immutable dictionary's enumerator and
    // builder dominated those operations in profiles). Never empty, no origin twice, never mutated once built.
    private readonly KeyValuePair<TaintOrigin, int>[]? _origins;

    private TaintValue(KeyValuePair<TaintOrigin, int>[]? origins)
        => _origins = origins is null || origins.Length == 0 ? null : origins;

    public static TaintValue Clean => default;

    public bool IsClean => _origins is null;

    public IEnumerable<KeyValuePair<TaintOrigin, int>> Origins
        => _origins ?? Enumerable.Empty<KeyValuePair<TaintOrigin, int>>();

    /// <summary>The number of origins, for indexed loops (<see cref="Origins"/> boxes an enumerator).</summary>
    public int OriginCount => _origins?.Length ?? 0;

    /// <summary>The origin at <paramref name="index"/> (0 to <see cref="OriginCount"/> - 1) and its kinds.</summary>
    public KeyValuePair<TaintOrigin, int> OriginAt(int index) => _origins![index];

    public static TaintValue From(TaintOrigin origin, int kinds)
        => kinds == 0 ? Clean : new TaintValue(new[] { new KeyValuePair<TaintOrigin, int>(origin, kinds) });

    /// <summary>True when some origin is still dangerous for one of <paramref name="kinds"/>.</summary>
    public bool HasAny(int kinds)
    {
        if (_origins is null)
        {
            return false;
        }

        foreach (var pair in _origins)
        {
            if ((pair.Value & kinds) != 0)
            {
                return true;
            }
        }

        return false;
    }

    public TaintValue Join(TaintValue other)
    {
        if (other._origins is null)
        {
            return this;
        }

        if (_origins is null || ReferenceEquals(_origins, other._origins))
        {
            return _origins is null ? other : this;
        }

        // Most joins (merge points of the fixed point, `"a" + x + "b"`) add nothing new: answer without allocating.
        if (Covers(other))
        {
            return this;
        }

        if (other.Covers(this))
        {
            return other;
        }

        var joined = new List<KeyValuePair<TaintOrigin, int>>(_origins.Length + other._origins.Length);
        joined.AddRange(_origins);
        foreach (var pair in other._origins)
        {
            var index = IndexOf(joined, pair.Key);
            if (index < 0)
            {
                joined.Add(pair);
            }
            else
            {
                joined[index] = new KeyValuePair<TaintOrigin, int>(pair.Key, joined[index].Value | pair.Value);
            }
        }

        return new TaintValue(joined.ToArray());
    }

    /// <summary>Removes <paramref name="kinds"/> from every origin (a sanitiser or a passed check).</summary>
    public TaintValue Without(int kinds)
    {
        if (_origins is null || kinds == 0 || !HasAny(kinds))
        {
            return this;
        }

        var remaining = new List<KeyValuePair<TaintOrigin, int>>(_origins.Length);
        foreach (var pair in _origins)
        {
            var left = pair.Value & ~kinds;
            if (left != 0)
            {
                remaining.Add(new KeyValuePair<TaintOrigin, int>(pair.Key, left));
            }
        }

        return new TaintValue(remaining.ToArray());
    }

    /// <summary>True when every origin of <paramref name="other"/> is here with at least its kinds.</summary>
    private bool Covers(TaintValue other)
    {
        if (other._origins is null)
        {
            return true;
        }

        if (_origins is null || other._origins.Length > _origins.Length)
        {
            return false;
        }

        foreach (var pair in other._origins)
        {
            if (!TryGetKinds(pair.Key, out var kinds) || (kinds | pair.Value) != kinds)
            {
                return false;
            }
        }

        return true;
    }

    public bool Equals(TaintValue other)
    {
        if (_origins is null || other._origins is null)
        {
            return _origins is null && other._origins is null;
        }

        if (_origins.Length != other._origins.Length)
        {
            return false;
        }

        foreach (var pair in _origins)
        {
            if (!other.TryGetKinds(pair.Key, out var kinds) || kinds != pair.Value)
            {
                return false;
            }
        }

        return true;
    }

    public override bool Equals(object? obj) => obj is TaintValue other && Equals(other);

    public override int GetHashCode() => _origins?.Length ?? 0;

    private bool TryGetKinds(TaintOrigin origin, out int kinds)
    {
        foreach (var pair in _origins!)
        {
            if (pair.Key.Equals(origin))
            {
                kinds = pair.Value;
                return true;
            }
        }

        kinds = 0;
        return false;
    }

    private static int IndexOf(List<KeyValuePair<TaintOrigin, int>> origins, TaintOrigin origin)
    {
        for (var i = 0; i < origins.Count; i++)
        {
            if (origins[i].Key.Equals(origin))
            {
                return i;
            }
        }

        return -1;
    }

    public override string ToString() => _origins is null ? "clean" : string.Join(", ", _origins.Select(p => p.Key + ":" + p.Value));
}
