using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace McpAnalyzers.Tests.Infrastructure;

/// <summary>Runs one analyzer over code compiled against the real MCP SDK and checks the exact diagnostics.</summary>
public static class AnalyzerVerifier<TAnalyzer>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    public static DiagnosticResult Diagnostic(string id) => CSharpAnalyzerVerifier<TAnalyzer, DefaultVerifier>.Diagnostic(id);

    /// <summary>Library code (tool classes): expected diagnostics come from <c>{|ID:...|}</c> markup.</summary>
    public static Task VerifyAsync(string source, params DiagnosticResult[] expected)
        => Run(source, OutputKind.DynamicallyLinkedLibrary, expected);

    /// <summary>Top-level-statement programs (Program.cs of a web app).</summary>
    public static Task VerifyProgramAsync(string source, params DiagnosticResult[] expected)
        => Run(source, OutputKind.ConsoleApplication, expected);

    private static Task Run(string source, OutputKind outputKind, DiagnosticResult[] expected)
    {
        var test = new Test { TestCode = source };
        test.TestState.OutputKind = outputKind;
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    public sealed class Test : CSharpAnalyzerTest<TAnalyzer, DefaultVerifier>
    {
        public Test() => McpTestSetup.Configure(this);
    }
}
