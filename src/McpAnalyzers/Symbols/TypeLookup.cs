using System.Collections.Concurrent;
using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace McpAnalyzers.Symbols;

/// <summary>
/// <see cref="Compilation.GetTypeByMetadataName"/> for the rules: each name answered once per compilation for every
/// analyzer, through the compilation's merged namespaces rather than a search of every referenced assembly.
/// </summary>
/// <remarks>
/// The rules resolve about a hundred BCL, SDK and library types in their compilation-start actions, most of them absent
/// from a given project (Npgsql, Dapper, PowerShell, System.DirectoryServices...). The lookup of an absent type asks every
/// referenced assembly (300 in an ASP.NET Core project): about a tenth of a millisecond, and several analyzers ask for
/// the same types. The namespace and the type are a few lookups in the compilation's merged global namespace, which
/// binding builds anyway; when the name is not one type there (duplicates, unusual metadata names) the compiler's own
/// lookup decides. Types in references with an extern alias are not in that namespace tree: with such a reference every
/// name goes to the compiler's lookup.
/// </remarks>
internal static class TypeLookup
{
    private static readonly ConditionalWeakTable<Compilation, Cache> Caches = new();

    /// <summary>The type <paramref name="metadataName"/> as <see cref="Compilation.GetTypeByMetadataName"/> finds it, or null.</summary>
    public static INamedTypeSymbol? FindType(this Compilation compilation, string metadataName)
    {
        var cache = Caches.GetValue(compilation, static c => new Cache(c));
        if (!cache.Types.TryGetValue(metadataName, out var type))
        {
            type = cache.UseNamespaces ? FindInNamespaces(compilation, metadataName) : compilation.GetTypeByMetadataName(metadataName);
            cache.Types.TryAdd(metadataName, type);
        }

        return type;
    }

    /// <summary>
    /// Null when the namespace of <paramref name="metadataName"/> does not exist; the one type of that name and arity in
    /// the merged namespace (and its nested types after '+') when there is exactly one; otherwise (none, duplicates the
    /// compiler may resolve, names that are not of the form Name`arity) the compiler's lookup.
    /// </summary>
    private static INamedTypeSymbol? FindInNamespaces(Compilation compilation, string metadataName)
    {
        var segments = metadataName.Split('+');
        var lastDot = segments[0].LastIndexOf('.');
        if (NamespaceOf(compilation.GlobalNamespace, segments[0], lastDot) is not { } container)
        {
            return null;
        }

        INamespaceOrTypeSymbol current = container;
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = i == 0 ? segments[0].Substring(lastDot + 1) : segments[i];
            if (SingleType(current, segment) is not { } found)
            {
                return compilation.GetTypeByMetadataName(metadataName);
            }

            current = found;
        }

        return (INamedTypeSymbol)current;
    }

    private static INamedTypeSymbol? SingleType(INamespaceOrTypeSymbol container, string metadataName)
    {
        var tick = metadataName.IndexOf('`');
        var arity = 0;
        if (tick >= 0 && !int.TryParse(metadataName.Substring(tick + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out arity))
        {
            return null;
        }

        var candidates = container.GetTypeMembers(tick < 0 ? metadataName : metadataName.Substring(0, tick), arity);
        return candidates.Length == 1 && candidates[0].MetadataName == metadataName ? candidates[0] : null;
    }

    /// <summary>True when the namespace of <paramref name="metadataName"/> (before the type name; nested types after '+') exists.</summary>
    internal static bool NamespaceExists(INamespaceSymbol global, string metadataName)
    {
        var topLevel = metadataName.Split('+')[0];
        return NamespaceOf(global, topLevel, topLevel.LastIndexOf('.')) is not null;
    }

    /// <summary>The namespace named by <paramref name="topLevel"/> up to <paramref name="end"/> (the global one when negative), or null.</summary>
    private static INamespaceSymbol? NamespaceOf(INamespaceSymbol global, string topLevel, int end)
    {
        var current = global;
        for (var start = 0; start < end;)
        {
            var dot = topLevel.IndexOf('.', start);
            var name = topLevel.Substring(start, dot - start);
            INamespaceSymbol? next = null;
            foreach (var member in current.GetMembers(name))
            {
                if (member is INamespaceSymbol child)
                {
                    next = child;
                    break;
                }
            }

            if (next is null)
            {
                return null;
            }

            current = next;
            start = dot + 1;
        }

        return current;
    }

    private sealed class Cache
    {
        public Cache(Compilation compilation)
            => UseNamespaces = !compilation.References.Any(r => r.Properties.Aliases.Any(alias => alias != "global"));

        public ConcurrentDictionary<string, INamedTypeSymbol?> Types { get; } = new();

        /// <summary>False with a reference under an extern alias: its types are not in the global namespace tree.</summary>
        public bool UseNamespaces { get; }
    }
}
