using System;
using System.Linq;
using System.Threading.Tasks;
using Xunit;

namespace McpAnalyzers.Tests.Robustness;

/// <summary>
/// Generated code nests expressions far deeper than people write them: a string concatenation of thousands of terms is
/// an operation tree thousands of levels deep. Every analyzer and code fix must run on it without an exception, and
/// above all without a stack overflow, which no one can catch: it ends the compiler process of the build.
/// </summary>
public class DeepNestingTests
{
    private const int Terms = 20_000;

    [Fact]
    [Trait("Category", "Robustness")]
    public async Task AnalyzersAndCodeFixesSurviveThousandsOfNestedOperations()
    {
        var terms = string.Join(" + ", Enumerable.Repeat("\"a\"", Terms));
        var source = $$"""
            using System.Diagnostics;
            using System.IO;
            using System.Net.Http;
            using ModelContextProtocol.Server;

            [McpServerToolType]
            public sealed class Tools
            {
                private string _path = "readme.txt";

                [McpServerTool]
                public void SetPath(string path) => _path = path;

                [McpServerTool]
                public string Concatenated(string name) => File.ReadAllText(name + {{terms}});

                [McpServerTool]
                public void Command(string name) => Process.Start("git", "log " + name + {{terms}});

                public string ReadsState() => _path + {{terms}};
            }

            public sealed class Plain
            {
                private static int _counter;

                public string Text() => {{terms}};

                public string Session() => _counter++ + {{terms}};
            }
            """;
        using var harness = RobustnessHarness.ForPackage();

        var report = await harness.RunAsync(VariantGenerator.Originals(new[] { CorpusUnit.Single("DeepNesting.cs", source) }));

        Assert.Equal(1, report.Originals);
        Assert.True(report.Failures.Count == 0, report.Summary + Environment.NewLine + report.FormatFailures());
    }
}
