namespace McpAnalyzers;

/// <summary>Rule IDs as constants, for code fixes, suppressions and tests.</summary>
internal static class RuleIds
{
    public const string PredictableSessionId = "MCPSEC002";
}
