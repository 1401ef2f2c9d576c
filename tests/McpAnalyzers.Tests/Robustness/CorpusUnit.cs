using System.Collections.Immutable;
using System.Linq;

namespace McpAnalyzers.Tests.Robustness;

/// <summary>One C# file of a corpus unit. Generated helper files (implicit global usings) are not mutated.</summary>
public sealed record CorpusDocument(string Path, string Text, bool Mutable = true);

/// <summary>
/// Sources compiled together: a sample project (all its files), or one snippet embedded in a test
/// or a seed. <see cref="Name"/> says where it came from, for failure reports.
/// </summary>
public sealed record CorpusUnit(string Name, ImmutableArray<CorpusDocument> Documents)
{
    /// <summary>A one-file unit; <paramref name="path"/> is the file path the analyzers see (default: <paramref name="name"/>).</summary>
    public static CorpusUnit Single(string name, string text, string? path = null)
        => new(name, ImmutableArray.Create(new CorpusDocument(path ?? name, text)));

    public CorpusUnit WithDocument(int index, string newText)
        => this with { Documents = Documents.SetItem(index, Documents[index] with { Text = newText }) };

    public int MutableDocumentCount => Documents.Count(d => d.Mutable);
}
