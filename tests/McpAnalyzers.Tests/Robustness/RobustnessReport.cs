using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;

namespace McpAnalyzers.Tests.Robustness;

public enum FailureKind
{
    AnalyzerException,
    CodeFixException,

    /// <summary>The variant did not finish within the per-variant time cap (an analyzer or fix that hangs is as fatal as one that throws).</summary>
    Timeout,
}

/// <summary>One failure: which component, at which stage, on which variant, with the exception text.</summary>
public sealed record RobustnessFailure(FailureKind Kind, string Component, string Stage, SourceVariant Variant, string Details)
{
    /// <summary>A key that groups repeats of the same defect (same component, stage and first line of the exception).</summary>
    public string GroupKey => $"{Kind} | {Component} | {Stage} | {FirstLine(Details)}";

    public string Format()
    {
        var text = new StringBuilder();
        text.Append(Kind).Append(" in ").Append(Component).Append(" (").Append(Stage).Append(") on variant ").AppendLine(Variant.Description);
        text.AppendLine(Indent(Details));
        text.AppendLine("  Variant text near the change:");
        text.AppendLine(Indent(Excerpt(Variant.MutatedText, Variant.Position)));
        return text.ToString();
    }

    /// <summary>The lines around <paramref name="position"/> (the whole text when short), with line numbers.</summary>
    internal static string Excerpt(string text, int position, int context = 6)
    {
        var lines = text.Split('\n');
        var line = text.Substring(0, Math.Clamp(position, 0, text.Length)).Count(c => c == '\n');
        var first = Math.Max(0, line - context);
        var last = Math.Min(lines.Length - 1, line + context);
        var excerpt = new StringBuilder();
        if (first > 0)
        {
            excerpt.AppendLine("...");
        }

        for (var i = first; i <= last; i++)
        {
            var content = lines[i].TrimEnd('\r');
            excerpt.Append((i + 1).ToString().PadLeft(4)).Append(i == line ? " > " : " | ")
                .AppendLine(content.Length <= 160 ? content : content.Substring(0, 157) + "...");
        }

        if (last < lines.Length - 1)
        {
            excerpt.Append("...");
        }

        return excerpt.ToString().TrimEnd();
    }

    /// <summary>An exception's text without the long tail of framework frames.</summary>
    internal static string Describe(Exception exception, int maxLines = 20)
    {
        var lines = exception.ToString().Split('\n');
        return lines.Length <= maxLines ? string.Join('\n', lines) : string.Join('\n', lines.Take(maxLines)) + $"\n   ... ({lines.Length - maxLines} more lines)";
    }

    private static string FirstLine(string text) => text.Split('\n')[0].Trim();

    private static string Indent(string text) => "  " + text.Replace("\n", "\n  ");
}

/// <summary>What a robustness run did and what failed. <see cref="Summary"/> is the line the stress runner prints.</summary>
public sealed class RobustnessReport
{
    internal RobustnessReport(int analyzerCount, int codeFixCount, int originals, int variants, int diagnostics, int codeActions, int fixAllActions, TimeSpan elapsed, IReadOnlyList<RobustnessFailure> failures, IReadOnlyList<string> outcomes)
    {
        AnalyzerCount = analyzerCount;
        CodeFixCount = codeFixCount;
        Originals = originals;
        Variants = variants;
        Diagnostics = diagnostics;
        CodeActions = codeActions;
        FixAllActions = fixAllActions;
        Elapsed = elapsed;
        Failures = failures;
        Outcomes = outcomes;
    }

    public int AnalyzerCount { get; }

    public int CodeFixCount { get; }

    /// <summary>Unmutated corpus units that were run.</summary>
    public int Originals { get; }

    /// <summary>Mutated variants that were run.</summary>
    public int Variants { get; }

    /// <summary>Analyzer diagnostics reported over all runs (not compiler ones): shows the analyzers had something to chew on.</summary>
    public int Diagnostics { get; }

    /// <summary>Code actions whose operations were computed and applied: shows the code fixes were really exercised.</summary>
    public int CodeActions { get; }

    public int FixAllActions { get; }

    public TimeSpan Elapsed { get; }

    /// <summary>Every failure, ordered by variant.</summary>
    public IReadOnlyList<RobustnessFailure> Failures { get; }

    /// <summary>
    /// What each variant produced, one line per analyzer diagnostic (ID and position) and per code action or fix-all
    /// applied (code fix), as <c>#index path: ...</c>, ordered by variant and then text: two runs of the same seed and
    /// corpus can be compared line by line (the totals above can hide a finding lost in one variant and gained in another).
    /// </summary>
    public IReadOnlyList<string> Outcomes { get; }

    public int AnalyzerExceptions => Failures.Count(f => f.Kind == FailureKind.AnalyzerException);

    public int CodeFixExceptions => Failures.Count(f => f.Kind == FailureKind.CodeFixException);

    public int Timeouts => Failures.Count(f => f.Kind == FailureKind.Timeout);

    public string Summary => $"{Variants} variants, {AnalyzerExceptions} analyzer exceptions, {CodeFixExceptions} code-fix exceptions";

    public string Details
        => $"{Originals} unmodified corpus units also run; {AnalyzerCount} analyzers, {CodeFixCount} code fixes; "
            + $"{Diagnostics} analyzer diagnostics, {CodeActions} code actions and {FixAllActions} fix-all actions applied; "
            + $"{Timeouts} timeouts; {Elapsed.TotalSeconds:0.0} s";

    /// <summary>Failures grouped by defect, each with its count and first example, most frequent first.</summary>
    public string FormatFailures(int maxGroups = 10)
    {
        var groups = Failures.GroupBy(f => f.GroupKey).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).ToList();
        var text = new StringBuilder();
        foreach (var group in groups.Take(maxGroups))
        {
            text.Append("== ").Append(group.Count()).Append(" x ").AppendLine(group.Key);
            text.AppendLine(group.First().Format());
        }

        if (groups.Count > maxGroups)
        {
            text.Append("... and ").Append(groups.Count - maxGroups).AppendLine(" more distinct failures.");
        }

        return text.ToString();
    }

    /// <summary>Thread-safe collector used while variants run in parallel.</summary>
    internal sealed class Builder
    {
        private readonly ConcurrentQueue<RobustnessFailure> _failures = new();
        private int _originals;
        private int _variants;
        private int _diagnostics;
        private int _codeActions;
        private int _fixAllActions;
        private readonly ConcurrentQueue<(int Variant, string Line)> _outcomes = new();

        public void Add(FailureKind kind, string component, string stage, SourceVariant variant, string details)
            => _failures.Enqueue(new RobustnessFailure(kind, component, stage, variant, details));

        public void CountVariant(SourceVariant variant) => Interlocked.Increment(ref variant.Mutations.Count == 0 ? ref _originals : ref _variants);

        public void CountDiagnostics(SourceVariant variant, IReadOnlyCollection<string> diagnostics)
        {
            Interlocked.Add(ref _diagnostics, diagnostics.Count);
            foreach (var diagnostic in diagnostics)
            {
                Record(variant, diagnostic);
            }
        }

        public void CountCodeAction(SourceVariant variant, string codeFix)
        {
            Interlocked.Increment(ref _codeActions);
            Record(variant, "code action " + codeFix);
        }

        public void CountFixAll(SourceVariant variant, string codeFix)
        {
            Interlocked.Increment(ref _fixAllActions);
            Record(variant, "fix all " + codeFix);
        }

        private void Record(SourceVariant variant, string what) => _outcomes.Enqueue((variant.Index, $"#{variant.Index} {variant.MutatedPath}: {what}"));

        public RobustnessReport Build(int analyzerCount, int codeFixCount, TimeSpan elapsed)
            => new(
                analyzerCount,
                codeFixCount,
                _originals,
                _variants,
                _diagnostics,
                _codeActions,
                _fixAllActions,
                elapsed,
                _failures.OrderBy(f => f.Variant.Index).ThenBy(f => f.GroupKey, StringComparer.Ordinal).ToList(),
                _outcomes.OrderBy(o => o.Variant).ThenBy(o => o.Line, StringComparer.Ordinal).Select(o => o.Line).ToList());
    }
}
