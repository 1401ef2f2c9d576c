using System;
using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;
using static McpAnalyzers.Tests.Robustness.HarnessTestComponents;

namespace McpAnalyzers.Tests.Robustness;

/// <summary>
/// The harnesses are only evidence if they can fail: deliberately broken test-only analyzers and
/// code fixes must be reported, and well-behaved ones must be exercised and pass.
/// </summary>
public class HarnessSelfTests
{
    private static readonly ImmutableArray<CorpusUnit> Seeds = SeedSources.Units;

    [Fact]
    public async Task ReportsAnalyzerExceptions()
    {
        using var harness = new RobustnessHarness(Analyzers(new ReportingAnalyzer(), new ThrowingAnalyzer()), ImmutableArray<CodeFixProvider>.Empty);

        var report = await harness.RunAsync(VariantGenerator.Originals(Seeds).Concat(VariantGenerator.Generate(Seeds, 8, seed: 1)));

        Assert.Equal(Seeds.Length + 8, report.AnalyzerExceptions);
        Assert.All(report.Failures, f => Assert.Equal(nameof(ThrowingAnalyzer), f.Component));
        Assert.Contains("Deliberate analyzer failure.", report.Failures[0].Details, StringComparison.Ordinal);
        Assert.Equal($"8 variants, {Seeds.Length + 8} analyzer exceptions, 0 code-fix exceptions", report.Summary);
        Assert.Contains("Variant text near the change:", report.FormatFailures(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReportsCodeFixExceptionsAtEveryStage()
    {
        using var harness = new RobustnessHarness(Analyzers(new ReportingAnalyzer()), Fixes(new ThrowingRegistrationFix(), new ThrowingActionFix()));

        var report = await harness.RunAsync(VariantGenerator.Originals(Seeds.Take(2).ToList()));

        Assert.Equal(0, report.AnalyzerExceptions);
        Assert.True(report.CodeFixExceptions > 0);
        var stages = report.Failures.Select(f => (f.Component, f.Stage)).ToList();
        Assert.Contains(stages, s => s.Component == nameof(ThrowingRegistrationFix) && s.Stage.StartsWith("RegisterCodeFixesAsync", StringComparison.Ordinal));
        Assert.Contains(stages, s => s.Component == nameof(ThrowingActionFix) && s.Stage == "code action 'Throw'");
        Assert.Contains(stages, s => s.Component == nameof(ThrowingActionFix) && s.Stage.StartsWith("fix all in document", StringComparison.Ordinal));
        Assert.Contains("Deliberate fix-all failure.", report.FormatFailures(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReportsHangsAsTimeouts()
    {
        using var harness = new RobustnessHarness(Analyzers(new HangingAnalyzer()), ImmutableArray<CodeFixProvider>.Empty, TimeSpan.FromSeconds(1));

        var report = await harness.RunAsync(VariantGenerator.Originals(Seeds.Take(1).ToList()));

        var failure = Assert.Single(report.Failures);
        Assert.Equal(FailureKind.Timeout, failure.Kind);
    }

    [Fact]
    public async Task WellBehavedComponentsAreExercisedAndPass()
    {
        using var harness = new RobustnessHarness(Analyzers(new ReportingAnalyzer()), Fixes(new RenamingFix()));

        var report = await harness.RunAsync(VariantGenerator.Originals(Seeds).Concat(VariantGenerator.Generate(Seeds, 20, seed: 2)), maxParallelism: 2);

        Assert.True(report.Failures.Count == 0, report.FormatFailures());
        Assert.True(report.Diagnostics > 0);
        Assert.True(report.CodeActions > 0);
        Assert.True(report.FixAllActions > 0);
        Assert.Equal(20, report.Variants);
        Assert.Equal(Seeds.Length, report.Originals);

        // One outcome line per diagnostic, code action and fix-all, each naming its variant.
        Assert.Equal(report.Diagnostics, report.Outcomes.Count(o => o.Contains(": " + DiagnosticId + " ", StringComparison.Ordinal)));
        Assert.Equal(report.CodeActions, report.Outcomes.Count(o => o.EndsWith(": code action " + nameof(RenamingFix), StringComparison.Ordinal)));
        Assert.Equal(report.FixAllActions, report.Outcomes.Count(o => o.EndsWith(": fix all " + nameof(RenamingFix), StringComparison.Ordinal)));
        Assert.All(report.Outcomes, o => Assert.StartsWith("#", o, StringComparison.Ordinal));
    }

    [Fact]
    public async Task OutcomesOfTwoRunsOfOneSeedCompareLineByLine()
    {
        var variants = VariantGenerator.Originals(Seeds).Concat(VariantGenerator.Generate(Seeds, 20, seed: 3)).ToList();
        using var harness = new RobustnessHarness(Analyzers(new ReportingAnalyzer()), Fixes(new RenamingFix()));
        var first = await harness.RunAsync(variants, maxParallelism: 2);
        var second = await harness.RunAsync(variants, maxParallelism: 1);

        Assert.NotEmpty(first.Outcomes);
        Assert.Equal(first.Outcomes, second.Outcomes);

        // The lines can fail: the same analyzer without the fix reports the same diagnostics but other outcomes.
        using var quieter = new RobustnessHarness(Analyzers(new ReportingAnalyzer()), ImmutableArray<CodeFixProvider>.Empty);
        var withoutFixes = await quieter.RunAsync(variants, maxParallelism: 2);
        Assert.Equal(first.Diagnostics, withoutFixes.Diagnostics);
        Assert.NotEqual(first.Outcomes, withoutFixes.Outcomes);
    }

    [Fact]
    public async Task DeterminismCheckDetectsAnalyzerState()
    {
        var result = await DeterminismCheck.RunAsync(Seeds, Analyzers(new NondeterministicAnalyzer()), runs: 3);

        Assert.NotNull(result.FirstDifference);
        Assert.Contains("Run 2 differs from run 1", result.FirstDifference, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeterminismCheckPassesAStatelessAnalyzer()
    {
        var result = await DeterminismCheck.RunAsync(Seeds, Analyzers(new ReportingAnalyzer()), runs: 3);

        Assert.Null(result.FirstDifference);
        Assert.Equal(3, result.Runs);
        Assert.NotEmpty(result.Baseline);
        Assert.Contains(result.Baseline, line => line.Contains("ROBUST001 | Warning | seed/InsecureTools.cs(16,", StringComparison.Ordinal));
    }

    [Fact]
    public void DifferenceNamesMissingAndNewDiagnostics()
    {
        Assert.Null(DeterminismCheck.FirstDifference(new[] { "a", "b" }, new[] { "a", "b" }));
        Assert.Equal("2 diagnostics before, 2 now; missing e.g. [b]; new e.g. [c]", DeterminismCheck.FirstDifference(new[] { "a", "b" }, new[] { "a", "c" }));
        Assert.Equal("1 diagnostics before, 2 now (duplicates differ)", DeterminismCheck.FirstDifference(new[] { "a" }, new[] { "a", "a" }));
    }

    [Fact]
    public void DiscoveryFindsEveryShippedAnalyzerAndCodeFix()
    {
        // Discovery keys on the attributes hosts use; an analyzer or fix without one would be skipped here
        // and never loaded by a compiler or IDE either. Both counts are 0 until rules arrive.
        var analyzerTypes = PackageComponents.AnalyzerAssembly.GetTypes().Count(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t));
        var fixTypes = PackageComponents.CodeFixAssembly.GetTypes().Count(t => !t.IsAbstract && typeof(CodeFixProvider).IsAssignableFrom(t));

        Assert.Equal(PackageComponents.CodeFixAssemblyName, PackageComponents.CodeFixAssembly.GetName().Name);
        Assert.Equal(analyzerTypes, PackageComponents.CreateAnalyzers().Length);
        Assert.Equal(fixTypes, PackageComponents.CreateCodeFixes().Length);
    }
}
