using System;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using McpAnalyzers.Options;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace McpAnalyzers.Taint;

/// <summary>
/// The analyzer side of a taint rule family, shared by every analyzer that builds a
/// <see cref="TaintConfiguration"/> (MCPSEC005-009, MCPSEC001, MCPSEC013): the operation-block action that
/// runs the engine on bodies containing a source and reports the findings, the deferred helper-sink
/// findings, the options, and the test-project exclusion, so every flow rule behaves alike.
/// </summary>
internal static class TaintAnalysisHost
{
    /// <summary>
    /// Diagnostic property: the spans (<c>start:length</c>, comma-separated) of the tainted operands of the sink,
    /// in the diagnostic's document, for code fixes that rewrite the operand (the logged argument) only.
    /// </summary>
    public const string ValueSpansProperty = "ValueSpans";

    private static readonly string[] TestFrameworkAssemblies =
    {
        "xunit.core",
        "xunit.v3.core",
        "nunit.framework",
        "Microsoft.VisualStudio.TestPlatform.TestFramework",
        "MSTest.TestFramework",
    };

    /// <summary>
    /// Registers the engine on every operation block of the compilation, and a compilation-end action for
    /// the sinks inside helpers that several entries reach: those are reported once every entry has been
    /// analysed, so that the origin named in the message does not depend on the order of concurrent analysis.
    /// </summary>
    public static void Register(CompilationStartAnalysisContext context, TaintEngine engine)
    {
        // Not per type (a symbol-start action registering the block action only for types that can hold a source):
        // members of a type whose declaration is broken (`public class static Tools`) then got no callback, and the
        // 20,000-variant stress run lost 8 findings in such code; the per-body pre-check is cheap enough.
        context.RegisterOperationBlockAction(block => AnalyzeBlock(block, engine));
        context.RegisterCompilationEndAction(end =>
        {
            foreach (var finding in engine.GetDeferredFindings())
            {
                end.ReportDiagnostic(CreateDiagnostic(engine, finding));
            }
        });
    }

    private static void AnalyzeBlock(OperationBlockAnalysisContext context, TaintEngine engine)
    {
        try
        {
            if (context.OwningSymbol is not IMethodSymbol || FindBody(context.OperationBlocks) is not { } body
                || !engine.ShouldAnalyze(context.OwningSymbol, body, context.CancellationToken))
            {
                return;
            }

            Analyze(context, body, engine);
        }
        catch (InsufficientExecutionStackException)
        {
            // An expression nested deeper than the thread's stack allows (a generated concatenation of thousands of
            // terms): the body is not analysed rather than the build's compiler process lost to a stack overflow.
        }
    }

    private static IOperation? FindBody(ImmutableArray<IOperation> blocks)
    {
        foreach (var block in blocks)
        {
            if (block is IMethodBodyOperation or IConstructorBodyOperation or IBlockOperation)
            {
                return block;
            }
        }

        return null;
    }

    // Separate from AnalyzeBlock so that the closure below is allocated only for bodies that are analysed
    // (a lambda capturing a parameter allocates its closure on entry to the method that declares it).
    private static void Analyze(OperationBlockAnalysisContext context, IOperation body, TaintEngine engine)
    {
        // The driver's graph, built only if the engine has not analysed this body already (tool methods
        // are analysed with their type's field taint) and the body is not straight-line code.
        var tree = body.Syntax.SyntaxTree;
        if (!engine.OptionsByTree.TryGetValue(tree, out var options))
        {
            options = ReadOptions(context.Options, tree, engine.Configuration);
            engine.OptionsByTree.TryAdd(tree, options);
        }

        // A lambda, not the method group `context.GetControlFlowGraph`: a delegate to a method of a struct (the context
        // is boxed) is built by the runtime's slow delegate constructor, which measured a fifth to two fifths of this
        // analyzer's time in the driver (docs/benchmarks.md, eighth round); a closure is an ordinary allocation.
        Func<IOperation, ControlFlowGraph> graph = operation => context.GetControlFlowGraph(operation);
        foreach (var finding in engine.AnalyzeEntry(context.OwningSymbol, body, graph, options, context.CancellationToken))
        {
            context.ReportDiagnostic(CreateDiagnostic(engine, finding));
        }
    }

    /// <summary>Message arguments: {0} the source, {1} the sink, {2} the path through helper methods (or empty).</summary>
    private static Diagnostic CreateDiagnostic(TaintEngine engine, TaintFinding finding)
    {
        var spans = finding.ValueLocations
            .Where(l => l.SourceTree == finding.Location.SourceTree)
            .Select(l => l.SourceSpan.Start.ToString(CultureInfo.InvariantCulture) + ":" + l.SourceSpan.Length.ToString(CultureInfo.InvariantCulture));
        var properties = ImmutableDictionary<string, string?>.Empty.Add(ValueSpansProperty, string.Join(",", spans));
        return Diagnostic.Create(
            engine.Configuration.Rules[finding.RuleIndex].Descriptor,
            finding.Location,
            properties,
            finding.Origin.Description,
            finding.SinkName,
            finding.Origin.PathText());
    }

    /// <summary>
    /// <c>mcpsec.max_call_depth</c> (default 3); <c>mcpsec.sanitizers</c> (documentation comment IDs,
    /// comma-separated: clean for every rule) and <c>mcpsec.&lt;ID&gt;.sanitizers</c> (clean for that rule).
    /// </summary>
    private static TaintOptions ReadOptions(AnalyzerOptions options, SyntaxTree tree, TaintConfiguration configuration)
    {
        var config = options.AnalyzerConfigOptionsProvider.GetOptions(tree);
        var depth = config.TryGetValue("mcpsec.max_call_depth", out var depthText) && int.TryParse(depthText.Trim(), out var parsed)
            ? parsed
            : TaintOptions.DefaultMaxCallDepth;
        // Built only when an option names a sanitiser: most trees have none, and this runs once per tree.
        ImmutableDictionary<string, int>.Builder? sanitizers = null;
        AddSanitizers(config.TryGetValue("mcpsec.sanitizers", out var general) ? general : null, configuration.AllKinds);
        for (var i = 0; i < configuration.Rules.Length; i++)
        {
            AddSanitizers(config.TryGetValue(configuration.Rules[i].SanitizersOptionKey, out var specific) ? specific : null, TaintConfiguration.KindOf(i));
        }

        return depth == TaintOptions.DefaultMaxCallDepth && sanitizers is null
            ? TaintOptions.Default
            : new TaintOptions(depth, sanitizers?.ToImmutable() ?? ImmutableDictionary<string, int>.Empty);

        void AddSanitizers(string? list, int kinds)
        {
            if (string.IsNullOrWhiteSpace(list))
            {
                return;
            }

            sanitizers ??= ImmutableDictionary.CreateBuilder<string, int>(StringComparer.Ordinal);
            foreach (var id in list!.Split(new[] { ',', ';' }, StringSplitOptions.RemoveEmptyEntries).Select(s => s.Trim()).Where(s => s.Length > 0))
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
    public static bool IsExcludedTestProject(AnalyzerOptions options, Compilation compilation)
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
