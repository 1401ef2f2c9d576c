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

    // ---- MCPSEC003 / MCPSEC010 (token validation). Messages are "<finding>: <what an attacker gains>".
    internal static readonly DiagnosticDescriptor TokenAudienceNotValidated = Rule(
        RuleIds.TokenAudienceNotValidated,
        "Token audience not validated",
        "{0}: {1}",
        "MCP servers must check that an access token was issued for them (its audience is the server's resource, RFC 8707). Without that check a token issued for any other API is accepted, which opens the token passthrough door.");

    /// <summary>
    /// The MCPSEC003 forms that compare constants across the whole compilation (ValidAudience(s) against
    /// ProtectedResourceMetadata.Resource): reported at compilation end, hence the CompilationEnd tag.
    /// </summary>
    internal static readonly DiagnosticDescriptor TokenAudienceMismatch = new(
        RuleIds.TokenAudienceNotValidated,
        "Token audience not validated",
        "{0}: {1}",
        Security,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "The audience the server accepts must be exactly its own resource (ProtectedResourceMetadata.Resource). Accepting another audience lets tokens issued for other APIs in; not accepting the resource rejects the tokens clients obtain for this server.",
        helpLinkUri: HelpLink(RuleIds.TokenAudienceNotValidated),
        customTags: WellKnownDiagnosticTags.CompilationEnd);

    internal static readonly DiagnosticDescriptor TokenValidationDisabled = Rule(
        RuleIds.TokenValidationDisabled,
        "Token validation disabled",
        "{0}: {1}",
        "Access tokens must be validated: signature, issuer, lifetime, over HTTPS metadata. Turning a check off, replacing the signature check with a delegate that accepts anything, or trusting claims of a token that was only parsed lets an attacker forge, replay or reuse tokens.");
}
