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
        params string[] customTags)
        => new(
            id,
            title,
            messageFormat,
            Security,
            DiagnosticSeverity.Warning,
            isEnabledByDefault: true,
            description: description,
            helpLinkUri: HelpLink(id),
            customTags: customTags);

    // ---- Rule descriptors, in ID order. Each needs docs/rules/<ID>.md, a line in AnalyzerReleases.Unshipped.md and a README row.
    // Flow rules (MCPSEC001, 005-009, 013): {0} = the source, {1} = the sink, {2} = " through Helper(string)" or "".

    // {0} = the source ("The incoming Authorization header"), {1} = the sink ("HttpRequestHeaders.Authorization"), {2} = " through Helper(string)" or "".
    internal static readonly DiagnosticDescriptor TokenPassthrough = Rule(
        RuleIds.TokenPassthrough,
        "Client token passed through to another service",
        "{0} reaches {1}{2}: the client's token is passed through to another service; exchange it on behalf of the user instead",
        "An MCP server must not accept or transit tokens that were not issued for it, and must not pass the token it received to upstream APIs. Forwarding the client's token lets any service that accepts it act as the user, bypasses the upstream API's audience checks and the server's own controls, and breaks auditing. Request a token for the downstream API on behalf of the user (OAuth 2.0 on-behalf-of or RFC 8693 token exchange) instead.");

    internal static readonly DiagnosticDescriptor PredictableSessionId = Rule(
        RuleIds.PredictableSessionId,
        "Predictable session ID or protocol secret",
        "{0} is derived from {1}; generate it with RandomNumberGenerator",
        "Session IDs, OAuth state, nonces, PKCE code verifiers and authorization codes must be unguessable: generate them with a CSPRNG (RandomNumberGenerator), not System.Random, the clock, a counter, a hash code or a v7 GUID.");

    internal static readonly DiagnosticDescriptor TokenAudienceNotValidated = Rule(
        RuleIds.TokenAudienceNotValidated,
        "Token audience not validated",
        "{0}: {1}",
        "MCP servers must check that an access token was issued for them (its audience is the server's resource, RFC 8707). Without that check a token issued for any other API is accepted, which opens the token passthrough door.");

    /// <summary>
    /// The MCPSEC003 forms that compare constants across the whole compilation (ValidAudience(s) against
    /// ProtectedResourceMetadata.Resource): reported at compilation end, hence the CompilationEnd tag.
    /// </summary>
    internal static readonly DiagnosticDescriptor TokenAudienceMismatch = Rule(
        RuleIds.TokenAudienceNotValidated,
        "Token audience not validated",
        "{0}: {1}",
        "The audience the server accepts must be exactly its own resource (ProtectedResourceMetadata.Resource). Accepting another audience lets tokens issued for other APIs in; not accepting the resource rejects the tokens clients obtain for this server.",
        WellKnownDiagnosticTags.CompilationEnd);

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

    internal static readonly DiagnosticDescriptor OsCommandInjection = Rule(
        RuleIds.OsCommandInjection,
        "Tool input reaches an OS command without validation",
        "{0} reaches {1}{2} without validation: pass a constant executable and the input as one ArgumentList entry",
        "Bound parameters of MCP tools, prompts and resources are chosen by the model, and by whoever injected its prompt. A value that reaches Process.Start, ProcessStartInfo.FileName/Arguments or a shell lets the caller run any command on the server.");

    internal static readonly DiagnosticDescriptor FilePathInjection = Rule(
        RuleIds.FilePathInjection,
        "Tool input reaches a file path without validation",
        "{0} reaches {1}{2} without validation: confine the full path under a fixed root",
        "Bound parameters of MCP tools, prompts and resources are chosen by the model. A value used as a file or directory path without confinement lets the caller read or overwrite any file the server can reach (../, absolute paths).");

    internal static readonly DiagnosticDescriptor SqlInjection = Rule(
        RuleIds.SqlInjection,
        "Tool input reaches SQL text without validation",
        "{0} reaches {1}{2} without validation: pass it as a parameter",
        "Bound parameters of MCP tools, prompts and resources are chosen by the model. A value concatenated into SQL text lets the caller read or modify any data the connection can reach.");

    internal static readonly DiagnosticDescriptor ServerSideRequestForgery = Rule(
        RuleIds.ServerSideRequestForgery,
        "Tool input reaches an outgoing request without validation",
        "{0} reaches {1}{2} without validation: check the scheme and host against an allowlist",
        "Bound parameters of MCP tools, prompts and resources are chosen by the model. A value that decides where the server sends a request lets the caller reach internal services and cloud metadata endpoints with the server's network position and credentials (SSRF).");

    internal static readonly DiagnosticDescriptor CodeInjection = Rule(
        RuleIds.CodeInjection,
        "Tool input reaches code, type or expression evaluation without validation",
        "{0} reaches {1}{2} without validation: map it through an allowlist of known names",
        "Bound parameters of MCP tools, prompts and resources are chosen by the model. A value that names a type or assembly, or that is evaluated as a script, expression, XPath or LDAP filter, or drives type-name deserialisation, lets the caller run code or read data beyond the tool's purpose.");

    internal static readonly DiagnosticDescriptor TokenValidationDisabled = Rule(
        RuleIds.TokenValidationDisabled,
        "Token validation disabled",
        "{0}: {1}",
        "Access tokens must be validated: signature, issuer, lifetime, over HTTPS metadata. Turning a check off, replacing the signature check with a delegate that accepts anything, or trusting claims of a token that was only parsed lets an attacker forge, replay or reuse tokens.");

    // MCPSEC011: CompilationEnd, because whether a fallback policy or tool-level [Authorize] protects an
    // endpoint is only known for the whole compilation.
    internal static readonly DiagnosticDescriptor EndpointWithoutAuthorization = Rule(
        RuleIds.EndpointWithoutAuthorization,
        "MCP endpoint without authorization",
        "MCP endpoint '{0}' is reachable without authorization: {1}",
        "An MCP endpoint mapped with MapMcp must authorize every request: call RequireAuthorization() on it or on its route group, "
            + "set a fallback authorization policy, or enable AddAuthorizationFilters() with [Authorize] on every tool, prompt and resource type. "
            + "AllowAnonymous() on the endpoint or its group bypasses all of these.",
        WellKnownDiagnosticTags.CompilationEnd);

    // {0} = the source ("The incoming Authorization header", "The secret configuration value 'Jwt:Key'"), {1} = the sink ("ILogger.LogInformation"), {2} = path.
    internal static readonly DiagnosticDescriptor CredentialExposure = Rule(
        RuleIds.CredentialExposure,
        "Credential written to logs or tool output",
        "{0} reaches {1}{2}: credentials must not be written to logs, exception messages or tool results",
        "Tokens, Authorization headers, client secrets, API keys and connection strings written to logs, console or trace output, exception messages or a tool's result are readable by everyone with access to the logs, the client or the model's context, and a logged bearer token can be replayed until it expires. Log a redacted form (for example a short hash fingerprint) instead.");
}
