using System;
using System.Collections.Generic;
using System.Linq;

namespace McpAnalyzers.Tests.Robustness;

/// <summary>A broken copy of a corpus unit: one of its documents carries one or two mutations.</summary>
public sealed record SourceVariant(int Index, CorpusUnit Unit, int DocumentIndex, IReadOnlyList<Mutation> Mutations)
{
    public string MutatedPath => Unit.Documents[DocumentIndex].Path;

    public string MutatedText => Unit.Documents[DocumentIndex].Text;

    /// <summary>Where the (last) mutation happened, to centre the excerpt shown in a failure report.</summary>
    public int Position => Mutations.Count == 0 ? 0 : Mutations[^1].Position;

    public string Description => Mutations.Count == 0
        ? $"#{Index} {MutatedPath} (original)"
        : $"#{Index} {MutatedPath}: " + string.Join("; then ", Mutations.Select(m => $"{m.Kind} ({m.Description})"));
}

/// <summary>
/// Spreads <c>count</c> variants over the corpus round-robin: variant <c>i</c> mutates unit <c>u = i % n</c>
/// in round <c>r = i / n</c> with kind <c>(u + r) % kinds</c>, so each round uses every kind (even when
/// the count allows one round only) and each unit meets every kind over ten rounds; one in four
/// variants gets a second, random mutation on top. Variant <c>i</c> depends only on (seed, i, corpus), so a
/// failure is reproduced by its index alone.
/// </summary>
public static class VariantGenerator
{
    public static IEnumerable<SourceVariant> Generate(IReadOnlyList<CorpusUnit> corpus, int count, int seed)
    {
        var units = MutableUnits(corpus);
        if (units.Count == 0)
        {
            yield break;
        }

        for (var i = 0; i < count; i++)
        {
            yield return Create(units, SourceMutator.AllKinds, i, seed);
        }
    }

    /// <summary>Variant <paramref name="index"/> of <see cref="Generate"/> alone, to reproduce a reported failure.</summary>
    public static SourceVariant? Single(IReadOnlyList<CorpusUnit> corpus, int index, int seed)
    {
        var units = MutableUnits(corpus);
        return units.Count == 0 ? null : Create(units, SourceMutator.AllKinds, index, seed);
    }

    /// <summary>The unmutated units, to run before the variants (real diagnostics are what code fixes act on).</summary>
    public static IEnumerable<SourceVariant> Originals(IReadOnlyList<CorpusUnit> corpus)
        => corpus.Select((unit, i) => new SourceVariant(-1 - i, unit, 0, Array.Empty<Mutation>()));

    private static List<CorpusUnit> MutableUnits(IReadOnlyList<CorpusUnit> corpus) => corpus.Where(u => u.MutableDocumentCount > 0).ToList();

    private static SourceVariant Create(List<CorpusUnit> units, IReadOnlyList<MutationKind> kinds, int index, int seed)
    {
        var unit = units[index % units.Count];
        var random = new Random(unchecked((seed * 397) ^ index));
        var mutable = Enumerable.Range(0, unit.Documents.Length).Where(d => unit.Documents[d].Mutable).ToList();
        var documentIndex = mutable[random.Next(mutable.Count)];

        var mutations = new List<Mutation>();
        var text = unit.Documents[documentIndex].Text;
        var first = SourceMutator.Mutate(text, kinds[(index % units.Count + index / units.Count) % kinds.Count], random);
        mutations.Add(first);
        if (random.Next(4) == 0)
        {
            mutations.Add(SourceMutator.Mutate(first.Text, kinds[random.Next(kinds.Count)], random));
        }

        return new SourceVariant(index, unit.WithDocument(documentIndex, mutations[^1].Text), documentIndex, mutations);
    }
}
