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

    private const int NestedConditionals = 1_000;

    private const int CallChain = 2_000;

    private const int OrPatternConstants = 1_000;

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
        await RunWithoutFailuresAsync("DeepNesting.cs", source);
    }

    [Fact]
    [Trait("Category", "Robustness")]
    public async Task CodeFixesSurviveAConditionOfThousandsOfTermsAroundTheSinks()
    {
        // Roslyn's simplifier walks the whole statement that receives a fix's code, recursively: on this `if` it ran out of
        // stack (two code-fix exceptions per fix). The fixes' code keeps its qualified names there instead: one sink per
        // fix that simplifies.
        var conjunction = string.Join(" && ", Enumerable.Range(0, Terms).Select(i => $"name != \"v{i}\""));
        var report = await RunWithoutFailuresAsync("DeepCondition.cs", ToolClass($$"""
                [McpServerTool]
                public async System.Threading.Tasks.Task<string> Checked(
                    string name, Microsoft.AspNetCore.Http.IHttpContextAccessor accessor, System.Net.Http.HttpClient client)
                {
                    var header = accessor.HttpContext!.Request.Headers.Authorization;
                    if ({{conjunction}})
                    {
                        System.Console.WriteLine("token: " + header);
                        System.Diagnostics.Process.Start("git", "log " + name);
                        await client.GetStringAsync(name);
                        return File.ReadAllText(name);
                    }

                    return "";
                }
            """));

        // MCPSEC013 (the logged credential), MCPSEC005 (the command line), MCPSEC008 (the URL), MCPSEC006 (the path)
        Assert.Equal(4, report.Diagnostics);
        Assert.Equal(4, report.CodeActions);
        Assert.Equal(4, report.FixAllActions);
    }

    [Fact]
    [Trait("Category", "Robustness")]
    public async Task CodeFixSurvivesALongCallChainAsThePath()
    {
        // The guard copies the path expression; the simplifier used to simplify the copy name by name, each a speculative
        // bind of the statement: this chain did not finish in 300 s. At 10,000 calls Roslyn's own operation-tree builder
        // overflowed the stack here (in the analyzer driver, before the analyzer's callback), at 20,000 the compiler did.
        var chain = "builder" + string.Concat(Enumerable.Repeat(".Append(name)", CallChain));
        var report = await RunWithoutFailuresAsync("DeepChain.cs", ToolClass($$"""
                [McpServerTool]
                public string Built(string name)
                {
                    var builder = new StringBuilder();
                    return File.ReadAllText({{chain}}.ToString());
                }
            """));

        Assert.Equal(1, report.Diagnostics); // MCPSEC006
        Assert.Equal(1, report.CodeActions);
    }

    [Fact]
    [Trait("Category", "Robustness")]
    public async Task AnalyzersAndCodeFixesSurviveALongOrPattern()
    {
        // An allow-list as an `or` pattern: a pattern tree as deep as the list. The compiler's own time grows with the
        // square of the constants (20,000 take minutes without any analyzer), hence the smaller count.
        var alternatives = string.Join(" or ", Enumerable.Range(0, OrPatternConstants).Select(i => $"\"v{i}\""));
        var report = await RunWithoutFailuresAsync("DeepPattern.cs", ToolClass($$"""
                [McpServerTool]
                public string AllowListed(string name) => name is {{alternatives}} ? File.ReadAllText(name) : "";
            """));

        Assert.Equal(0, report.Diagnostics); // the pattern is an allow-list: validated
    }

    [Fact]
    [Trait("Category", "Robustness")]
    public async Task AnalyzersAndCodeFixesSurviveDeeplyNestedConditionals()
    {
        // A conditional expression nests to the right (a ? b : (c ? d : ...)); the compiler itself gives up far sooner than
        // on a concatenation (CS8078 at 20,000 here), so a depth it still compiles.
        var conditional = string.Concat(Enumerable.Range(0, NestedConditionals).Select(i => $"name == \"v{i}\" ? \"{i}\" : ")) + "name";
        var source = $$"""
            using System.IO;
            using ModelContextProtocol.Server;

            [McpServerToolType]
            public sealed class Tools
            {
                [McpServerTool]
                public string Chosen(string name) => File.ReadAllText({{conditional}});
            }
            """;
        var report = await RunWithoutFailuresAsync("DeepConditional.cs", source);

        Assert.Equal(1, report.Diagnostics); // MCPSEC006: the last arm is the tool input itself
    }

    private static string ToolClass(string members) => $$"""
        using System.IO;
        using System.Text;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public sealed class Tools
        {
        {{members}}
        }
        """;

    /// <summary>Every analyzer and code fix of the package on the one file: no exception (and no crash of the host).</summary>
    private static async Task<RobustnessReport> RunWithoutFailuresAsync(string path, string source)
    {
        using var harness = RobustnessHarness.ForPackage();

        var report = await harness.RunAsync(VariantGenerator.Originals(new[] { CorpusUnit.Single(path, source) }));

        Assert.Equal(1, report.Originals);
        Assert.True(report.Failures.Count == 0, report.Summary + Environment.NewLine + report.FormatFailures());
        return report;
    }
}
