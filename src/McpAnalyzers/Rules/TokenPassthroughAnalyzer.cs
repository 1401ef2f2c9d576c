using System.Collections.Immutable;
using McpAnalyzers.Symbols;
using McpAnalyzers.Taint;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace McpAnalyzers.Rules;

/// <summary>
/// MCPSEC001: the credential the client sent to the MCP server (Authorization header, <c>GetTokenAsync</c>,
/// JwtBearer event tokens) reaches an outgoing request's credentials (<see cref="TokenPassthroughSinks"/>).
/// Sources: <see cref="IncomingCredentialSources"/> without the server's own secrets. Reported at the sink.
/// </summary>
/// <remarks>
/// A separate engine from MCPSEC013 on purpose: the two rules have different sources (the server's own
/// configuration secrets may be sent to the API they belong to, but must not be logged), and the engine
/// gives every source all kind bits of its configuration. The dataflow only runs on bodies that read an
/// incoming credential, so the second engine costs nothing elsewhere.
/// </remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class TokenPassthroughAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.TokenPassthrough);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze | GeneratedCodeAnalysisFlags.ReportDiagnostics);
        context.RegisterCompilationStartAction(OnCompilationStart);
    }

    private static void OnCompilationStart(CompilationStartAnalysisContext context)
    {
        var compilation = context.Compilation;
        if (McpSdkSymbols.TryCreate(compilation) is null || TaintAnalysisHost.IsExcludedTestProject(context.Options, compilation))
        {
            return;
        }

        if (IncomingCredentialSources.TryCreate(compilation, includeServerSecrets: false, context.CancellationToken) is not { } sources)
        {
            return;
        }

        var configuration = new TaintConfiguration(compilation, sources, new[] { TokenPassthroughSinks.Create(compilation, sources.IsAuthorizationName) });
        if (configuration.Rules.IsEmpty)
        {
            return;
        }

        TaintAnalysisHost.Register(context, new TaintEngine(compilation, configuration));
    }
}
