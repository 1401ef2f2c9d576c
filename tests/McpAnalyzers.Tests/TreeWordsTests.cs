using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace McpAnalyzers.Tests;

/// <summary><see cref="TreeWords"/> never answers "absent" for a word of the text.</summary>
public class TreeWordsTests
{
    private const string Text = """
        using System.Diagnostics;
        public sealed class Tools_1 { public string ShowLog(string input) { Process.Start("git", "log --oneline " + input); return "done"; } }
        // ÉtéCafé naïve_2 x
        """;

    [Fact]
    public void EveryWordOfTheTextMayBeThere()
    {
        var words = TreeWords.Of(Text);
        var all = new string(Text.Select(c => TreeWords.IsWordCharacter(c) ? c : ' ').ToArray()).Split(' ', System.StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("naïve_2", all);
        Assert.All(all, word => Assert.True(words.MayContain(TreeWords.Hash(word)), word));
        Assert.False(words.HasUnicodeEscape);
    }

    [Fact]
    public void MostAbsentWordsAreKnownAbsent()
    {
        var words = TreeWords.Of(Text);
        var absent = Enumerable.Range(0, 1000).Count(i => !words.MayContain(TreeWords.Hash("Absent" + i)));
        Assert.True(absent > 950, $"{absent} of 1000 absent words known absent");
        Assert.False(words.MayContain(TreeWords.Hash("Proces")));
        Assert.False(words.MayContain(TreeWords.Hash("Start\"")));
    }

    [Fact]
    public void UnicodeEscapeMakesEveryWordPossible()
    {
        var words = TreeWords.Of("var a = b.\\u0041rguments;");
        Assert.True(words.HasUnicodeEscape);
        Assert.True(words.MayContain(TreeWords.Hash("Arguments")));
    }

    [Fact]
    public void TreeSharedByTwoCompilationsHasOneSetOfWords()
    {
        var tree = CSharpSyntaxTree.ParseText(Text);
        var first = CSharpCompilation.Create("First", new[] { tree });
        var second = first.WithAssemblyName("Second");
        var words = TreeWords.For(first.SyntaxTrees[0], CancellationToken.None);
        Assert.Same(words, TreeWords.For(second.SyntaxTrees[0], CancellationToken.None));
        Assert.NotSame(words, TreeWords.For(CSharpSyntaxTree.ParseText(Text), CancellationToken.None));
    }

    [Fact]
    public void AnswersAreRememberedPerTreeAndQuestion()
    {
        var question = TreeWords.QuestionBit("test question " + nameof(AnswersAreRememberedPerTreeAndQuestion));
        Assert.InRange(question, 0, 63);
        Assert.Equal(question, TreeWords.QuestionBit("test question " + nameof(AnswersAreRememberedPerTreeAndQuestion)));
        var yes = TreeWords.Of(Text);
        var no = TreeWords.Of(Text);
        Assert.False(yes.TryGetAnswer(question, out _));
        yes.SetAnswer(question, true);
        no.SetAnswer(question, false);
        Assert.True(yes.TryGetAnswer(question, out var first) && first);
        Assert.True(no.TryGetAnswer(question, out var second) && !second);
        Assert.False(yes.TryGetAnswer(TreeWords.QuestionBit("another test question"), out _));

        // A question without a bit (past the 64th) is never remembered.
        yes.SetAnswer(-1, true);
        Assert.False(yes.TryGetAnswer(-1, out _));
    }
}
