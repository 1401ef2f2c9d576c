using System.Collections.Immutable;
using McpAnalyzers.Symbols;
using McpAnalyzers.Taint;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

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
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        Descriptors.OsCommandInjection,
        Descriptors.FilePathInjection,
        Descriptors.SqlInjection,
        Descriptors.ServerSideRequestForgery,
        Descriptors.CodeInjection);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze | GeneratedCodeAnalysisFlags.ReportDiagnostics);
        context.RegisterCompilationStartAction(OnCompilationStart);
    }

    private static void OnCompilationStart(CompilationStartAnalysisContext context)
    {
        // The SDK check first (cached per compilation): a project without MCP costs nothing more.
        if (McpSdkSymbols.TryCreate(context.Compilation) is not null
            && !TaintAnalysisHost.IsExcludedTestProject(context.Options, context.Compilation)
            && CreateConfiguration(context.Compilation) is { } configuration)
        {
            TaintAnalysisHost.Register(context, new TaintEngine(context.Compilation, configuration));
        }
    }

    /// <summary>The five rules' sources and sinks in <paramref name="compilation"/>; null when it has nothing to analyse.</summary>
    internal static TaintConfiguration? CreateConfiguration(Compilation compilation)
    {
        if (McpSdkSymbols.TryCreate(compilation) is not { } sdk)
        {
            return null;
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
        return configuration.Rules.IsEmpty ? null : configuration;
    }
}
