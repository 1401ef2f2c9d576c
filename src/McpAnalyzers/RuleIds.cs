namespace McpAnalyzers;

/// <summary>Rule IDs as constants, for code fixes, suppressions and tests.</summary>
internal static class RuleIds
{
    public const string OsCommandInjection = "MCPSEC005";
    public const string FilePathInjection = "MCPSEC006";
    public const string SqlInjection = "MCPSEC007";
    public const string ServerSideRequestForgery = "MCPSEC008";
    public const string CodeInjection = "MCPSEC009";
    public const string TokenPassthrough = "MCPSEC001";
    public const string CredentialExposure = "MCPSEC013";
}
