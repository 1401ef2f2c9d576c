using System;
using System.Linq;
using System.Threading.Tasks;
using Xunit;
using Xunit.Abstractions;

namespace McpAnalyzers.Tests.Robustness;

/// <summary>
/// Every shipped analyzer and code fix, run over the corpus and a few hundred broken variants of it,
/// must not throw or hang. The opt-in stress run (tests/McpAnalyzers.Stress, docs/robustness.md)
/// runs the same harness over 20,000+ variants.
/// </summary>
public class MutationRobustnessTests
{
    /// <summary>Variants in the normal suite: enough to hit every mutation kind on every seed, cheap enough for every test run.</summary>
    public const int NormalSuiteVariants = 400;

    /// <summary>Fixed, so a failure reproduces; the stress runner takes another seed on request.</summary>
    public const int Seed = 20250618;

    private readonly ITestOutputHelper _output;

    public MutationRobustnessTests(ITestOutputHelper output) => _output = output;

    [Fact]
    [Trait("Category", "Robustness")]
    public async Task AnalyzersAndCodeFixesNeverThrowOnBrokenCode()
    {
        var corpus = RobustnessCorpus.Load();
        using var harness = RobustnessHarness.ForPackage();
        var variants = VariantGenerator.Originals(corpus).Concat(VariantGenerator.Generate(corpus, NormalSuiteVariants, Seed));

        var report = await harness.RunAsync(variants, Environment.ProcessorCount);

        _output.WriteLine($"Corpus: {corpus.Length} units ({string.Join(", ", corpus.Take(8).Select(u => u.Name))}{(corpus.Length > 8 ? ", ..." : "")}).");
        _output.WriteLine(report.Summary);
        _output.WriteLine(report.Details);
        Assert.Equal(NormalSuiteVariants, report.Variants);
        Assert.Equal(corpus.Length, report.Originals);
        Assert.True(report.Failures.Count == 0, report.Summary + Environment.NewLine + report.FormatFailures());
    }
}
