using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace McpAnalyzers.Benchmarks;

/// <summary>
/// What the corpus compiles against (the recipe of the tests' <c>TestReferences</c>): the installed SDK's
/// reference packs Microsoft.NETCore.App.Ref and Microsoft.AspNetCore.App.Ref, plus this project's own
/// restored dlls of the MCP SDK, Microsoft.Extensions.AI and Microsoft.Data.Sqlite. Nothing is downloaded.
/// </summary>
internal static class CorpusReferences
{
    private static readonly string[] McpPrefixes = { "ModelContextProtocol", "Microsoft.Extensions.AI" };
    private static readonly string[] OtherPrefixes = { "Microsoft.Data.Sqlite" };

    private static readonly Lazy<ImmutableArray<MetadataReference>> WithMcpLazy = new(() => Load(withMcp: true));
    private static readonly Lazy<ImmutableArray<MetadataReference>> WithoutMcpLazy = new(() => Load(withMcp: false));

    public static ImmutableArray<MetadataReference> Get(bool withMcp) => withMcp ? WithMcpLazy.Value : WithoutMcpLazy.Value;

    private static ImmutableArray<MetadataReference> Load(bool withMcp)
    {
        // The dotnet root is three folders above System.Private.CoreLib (shared/Microsoft.NETCore.App/<version>/).
        var dotnetRoot = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "..", "..", ".."));
        var files = new List<string>();
        files.AddRange(PackDlls(dotnetRoot, "Microsoft.NETCore.App.Ref"));
        files.AddRange(PackDlls(dotnetRoot, "Microsoft.AspNetCore.App.Ref"));

        var packNames = new HashSet<string>(files.Select(f => Path.GetFileName(f)), StringComparer.OrdinalIgnoreCase);
        var prefixes = withMcp ? McpPrefixes.Concat(OtherPrefixes).ToArray() : OtherPrefixes;
        foreach (var dll in Directory.EnumerateFiles(AppContext.BaseDirectory, "*.dll").OrderBy(f => f, StringComparer.Ordinal))
        {
            var name = Path.GetFileName(dll);
            if (prefixes.Any(p => name.StartsWith(p, StringComparison.OrdinalIgnoreCase)) && !packNames.Contains(name))
            {
                files.Add(dll);
            }
        }

        return files.Select(f => (MetadataReference)MetadataReference.CreateFromFile(f)).ToImmutableArray();
    }

    private static IEnumerable<string> PackDlls(string dotnetRoot, string packName)
    {
        var packRoot = Path.Combine(dotnetRoot, "packs", packName);
        var newest = Directory.GetDirectories(packRoot)
            .OrderByDescending(d => Version.TryParse(Path.GetFileName(d).Split('-')[0], out var v) ? v : new Version(0, 0))
            .FirstOrDefault(d => Directory.Exists(Path.Combine(d, "ref", "net10.0")))
            ?? throw new InvalidOperationException($"No {packName} targeting pack for net10.0 under {packRoot}.");
        return Directory.EnumerateFiles(Path.Combine(newest, "ref", "net10.0"), "*.dll").OrderBy(f => f, StringComparer.Ordinal);
    }
}
