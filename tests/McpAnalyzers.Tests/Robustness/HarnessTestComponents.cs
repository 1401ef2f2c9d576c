using System;
using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace McpAnalyzers.Tests.Robustness;

/// <summary>
/// Deliberately misbehaving analyzers and code fixes, used only to prove that the robustness and
/// determinism harnesses detect what they claim to detect. They live in the test assembly, so the
/// package discovery never picks them up.
/// </summary>
internal static class HarnessTestComponents
{
    public const string DiagnosticId = "ROBUST001";

#pragma warning disable RS2008 // Test-only rules: never shipped, so no release tracking.
    public static readonly DiagnosticDescriptor Descriptor = new(
        DiagnosticId, "Type declared", "Type '{0}' declared", "Test", DiagnosticSeverity.Warning, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor CountingDescriptor = new(
        "ROBUST002", "Type declared", "Type '{0}' seen in compilation {1}", "Test", DiagnosticSeverity.Warning, isEnabledByDefault: true);
#pragma warning restore RS2008

    /// <summary>Reports ROBUST001 on every type name: gives the code fixes something to act on.</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class ReportingAnalyzer : DiagnosticAnalyzer
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Descriptor);

        public override void Initialize(AnalysisContext context)
        {
            context.EnableConcurrentExecution();
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze | GeneratedCodeAnalysisFlags.ReportDiagnostics);
            context.RegisterSymbolAction(
                c =>
                {
                    foreach (var location in c.Symbol.Locations)
                    {
                        c.ReportDiagnostic(Diagnostic.Create(Descriptor, location, c.Symbol.Name));
                    }
                },
                SymbolKind.NamedType);
        }
    }

    /// <summary>Throws once per compilation, as an analyzer that dereferences a null symbol would.</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class ThrowingAnalyzer : DiagnosticAnalyzer
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Descriptor);

        public override void Initialize(AnalysisContext context)
        {
            context.EnableConcurrentExecution();
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.RegisterCompilationAction(_ => throw new InvalidOperationException("Deliberate analyzer failure."));
        }
    }

    /// <summary>Never finishes on its own; stops only when the host cancels the analysis.</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class HangingAnalyzer : DiagnosticAnalyzer
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Descriptor);

        public override void Initialize(AnalysisContext context)
        {
            context.EnableConcurrentExecution();
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.RegisterCompilationAction(c =>
            {
                while (true)
                {
                    c.CancellationToken.WaitHandle.WaitOne(50);
                    c.CancellationToken.ThrowIfCancellationRequested();
                }
            });
        }
    }

    /// <summary>Keeps a counter in an instance field (what DESIGN.md forbids), so its messages change from one compilation to the next.</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class NondeterministicAnalyzer : DiagnosticAnalyzer
    {
        private int _compilations;

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(CountingDescriptor);

        public override void Initialize(AnalysisContext context)
        {
            context.EnableConcurrentExecution();
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.RegisterCompilationStartAction(start =>
            {
                var number = Interlocked.Increment(ref _compilations);
                start.RegisterSymbolAction(
                    c => c.ReportDiagnostic(Diagnostic.Create(CountingDescriptor, c.Symbol.Locations[0], c.Symbol.Name, number)),
                    SymbolKind.NamedType);
            });
        }
    }

    /// <summary>Throws while registering its fix.</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp), Shared]
    public sealed class ThrowingRegistrationFix : CodeFixProvider
    {
        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(DiagnosticId);

        public override FixAllProvider? GetFixAllProvider() => null;

        public override Task RegisterCodeFixesAsync(CodeFixContext context) => throw new InvalidOperationException("Deliberate registration failure.");
    }

    /// <summary>Registers an action that throws when computing its change, and a fix-all provider that throws.</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp), Shared]
    public sealed class ThrowingActionFix : CodeFixProvider
    {
        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(DiagnosticId);

        public override FixAllProvider GetFixAllProvider() => new ThrowingFixAllProvider();

        public override Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            context.RegisterCodeFix(
                CodeAction.Create("Throw", new Func<CancellationToken, Task<Document>>(_ => throw new InvalidOperationException("Deliberate code action failure.")), equivalenceKey: "Throw"),
                context.Diagnostics);
            return Task.CompletedTask;
        }

        private sealed class ThrowingFixAllProvider : FixAllProvider
        {
            public override Task<CodeAction?> GetFixAsync(FixAllContext fixAllContext) => throw new InvalidOperationException("Deliberate fix-all failure.");
        }
    }

    /// <summary>A correct fix (appends "Checked" to the type name, batch fix-all), with a nested action: proves the happy path is exercised.</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp), Shared]
    public sealed class RenamingFix : CodeFixProvider
    {
        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(DiagnosticId);

        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        public override Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var rename = CodeAction.Create("Rename", ct => RenameAsync(context.Document, context.Span, ct), equivalenceKey: "Rename");
            context.RegisterCodeFix(rename, context.Diagnostics);
            context.RegisterCodeFix(CodeAction.Create("More", ImmutableArray.Create(rename), isInlinable: false), context.Diagnostics);
            return Task.CompletedTask;
        }

        private static async Task<Document> RenameAsync(Document document, Microsoft.CodeAnalysis.Text.TextSpan span, CancellationToken cancellationToken)
        {
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            var token = root!.FindToken(span.Start);
            if (!token.IsKind(SyntaxKind.IdentifierToken))
            {
                return document;
            }

            return document.WithSyntaxRoot(root.ReplaceToken(token, SyntaxFactory.Identifier(token.LeadingTrivia, token.ValueText + "Checked", token.TrailingTrivia)));
        }
    }

    public static ImmutableArray<DiagnosticAnalyzer> Analyzers(params DiagnosticAnalyzer[] analyzers) => analyzers.ToImmutableArray();

    public static ImmutableArray<CodeFixProvider> Fixes(params CodeFixProvider[] fixes) => fixes.ToImmutableArray();
}
