using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace McpAnalyzers.Benchmarks;

/// <summary>A named set of analyzers with the compilation options that enable exactly the rules measured.</summary>
internal sealed class AnalyzerSet
{
    public AnalyzerSet(string name, ImmutableArray<DiagnosticAnalyzer> analyzers, ImmutableDictionary<string, ReportDiagnostic> diagnosticOptions)
    {
        Name = name;
        Analyzers = analyzers;
        DiagnosticOptions = diagnosticOptions;
    }

    public string Name { get; }

    public ImmutableArray<DiagnosticAnalyzer> Analyzers { get; }

    /// <summary>Goes into <c>CompilationOptions.SpecificDiagnosticOptions</c>.</summary>
    public ImmutableDictionary<string, ReportDiagnostic> DiagnosticOptions { get; }
}

internal static class AnalyzerSets
{
    /// <summary>The NetAnalyzers security rules measured against McpAnalyzers (everything else is suppressed).</summary>
    public static readonly ImmutableArray<string> NetSecurityRules = ImmutableArray.Create("CA2100", "CA3001", "CA3003", "CA3006", "CA5394", "CA5404", "CA5405");

    /// <summary>The analyzer's type name (the wrapped analyzer's for a <see cref="InstrumentedAnalyzer"/>).</summary>
    public static string NameOf(DiagnosticAnalyzer analyzer) => (analyzer is InstrumentedAnalyzer instrumented ? instrumented.Inner : analyzer).GetType().Name;

    /// <summary>
    /// The same analyzers, each in a <see cref="InstrumentedAnalyzer"/> (new instances: one set's runs, one sum each); without
    /// <paramref name="readCpuClock"/> they read the garbage-collection pauses only.
    /// </summary>
    public static AnalyzerSet Instrumented(AnalyzerSet set, bool readCpuClock = true)
        => new(set.Name, set.Analyzers.Select(a => (DiagnosticAnalyzer)new InstrumentedAnalyzer(a, readCpuClock)).ToImmutableArray(), set.DiagnosticOptions);

    /// <summary>The baseline: one analyzer that registers nothing (driver overhead + compiler diagnostics only).</summary>
    public static AnalyzerSet Empty() => new("Empty analyzer (baseline)", ImmutableArray.Create<DiagnosticAnalyzer>(new EmptyAnalyzer()), ImmutableDictionary<string, ReportDiagnostic>.Empty);

    /// <summary>
    /// Every analyzer of the McpAnalyzers assembly, found by reflection (whatever rules this build has),
    /// with all their rules enabled as warnings.
    /// </summary>
    public static AnalyzerSet McpAnalyzers()
    {
        var assembly = Assembly.Load("McpAnalyzers");
        var analyzers = assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t)
                && t.GetCustomAttributes<DiagnosticAnalyzerAttribute>().Any(a => a.Languages.Contains(LanguageNames.CSharp)))
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .ToImmutableArray();
        if (analyzers.IsEmpty)
        {
            throw new InvalidOperationException("No analyzer found in " + assembly.Location);
        }

        var options = analyzers.SelectMany(a => a.SupportedDiagnostics).Select(d => d.Id).Distinct()
            .ToImmutableDictionary(id => id, _ => ReportDiagnostic.Warn);
        return new AnalyzerSet($"McpAnalyzers ({analyzers.Length} analyzers)", analyzers, options);
    }

    /// <summary>
    /// The analyzers of the pinned Microsoft.CodeAnalysis.NetAnalyzers package (copied to netanalyzers/ at
    /// build), loaded through <see cref="AnalyzerFileReference"/>. Only the analyzers that support one of
    /// <see cref="NetSecurityRules"/> are kept; those rules are Warning and every other ID they support is
    /// suppressed, so the driver runs exactly the rules measured.
    /// </summary>
    public static AnalyzerSet NetAnalyzers()
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "netanalyzers");
        var dlls = Directory.Exists(folder) ? Directory.GetFiles(folder, "*.dll").OrderBy(f => f, StringComparer.Ordinal).ToArray() : Array.Empty<string>();
        if (dlls.Length == 0)
        {
            throw new InvalidOperationException("NetAnalyzers dlls not found in " + folder + " (they are copied there by the build).");
        }

        var loader = new FolderAnalyzerLoader(folder);
        var errors = new List<string>();
        var all = new List<DiagnosticAnalyzer>();
        foreach (var dll in dlls)
        {
            var reference = new AnalyzerFileReference(dll, loader);
            reference.AnalyzerLoadFailed += (_, e) => errors.Add($"{Path.GetFileName(dll)}: {e.ErrorCode} {e.Message}");
            all.AddRange(reference.GetAnalyzers(LanguageNames.CSharp));
        }

        if (errors.Count > 0)
        {
            throw new InvalidOperationException("NetAnalyzers failed to load:" + Environment.NewLine + string.Join(Environment.NewLine, errors));
        }

        var wanted = NetSecurityRules.ToHashSet(StringComparer.Ordinal);
        var selected = all.Where(a => a.SupportedDiagnostics.Any(d => wanted.Contains(d.Id))).ToImmutableArray();
        var missing = wanted.Where(id => !selected.Any(a => a.SupportedDiagnostics.Any(d => d.Id == id))).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException("NetAnalyzers has no analyzer for " + string.Join(", ", missing));
        }

        var options = selected.SelectMany(a => a.SupportedDiagnostics).Select(d => d.Id).Distinct()
            .ToImmutableDictionary(id => id, id => wanted.Contains(id) ? ReportDiagnostic.Warn : ReportDiagnostic.Suppress);
        var version = selected[0].GetType().Assembly.GetName().Version;
        return new AnalyzerSet($"NetAnalyzers {version} ({string.Join(", ", NetSecurityRules)})", selected, options);
    }

    /// <summary>Loads analyzer assemblies into the default context and resolves their dependencies from one folder.</summary>
    private sealed class FolderAnalyzerLoader : IAnalyzerAssemblyLoader
    {
        private readonly string _folder;

        public FolderAnalyzerLoader(string folder)
        {
            _folder = folder;
            AssemblyLoadContext.Default.Resolving += (context, name) =>
            {
                var candidate = Path.Combine(_folder, name.Name + ".dll");
                return File.Exists(candidate) ? context.LoadFromAssemblyPath(candidate) : null;
            };
        }

        public void AddDependencyLocation(string fullPath)
        {
        }

        public Assembly LoadFromPath(string fullPath) => AssemblyLoadContext.Default.LoadFromAssemblyPath(fullPath);
    }
}

/// <summary>
/// One no-op operation-block action: what the analyzer driver costs on its own for an operation-based
/// analyzer (binding every method body and building its operation tree). An analyzer that registers
/// nothing would not make the driver bind anything, so it would not be a baseline for McpAnalyzers.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class EmptyAnalyzer : DiagnosticAnalyzer
{
    private static readonly DiagnosticDescriptor Rule = new("BENCH000", "Empty", "Empty", "Benchmark", DiagnosticSeverity.Warning, isEnabledByDefault: true);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze | GeneratedCodeAnalysisFlags.ReportDiagnostics);
        context.RegisterOperationBlockAction(_ => { });
    }
}
