using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace McpAnalyzers;

/// <summary>The questions analyzers ask a <see cref="SourceTextFilter"/> about operation blocks and whole compilations.</summary>
internal static class SourceTextFilterExtensions
{
    /// <summary>
    /// False only when no tree holding one of <paramref name="blocks"/> may match. The blocks of one declaration
    /// share a tree; checking every block's tree costs a cached lookup each and does not rely on that.
    /// </summary>
    public static bool MayMatchAny(this SourceTextFilter filter, ImmutableArray<IOperation> blocks, CancellationToken cancellationToken)
    {
        foreach (var block in blocks)
        {
            if (block?.Syntax.SyntaxTree is { } tree && filter.MayMatch(tree, cancellationToken))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>False only when no tree of the compilation may match: a fact needing one of the words exists nowhere.</summary>
    public static bool MayMatchAnyTree(this SourceTextFilter filter, Compilation compilation, CancellationToken cancellationToken)
    {
        filter.ReserveFor(compilation);
        foreach (var tree in compilation.SyntaxTrees)
        {
            if (filter.MayMatch(tree, cancellationToken))
            {
                return true;
            }
        }

        return false;
    }
}
