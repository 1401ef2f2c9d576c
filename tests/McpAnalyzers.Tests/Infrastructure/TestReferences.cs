using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;

namespace McpAnalyzers.Tests.Infrastructure;

/// <summary>
/// The real assemblies that code under test compiles against: the installed SDK's reference packs
/// (Microsoft.NETCore.App.Ref and Microsoft.AspNetCore.App.Ref) plus the MCP SDK, IdentityModel,
/// JwtBearer and Microsoft.Identity.Web assemblies restored for this test project. Nothing is
/// downloaded at test time.
/// </summary>
internal static class TestReferences
{
    /// <summary>An empty reference set: every reference comes from <see cref="All"/>.</summary>
    public static ReferenceAssemblies ReferenceAssemblies { get; } = new("net10.0");

    private static readonly Lazy<ImmutableArray<MetadataReference>> Lazy = new(Load);

    public static ImmutableArray<MetadataReference> All => Lazy.Value;

    /// <summary>Assembly file-name prefixes, copied to the test output by restore, that tests compile against.</summary>
    private static readonly string[] PackagePrefixes =
    {
        "ModelContextProtocol",
        "Microsoft.IdentityModel",
        "System.IdentityModel",
        "Microsoft.Extensions.AI",
        "Microsoft.AspNetCore.Authentication.JwtBearer",
        "Microsoft.AspNetCore.Authentication.OpenIdConnect",
        "Microsoft.Identity.",
        "Microsoft.Data.Sqlite",
        "Microsoft.EntityFrameworkCore",
        "Dapper",
        "Npgsql",
        "Microsoft.CodeAnalysis.Scripting",
        "Microsoft.CodeAnalysis.CSharp.Scripting",
        "System.Linq.Dynamic.Core",
        "Newtonsoft.Json",
        "Azure.Core",
        "System.ClientModel",
        "System.DirectoryServices",
    };

    /// <summary>PowerShell's hosting API (MCPSEC005's <c>AddScript</c> sink) ships per operating system only.</summary>
    private static readonly string[] RuntimeSpecificAssemblies = { "System.Management.Automation" };

    private static ImmutableArray<MetadataReference> Load()
    {
        var dotnetRoot = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "..", "..", ".."));
        var files = new List<string>();
        files.AddRange(PackDlls(dotnetRoot, "Microsoft.NETCore.App.Ref"));
        files.AddRange(PackDlls(dotnetRoot, "Microsoft.AspNetCore.App.Ref"));

        var packNames = new HashSet<string>(files.Select(Path.GetFileName)!, StringComparer.OrdinalIgnoreCase);
        foreach (var dll in Directory.EnumerateFiles(AppContext.BaseDirectory, "*.dll"))
        {
            var name = Path.GetFileName(dll);
            if (PackagePrefixes.Any(p => name.StartsWith(p, StringComparison.OrdinalIgnoreCase)) && !packNames.Contains(name))
            {
                files.Add(dll);
            }
        }

        // Packages whose assembly is runtime-specific only (no lib/ asset): restore copies them under runtimes/<os>/lib.
        var runtimeFolder = Path.Combine(AppContext.BaseDirectory, "runtimes", OperatingSystem.IsWindows() ? "win" : "unix", "lib", "net10.0");
        files.AddRange(RuntimeSpecificAssemblies.Select(name => Path.Combine(runtimeFolder, name + ".dll")).Where(File.Exists));

        return files.Select(f => (MetadataReference)MetadataReference.CreateFromFile(f)).ToImmutableArray();
    }

    private static IEnumerable<string> PackDlls(string dotnetRoot, string packName)
    {
        var packRoot = Path.Combine(dotnetRoot, "packs", packName);
        var newest = Directory.GetDirectories(packRoot)
            .OrderByDescending(d => Version.TryParse(Path.GetFileName(d).Split('-')[0], out var v) ? v : new Version(0, 0))
            .FirstOrDefault(d => Directory.Exists(Path.Combine(d, "ref", "net10.0")))
            ?? throw new InvalidOperationException($"No {packName} targeting pack for net10.0 under {packRoot}.");
        return Directory.EnumerateFiles(Path.Combine(newest, "ref", "net10.0"), "*.dll");
    }
}
