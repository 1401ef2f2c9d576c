using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Testing;

namespace McpAnalyzers.Tests.Infrastructure;

/// <summary>Shared configuration of analyzer and code-fix tests: real references, latest C#, options.</summary>
internal static class McpTestSetup
{
    public static void Configure(AnalyzerTest<DefaultVerifier> test)
    {
        test.ReferenceAssemblies = TestReferences.ReferenceAssemblies;
        test.TestState.AdditionalReferences.AddRange(TestReferences.All);
        test.SolutionTransforms.Add((solution, projectId) =>
        {
            var project = solution.GetProject(projectId)!;
            var parseOptions = ((CSharpParseOptions)project.ParseOptions!).WithLanguageVersion(LanguageVersion.Latest);
            var compilationOptions = ((CSharpCompilationOptions)project.CompilationOptions!).WithNullableContextOptions(NullableContextOptions.Enable);
            return solution.WithProjectParseOptions(projectId, parseOptions).WithProjectCompilationOptions(projectId, compilationOptions);
        });
    }

    /// <summary>Builds an .editorconfig for <c>*.cs</c> with the given <c>key = value</c> lines.</summary>
    public static (string Path, string Content) EditorConfig(params string[] lines)
    {
        var text = new StringBuilder("root = true\n\n[*.cs]\n");
        foreach (var line in lines)
        {
            text.Append(line).Append('\n');
        }

        return ("/.editorconfig", text.ToString());
    }
}
