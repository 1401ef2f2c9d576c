namespace McpAnalyzers;

/// <summary>Rule IDs as constants, for code fixes, suppressions and tests.</summary>
internal static class RuleIds
{
    public const string TokenAudienceNotValidated = "MCPSEC003";
    public const string TokenValidationDisabled = "MCPSEC010";
}
