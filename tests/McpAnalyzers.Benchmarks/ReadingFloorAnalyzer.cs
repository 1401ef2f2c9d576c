using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace McpAnalyzers.Benchmarks;

/// <summary>
/// The least any interprocedural tool-input analysis must read, and nothing else: for each tool method, every
/// operation of its body and, three calls deep, of the bodies of the source methods it calls (bound through the
/// driver's semantic model, as the engine binds helpers). No state, no lattice, no sinks. Its <c>ExecutionTime</c> is a
/// floor for the tool-input analyzer's on the same corpus (<c>profile --floor</c>).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class ReadingFloorAnalyzer : DiagnosticAnalyzer
{
    private static readonly DiagnosticDescriptor Rule = new("BENCH001", "Floor", "Floor", "Benchmark", DiagnosticSeverity.Warning, isEnabledByDefault: true);

    private static long s_operationsRead;

    /// <summary>Operations read since the process started (so the walks cannot be optimised away, and to compare runs).</summary>
    public static long OperationsRead => Interlocked.Read(ref s_operationsRead);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze | GeneratedCodeAnalysisFlags.ReportDiagnostics);
        context.RegisterCompilationStartAction(start =>
        {
            var compilation = start.Compilation;
            if (compilation.GetTypeByMetadataName("ModelContextProtocol.Server.McpServerToolAttribute") is not { } tool)
            {
                return;
            }

            start.RegisterOperationBlockAction(block =>
            {
                if (block.OwningSymbol is not IMethodSymbol method || !HasAttribute(method, tool))
                {
                    return;
                }

                var read = 0L;
                foreach (var body in block.OperationBlocks)
                {
                    read += Walk(compilation, body, depth: 3);
                }

                Interlocked.Add(ref s_operationsRead, read);
            });
        });
    }

    // A loop, not LINQ: no closure per callback in what is meant to be a floor.
    private static bool HasAttribute(IMethodSymbol method, INamedTypeSymbol attributeClass)
    {
        foreach (var attribute in method.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, attributeClass))
            {
                return true;
            }
        }

        return false;
    }

    private static long Walk(Compilation compilation, IOperation root, int depth)
    {
        var read = 0L;
        foreach (var operation in root.DescendantsAndSelf())
        {
            read++;
            if (depth > 0 && operation is IInvocationOperation { TargetMethod.DeclaringSyntaxReferences: { Length: 1 } references })
            {
                var syntax = references[0].GetSyntax();
#pragma warning disable RS1030 // the driver's own cached model of the tree, as TaintEngine.GetModel uses
                if (compilation.GetSemanticModel(syntax.SyntaxTree).GetOperation(syntax) is { } callee)
#pragma warning restore RS1030
                {
                    read += Walk(compilation, callee, depth - 1);
                }
            }
        }

        return read;
    }
}
