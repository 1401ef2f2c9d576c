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

    // MCPSEC004's cookie-scheme form is reported from a compilation-end action (it must know whether the app maps
    // MCP). The descriptor is deliberately not tagged CompilationEnd: the tag would make the IDE treat the whole
    // analyzer as compilation-end only and hide the per-method forms from live analysis.
    internal static readonly DiagnosticDescriptor SessionUsedAsAuthentication = Rule(
        RuleIds.SessionUsedAsAuthentication,
        "Session used as authentication",
        "{0}; MCP servers must authenticate every request from its bearer token (HttpContext.User)",
        "MCP servers must not use sessions for authentication and must verify every inbound request. Identity or permissions read from " +
        "ASP.NET Core session state, an Mcp-Session-Id used to decide who the caller is or whether a request may proceed, cookie " +
        "authentication protecting the MCP endpoint, and a session-migration handler that ignores HttpContext.User all let whoever " +
        "holds a session ID or cookie act as the user.");

    /// <summary>
    /// MCPSEC011. Built without <see cref="Rule"/> because it needs the CompilationEnd tag: whether a
    /// fallback policy or tool-level [Authorize] protects an endpoint is only known for the whole compilation.
    /// </summary>
    internal static readonly DiagnosticDescriptor EndpointWithoutAuthorization = new(
        RuleIds.EndpointWithoutAuthorization,
        title: "MCP endpoint without authorization",
        messageFormat: "MCP endpoint '{0}' is reachable without authorization: {1}",
        Security,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "An MCP endpoint mapped with MapMcp must authorize every request: call RequireAuthorization() on it or on its route group, "
            + "set a fallback authorization policy, or enable AddAuthorizationFilters() with [Authorize] on every tool, prompt and resource type. "
            + "AllowAnonymous() on the endpoint or its group bypasses all of these.",
        helpLinkUri: HelpLink(RuleIds.EndpointWithoutAuthorization),
        customTags: WellKnownDiagnosticTags.CompilationEnd);
}
