using System.Threading.Tasks;
using McpAnalyzers.Tests.Infrastructure;
using Xunit;
using Verify = McpAnalyzers.Tests.Infrastructure.AnalyzerVerifier<McpAnalyzers.Rules.ToolInputTaintAnalyzer>;

namespace McpAnalyzers.Tests.Rules;

/// <summary>Validation awareness of the engine (TaintEngine): checks clear taint only on the branch where they hold.</summary>
public class TaintEngineValidationTests
{
    private static string Tool(string members) => $$"""
        using System;
        using System.Collections.Generic;
        using System.Collections.Immutable;
        using System.IO;
        using System.Linq;
        using System.Text.RegularExpressions;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public partial class Tools
        {
        {{members}}
        }
        """;

    [Fact]
    public Task AnchoredRegexGuardClearsOnlyAfterTheGuard() => Verify.VerifyAsync(Tool("""
            [McpServerTool]
            public string Guarded(string name)
            {
                if (!Regex.IsMatch(name, "^[a-z0-9]+$"))
                {
                    throw new ArgumentException("Invalid name.", nameof(name));
                }

                return File.ReadAllText(name);
            }

            [McpServerTool]
            public string ReturnGuard(string name)
            {
                if (!Regex.IsMatch(name, @"\A[a-z0-9]+\z")) return "";
                return File.ReadAllText(name);
            }

            [McpServerTool]
            public string OnlyInBranch(string name)
            {
                if (Regex.IsMatch(name, "^[a-z0-9]+$"))
                {
                    File.Delete(name);
                }
                else
                {
                    {|MCPSEC006:File.Delete(name)|};
                }

                return {|MCPSEC006:File.ReadAllText(name)|};
            }

            [McpServerTool]
            public string Unanchored(string name)
            {
                if (!Regex.IsMatch(name, "[a-z0-9]+")) throw new ArgumentException();
                return {|MCPSEC006:File.ReadAllText(name)|};
            }
        """));

    [Fact]
    public Task GeneratedAndStoredRegexInstances() => Verify.VerifyAsync(Tool("""
            private static readonly Regex Stored = new("^[a-z]+$", RegexOptions.Compiled);
            private static readonly Regex Loose = new("[a-z]+");

            // The test compilation does not run the regex source generator: only the attribute matters here.
            [GeneratedRegex("^[a-z]+$")]
            private static partial Regex {|CS8795:NameRegex|}();

            [McpServerTool]
            public string A(string name)
            {
                if (!NameRegex().IsMatch(name)) throw new ArgumentException();
                return File.ReadAllText(name);
            }

            [McpServerTool]
            public string B(string name)
            {
                if (!Stored.IsMatch(name)) throw new ArgumentException();
                return File.ReadAllText(name);
            }

            [McpServerTool]
            public string C(string name)
            {
                if (!Loose.IsMatch(name)) throw new ArgumentException();
                return {|MCPSEC006:File.ReadAllText(name)|};
            }
        """));

    [Fact]
    public Task AllowlistContainsOnReadonlyCollections() => Verify.VerifyAsync(Tool("""
            private static readonly HashSet<string> Allowed = new() { "a.txt", "b.txt" };
            private static readonly string[] AllowedArray = { "a.txt" };
            private static readonly ImmutableArray<string> AllowedImmutable = ImmutableArray.Create("a.txt");
            private List<string> _mutable = new();

            [McpServerTool]
            public string A(string name)
            {
                if (!Allowed.Contains(name)) throw new ArgumentException();
                return File.ReadAllText(name);
            }

            [McpServerTool]
            public string B(string name) => AllowedArray.Contains(name) ? File.ReadAllText(name) : "";

            [McpServerTool]
            public string C(string name) => AllowedImmutable.Contains(name) ? File.ReadAllText(name) : {|MCPSEC006:File.ReadAllText(name)|};

            [McpServerTool]
            public string D(string name) => _mutable.Contains(name) ? {|MCPSEC006:File.ReadAllText(name)|} : "";
        """));

    [Fact]
    public Task EqualityWithConstantsAndSwitch() => Verify.VerifyAsync(Tool("""
            [McpServerTool]
            public string A(string name)
            {
                if (name == "a.txt" || name == "b.txt")
                {
                    return File.ReadAllText(name);
                }

                if (name is "c.txt" or "d.txt")
                {
                    return File.ReadAllText(name);
                }

                if (string.Equals(name, "e.txt", StringComparison.Ordinal))
                {
                    return File.ReadAllText(name);
                }

                switch (name)
                {
                    case "f.txt":
                        return File.ReadAllText(name);
                    default:
                        return {|MCPSEC006:File.ReadAllText(name)|};
                }
            }

            [McpServerTool]
            public string B(string name)
            {
                if (name != "a.txt") throw new ArgumentException();
                return File.ReadAllText(name);
            }

            [McpServerTool]
            public string C(string? name)
            {
                if (name == null) throw new ArgumentNullException(nameof(name));
                return {|MCPSEC006:File.ReadAllText(name)|};
            }
        """));

    [Fact]
    public Task ParsingToNumbersAndEnums() => Verify.VerifyAsync(Tool("""
            [McpServerTool]
            public string A(string id, string kind)
            {
                var n = int.Parse(id);
                if (!int.TryParse(id, out var m)) throw new ArgumentException();
                if (!Enum.TryParse<DayOfWeek>(kind, out var day)) throw new ArgumentException();
                return File.ReadAllText($"/data/{n}-{m}-{day}.txt");
            }
        """));

    [Fact]
    public Task UserSanitizersFromEditorConfig()
    {
        var test = new AnalyzerVerifier<McpAnalyzers.Rules.ToolInputTaintAnalyzer>.Test
        {
            TestCode = """
                using System;
                using System.IO;
                using ModelContextProtocol.Server;

                namespace MyApp;

                public static class Validation
                {
                    public static string SafePath(string path) => path;
                    public static bool IsSafe(string path) => path.Length < 10;
                    public static string Other(string path) => path;
                }

                [McpServerToolType]
                public static class Tools
                {
                    [McpServerTool]
                    public static string A(string path) => File.ReadAllText(Validation.SafePath(path));

                    [McpServerTool]
                    public static string B(string path)
                    {
                        if (!Validation.IsSafe(path)) throw new ArgumentException();
                        return File.ReadAllText(path);
                    }

                    [McpServerTool]
                    public static string C(string path) => {|MCPSEC006:File.ReadAllText(Validation.Other(path))|};
                }
                """,
        };
        test.TestState.AnalyzerConfigFiles.Add(McpTestSetup.EditorConfig(
            "mcpsec.sanitizers = M:MyApp.Validation.SafePath(System.String), M:MyApp.Validation.IsSafe(System.String)"));
        return test.RunAsync();
    }

    [Fact]
    public Task RuleSpecificSanitizerClearsOnlyThatRule()
    {
        var test = new AnalyzerVerifier<McpAnalyzers.Rules.ToolInputTaintAnalyzer>.Test
        {
            TestCode = """
                using System.Diagnostics;
                using System.IO;
                using ModelContextProtocol.Server;

                namespace MyApp;

                public static class Validation
                {
                    public static string SafePath(string path) => path;
                }

                [McpServerToolType]
                public static class Tools
                {
                    [McpServerTool]
                    public static void A(string path)
                    {
                        var safe = Validation.SafePath(path);
                        File.Delete(safe);
                        {|MCPSEC005:Process.Start(safe)|};
                    }
                }
                """,
        };
        test.TestState.AnalyzerConfigFiles.Add(McpTestSetup.EditorConfig("mcpsec.MCPSEC006.sanitizers = M:MyApp.Validation.SafePath(System.String)"));
        return test.RunAsync();
    }

    [Fact]
    public Task HelperDepthOneTwoThreeAndBeyond() => Verify.VerifyAsync(Tool("""
            [McpServerTool]
            public void A(string name)
            {
                L1(name);
                M1(name);
            }

            private static void L1(string p) => {|#0:File.Delete(p)|};

            private static void M1(string p) => M2(p + "1");
            private static void M2(string p) => M3(p + "2");
            private static void M3(string p) => {|#1:File.Delete(p)|};

            [McpServerTool]
            public void B(string name) => N1(name);
            private static void N1(string p) => N2(p);
            private static void N2(string p) => N3(p);
            private static void N3(string p) => N4(p);
            private static void N4(string p) => File.Delete(p);
        """),
        Verify.Diagnostic("MCPSEC006").WithLocation(0).WithArguments("Tool parameter 'name'", "File.Delete", " through L1(string)"),
        Verify.Diagnostic("MCPSEC006").WithLocation(1).WithArguments("Tool parameter 'name'", "File.Delete", " through M1(string), M2(string) and M3(string)"));

    [Fact]
    public Task MaxCallDepthOption()
    {
        var test = new AnalyzerVerifier<McpAnalyzers.Rules.ToolInputTaintAnalyzer>.Test
        {
            TestCode = Tool("""
                [McpServerTool]
                public void A(string name) => M1(name);
                private static void M1(string p) => M2(p);
                private static void M2(string p) => File.Delete(p);

                [McpServerTool]
                public void B(string name) => {|MCPSEC006:File.Delete(name)|};

                [McpServerTool]
                public void C(string name) => N1(name);
                private static void N1(string p) => {|MCPSEC006:File.Delete(p)|};
            """),
        };
        test.TestState.AnalyzerConfigFiles.Add(McpTestSetup.EditorConfig("mcpsec.max_call_depth = 1"));
        return test.RunAsync();
    }

    [Fact]
    public Task TestProjectsAreExcludedByDefault()
    {
        var source = Tool("""
                [McpServerTool]
                public string A(string name) => File.ReadAllText(name);
            """);
        var test = new AnalyzerVerifier<McpAnalyzers.Rules.ToolInputTaintAnalyzer>.Test { TestCode = source };
        test.TestState.AnalyzerConfigFiles.Add(("/.globalconfig", "is_global = true\nbuild_property.IsTestProject = true\n"));
        return test.RunAsync();
    }

    [Fact]
    public Task TestProjectsAreAnalyzedWhenExcludeTestsIsFalse()
    {
        var source = Tool("""
                [McpServerTool]
                public string A(string name) => {|MCPSEC006:File.ReadAllText(name)|};
            """);
        var test = new AnalyzerVerifier<McpAnalyzers.Rules.ToolInputTaintAnalyzer>.Test { TestCode = source };
        test.TestState.AnalyzerConfigFiles.Add(("/.globalconfig", "is_global = true\nbuild_property.IsTestProject = true\nmcpsec.exclude_tests = false\n"));
        return test.RunAsync();
    }

    [Fact]
    public Task OneDiagnosticPerSinkWithSeveralPaths() => Verify.VerifyAsync(Tool("""
            [McpServerTool]
            public string A(string first, string second, bool flag)
            {
                var p = flag ? first : second;
                return {|#0:File.ReadAllText(p + second)|};
            }
        """),
        Verify.Diagnostic("MCPSEC006").WithLocation(0).WithArguments("Tool parameter 'first'", "File.ReadAllText", ""));

    [Fact]
    public Task CompilationWithoutTheSdkIsIgnored() => new AnalyzerVerifier<McpAnalyzers.Rules.ToolInputTaintAnalyzer>.Test
    {
        TestCode = """
            using System.IO;

            public static class NoMcp
            {
                public static string Read(string path) => File.ReadAllText(path);
            }
            """,
    }.RunAsync();
}
