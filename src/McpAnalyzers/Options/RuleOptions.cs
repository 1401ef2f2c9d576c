using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace McpAnalyzers.Options;

/// <summary>
/// Reads rule options from .editorconfig / .globalconfig. A rule-specific key
/// (<c>mcpsec.MCPSEC002.flag_guid</c>) wins over the general one (<c>mcpsec.flag_guid</c>).
/// </summary>
internal static class RuleOptions
{
    private const string Prefix = "mcpsec.";

    public static string? GetString(AnalyzerOptions options, SyntaxTree tree, string ruleId, string name)
    {
        var config = options.AnalyzerConfigOptionsProvider.GetOptions(tree);
        if (config.TryGetValue(Prefix + ruleId + "." + name, out var specific) && !string.IsNullOrWhiteSpace(specific))
        {
            return specific.Trim();
        }

        return config.TryGetValue(Prefix + name, out var general) && !string.IsNullOrWhiteSpace(general)
            ? general.Trim()
            : null;
    }

    public static bool GetBool(AnalyzerOptions options, SyntaxTree tree, string ruleId, string name, bool defaultValue)
        => GetString(options, tree, ruleId, name) is { } text && bool.TryParse(text, out var value) ? value : defaultValue;

    public static int GetInt(AnalyzerOptions options, SyntaxTree tree, string ruleId, string name, int defaultValue)
        => GetString(options, tree, ruleId, name) is { } text && int.TryParse(text, out var value) ? value : defaultValue;

    /// <summary>Reads a global option (from .globalconfig or the first tree's .editorconfig section).</summary>
    public static string? GetGlobalString(AnalyzerOptions options, string name)
        => options.AnalyzerConfigOptionsProvider.GlobalOptions.TryGetValue(Prefix + name, out var value) && !string.IsNullOrWhiteSpace(value)
            ? value.Trim()
            : null;
}
