using System.Collections.Immutable;
using System.Threading;
using McpAnalyzers.Symbols;
using McpAnalyzers.Taint;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace McpAnalyzers.Rules;

/// <summary>
/// MCPSEC013: a credential — the client's token (the MCPSEC001 sources) or a secret of the server
/// (secret configuration keys, connection strings, <c>ClientSecret</c> options) — reaches a log, console or
/// trace output, an exception message, or a tool's result (<see cref="CredentialExposureSinks"/>). Reported at the sink.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CredentialExposureAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.CredentialExposure);

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
            && CreateConfiguration(context.Compilation, context.CancellationToken) is { } configuration)
        {
            TaintAnalysisHost.Register(context, new TaintEngine(context.Compilation, configuration));
        }
    }

    /// <summary>The rule's sources and sinks in <paramref name="compilation"/>; null when it has nothing to analyse.</summary>
    internal static TaintConfiguration? CreateConfiguration(Compilation compilation, CancellationToken cancellationToken)
    {
        if (McpSdkSymbols.TryCreate(compilation) is not { } sdk
            || IncomingCredentialSources.TryCreate(compilation, includeServerSecrets: true, cancellationToken) is not { } sources)
        {
            return null;
        }

        return new TaintConfiguration(compilation, sources, new[] { CredentialExposureSinks.Create(compilation, sdk) });
    }
}
