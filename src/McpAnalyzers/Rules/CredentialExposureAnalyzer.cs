using System.Collections.Immutable;
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
        var compilation = context.Compilation;
        if (McpSdkSymbols.TryCreate(compilation) is not { } sdk || TaintAnalysisHost.IsExcludedTestProject(context.Options, compilation))
        {
            return;
        }

        if (IncomingCredentialSources.TryCreate(compilation, includeServerSecrets: true, context.CancellationToken) is not { } sources)
        {
            return;
        }

        var configuration = new TaintConfiguration(compilation, sources, new[] { CredentialExposureSinks.Create(compilation, sdk) });
        TaintAnalysisHost.Register(context, new TaintEngine(compilation, configuration));
    }
}
