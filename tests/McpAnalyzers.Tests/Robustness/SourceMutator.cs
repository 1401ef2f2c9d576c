using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace McpAnalyzers.Tests.Robustness;

/// <summary>The ways <see cref="SourceMutator"/> breaks a source, each modelling text an IDE sees mid-edit.</summary>
public enum MutationKind
{
    /// <summary>Everything after a random token is gone (typing at the end of a file).</summary>
    TruncateAtToken,

    /// <summary>One token removed (a missing name, operator, semicolon, parenthesis...).</summary>
    DeleteToken,

    /// <summary>One to three consecutive lines removed.</summary>
    DeleteLines,

    /// <summary>A member (type, method, property, field, top-level statement) duplicated in place.</summary>
    DuplicateMember,

    /// <summary>One <c>{</c> or <c>}</c> removed.</summary>
    RemoveBrace,

    /// <summary>A stray <c>{</c> or <c>}</c> inserted at a token boundary.</summary>
    InsertBrace,

    /// <summary>Two adjacent tokens swapped.</summary>
    SwapTokens,

    /// <summary>A token repeated.</summary>
    DuplicateToken,

    /// <summary>An argument, attribute, parameter, statement, initializer or accessor removed (keeps the rest well-formed).</summary>
    DeleteNode,

    /// <summary>An identifier misspelled, so it binds to nothing (error types, null symbols).</summary>
    MangleIdentifier,
}

/// <summary>The outcome of one mutation: the new text, where it changed, and a human-readable description.</summary>
public sealed record Mutation(MutationKind Kind, string Text, int Position, string Description);

/// <summary>
/// Deterministic source mutations: the same text, kind and <see cref="Random"/> state give the same
/// result. Positions are chosen on Roslyn token and node boundaries so the variants look like real
/// half-typed code rather than random bytes.
/// </summary>
public static class SourceMutator
{
    public static readonly ImmutableArray<MutationKind> AllKinds = Enum.GetValues<MutationKind>().ToImmutableArray();

    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    public static Mutation Mutate(string text, MutationKind kind, Random random)
    {
        var root = CSharpSyntaxTree.ParseText(text, ParseOptions).GetRoot();
        var tokens = root.DescendantTokens().Where(t => t.Span.Length > 0).ToList();
        if (tokens.Count == 0)
        {
            return new Mutation(kind, text, 0, "no tokens: unchanged");
        }

        switch (kind)
        {
            case MutationKind.TruncateAtToken:
            {
                var token = tokens[random.Next(tokens.Count)];
                return new Mutation(kind, text.Substring(0, token.Span.End), token.Span.End, $"truncated after '{Show(token)}'{Where(token)}");
            }

            case MutationKind.DeleteToken:
            {
                var token = tokens[random.Next(tokens.Count)];
                return new Mutation(kind, Replace(text, token.Span, ""), token.SpanStart, $"deleted '{Show(token)}'{Where(token)}");
            }

            case MutationKind.DeleteLines:
            {
                var lines = SourceText.From(text).Lines;
                var first = random.Next(lines.Count);
                var last = Math.Min(lines.Count - 1, first + random.Next(3));
                var span = TextSpan.FromBounds(lines[first].Start, lines[last].EndIncludingLineBreak);
                return new Mutation(kind, Replace(text, span, ""), span.Start, $"deleted lines {first + 1}-{last + 1}");
            }

            case MutationKind.DuplicateMember:
            {
                var members = root.DescendantNodes().OfType<MemberDeclarationSyntax>().ToList();
                if (members.Count == 0)
                {
                    return Mutate(text, MutationKind.DuplicateToken, random);
                }

                var member = members[random.Next(members.Count)];
                var copy = member.ToFullString();
                return new Mutation(kind, text.Insert(member.FullSpan.End, copy), member.FullSpan.End, $"duplicated {member.Kind()}{Where(member.GetFirstToken())}");
            }

            case MutationKind.RemoveBrace:
            {
                var braces = tokens.Where(t => t.IsKind(SyntaxKind.OpenBraceToken) || t.IsKind(SyntaxKind.CloseBraceToken)).ToList();
                if (braces.Count == 0)
                {
                    return Mutate(text, MutationKind.DeleteToken, random);
                }

                var brace = braces[random.Next(braces.Count)];
                return new Mutation(kind, Replace(text, brace.Span, ""), brace.SpanStart, $"removed '{brace.Text}'{Where(brace)}");
            }

            case MutationKind.InsertBrace:
            {
                var token = tokens[random.Next(tokens.Count)];
                var position = random.Next(2) == 0 ? token.SpanStart : token.Span.End;
                var brace = random.Next(2) == 0 ? "{" : "}";
                return new Mutation(kind, text.Insert(position, brace), position, $"inserted '{brace}' next to '{Show(token)}'{Where(token)}");
            }

            case MutationKind.SwapTokens:
            {
                if (tokens.Count < 2)
                {
                    return Mutate(text, MutationKind.DuplicateToken, random);
                }

                var index = random.Next(tokens.Count - 1);
                var (a, b) = (tokens[index], tokens[index + 1]);
                var swapped = string.Concat(
                    text.AsSpan(0, a.SpanStart),
                    b.Text,
                    text.AsSpan(a.Span.End, b.SpanStart - a.Span.End),
                    a.Text + text.Substring(b.Span.End));
                return new Mutation(kind, swapped, a.SpanStart, $"swapped '{Show(a)}' and '{Show(b)}'{Where(a)}");
            }

            case MutationKind.DuplicateToken:
            {
                var token = tokens[random.Next(tokens.Count)];
                return new Mutation(kind, text.Insert(token.Span.End, " " + token.Text), token.Span.End, $"repeated '{Show(token)}'{Where(token)}");
            }

            case MutationKind.DeleteNode:
            {
                var nodes = root.DescendantNodes().Where(IsDeletableNode).ToList();
                if (nodes.Count == 0)
                {
                    return Mutate(text, MutationKind.DeleteToken, random);
                }

                var node = nodes[random.Next(nodes.Count)];
                return new Mutation(kind, Replace(text, node.Span, ""), node.SpanStart, $"deleted {node.Kind()}{Where(node.GetFirstToken())}");
            }

            case MutationKind.MangleIdentifier:
            {
                var identifiers = tokens.Where(t => t.IsKind(SyntaxKind.IdentifierToken)).ToList();
                if (identifiers.Count == 0)
                {
                    return Mutate(text, MutationKind.DeleteToken, random);
                }

                var identifier = identifiers[random.Next(identifiers.Count)];
                return new Mutation(kind, text.Insert(identifier.Span.End, "_x"), identifier.Span.End, $"renamed '{identifier.Text}' to '{identifier.Text}_x'{Where(identifier)}");
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }

    private static bool IsDeletableNode(SyntaxNode node)
        => node is ArgumentSyntax or AttributeSyntax or AttributeArgumentSyntax or ParameterSyntax or EqualsValueClauseSyntax
            or InitializerExpressionSyntax or AccessorDeclarationSyntax or TypeArgumentListSyntax or ArrowExpressionClauseSyntax
            or (StatementSyntax and not BlockSyntax);

    private static string Replace(string text, TextSpan span, string replacement)
        => string.Concat(text.AsSpan(0, span.Start), replacement, text.AsSpan(span.End));

    private static string Show(SyntaxToken token) => token.Text.Length <= 30 ? token.Text : token.Text.Substring(0, 27) + "...";

    private static string Where(SyntaxToken token) => $" at line {token.GetLocation().GetLineSpan().StartLinePosition.Line + 1}";
}
