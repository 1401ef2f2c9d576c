using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace McpAnalyzers.Rules.PredictableSecrets;

/// <summary>
/// MCPSEC002's pre-filter: false only when an operation block cannot contain a predictable source, so that
/// <see cref="PredictableValueFlow"/> can only classify its values as neutral or secure and nothing is reported.
/// </summary>
/// <remarks>
/// The flow is confined to one operation block: locals and counters are recorded from the block's own operations, a field
/// is a counter only when the same block increments it, and every source is a member access or an operator written in the
/// block. Members are reached by name in the block's file (aliases rename types, not members), so a block whose file spells
/// none of these words has no source, wherever its sink's name or key constant is declared:
/// <list type="bullet">
/// <item>System.Random: any instance method of Random (the fragment <c>next</c> covers Next/NextInt64/NextDouble/NextSingle/NextBytes;
/// the other names are read from the Random symbol), and the methods declared by project types deriving from Random;</item>
/// <item>the clock: <c>now</c> (Now, UtcNow, GetUtcNow, GetLocalNow), Today, <c>tick</c> (TickCount[64]), <c>elapsed</c>
/// (Stopwatch.Elapsed*, GetElapsedTime), <c>timestamp</c> (GetTimestamp);</item>
/// <item>counters: <c>crement</c> (Interlocked.Increment/Decrement), Add (Interlocked.Add), and the ++, --, compound-assignment
/// tokens (checked on the syntax tree, since "--" and "+=" are common inside strings);</item>
/// <item>hashes: <c>hashcode</c> (GetHashCode, ToHashCode), Combine (HashCode.Combine under <c>using static</c>);</item>
/// <item>GUIDs: <c>version7</c> (CreateVersion7), and NewGuid only when <c>flag_guid</c> is on.</item>
/// </list>
/// A Random subclass from a referenced assembly with methods of other names is the one source this does not see.
/// </remarks>
internal sealed class PredictableSourceFilter
{
    private static readonly string[] Fragments = { "next", "now", "tick", "elapsed", "timestamp", "crement", "hashcode", "version7" };

    private readonly SourceTextFilter _words;
    private readonly SourceTextFilter _newGuid = new(new[] { "NewGuid" });

    // The counter-operator check, answered once per tree like the fragment searches (TreeWords.QuestionBit); its key starts
    // with a NUL character, which no fragment has.
    private static readonly int CounterOperatorQuestion = TreeWords.QuestionBit("\0counter operator");

    public PredictableSourceFilter(Compilation compilation, PredictableSecretSymbols symbols, CancellationToken cancellationToken)
    {
        var identifiers = new List<string> { "Today", "Add", "Combine" };
        if (symbols.Random is { } random)
        {
            identifiers.AddRange(InstanceMethodNames(random));
            identifiers.AddRange(DerivedRandomMethodNames(compilation, random, cancellationToken));
        }

        _words = new SourceTextFilter(identifiers.Where(name => !Fragments.Any(f => name.IndexOf(f, StringComparison.OrdinalIgnoreCase) >= 0)), Fragments);
    }

    /// <summary>False only when none of the blocks' files can hold a predictable source; <paramref name="flagGuid"/> is asked only for NewGuid.</summary>
    public bool MayMatch(ImmutableArray<IOperation> blocks, Func<bool> flagGuid, CancellationToken cancellationToken)
    {
        foreach (var block in blocks)
        {
            var tree = block.Syntax.SyntaxTree;
            if (_words.MayMatch(tree, cancellationToken)
                || MayHaveCounterOperator(tree, cancellationToken)
                || (_newGuid.MayMatch(tree, cancellationToken) && flagGuid()))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>False only when no file of the compilation can hold a source: the rule has nothing to do at all.</summary>
    public bool MayMatchAnyTree(Compilation compilation, CancellationToken cancellationToken)
    {
        _words.ReserveFor(compilation);
        _newGuid.ReserveFor(compilation);
        foreach (var tree in compilation.SyntaxTrees)
        {
            if (MayMatch(tree, cancellationToken))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// False only when no file declaring <paramref name="type"/> can hold a source (its members' blocks are in those
    /// files). NewGuid passes here and is weighed against flag_guid per block.
    /// </summary>
    public bool MayMatch(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            if (MayMatch(reference.SyntaxTree, cancellationToken))
            {
                return true;
            }
        }

        return false;
    }

    private bool MayMatch(SyntaxTree tree, CancellationToken cancellationToken)
        => _words.MayMatch(tree, cancellationToken)
            || MayHaveCounterOperator(tree, cancellationToken)
            || _newGuid.MayMatch(tree, cancellationToken);

    private static bool MayHaveCounterOperator(SyntaxTree tree, CancellationToken cancellationToken)
    {
        var words = TreeWords.For(tree, cancellationToken);
        if (!words.TryGetAnswer(CounterOperatorQuestion, out var answer))
        {
            answer = HasCounterOperator(tree, cancellationToken);
            words.SetAnswer(CounterOperatorQuestion, answer);
        }

        return answer;
    }

    private static IEnumerable<string> InstanceMethodNames(INamedTypeSymbol type)
        => type.GetMembers().OfType<IMethodSymbol>().Where(m => !m.IsStatic && m.MethodKind == MethodKind.Ordinary).Select(m => m.Name);

    /// <summary>
    /// Methods of project types deriving from Random (any of their instance methods is a Random source). Such a chain
    /// names Random in some file (a base list or an alias): without that word anywhere, no type is visited.
    /// </summary>
    private static IEnumerable<string> DerivedRandomMethodNames(Compilation compilation, INamedTypeSymbol random, CancellationToken cancellationToken)
    {
        if (!new SourceTextFilter(new[] { "Random" }).MayMatchAnyTree(compilation, cancellationToken))
        {
            return Enumerable.Empty<string>();
        }

        return compilation.GetSymbolsWithName(_ => true, SymbolFilter.Type, cancellationToken)
            .OfType<INamedTypeSymbol>()
            .Where(type => !SymbolEqualityComparer.Default.Equals(type, random) && PredictableSecretSymbols.IsOrDerivesFrom(type, random))
            .SelectMany(InstanceMethodNames)
            .ToList();
    }

    /// <summary>
    /// True when the tree has a ++, -- or compound-assignment token: the only ways besides Interlocked that a member becomes
    /// a counter. The text is searched first; each hit is confirmed on the tree (the token there, not a string or comment).
    /// </summary>
    private static bool HasCounterOperator(SyntaxTree tree, CancellationToken cancellationToken)
    {
        var text = tree.GetText(cancellationToken).ToString();
        SyntaxNode? root = null;
        bool IsOperator(int position)
        {
            root ??= tree.GetRoot(cancellationToken);
            var token = root.FindToken(position);
            return token.Span.Contains(position) && IsCounterOperator((SyntaxKind)token.RawKind);
        }

        foreach (var pair in new[] { "++", "--" })
        {
            for (var index = text.IndexOf(pair, StringComparison.Ordinal); index >= 0; index = text.IndexOf(pair, index + 1, StringComparison.Ordinal))
            {
                if (IsOperator(index))
                {
                    return true;
                }
            }
        }

        for (var index = text.IndexOf('='); index >= 0; index = text.IndexOf('=', index + 1))
        {
            if (index > 0 && text[index - 1] is '+' or '-' or '*' or '/' or '%' or '&' or '|' or '^' or '<' or '>' && IsOperator(index))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsCounterOperator(SyntaxKind kind) => kind is SyntaxKind.PlusPlusToken or SyntaxKind.MinusMinusToken
        or SyntaxKind.PlusEqualsToken or SyntaxKind.MinusEqualsToken or SyntaxKind.AsteriskEqualsToken or SyntaxKind.SlashEqualsToken
        or SyntaxKind.PercentEqualsToken or SyntaxKind.AmpersandEqualsToken or SyntaxKind.BarEqualsToken or SyntaxKind.CaretEqualsToken
        or SyntaxKind.LessThanLessThanEqualsToken or SyntaxKind.GreaterThanGreaterThanEqualsToken or SyntaxKind.GreaterThanGreaterThanGreaterThanEqualsToken;
}
