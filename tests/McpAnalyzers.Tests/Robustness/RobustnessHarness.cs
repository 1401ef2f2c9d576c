using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace McpAnalyzers.Tests.Robustness;

/// <summary>
/// Runs analyzers and code fixes over source variants the way an IDE does on half-typed code, and
/// records every exception instead of stopping at the first:
/// <list type="number">
/// <item>the variant becomes an <see cref="AdhocWorkspace"/> project compiled against the real test
/// references (a console application when it has top-level statements);</item>
/// <item>all analyzers run through <see cref="CompilationWithAnalyzers"/> with concurrent analysis; an
/// exception reaches the <c>onAnalyzerException</c> callback (or shows up as AD0001) and is recorded;</item>
/// <item>for every diagnostic a code fix supports, the fix's <see cref="CodeFixProvider.RegisterCodeFixesAsync"/>
/// runs, every registered action (and nested action) computes its operations and the changed
/// solution's documents are materialised, then the fix-all provider runs for the document scope.</item>
/// </list>
/// Each variant has a time cap: a hang is reported as <see cref="FailureKind.Timeout"/>.
/// </summary>
public sealed class RobustnessHarness : IDisposable
{
    public static readonly TimeSpan DefaultVariantTimeout = TimeSpan.FromSeconds(30);

    // How long past the cap a variant may run before it is abandoned (for code that ignores cancellation).
    private static readonly TimeSpan AbandonGrace = TimeSpan.FromSeconds(5);

    private readonly ImmutableArray<DiagnosticAnalyzer> _analyzers;
    private readonly ImmutableArray<CodeFixProvider> _codeFixes;
    private readonly TimeSpan _variantTimeout;

    // Only hosts solutions (never changed): each variant forks an empty project of its output kind.
    private readonly AdhocWorkspace _workspace = new();
    private readonly ConcurrentDictionary<OutputKind, Lazy<Task<Project>>> _emptyProjects = new();

    public RobustnessHarness(ImmutableArray<DiagnosticAnalyzer> analyzers, ImmutableArray<CodeFixProvider> codeFixes, TimeSpan? variantTimeout = null)
    {
        _analyzers = analyzers;
        _codeFixes = codeFixes;
        _variantTimeout = variantTimeout ?? DefaultVariantTimeout;
    }

    /// <summary>A harness over every analyzer and code fix the package ships (none is fine: then only compilation runs).</summary>
    public static RobustnessHarness ForPackage(TimeSpan? variantTimeout = null)
        => new(PackageComponents.CreateAnalyzers(), PackageComponents.CreateCodeFixes(), variantTimeout);

    public int AnalyzerCount => _analyzers.Length;

    public int CodeFixCount => _codeFixes.Length;

    public void Dispose() => _workspace.Dispose();

    public async Task<RobustnessReport> RunAsync(IEnumerable<SourceVariant> variants, int maxParallelism = 1, Action<int>? progress = null, CancellationToken cancellationToken = default)
    {
        var builder = new RobustnessReport.Builder();
        var stopwatch = Stopwatch.StartNew();
        var done = 0;
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, maxParallelism), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(variants, options, async (variant, _) =>
        {
            await RunVariantAsync(variant, builder).ConfigureAwait(false);
            progress?.Invoke(Interlocked.Increment(ref done));
        }).ConfigureAwait(false);
        return builder.Build(_analyzers.Length, _codeFixes.Length, stopwatch.Elapsed);
    }

    private async Task RunVariantAsync(SourceVariant variant, RobustnessReport.Builder report)
    {
        report.CountVariant(variant);
        using var timeout = new CancellationTokenSource(_variantTimeout);
        try
        {
            await AnalyzeAndFixAsync(variant, report, timeout.Token).WaitAsync(_variantTimeout + AbandonGrace).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            report.Add(FailureKind.Timeout, "analyzers and code fixes", "variant", variant, $"Cancelled after the {_variantTimeout.TotalSeconds:0} s cap.");
        }
        catch (TimeoutException)
        {
            report.Add(FailureKind.Timeout, "analyzers and code fixes", "variant", variant, $"Still running {(_variantTimeout + AbandonGrace).TotalSeconds:0} s after start, ignoring cancellation: abandoned.");
        }
    }

    private async Task AnalyzeAndFixAsync(SourceVariant variant, RobustnessReport.Builder report, CancellationToken cancellationToken)
    {
        var project = await CreateProjectAsync(variant.Unit, cancellationToken).ConfigureAwait(false);
        var compilation = (await project.GetCompilationAsync(cancellationToken).ConfigureAwait(false))!;

        var diagnostics = await AnalyzeAsync(variant, compilation, report, cancellationToken).ConfigureAwait(false);
        if (diagnostics is null)
        {
            return;
        }

        foreach (var codeFix in _codeFixes)
        {
            await FixAsync(variant, project.Solution, codeFix, diagnostics.Value, report, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The unit's documents added to an empty project of the right output kind. Forking that project
    /// (whose compilation is already built) lets every variant reuse its bound references: binding
    /// ~300 references costs far more than compiling a snippet.
    /// </summary>
    private async Task<Project> CreateProjectAsync(CorpusUnit unit, CancellationToken cancellationToken)
    {
        var outputKind = RobustnessCompilation.OutputKindFor(RobustnessCompilation.Parse(unit));
        var empty = await _emptyProjects.GetOrAdd(outputKind, kind => new Lazy<Task<Project>>(() => CreateEmptyProjectAsync(kind))).Value.ConfigureAwait(false);
        var solution = empty.Solution;
        foreach (var document in unit.Documents)
        {
            cancellationToken.ThrowIfCancellationRequested();
            solution = solution.AddDocument(DocumentId.CreateNewId(empty.Id), System.IO.Path.GetFileName(document.Path), SourceText.From(document.Text), filePath: document.Path);
        }

        return solution.GetProject(empty.Id)!;
    }

    private async Task<Project> CreateEmptyProjectAsync(OutputKind outputKind)
    {
        var info = ProjectInfo.Create(
            ProjectId.CreateNewId(),
            VersionStamp.Default,
            name: "Corpus",
            assemblyName: "Corpus",
            LanguageNames.CSharp,
            compilationOptions: RobustnessCompilation.CompilationOptions(outputKind),
            parseOptions: RobustnessCompilation.ParseOptions,
            metadataReferences: RobustnessCompilation.References);
        var project = _workspace.CurrentSolution.AddProject(info).GetProject(info.Id)!;
        await project.GetCompilationAsync().ConfigureAwait(false);
        return project;
    }

    /// <summary>All diagnostics (compiler and analyzer), or null when the analysis itself failed.</summary>
    private async Task<ImmutableArray<Diagnostic>?> AnalyzeAsync(SourceVariant variant, Compilation compilation, RobustnessReport.Builder report, CancellationToken cancellationToken)
    {
        if (_analyzers.IsEmpty)
        {
            // CompilationWithAnalyzers needs at least one analyzer; compiler diagnostics still feed code fixes.
            return compilation.GetDiagnostics(cancellationToken);
        }

        var exceptions = new ConcurrentQueue<(Exception Exception, DiagnosticAnalyzer Analyzer)>();
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
            onAnalyzerException: (exception, analyzer, _) => exceptions.Enqueue((exception, analyzer)),
            concurrentAnalysis: true,
            logAnalyzerExecutionTime: false,
            reportSuppressedDiagnostics: false);

        ImmutableArray<Diagnostic> diagnostics;
        try
        {
            diagnostics = await compilation.WithAnalyzers(_analyzers, options).GetAllDiagnosticsAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (!IsOurCancellation(exception, cancellationToken))
        {
            report.Add(FailureKind.AnalyzerException, "CompilationWithAnalyzers", "GetAllDiagnosticsAsync", variant, RobustnessFailure.Describe(exception));
            return null;
        }

        foreach (var (exception, analyzer) in exceptions)
        {
            report.Add(FailureKind.AnalyzerException, analyzer.GetType().Name, "analysis", variant, RobustnessFailure.Describe(exception));
        }

        // Hosts turn analyzer exceptions into AD0001; count those too in case one bypassed the callback.
        if (exceptions.IsEmpty)
        {
            foreach (var diagnostic in diagnostics.Where(d => d.Id == "AD0001"))
            {
                report.Add(FailureKind.AnalyzerException, "AD0001", "analysis", variant, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        report.CountDiagnostics(variant, diagnostics.Where(d => !d.Id.StartsWith("CS", StringComparison.Ordinal) && d.Id != "AD0001").Select(Describe).ToList());
        return diagnostics;
    }

    /// <summary>The ID and where, as the determinism check writes locations: <c>MCPSEC005 /0/Test0.cs(12,9-12,40)</c>.</summary>
    private static string Describe(Diagnostic diagnostic) => diagnostic.Id + " " + DeterminismCheck.Format(diagnostic.Location);

    private static async Task FixAsync(SourceVariant variant, Solution solution, CodeFixProvider codeFix, ImmutableArray<Diagnostic> diagnostics, RobustnessReport.Builder report, CancellationToken cancellationToken)
    {
        var name = codeFix.GetType().Name;
        ImmutableArray<string> fixableIds;
        try
        {
            fixableIds = codeFix.FixableDiagnosticIds;
        }
        catch (Exception exception)
        {
            report.Add(FailureKind.CodeFixException, name, "FixableDiagnosticIds", variant, RobustnessFailure.Describe(exception));
            return;
        }

        var fixable = diagnostics
            .Where(d => d.Location.IsInSource && fixableIds.Contains(d.Id) && solution.GetDocument(d.Location.SourceTree) is not null)
            .ToList();
        if (fixable.Count == 0)
        {
            return;
        }

        var actions = new List<CodeAction>();
        foreach (var diagnostic in fixable)
        {
            var document = solution.GetDocument(diagnostic.Location.SourceTree)!;
            try
            {
                var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), cancellationToken);
                await codeFix.RegisterCodeFixesAsync(context).ConfigureAwait(false);
            }
            catch (Exception exception) when (!IsOurCancellation(exception, cancellationToken))
            {
                report.Add(FailureKind.CodeFixException, name, $"RegisterCodeFixesAsync for {diagnostic.Id} at {diagnostic.Location.GetLineSpan().StartLinePosition}", variant, RobustnessFailure.Describe(exception));
            }
        }

        foreach (var action in actions.SelectMany(Flatten))
        {
            try
            {
                await ApplyAsync(action, solution, cancellationToken).ConfigureAwait(false);
                report.CountCodeAction(variant, name);
            }
            catch (Exception exception) when (!IsOurCancellation(exception, cancellationToken))
            {
                report.Add(FailureKind.CodeFixException, name, $"code action '{action.Title}'", variant, RobustnessFailure.Describe(exception));
            }
        }

        await FixAllAsync(variant, solution, codeFix, fixable, actions, report, cancellationToken).ConfigureAwait(false);
    }

    private static async Task FixAllAsync(SourceVariant variant, Solution solution, CodeFixProvider codeFix, List<Diagnostic> fixable, List<CodeAction> actions, RobustnessReport.Builder report, CancellationToken cancellationToken)
    {
        var name = codeFix.GetType().Name;
        FixAllProvider? fixAll;
        try
        {
            fixAll = codeFix.GetFixAllProvider();
            if (fixAll is null || !fixAll.GetSupportedFixAllScopes().Contains(FixAllScope.Document))
            {
                return;
            }
        }
        catch (Exception exception)
        {
            report.Add(FailureKind.CodeFixException, name, "GetFixAllProvider", variant, RobustnessFailure.Describe(exception));
            return;
        }

        var diagnosticProvider = new FixedDiagnosticProvider(fixable);
        var ids = fixable.Select(d => d.Id).Distinct().ToList();
        // A user fixes all from a leaf action; a container of nested actions has no changes of its own.
        var equivalenceKeys = actions.SelectMany(Flatten).Select(a => a.EquivalenceKey).Distinct().ToList();
        foreach (var tree in fixable.Select(d => d.Location.SourceTree!).Distinct())
        {
            var document = solution.GetDocument(tree)!;
            foreach (var key in equivalenceKeys)
            {
                try
                {
                    var context = new FixAllContext(document, codeFix, FixAllScope.Document, key, ids, diagnosticProvider, cancellationToken);
                    var action = await fixAll.GetFixAsync(context).ConfigureAwait(false);
                    if (action is not null)
                    {
                        await ApplyAsync(action, solution, cancellationToken).ConfigureAwait(false);
                        report.CountFixAll(variant, name);
                    }
                }
                catch (Exception exception) when (!IsOurCancellation(exception, cancellationToken))
                {
                    report.Add(FailureKind.CodeFixException, name, $"fix all in document (equivalence key '{key}')", variant, RobustnessFailure.Describe(exception));
                }
            }
        }
    }

    private static IEnumerable<CodeAction> Flatten(CodeAction action)
        => action.NestedActions.IsDefaultOrEmpty ? new[] { action } : action.NestedActions.SelectMany(Flatten);

    /// <summary>Computes the action's operations and materialises every document it changes, as applying it in an IDE would.</summary>
    private static async Task ApplyAsync(CodeAction action, Solution solution, CancellationToken cancellationToken)
    {
        foreach (var operation in await action.GetOperationsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (operation is not ApplyChangesOperation apply)
            {
                continue;
            }

            var changed = apply.ChangedSolution;
            foreach (var projectChanges in changed.GetChanges(solution).GetProjectChanges())
            {
                foreach (var documentId in projectChanges.GetChangedDocuments().Concat(projectChanges.GetAddedDocuments()))
                {
                    var document = changed.GetDocument(documentId);
                    if (document is not null)
                    {
                        await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
                    }
                }
            }
        }
    }

    private static bool IsOurCancellation(Exception exception, CancellationToken cancellationToken)
        => exception is OperationCanceledException && cancellationToken.IsCancellationRequested;

    /// <summary>Serves the diagnostics already computed for the variant to fix-all (document scope).</summary>
    private sealed class FixedDiagnosticProvider : FixAllContext.DiagnosticProvider
    {
        private readonly IReadOnlyList<Diagnostic> _diagnostics;

        public FixedDiagnosticProvider(IReadOnlyList<Diagnostic> diagnostics) => _diagnostics = diagnostics;

        public override async Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken)
        {
            var tree = await document.GetSyntaxTreeAsync(cancellationToken).ConfigureAwait(false);
            return _diagnostics.Where(d => d.Location.SourceTree == tree).ToList();
        }

        public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken)
            => Task.FromResult(Enumerable.Empty<Diagnostic>());

        public override Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken)
            => Task.FromResult<IEnumerable<Diagnostic>>(_diagnostics);
    }
}
