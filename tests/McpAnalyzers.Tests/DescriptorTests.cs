using System;
using System.IO;
using System.Linq;
using McpAnalyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace McpAnalyzers.Tests;

/// <summary>Every diagnostic the package reports is documented, linked and tracked.</summary>
public class DescriptorTests
{
    private static readonly DiagnosticAnalyzer[] Analyzers = typeof(Descriptors).Assembly.GetTypes()
        .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t))
        .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
        .ToArray();

    private static readonly DiagnosticDescriptor[] Supported = Analyzers
        .SelectMany(a => a.SupportedDiagnostics)
        .Distinct()
        .ToArray();

    [Fact]
    public void PackageHasAnalyzers() => Assert.NotEmpty(Supported);

    [Fact]
    public void EveryDiagnosticLinksToItsExistingDocPage()
    {
        foreach (var descriptor in Supported)
        {
            Assert.Equal(Descriptors.HelpLinkBase + descriptor.Id + ".md", descriptor.HelpLinkUri);
            var page = Path.Combine(RepositoryPaths.Root, "docs", "rules", descriptor.Id + ".md");
            Assert.True(File.Exists(page), $"{descriptor.Id}: missing {page}");
            Assert.StartsWith("# " + descriptor.Id, File.ReadAllText(page), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void EveryDiagnosticFollowsTheCatalogConventions()
    {
        foreach (var descriptor in Supported)
        {
            Assert.Matches("^MCPSEC[0-9]{3}$", descriptor.Id);
            Assert.Equal("Security", descriptor.Category);
            Assert.True(descriptor.IsEnabledByDefault, descriptor.Id);
            Assert.False(string.IsNullOrWhiteSpace(descriptor.Title.ToString()), descriptor.Id);
            Assert.False(string.IsNullOrWhiteSpace(descriptor.MessageFormat.ToString()), descriptor.Id);
            Assert.False(string.IsNullOrWhiteSpace(descriptor.Description.ToString()), descriptor.Id);
        }
    }

    [Fact]
    public void EveryDiagnosticIsInTheReadmeRuleTable()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md"));
        foreach (var descriptor in Supported)
        {
            Assert.Contains($"[{descriptor.Id}](docs/rules/{descriptor.Id}.md)", readme, StringComparison.Ordinal);
        }
    }
}
