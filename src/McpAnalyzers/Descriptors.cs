using Microsoft.CodeAnalysis;

namespace McpAnalyzers;

/// <summary>
/// Every rule ID and <see cref="DiagnosticDescriptor"/> of the package, in one place, so IDs,
/// titles, severities and help links cannot drift apart between analyzers, fixes and docs.
/// </summary>
internal static class Descriptors
{
    /// <summary>Where the rule pages live; a test checks that every help link resolves to a file in docs/rules.</summary>
    internal const string HelpLinkBase = "https://github.com/mcpanalyzers/mcpanalyzers/blob/main/docs/rules/";

    private const string Security = "Security";

    internal static string HelpLink(string ruleId) => HelpLinkBase + ruleId + ".md";

    private static DiagnosticDescriptor Rule(
        string id,
        string title,
        string messageFormat,
        string description,
        DiagnosticSeverity severity = DiagnosticSeverity.Warning)
        => new(
            id,
            title,
            messageFormat,
            Security,
            severity,
            isEnabledByDefault: true,
            description: description,
            helpLinkUri: HelpLink(id));

    // ---- Rule descriptors: keep in ID order; each one also needs docs/rules/<ID>.md and a line in AnalyzerReleases.Unshipped.md.

    internal static readonly DiagnosticDescriptor PredictableSessionId = Rule(
        RuleIds.PredictableSessionId,
        "Predictable session ID or protocol secret",
        "{0} is derived from {1}; generate it with RandomNumberGenerator",
        "Session IDs, OAuth state, nonces, PKCE code verifiers and authorization codes must be unguessable: generate them with a CSPRNG (RandomNumberGenerator), not System.Random, the clock, a counter, a hash code or a v7 GUID.");
}
