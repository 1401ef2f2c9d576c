using System;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;

namespace McpAnalyzers.Tests.Robustness;

/// <summary>
/// The analyzers and code fixes the package ships, discovered by reflection so the robustness and
/// determinism checks cover every rule that exists on the branch without a list to maintain.
/// Discovery mirrors how a host loads them: a non-abstract <see cref="DiagnosticAnalyzer"/> with
/// <see cref="DiagnosticAnalyzerAttribute"/> for C#, a non-abstract <see cref="CodeFixProvider"/>
/// with <see cref="ExportCodeFixProviderAttribute"/> for C#.
/// </summary>
public static class PackageComponents
{
    /// <summary>The code-fix assembly has no type the tests name, so it is loaded by name (it is in the test output via the project reference).</summary>
    public const string CodeFixAssemblyName = "McpAnalyzers.CodeFixes";

    public static Assembly AnalyzerAssembly => typeof(Descriptors).Assembly;

    public static Assembly CodeFixAssembly => Assembly.Load(new AssemblyName(CodeFixAssemblyName));

    /// <summary>Fresh instances of every shipped C# analyzer, ordered by type name.</summary>
    public static ImmutableArray<DiagnosticAnalyzer> CreateAnalyzers()
        => AnalyzerAssembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t)
                && t.GetCustomAttributes<DiagnosticAnalyzerAttribute>().Any(a => a.Languages.Contains(LanguageNames.CSharp)))
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .ToImmutableArray();

    /// <summary>Fresh instances of every shipped C# code fix, ordered by type name.</summary>
    public static ImmutableArray<CodeFixProvider> CreateCodeFixes()
        => CodeFixAssembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(CodeFixProvider).IsAssignableFrom(t)
                && t.GetCustomAttributes<ExportCodeFixProviderAttribute>().Any(a => a.Languages.Contains(LanguageNames.CSharp)))
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => (CodeFixProvider)Activator.CreateInstance(t)!)
            .ToImmutableArray();
}
