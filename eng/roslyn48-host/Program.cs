using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using System.Text;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace Roslyn48Host;

/// <summary>
/// Loads analyzer assemblies the way the compiler does (<see cref="AnalyzerFileReference"/>) on the
/// Roslyn version this host references, compiles a project from its recorded csc command line and runs
/// the analyzers with <see cref="CompilationWithAnalyzers"/>. Writes "file(line): ID" per diagnostic.
/// Exit codes: 0 ok, 1 analyzer/compiler failure, 2 usage.
/// </summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        var options = ParseArguments(args);
        if (options is null)
        {
            Console.Error.WriteLine("usage: Roslyn48Host --analyzers <dir> --project <dir> --commandline <file> --out <file> [--supported-out <file>]");
            return 2;
        }

        var roslyn = typeof(Compilation).Assembly.GetName();
        Console.WriteLine($"roslyn48-host: running on {roslyn.Name} {roslyn.Version}");

        var failures = new List<string>();
        var analyzers = LoadAnalyzers(options.AnalyzerDirectory, failures);
        var fixes = LoadCodeFixes(options.AnalyzerDirectory, failures);
        var supported = analyzers.SelectMany(a => a.SupportedDiagnostics).Select(d => d.Id).Distinct().OrderBy(id => id, StringComparer.Ordinal).ToArray();
        Console.WriteLine($"roslyn48-host: loaded {analyzers.Length} analyzers ({string.Join(", ", supported)}) and {fixes.Length} code fixes");
        foreach (var fix in fixes)
        {
            foreach (var id in fix.FixableDiagnosticIds.Where(id => !supported.Contains(id)))
            {
                failures.Add($"{fix.GetType().Name} fixes {id}, which no analyzer reports");
            }
        }

        var compilation = CreateCompilation(options, out var analyzerOptions, failures);
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        foreach (var error in errors.Take(20))
        {
            failures.Add("compiler: " + error);
        }

        var lines = new List<string>();
        if (analyzers.Length > 0 && errors.Length == 0)
        {
            var withAnalyzers = compilation.WithAnalyzers(
                analyzers,
                new CompilationWithAnalyzersOptions(
                    analyzerOptions,
                    onAnalyzerException: (exception, analyzer, _) => failures.Add($"{analyzer.GetType().Name} threw {exception.GetType().Name}: {exception.Message}"),
                    concurrentAnalysis: true,
                    logAnalyzerExecutionTime: false));
            foreach (var diagnostic in await withAnalyzers.GetAnalyzerDiagnosticsAsync().ConfigureAwait(false))
            {
                if (diagnostic.Id == "AD0001")
                {
                    failures.Add(diagnostic.ToString());
                    continue;
                }

                var span = diagnostic.Location.GetLineSpan();
                var file = Path.GetRelativePath(options.ProjectDirectory, span.Path).Replace('\\', '/');
                lines.Add($"{file}({span.StartLinePosition.Line + 1}): {diagnostic.Id}");
            }
        }

        File.WriteAllLines(options.OutputFile, lines.Distinct().OrderBy(l => l, StringComparer.Ordinal));
        if (options.SupportedOutputFile is not null)
        {
            File.WriteAllLines(options.SupportedOutputFile, supported);
        }

        foreach (var failure in failures)
        {
            Console.Error.WriteLine("roslyn48-host: " + failure);
        }

        Console.WriteLine($"roslyn48-host: {lines.Count} diagnostics on {compilation.SyntaxTrees.Count()} files, {failures.Count} failures");
        return failures.Count == 0 ? 0 : 1;
    }

    private static ImmutableArray<DiagnosticAnalyzer> LoadAnalyzers(string directory, List<string> failures)
    {
        var loader = new DirectoryAnalyzerLoader(directory);
        var analyzers = ImmutableArray.CreateBuilder<DiagnosticAnalyzer>();
        foreach (var path in Directory.GetFiles(directory, "*.dll").OrderBy(p => p, StringComparer.Ordinal))
        {
            var reference = new AnalyzerFileReference(path, loader);
            reference.AnalyzerLoadFailed += (_, e) => failures.Add($"{Path.GetFileName(path)}: {e.ErrorCode}: {e.Message}");
            analyzers.AddRange(reference.GetAnalyzers(LanguageNames.CSharp));
        }

        return analyzers.ToImmutable();
    }

    /// <summary>Instantiates every exported code fix, as an IDE would; a load failure means the fixes are dead on this Roslyn.</summary>
    private static ImmutableArray<CodeFixProvider> LoadCodeFixes(string directory, List<string> failures)
    {
        var fixes = ImmutableArray.CreateBuilder<CodeFixProvider>();
        foreach (var path in Directory.GetFiles(directory, "*.dll"))
        {
            try
            {
                var assembly = AssemblyLoadContext.Default.LoadFromAssemblyPath(path);
                foreach (var type in assembly.GetTypes().Where(t => !t.IsAbstract && typeof(CodeFixProvider).IsAssignableFrom(t)))
                {
                    if (type.GetCustomAttribute<ExportCodeFixProviderAttribute>() is null)
                    {
                        failures.Add($"{type.Name} lacks [ExportCodeFixProvider]");
                        continue;
                    }

                    var fix = (CodeFixProvider)Activator.CreateInstance(type)!;
                    _ = fix.GetFixAllProvider();
                    fixes.Add(fix);
                }
            }
            catch (Exception ex) when (ex is ReflectionTypeLoadException or FileLoadException or FileNotFoundException or BadImageFormatException or TypeLoadException or MissingMethodException)
            {
                failures.Add($"{Path.GetFileName(path)}: {ex.GetType().Name}: {ex.Message}");
            }
        }

        return fixes.ToImmutable();
    }

    private static CSharpCompilation CreateCompilation(HostOptions options, out AnalyzerOptions analyzerOptions, List<string> failures)
    {
        // The switches newer than this compiler (e.g. /langversion:13.0, /features:...) are dropped:
        // the host checks the analyzers, not the project's language version.
        var arguments = CommandLineParser.SplitCommandLineIntoArguments(File.ReadAllText(options.CommandLineFile), removeHashComments: false)
            .Where(a => !a.StartsWith("/langversion:", StringComparison.OrdinalIgnoreCase) && !a.StartsWith("/features:", StringComparison.OrdinalIgnoreCase))
            .ToArray();
        var parsed = CSharpCommandLineParser.Default.Parse(arguments, options.ProjectDirectory, sdkDirectory: null);
        foreach (var error in parsed.Errors.Where(e => e.Severity == DiagnosticSeverity.Error))
        {
            failures.Add("command line: " + error.GetMessage());
        }

        var trees = parsed.SourceFiles
            .Select(file => CSharpSyntaxTree.ParseText(SourceText.From(File.ReadAllText(file.Path), Encoding.UTF8), parsed.ParseOptions, file.Path))
            .ToArray();
        var references = parsed.MetadataReferences
            .Select(r => (MetadataReference)MetadataReference.CreateFromFile(Path.GetFullPath(r.Reference, options.ProjectDirectory), r.Properties))
            .ToArray();

        var configs = parsed.AnalyzerConfigPaths
            .Select(path => AnalyzerConfig.Parse(SourceText.From(File.ReadAllText(path), Encoding.UTF8), path))
            .ToArray();
        analyzerOptions = new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty, new ConfigOptionsProvider(AnalyzerConfigSet.Create(configs)));

        return CSharpCompilation.Create(parsed.CompilationName ?? "Project", trees, references, parsed.CompilationOptions);
    }

    private static HostOptions? ParseArguments(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            values[args[i]] = args[i + 1];
        }

        return values.TryGetValue("--analyzers", out var analyzers)
            && values.TryGetValue("--project", out var project)
            && values.TryGetValue("--commandline", out var commandLine)
            && values.TryGetValue("--out", out var output)
            ? new HostOptions(Path.GetFullPath(analyzers), Path.GetFullPath(project), commandLine, output, values.GetValueOrDefault("--supported-out"))
            : null;
    }

    private sealed record HostOptions(string AnalyzerDirectory, string ProjectDirectory, string CommandLineFile, string OutputFile, string? SupportedOutputFile);

    /// <summary>Loads analyzer assemblies and their dependencies from one folder, like the compiler's loader.</summary>
    private sealed class DirectoryAnalyzerLoader : IAnalyzerAssemblyLoader
    {
        public DirectoryAnalyzerLoader(string directory)
            => AssemblyLoadContext.Default.Resolving += (context, name) =>
            {
                var candidate = Path.Combine(directory, name.Name + ".dll");
                return File.Exists(candidate) ? context.LoadFromAssemblyPath(candidate) : null;
            };

        public void AddDependencyLocation(string fullPath)
        {
        }

        public Assembly LoadFromPath(string fullPath) => AssemblyLoadContext.Default.LoadFromAssemblyPath(fullPath);
    }

    /// <summary>.editorconfig/.globalconfig options (build_property.*, mcpsec.*) as the compiler computes them.</summary>
    private sealed class ConfigOptionsProvider(AnalyzerConfigSet set) : AnalyzerConfigOptionsProvider
    {
        public override AnalyzerConfigOptions GlobalOptions { get; } = new DictionaryOptions(set.GlobalConfigOptions.AnalyzerOptions);

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => new DictionaryOptions(set.GetOptionsForSourcePath(tree.FilePath).AnalyzerOptions);

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => new DictionaryOptions(set.GetOptionsForSourcePath(textFile.Path).AnalyzerOptions);
    }

    private sealed class DictionaryOptions(ImmutableDictionary<string, string> options) : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, out string value)
        {
            if (options.TryGetValue(key, out var found))
            {
                value = found;
                return true;
            }

            value = string.Empty;
            return false;
        }
    }
}
