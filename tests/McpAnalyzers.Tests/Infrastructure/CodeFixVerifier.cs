using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace McpAnalyzers.Tests.Infrastructure;

/// <summary>
/// Checks a code fix's exact output. The fixed state is compiled against the same real references
/// and, as in every Microsoft.CodeAnalysis.Testing run, any compiler error in it fails the test:
/// that is the "fixed code compiles" check. FixAll (document, project, solution) is exercised by
/// the framework whenever the source has more than one diagnostic.
/// </summary>
public static class CodeFixVerifier<TAnalyzer, TCodeFix>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : CodeFixProvider, new()
{
    public static DiagnosticResult Diagnostic(string id) => CSharpCodeFixVerifier<TAnalyzer, TCodeFix, DefaultVerifier>.Diagnostic(id);

    public static Task VerifyFixAsync(string source, string fixedSource, params DiagnosticResult[] expected)
        => Run(source, fixedSource, OutputKind.DynamicallyLinkedLibrary, expected);

    public static Task VerifyProgramFixAsync(string source, string fixedSource, params DiagnosticResult[] expected)
        => Run(source, fixedSource, OutputKind.ConsoleApplication, expected);

    private static Task Run(string source, string fixedSource, OutputKind outputKind, DiagnosticResult[] expected)
    {
        var test = new Test { TestCode = source, FixedCode = fixedSource };
        test.TestState.OutputKind = outputKind;
        test.FixedState.OutputKind = outputKind;
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    public sealed class Test : CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
    {
        public Test() => McpTestSetup.Configure(this);
    }
}
