using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using McpAnalyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace McpAnalyzers.Tests;

/// <summary>
/// The analysis-mode presets shipped in the package (src/McpAnalyzers.Package/configuration) are
/// checked-in files: these tests make sure no rule is forgotten in them and that each preset means
/// what its name says.
/// </summary>
public class PresetTests
{
    private static readonly string ConfigurationDirectory =
        Path.Combine(RepositoryPaths.Root, "src", "McpAnalyzers.Package", "configuration");

    private static readonly string[] Presets = ["recommended", "strict", "audit"];

    private static readonly DiagnosticDescriptor[] Supported = typeof(Descriptors).Assembly.GetTypes()
        .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t))
        .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
        .SelectMany(a => a.SupportedDiagnostics)
        .Distinct()
        .ToArray();

    public static TheoryData<string> PresetNames() => new(Presets);

    [Theory]
    [MemberData(nameof(PresetNames))]
    public void PresetListsEverySupportedDiagnostic(string preset)
    {
        var severities = ReadPreset(preset).Severities;
        var missing = Supported.Select(d => d.Id).Where(id => !severities.ContainsKey(id)).OrderBy(id => id, StringComparer.Ordinal).ToArray();
        Assert.True(missing.Length == 0, $"{preset}.globalconfig lacks: {string.Join(", ", missing)}");
    }

    [Fact]
    public void PresetsListTheSameRules()
    {
        var expected = ReadPreset("recommended").Severities.Keys.OrderBy(id => id, StringComparer.Ordinal).ToArray();
        Assert.NotEmpty(expected);
        foreach (var preset in Presets)
        {
            Assert.Equal(expected, ReadPreset(preset).Severities.Keys.OrderBy(id => id, StringComparer.Ordinal).ToArray());
        }
    }

    [Fact]
    public void RecommendedKeepsEachDefaultSeverity()
    {
        var severities = ReadPreset("recommended").Severities;
        foreach (var descriptor in Supported)
        {
            Assert.True(severities.TryGetValue(descriptor.Id, out var severity), $"recommended.globalconfig lacks {descriptor.Id}");
            Assert.Equal(EditorConfigSeverity(descriptor.DefaultSeverity), severity);
        }

        // Catalog rules not implemented yet are all Warning by specification (RULES.md).
        Assert.All(severities.Where(s => Supported.All(d => d.Id != s.Key)), s => Assert.Equal("warning", s.Value));
    }

    [Fact]
    public void StrictMakesEveryRuleAnError()
        => Assert.All(ReadPreset("strict").Severities, s => Assert.Equal("error", s.Value));

    [Fact]
    public void AuditNeverFailsTheBuildAndWidensDetection()
    {
        var audit = ReadPreset("audit");
        Assert.All(audit.Severities, s => Assert.Equal("suggestion", s.Value));
        Assert.Equal("false", audit.Options["mcpsec.exclude_tests"]);
        Assert.Equal("true", audit.Options["mcpsec.MCPSEC002.flag_guid"]);
    }

    [Fact]
    public void BuildPropsSelectsEveryShippedPreset()
    {
        var props = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "src", "McpAnalyzers.Package", "build", "McpAnalyzers.props"));
        var shipped = Directory.GetFiles(ConfigurationDirectory, "*.globalconfig").Select(Path.GetFileNameWithoutExtension).OrderBy(n => n, StringComparer.Ordinal);
        Assert.Equal(Presets.OrderBy(n => n, StringComparer.Ordinal), shipped);
        foreach (var preset in Presets)
        {
            Assert.Contains(preset + ".globalconfig", props, StringComparison.Ordinal);
        }

        Assert.Contains("<CompilerVisibleProperty Include=\"IsTestProject\" />", props, StringComparison.Ordinal);
    }

    private static string EditorConfigSeverity(DiagnosticSeverity severity) => severity switch
    {
        DiagnosticSeverity.Error => "error",
        DiagnosticSeverity.Warning => "warning",
        DiagnosticSeverity.Info => "suggestion",
        _ => "silent",
    };

    private sealed record Preset(Dictionary<string, string> Severities, Dictionary<string, string> Options);

    /// <summary>Parses a preset strictly: a typo in a key or an unknown line fails the test instead of being ignored by the compiler.</summary>
    private static Preset ReadPreset(string name)
    {
        var path = Path.Combine(ConfigurationDirectory, name + ".globalconfig");
        var severities = new Dictionary<string, string>(StringComparer.Ordinal);
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        var isGlobal = false;
        var globalLevel = 0;
        foreach (var raw in File.ReadLines(path))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var match = Regex.Match(line, @"^([A-Za-z0-9_.]+)\s*=\s*(\S+)$");
            Assert.True(match.Success, $"{name}: unexpected line '{line}'");
            var (key, value) = (match.Groups[1].Value, match.Groups[2].Value);
            if (key == "is_global")
            {
                isGlobal = value == "true";
            }
            else if (key == "global_level")
            {
                globalLevel = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
            }
            else if (Regex.Match(key, @"^dotnet_diagnostic\.(MCPSEC[0-9]{3})\.severity$") is { Success: true } rule)
            {
                Assert.Contains(value, new[] { "error", "warning", "suggestion", "silent", "none" });
                Assert.True(severities.TryAdd(rule.Groups[1].Value, value), $"{name}: {rule.Groups[1].Value} listed twice");
            }
            else
            {
                Assert.Matches(@"^mcpsec\.(MCPSEC[0-9]{3}\.)?[a-z_]+$", key);
                options.Add(key, value);
            }
        }

        Assert.True(isGlobal, $"{name}: missing is_global = true");
        // Below the default level of the user's own global configs, so theirs always win.
        Assert.True(globalLevel < 0, $"{name}: global_level must be negative");
        return new Preset(severities, options);
    }
}
