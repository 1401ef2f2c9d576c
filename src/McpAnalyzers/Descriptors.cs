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

    // ---- MCPSEC005-009: tool input reaching a dangerous sink (one dataflow, ToolInputTaintAnalyzer).
    // {0} = the source ("Tool parameter 'path'"), {1} = the sink ("File.ReadAllText"), {2} = " through Helper(string)" or "".
    internal static readonly DiagnosticDescriptor MCPSEC005 = Rule(
        RuleIds.OsCommandInjection,
        "Tool input reaches an OS command without validation",
        "{0} reaches {1}{2} without validation: pass a constant executable and the input as one ArgumentList entry",
        "Bound parameters of MCP tools, prompts and resources are chosen by the model, and by whoever injected its prompt. A value that reaches Process.Start, ProcessStartInfo.FileName/Arguments or a shell lets the caller run any command on the server.");

    internal static readonly DiagnosticDescriptor MCPSEC006 = Rule(
        RuleIds.FilePathInjection,
        "Tool input reaches a file path without validation",
        "{0} reaches {1}{2} without validation: confine the full path under a fixed root",
        "Bound parameters of MCP tools, prompts and resources are chosen by the model. A value used as a file or directory path without confinement lets the caller read or overwrite any file the server can reach (../, absolute paths).");

    internal static readonly DiagnosticDescriptor MCPSEC007 = Rule(
        RuleIds.SqlInjection,
        "Tool input reaches SQL text without validation",
        "{0} reaches {1}{2} without validation: pass it as a parameter",
        "Bound parameters of MCP tools, prompts and resources are chosen by the model. A value concatenated into SQL text lets the caller read or modify any data the connection can reach.");

    internal static readonly DiagnosticDescriptor MCPSEC008 = Rule(
        RuleIds.ServerSideRequestForgery,
        "Tool input reaches an outgoing request without validation",
        "{0} reaches {1}{2} without validation: check the scheme and host against an allowlist",
        "Bound parameters of MCP tools, prompts and resources are chosen by the model. A value that decides where the server sends a request lets the caller reach internal services and cloud metadata endpoints with the server's network position and credentials (SSRF).");

    internal static readonly DiagnosticDescriptor MCPSEC009 = Rule(
        RuleIds.CodeInjection,
        "Tool input reaches code, type or expression evaluation without validation",
        "{0} reaches {1}{2} without validation: map it through an allowlist of known names",
        "Bound parameters of MCP tools, prompts and resources are chosen by the model. A value that names a type or assembly, or that is evaluated as a script, expression, XPath or LDAP filter, or drives type-name deserialisation, lets the caller run code or read data beyond the tool's purpose.");

    // ---- MCPSEC001: token passthrough (TokenPassthroughAnalyzer, the taint engine with incoming-credential sources).
    // {0} = the source ("The incoming Authorization header"), {1} = the sink ("HttpRequestHeaders.Authorization"), {2} = " through Helper(string)" or "".
    internal static readonly DiagnosticDescriptor MCPSEC001 = Rule(
        RuleIds.TokenPassthrough,
        "Client token passed through to another service",
        "{0} reaches {1}{2}: the client's token is passed through to another service; exchange it on behalf of the user instead",
        "An MCP server must not accept or transit tokens that were not issued for it, and must not pass the token it received to upstream APIs. Forwarding the client's token lets any service that accepts it act as the user, bypasses the upstream API's audience checks and the server's own controls, and breaks auditing. Request a token for the downstream API on behalf of the user (OAuth 2.0 on-behalf-of or RFC 8693 token exchange) instead.");

    // ---- MCPSEC013: credential written to logs or tool output (CredentialExposureAnalyzer).
    // {0} = the source ("The incoming Authorization header", "The secret configuration value 'Jwt:Key'"), {1} = the sink ("ILogger.LogInformation"), {2} = path.
    internal static readonly DiagnosticDescriptor MCPSEC013 = Rule(
        RuleIds.CredentialExposure,
        "Credential written to logs or tool output",
        "{0} reaches {1}{2}: credentials must not be written to logs, exception messages or tool results",
        "Tokens, Authorization headers, client secrets, API keys and connection strings written to logs, console or trace output, exception messages or a tool's result are readable by everyone with access to the logs, the client or the model's context, and a logged bearer token can be replayed until it expires. Log a redacted form (for example a short hash fingerprint) instead.");
}
