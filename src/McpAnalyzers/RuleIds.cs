namespace McpAnalyzers;

/// <summary>Rule IDs as constants, for descriptors, code fixes and tests. IDs are fixed: users' configuration depends on them.</summary>
internal static class RuleIds
{
    public const string TokenPassthrough = "MCPSEC001";
    public const string PredictableSessionId = "MCPSEC002";
    public const string TokenAudienceNotValidated = "MCPSEC003";
    public const string SessionUsedAsAuthentication = "MCPSEC004";
    public const string OsCommandInjection = "MCPSEC005";
    public const string FilePathInjection = "MCPSEC006";
    public const string SqlInjection = "MCPSEC007";
    public const string ServerSideRequestForgery = "MCPSEC008";
    public const string CodeInjection = "MCPSEC009";
    public const string TokenValidationDisabled = "MCPSEC010";
    public const string EndpointWithoutAuthorization = "MCPSEC011";
    public const string CredentialExposure = "MCPSEC013";
}
