using System.Collections.Concurrent;
using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace McpAnalyzers.Symbols;

/// <summary>
/// <see cref="Compilation.GetTypeByMetadataName"/> for the rules: each name answered once per compilation for every
/// analyzer, and a type whose namespace does not exist answered without the lookup.
/// </summary>
/// <remarks>
/// The rules resolve about a hundred BCL, SDK and library types in their compilation-start actions, most of them absent
/// from a given project (Npgsql, Dapper, PowerShell, System.DirectoryServices...). The lookup of an absent type asks every
/// referenced assembly (300 in an ASP.NET Core project), a tenth of a millisecond each, and several analyzers ask for
/// the same types. The namespace is a few lookups in the compilation's merged global namespace, which binding builds
/// anyway. Types in references with an extern alias are not in that namespace tree: with such a reference the
/// namespace check is skipped.
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
            type = cache.CheckNamespaces && !NamespaceExists(compilation.GlobalNamespace, metadataName)
                ? null
                : compilation.GetTypeByMetadataName(metadataName);
            cache.Types.TryAdd(metadataName, type);
        }

        return type;
    }

    /// <summary>True when the namespace of <paramref name="metadataName"/> (before the type name; nested types after '+') exists.</summary>
    internal static bool NamespaceExists(INamespaceSymbol global, string metadataName)
    {
        var nested = metadataName.IndexOf('+');
        var topLevel = nested < 0 ? metadataName : metadataName.Substring(0, nested);
        var end = topLevel.LastIndexOf('.');
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
                return false;
            }

            current = next;
            start = dot + 1;
        }

        return true;
    }

    private sealed class Cache
    {
        public Cache(Compilation compilation)
            => CheckNamespaces = !compilation.References.Any(r => r.Properties.Aliases.Any(alias => alias != "global"));

        public ConcurrentDictionary<string, INamedTypeSymbol?> Types { get; } = new();

        public bool CheckNamespaces { get; }
    }
}
