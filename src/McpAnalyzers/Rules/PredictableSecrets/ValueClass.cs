using Microsoft.CodeAnalysis;

namespace McpAnalyzers.Rules.PredictableSecrets;

internal enum ValueKind
{
    /// <summary>Constants and values of unknown origin (parameters, configuration, user ids): neither flagged nor trusted.</summary>
    Neutral,

    /// <summary>Derived from a predictable source and nothing CSPRNG-backed.</summary>
    Predictable,

    /// <summary>Contains CSPRNG output: mixing it with predictable parts still yields an unguessable value.</summary>
    Secure,
}

/// <summary>The locals a predictable value passed through, innermost last (a tiny immutable list).</summary>
internal sealed class LocalPath
{
    public LocalPath(ILocalSymbol local, LocalPath? next)
    {
        Local = local;
        Next = next;
    }

    public ILocalSymbol Local { get; }

    public LocalPath? Next { get; }
}

/// <summary>How predictable a value is, and for a predictable one, the source to name in the message.</summary>
internal readonly struct ValueClass
{
    public static readonly ValueClass Neutral = new(ValueKind.Neutral, null, null);
    public static readonly ValueClass Secure = new(ValueKind.Secure, null, null);

    private ValueClass(ValueKind kind, string? source, LocalPath? path)
    {
        Kind = kind;
        Source = source;
        Path = path;
    }

    public ValueKind Kind { get; }

    /// <summary>For <see cref="ValueKind.Predictable"/>: the message fragment naming the source ("System.Random, which is predictable").</summary>
    public string? Source { get; }

    /// <summary>The locals the predictable value flowed through on its way to the current expression.</summary>
    public LocalPath? Path { get; }

    public bool IsPredictable => Kind == ValueKind.Predictable;

    public static ValueClass Predictable(string source) => new(ValueKind.Predictable, source, null);

    public ValueClass Through(ILocalSymbol local) => IsPredictable ? new(Kind, Source, new LocalPath(local, Path)) : this;
}
