using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace McpAnalyzers;

/// <summary>
/// The identifier-like words of one syntax tree's text as a Bloom filter (2,048 bits, two probes per word), made in one
/// pass over the text and shared by every <see cref="SourceTextFilter"/> of every rule of a compilation: a word it does not
/// hold is certainly absent, so a filter searches the text only for the words it may hold.
/// </summary>
/// <remarks>
/// Each rule looks for its own words in every file of the compilation when it starts (a dozen to twenty words for some
/// rules); searching the text once per word was most of those rules' cost on the benchmark corpus. A word is a maximal run
/// of letters, digits and underscores, which is what <see cref="SourceTextFilter"/> calls a whole identifier. With about
/// 150 distinct words in a file of 2 KB a probe answers "maybe" for an absent word about 2 % of the time.
/// </remarks>
internal sealed class TreeWords
{
    private const int Bits = 2048;
    private readonly ulong[] _bits = new ulong[Bits / 64];

    private TreeWords(string text)
    {
        // One step per character (a table lookup, a rotate and an exclusive or: no multiplication in the chain that
        // carries the hash from one character to the next), the mixing once per word: this pass reads every character
        // of every file of the compilation.
        var hash = Seed;
        var inWord = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (IsWordCharacter(c))
            {
                hash = Step(inWord ? hash : Seed, c);
                inWord = true;
                continue;
            }

            if (inWord)
            {
                Add(Mix(hash));
                inWord = false;
            }

            if (c == '\\' && i + 1 < text.Length && text[i + 1] is 'u' or 'U')
            {
                HasUnicodeEscape = true;
            }
        }

        if (inWord)
        {
            Add(Mix(hash));
        }
    }

    /// <summary>A <c>\u</c> escape somewhere in the text (it can spell an identifier): every word may be there.</summary>
    public bool HasUnicodeEscape { get; }

    /// <summary>The words of <paramref name="text"/>.</summary>
    public static TreeWords Of(string text) => new(text);

    // One per tree, whichever compilation holds it: the IDE keeps the trees of unchanged files from one compilation to the
    // next, and a CompilationWithAnalyzers host that asks for telemetry runs every compilation-start action again on another
    // compilation of the same trees (GetAnalyzerTelemetryInfoAsync counts the registered actions: each run of the benchmark
    // made the words twice).
    private static readonly ConditionalWeakTable<SyntaxTree, TreeWords> ByTree = new();

    /// <summary>The words of <paramref name="tree"/>, made at the first request for the tree (two threads asking first may both make them).</summary>
    public static TreeWords For(SyntaxTree tree, CancellationToken cancellationToken)
    {
        if (ByTree.TryGetValue(tree, out var words))
        {
            return words;
        }

        words = Of(tree.GetText(cancellationToken).ToString());
        return ByTree.GetValue(tree, _ => words);
    }

    // Yes/no questions about a tree's text that several rules ask of every tree (a case-insensitive fragment search), each in
    // every compilation that holds the tree: answered once per tree. A question is one bit of the two masks below; its bit is
    // given out process-wide (the questions are the rules' constant words, a few dozen); past 64 questions, none is kept.
    private static readonly ConcurrentDictionary<string, int> QuestionBits = new(StringComparer.Ordinal);
    private static int s_nextQuestionBit;
    private long _asked;
    private long _answers;

    /// <summary>The bit that stands for <paramref name="question"/> in every tree's answers (-1: too many questions, not kept).</summary>
    public static int QuestionBit(string question)
        => QuestionBits.GetOrAdd(question, static _ => Interlocked.Increment(ref s_nextQuestionBit) - 1) is var bit and < 64 ? bit : -1;

    /// <summary>The remembered answer to the question of <paramref name="bit"/> (<see cref="QuestionBit"/>), if it was asked before.</summary>
    public bool TryGetAnswer(int bit, out bool answer)
    {
        // The asked bit first: SetAnswer sets the answer before it, so once it is seen the answer is there to read.
        var mask = 1L << bit;
        if (bit < 0 || (Volatile.Read(ref _asked) & mask) == 0)
        {
            answer = false;
            return false;
        }

        answer = (Volatile.Read(ref _answers) & mask) != 0;
        return true;
    }

    /// <summary>Remembers the answer to the question of <paramref name="bit"/> (the answer's bit is set before the asked bit).</summary>
    public void SetAnswer(int bit, bool answer)
    {
        if (bit < 0)
        {
            return;
        }

        if (answer)
        {
            Or(ref _answers, 1L << bit);
        }

        Or(ref _asked, 1L << bit);

        static void Or(ref long target, long mask)
        {
            for (var current = Volatile.Read(ref target); (current & mask) == 0; current = Volatile.Read(ref target))
            {
                if (Interlocked.CompareExchange(ref target, current | mask, current) == current)
                {
                    return;
                }
            }
        }
    }

    /// <summary>False only when <paramref name="word"/> (a hash from <see cref="Hash"/>) is certainly not a word of the text.</summary>
    public bool MayContain(uint word)
        => HasUnicodeEscape || (IsSet(word % Bits) && IsSet((word >> 11) % Bits));

    /// <summary>The hash of a word, as the text's words are hashed.</summary>
    public static uint Hash(string word)
    {
        var hash = Seed;
        foreach (var c in word)
        {
            hash = Step(hash, c);
        }

        return Mix(hash);
    }

    /// <summary>True when every character of <paramref name="word"/> is a word character (only such words are in the filter).</summary>
    public static bool IsWord(string word)
    {
        if (word.Length == 0)
        {
            return false;
        }

        foreach (var c in word)
        {
            if (!IsWordCharacter(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A letter, a digit or an underscore: the characters of a word, and what bounds a whole identifier in <see cref="SourceTextFilter"/>.</summary>
    internal static bool IsWordCharacter(char c) => c < 128 ? AsciiWordCharacters[c] : char.IsLetterOrDigit(c);

    private static readonly bool[] AsciiWordCharacters = CreateAsciiWordCharacters();

    private static bool[] CreateAsciiWordCharacters()
    {
        var table = new bool[128];
        for (var c = 0; c < 128; c++)
        {
            table[c] = c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '_';
        }

        return table;
    }

    private const uint Seed = 2166136261;

    private static uint Step(uint hash, char c) => ((hash << 5) | (hash >> 27)) ^ c;

    // The finaliser of MurmurHash3: every bit of the word's hash moves both probe positions.
    private static uint Mix(uint hash)
    {
        hash ^= hash >> 16;
        hash *= 0x85EBCA6B;
        hash ^= hash >> 13;
        hash *= 0xC2B2AE35;
        return hash ^ (hash >> 16);
    }

    private void Add(uint word)
    {
        Set(word % Bits);
        Set((word >> 11) % Bits);
    }

    private void Set(uint bit) => _bits[bit >> 6] |= 1UL << (int)(bit & 63);

    private bool IsSet(uint bit) => (_bits[bit >> 6] & (1UL << (int)(bit & 63))) != 0;
}

/// <summary>The trees of one compilation: each tree's position, and its <see cref="TreeWords"/> made on first request.</summary>
internal sealed class CompilationTexts
{
    private static readonly ConditionalWeakTable<Compilation, CompilationTexts> Cache = new();

    private readonly Dictionary<SyntaxTree, int> _ordinals = new();
    private readonly TreeWords?[] _words;

    private CompilationTexts(Compilation compilation)
    {
        foreach (var tree in compilation.SyntaxTrees)
        {
            _ordinals[tree] = _ordinals.Count;
        }

        _words = new TreeWords?[_ordinals.Count];
    }

    /// <summary>Shared by every filter of every rule of <paramref name="compilation"/>.</summary>
    public static CompilationTexts For(Compilation compilation) => Cache.GetValue(compilation, static c => new CompilationTexts(c));

    public int Count => _words.Length;

    /// <summary>The position of <paramref name="tree"/> in the compilation; false for a tree of another compilation.</summary>
    public bool TryGetOrdinal(SyntaxTree tree, out int ordinal) => _ordinals.TryGetValue(tree, out ordinal);

    /// <summary>The words of the tree at <paramref name="ordinal"/>, held here after the first request (a lookup by tree before that).</summary>
    public TreeWords WordsOf(int ordinal, SyntaxTree tree, CancellationToken cancellationToken)
    {
        var words = Volatile.Read(ref _words[ordinal]);
        if (words is null)
        {
            words = TreeWords.For(tree, cancellationToken);
            Volatile.Write(ref _words[ordinal], words);
        }

        return words;
    }
}
