using System;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace McpAnalyzers.Tests.Robustness;

public class CorpusAndMutatorTests
{
    private const string SmallClass = "class C\n{\n    int M() { return 1; }\n}\n";

    [Fact]
    public void SeedsCompileWithoutErrors()
    {
        foreach (var seed in SeedSources.Units)
        {
            var errors = RobustnessCompilation.Create(seed).GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            Assert.True(errors.Count == 0, seed.Name + ":\n" + string.Join("\n", errors));
        }
    }

    [Fact]
    public void CorpusStartsWithTheSeeds()
    {
        var corpus = RobustnessCorpus.Load();

        Assert.Equal(SeedSources.Units.Select(u => u.Name), corpus.Take(SeedSources.Units.Length).Select(u => u.Name));
    }

    [Fact]
    public void SnippetsAreTheProgramsInTestLiteralsWithoutMarkup()
    {
        const string testFile = """"
            public class Sample
            {
                private const string Shared = "class C { void M() { } }";
                private const string Usings = "using System;\n";
                private const string Tail = Usings;

                public async Task Flags()
                {
                    await VerifyAsync("""
                        using System.IO;
                        public static class Tools
                        {
                            public static string Read(string path) => {|MCPSEC006:File.ReadAllText(path)|};
                        }
                        """, Diagnostic("MCPSEC006").WithArguments("path"));
                    await VerifyProgramAsync("var x = [|1|];$$");
                    await VerifyAsync($"class {name} {{ }}");
                    await VerifyAsync(Usings + """
                        class D { }
                        """ + Tail);
                    var options = "root = true";
                    var path = "/mcp";
                }
            }
            """";

        var snippets = RobustnessCorpus.ExtractSnippets(testFile).ToList();

        Assert.Equal(
            new[]
            {
                (3, "class C { void M() { } }"),
                (9, "using System.IO;\npublic static class Tools\n{\n    public static string Read(string path) => File.ReadAllText(path);\n}"),
                (16, "var x = 1;"),
                (18, "using System;\nclass D { }using System;\n"),
            },
            snippets.Select(s => (s.Line, s.Source.Replace("\r\n", "\n", StringComparison.Ordinal))));
    }

    [Fact]
    public void SamplesAreGroupedByProjectWithImplicitUsings()
    {
        var root = Directory.CreateTempSubdirectory("mcp-samples-").FullName;
        try
        {
            var project = Path.Combine(root, "Server");
            Directory.CreateDirectory(Path.Combine(project, "Tools"));
            Directory.CreateDirectory(Path.Combine(project, "obj"));
            File.WriteAllText(Path.Combine(project, "Server.csproj"), "<Project Sdk=\"Microsoft.NET.Sdk.Web\"><PropertyGroup><ImplicitUsings>enable</ImplicitUsings></PropertyGroup></Project>");
            File.WriteAllText(Path.Combine(project, "Program.cs"), "var app = WebApplication.Create(); app.Run();");
            File.WriteAllText(Path.Combine(project, "Tools", "EchoTools.cs"), "public static class EchoTools { }");
            File.WriteAllText(Path.Combine(project, "obj", "Generated.cs"), "class Generated { }");
            File.WriteAllText(Path.Combine(root, "Loose.cs"), "class Loose { }");

            var units = RobustnessCorpus.LoadSamples(root).ToList();

            Assert.Equal(2, units.Count);
            var server = units.Single(u => u.Documents.Length > 1);
            Assert.Equal(new[] { "Program.cs", "EchoTools.cs", "ImplicitGlobalUsings.g.cs" }, server.Documents.Select(d => Path.GetFileName(d.Path)));
            Assert.False(server.Documents[2].Mutable);
            Assert.Contains("global using global::Microsoft.AspNetCore.Builder;", server.Documents[2].Text, StringComparison.Ordinal);
            Assert.Empty(RobustnessCompilation.Create(server).GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
            Assert.Equal(OutputKind.ConsoleApplication, RobustnessCompilation.Create(server).Options.OutputKind);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void MissingFoldersGiveNoUnits()
    {
        var missing = Path.Combine(Path.GetTempPath(), "mcp-missing-" + Guid.NewGuid().ToString("N"));

        Assert.Empty(RobustnessCorpus.LoadSamples(missing));
        Assert.Empty(RobustnessCorpus.LoadTestSnippets(missing));
    }

    [Fact]
    public void VariantsAreReproducibleAndCoverEveryKind()
    {
        var first = VariantGenerator.Generate(SeedSources.Units, 80, seed: 7).ToList();
        var second = VariantGenerator.Generate(SeedSources.Units, 80, seed: 7).ToList();
        var other = VariantGenerator.Generate(SeedSources.Units, 80, seed: 8).ToList();

        Assert.Equal(first.Select(v => v.MutatedText), second.Select(v => v.MutatedText));
        Assert.Equal(first[57].MutatedText, VariantGenerator.Single(SeedSources.Units, 57, seed: 7)!.MutatedText);
        Assert.NotEqual(first.Select(v => v.MutatedText), other.Select(v => v.MutatedText));
        Assert.Equal(SourceMutator.AllKinds.OrderBy(k => k), first.Select(v => v.Mutations[0].Kind).Distinct().OrderBy(k => k));

        var unchanged = first.Count(v => v.MutatedText == SeedSources.Units.Single(u => u.Name == v.Unit.Name).Documents[0].Text);
        Assert.True(unchanged <= 2, $"{unchanged} of {first.Count} variants equal their original");
    }

    [Theory]
    [InlineData(MutationKind.RemoveBrace)]
    [InlineData(MutationKind.InsertBrace)]
    public void BraceMutationsUnbalanceTheBraces(MutationKind kind)
    {
        for (var seed = 0; seed < 20; seed++)
        {
            var mutation = SourceMutator.Mutate(SmallClass, kind, new Random(seed));
            Assert.Equal(1, Math.Abs(mutation.Text.Count(c => c == '{') - mutation.Text.Count(c => c == '}')));
        }
    }

    [Fact]
    public void DuplicatedMemberAppearsTwice()
    {
        for (var seed = 0; seed < 20; seed++)
        {
            var mutation = SourceMutator.Mutate(SmallClass, MutationKind.DuplicateMember, new Random(seed));
            var members = SyntaxFactory.ParseCompilationUnit(mutation.Text).DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.MemberDeclarationSyntax>().ToList();
            Assert.Equal(mutation.Text.Contains("class C\n{\n    int M() { return 1; }\n    int M()", StringComparison.Ordinal) ? 3 : 4, members.Count);
        }
    }

    [Fact]
    public void TruncationEndsAtATokenBoundary()
    {
        const string source = "class C { int M() => 42; }";
        var tokenEnds = SyntaxFactory.ParseCompilationUnit(source).DescendantTokens().Select(t => t.Span.End).ToHashSet();

        for (var seed = 0; seed < 20; seed++)
        {
            var mutation = SourceMutator.Mutate(source, MutationKind.TruncateAtToken, new Random(seed));
            Assert.StartsWith(mutation.Text, source, StringComparison.Ordinal);
            Assert.Contains(mutation.Text.Length, tokenEnds);
        }
    }
}
