using System;
using System.Collections.Immutable;
using System.Linq;
using McpAnalyzers.Options;
using McpAnalyzers.Symbols;
using McpAnalyzers.Taint;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace McpAnalyzers.Rules;

/// <summary>
/// MCPSEC005-MCPSEC009: tool input reaching an OS command, a file path, SQL text, an outgoing
/// request or code/type/expression evaluation without validation.
/// </summary>
/// <remarks>
/// One analyzer for the five rules, on purpose: the five share sources, propagation and general
/// validation, so the dataflow of a method runs once and each finding carries the rule whose sink
/// it reached (one kind bit per rule in the lattice). Each rule's sinks and sink-specific sanitisers
/// live in their own file (<see cref="OsCommandSinks"/>, <see cref="FilePathSinks"/>, <see cref="SqlSinks"/>,
/// <see cref="OutgoingRequestSinks"/>, <see cref="CodeEvaluationSinks"/>). Severity and suppression stay per
/// rule ID.
/// </remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ToolInputTaintAnalyzer : DiagnosticAnalyzer
{
    private static readonly string[] TestFrameworkAssemblies =
    {
        "xunit.core",
        "xunit.v3.core",
        "nunit.framework",
        "Microsoft.VisualStudio.TestPlatform.TestFramework",
        "MSTest.TestFramework",
    };

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        Descriptors.MCPSEC005,
        Descriptors.MCPSEC006,
        Descriptors.MCPSEC007,
        Descriptors.MCPSEC008,
        Descriptors.MCPSEC009);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze | GeneratedCodeAnalysisFlags.ReportDiagnostics);
        context.RegisterCompilationStartAction(OnCompilationStart);
    }

    private static void OnCompilationStart(CompilationStartAnalysisContext context)
    {
        var compilation = context.Compilation;
        if (McpSdkSymbols.TryCreate(compilation) is not { } sdk || IsExcludedTestProject(context.Options, compilation))
        {
            return;
        }

        var configuration = new TaintConfiguration(
            compilation,
            new McpToolInputSources(compilation, sdk),
            new[]
            {
                OsCommandSinks.Create(compilation),
                FilePathSinks.Create(compilation),
                SqlSinks.Create(compilation),
                OutgoingRequestSinks.Create(compilation),
                CodeEvaluationSinks.Create(compilation),
            });
        if (configuration.Rules.IsEmpty)
        {
            return;
        }

        var engine = new TaintEngine(compilation, configuration);
        context.RegisterOperationBlockAction(block => AnalyzeBlock(block, engine));
    }

    private static void AnalyzeBlock(OperationBlockAnalysisContext context, TaintEngine engine)
    {
        var body = context.OperationBlocks.FirstOrDefault(b => b is IMethodBodyOperation or IConstructorBodyOperation or IBlockOperation);
        if (body is null || context.OwningSymbol is not IMethodSymbol
            || !engine.ShouldAnalyze(context.OwningSymbol, body, context.CancellationToken))
        {
            return;
        }

        // The driver's graph, built only if the engine has not analysed this body already (tool methods
        // are analysed with their type's field taint).
        var options = ReadOptions(context.Options, body.Syntax.SyntaxTree, engine.Configuration);
        foreach (var finding in engine.AnalyzeEntry(context.OwningSymbol, () => context.GetControlFlowGraph(body), options, context.CancellationToken))
        {
            context.ReportDiagnostic(Diagnostic.Create(
                engine.Configuration.Rules[finding.RuleIndex].Descriptor,
                finding.Location,
                finding.Origin.Description,
                finding.SinkName,
                finding.Origin.PathText()));
        }
    }

    /// <summary>
    /// <c>mcpsec.max_call_depth</c> (default 3); <c>mcpsec.sanitizers</c> (documentation comment IDs,
    /// comma-separated: clean for every rule) and <c>mcpsec.MCPSEC00x.sanitizers</c> (clean for that rule).
    /// </summary>
    private static TaintOptions ReadOptions(AnalyzerOptions options, SyntaxTree tree, TaintConfiguration configuration)
    {
        var config = options.AnalyzerConfigOptionsProvider.GetOptions(tree);
        var depth = config.TryGetValue("mcpsec.max_call_depth", out var depthText) && int.TryParse(depthText.Trim(), out var parsed)
            ? parsed
            : TaintOptions.DefaultMaxCallDepth;
        var sanitizers = ImmutableDictionary.CreateBuilder<string, int>(StringComparer.Ordinal);
        AddSanitizers(config.TryGetValue("mcpsec.sanitizers", out var general) ? general : null, configuration.AllKinds);
        for (var i = 0; i < configuration.Rules.Length; i++)
        {
            AddSanitizers(config.TryGetValue("mcpsec." + configuration.Rules[i].Descriptor.Id + ".sanitizers", out var specific) ? specific : null, TaintConfiguration.KindOf(i));
        }

        return depth == TaintOptions.DefaultMaxCallDepth && sanitizers.Count == 0 ? TaintOptions.Default : new TaintOptions(depth, sanitizers.ToImmutable());

        void AddSanitizers(string? list, int kinds)
        {
            foreach (var id in (list ?? string.Empty).Split(new[] { ',', ';' }, StringSplitOptions.RemoveEmptyEntries).Select(s => s.Trim()).Where(s => s.Length > 0))
            {
                sanitizers[id] = sanitizers.TryGetValue(id, out var existing) ? existing | kinds : kinds;
            }
        }
    }

    /// <summary>
    /// Test projects are skipped unless <c>mcpsec.exclude_tests = false</c> (global option): a test
    /// project sets <c>IsTestProject</c> (visible as <c>build_property.IsTestProject</c>) or references
    /// xunit, NUnit or MSTest.
    /// </summary>
    private static bool IsExcludedTestProject(AnalyzerOptions options, Compilation compilation)
    {
        if (RuleOptions.GetGlobalString(options, "exclude_tests") is { } exclude && bool.TryParse(exclude, out var value) && !value)
        {
            return false;
        }

        if (options.AnalyzerConfigOptionsProvider.GlobalOptions.TryGetValue("build_property.IsTestProject", out var isTest)
            && string.Equals(isTest.Trim(), "true", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return compilation.ReferencedAssemblyNames.Any(a => TestFrameworkAssemblies.Contains(a.Name, StringComparer.OrdinalIgnoreCase));
    }
}
