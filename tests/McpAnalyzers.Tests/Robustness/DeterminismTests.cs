using System.Threading.Tasks;
using Xunit;
using Xunit.Abstractions;

namespace McpAnalyzers.Tests.Robustness;

/// <summary>With concurrent execution on, repeated analyses of the whole corpus give identical diagnostics.</summary>
public class DeterminismTests
{
    public const int Runs = 20;

    private readonly ITestOutputHelper _output;

    public DeterminismTests(ITestOutputHelper output) => _output = output;

    [Fact]
    [Trait("Category", "Robustness")]
    public async Task RepeatedConcurrentAnalysesOfTheCorpusAreIdentical()
    {
        var corpus = RobustnessCorpus.Load();
        var analyzers = PackageComponents.CreateAnalyzers();

        var result = await DeterminismCheck.RunAsync(corpus, analyzers, Runs);

        _output.WriteLine(analyzers.IsEmpty
            ? $"The package has no analyzers yet: nothing to compare over {corpus.Length} corpus units."
            : $"{result.Runs} runs of {analyzers.Length} analyzers over {result.Units} corpus units: {result.Baseline.Count} diagnostics per run.");
        Assert.True(result.AnalyzerExceptions.Count == 0, "Analyzer exceptions:\n" + string.Join("\n", result.AnalyzerExceptions));
        Assert.True(result.FirstDifference is null, result.FirstDifference);
        Assert.Equal(analyzers.IsEmpty ? 0 : Runs, result.Runs);
    }
}
