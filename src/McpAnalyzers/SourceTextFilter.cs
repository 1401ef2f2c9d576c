using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace McpAnalyzers;

/// <summary>
/// The cheapest pre-filter an analyzer can have: a plain text search of a syntax tree for the words without which
/// nothing in that tree can matter to a rule (the member names of its sources or sinks). A tree whose text has none of
/// them is skipped before any syntax or operation walk. The answer is computed once per tree and cached for the
/// lifetime of the instance, which is made in a compilation-start action (one per compilation and analyzer).
/// </summary>
/// <remarks>
/// Why text: on the benchmark corpus (tests/McpAnalyzers.Benchmarks), searching 1,000 files for four words costs
/// about 1 ms, walking their tokens 80 ms, their syntax nodes 20 ms and the operations of their bodies 14 ms.
/// The filter must be conservative: a false "no" loses findings. Every name a rule matches by symbol is spelled in
/// the source where the member is used (C# reaches members by name; aliases rename types, not members), so a tree
/// that uses the member contains the word. A text with a Unicode escape (<c>\u</c>, which can spell an identifier)
/// always passes. Words from constants declared elsewhere (a key constant used as <c>Headers[Keys.Auth]</c>) must be
/// added by the rule as <em>identifiers</em> of those constants. For the trees of a compilation reserved with
/// <see cref="ReserveFor"/>, the text is searched for an identifier only when the tree's <see cref="TreeWords"/> (made once
/// for every filter of every rule) may hold it.
/// </remarks>
internal sealed class SourceTextFilter
{
    private readonly string[] _identifiers;
    private readonly string[] _fragments;

    // After ReserveFor: one answer slot per tree of the compilation (0 unknown, 1 no, 2 yes), read and written without a
    // lock. Every block callback of a rule asks, from both threads of a build at once: a lock there was contended.
    private volatile ReservedAnswers? _reserved;

    // Trees outside the reserved compilation (or no reservation): a dictionary under a lock. Not a ConcurrentDictionary:
    // that allocates a node per tree (measured: once the largest allocation site of the analyzers on the benchmark corpus).
    private readonly object _gate = new();
    private readonly Dictionary<SyntaxTree, bool> _answers = new();

    /// <param name="identifiers">Whole identifiers (case-sensitive, not part of a longer identifier): member names.</param>
    /// <param name="fragments">Case-insensitive substrings (any position): parts of string values, such as header names or key suffixes.</param>
    public SourceTextFilter(IEnumerable<string> identifiers, IEnumerable<string>? fragments = null)
    {
        _identifiers = identifiers.Distinct(StringComparer.Ordinal).ToArray();
        _fragments = (fragments ?? Enumerable.Empty<string>()).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        _identifierHashes = _identifiers.Select(identifier => TreeWords.IsWord(identifier) ? TreeWords.Hash(identifier) : (uint?)null).ToArray();
        _fragmentBits = _fragments.Select(TreeWords.QuestionBit).ToArray();
    }

    // The TreeWords question bit of each fragment: its search is answered once per tree, for every filter that has it.
    private readonly int[] _fragmentBits;

    // The TreeWords hash of each identifier; null for one that is not a single word (always searched in the text).
    private readonly uint?[] _identifierHashes;

    /// <summary>False only when the tree's text contains none of the words: nothing in the tree can be what the rule looks for.</summary>
    public bool MayMatch(SyntaxTree tree, CancellationToken cancellationToken = default)
    {
        if (_reserved is { } reserved && reserved.Texts.TryGetOrdinal(tree, out var ordinal))
        {
            var known = Volatile.Read(ref reserved.Answers[ordinal]);
            if (known != Unknown)
            {
                return known == Yes;
            }

            // Two threads asking for the same new tree both search it and store the same answer.
            var found = Contains(tree, reserved.Texts.WordsOf(ordinal, tree, cancellationToken), cancellationToken);
            Volatile.Write(ref reserved.Answers[ordinal], found ? Yes : No);
            return found;
        }

        bool answer;
        lock (_gate)
        {
            if (_answers.TryGetValue(tree, out answer))
            {
                return answer;
            }
        }

        // Rare (tests, a tree of another compilation).
        answer = Contains(tree, TreeWords.For(tree, cancellationToken), cancellationToken);
        lock (_gate)
        {
            _answers[tree] = answer;
        }

        return answer;
    }

    /// <summary>
    /// Gives every tree of <paramref name="compilation"/> an answer slot read without a lock. Call from the compilation-start
    /// action that made the filter, before the callbacks that ask.
    /// </summary>
    public void ReserveFor(Compilation compilation)
    {
        if (_reserved is null)
        {
            var texts = CompilationTexts.For(compilation);
            _reserved = new ReservedAnswers(texts, new byte[texts.Count]);
        }
    }

    private const byte Unknown = 0;
    private const byte No = 1;
    private const byte Yes = 2;

    private sealed class ReservedAnswers
    {
        public ReservedAnswers(CompilationTexts texts, byte[] answers)
        {
            Texts = texts;
            Answers = answers;
        }

        public CompilationTexts Texts { get; }

        public byte[] Answers { get; }
    }

    /// <summary>
    /// True when the tree's text has a Unicode escape, one of the identifiers (searched only where the tree's words may
    /// hold it) or one of the fragments (searched once per tree for every filter, see <see cref="TreeWords.QuestionBit"/>).
    /// </summary>
    private bool Contains(SyntaxTree tree, TreeWords words, CancellationToken cancellationToken)
    {
        string? text = null;
        if (words.HasUnicodeEscape)
        {
            return true;
        }

        for (var i = 0; i < _identifiers.Length; i++)
        {
            if ((_identifierHashes[i] is not { } hash || words.MayContain(hash))
                && ContainsIdentifier(text ??= tree.GetText(cancellationToken).ToString(), _identifiers[i]))
            {
                return true;
            }
        }

        for (var i = 0; i < _fragments.Length; i++)
        {
            if (!words.TryGetAnswer(_fragmentBits[i], out var found))
            {
                found = (text ??= tree.GetText(cancellationToken).ToString()).IndexOf(_fragments[i], StringComparison.OrdinalIgnoreCase) >= 0;
                words.SetAnswer(_fragmentBits[i], found);
            }

            if (found)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when <paramref name="identifier"/> occurs in <paramref name="text"/> with no identifier character next to it.</summary>
    internal static bool ContainsIdentifier(string text, string identifier)
    {
        for (var index = text.IndexOf(identifier, StringComparison.Ordinal); index >= 0; index = text.IndexOf(identifier, index + 1, StringComparison.Ordinal))
        {
            var end = index + identifier.Length;
            if ((index == 0 || !TreeWords.IsWordCharacter(text[index - 1])) && (end == text.Length || !TreeWords.IsWordCharacter(text[end])))
            {
                return true;
            }
        }

        return false;
    }
}
