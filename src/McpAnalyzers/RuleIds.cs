namespace McpAnalyzers;

/// <summary>Rule IDs as constants, for code fixes, suppressions and tests.</summary>
internal static class RuleIds
{
    internal const string SessionUsedAsAuthentication = "MCPSEC004";
}
