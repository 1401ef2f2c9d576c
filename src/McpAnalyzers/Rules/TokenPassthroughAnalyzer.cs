using System.Collections.Immutable;
using System.Threading;
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
        if (McpSdkSymbols.TryCreate(compilation) is null
            || IncomingCredentialSources.TryCreate(compilation, includeServerSecrets: false, cancellationToken) is not { } sources)
        {
            return null;
        }

        var configuration = new TaintConfiguration(compilation, sources, new[] { TokenPassthroughSinks.Create(compilation, sources.IsAuthorizationName) });
        return configuration.Rules.IsEmpty ? null : configuration;
    }
}
