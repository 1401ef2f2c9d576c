using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace McpAnalyzers.Taint;

/// <summary>
/// Validation that makes a value safe for every rule on the branch where it holds (RULES.md
/// "Validation that clears the taint"): an anchored <c>Regex.IsMatch</c> (static with a constant
/// pattern, a <c>[GeneratedRegex]</c> method, or a <c>Regex</c> created from a constant), an allowlist
/// <c>Contains</c>/<c>ContainsKey</c> on a collection that is not itself tainted and is a readonly/const
/// field, a getter-only property, a local, or a collection created in place; equality with a non-null
/// constant (<c>==</c>, <c>Equals</c>, <c>is "a" or "b"</c>, <c>switch</c> cases); <c>Enum.IsDefined</c>;
/// and bool-returning methods the user names in <c>mcpsec.sanitizers</c>.
/// Parsing (<c>int.Parse</c>, <c>TryParse</c>) needs no check: its result has an inert type.
/// </summary>
internal sealed class GeneralValidation : TaintCheck
{
    private readonly TaintTypes _types;

    public GeneralValidation(TaintTypes types) => _types = types;

    public override bool TryMatch(IOperation condition, TaintQuery query, out IOperation checkedValue, out bool whenTrue)
    {
        checkedValue = condition;
        whenTrue = true;
        switch (condition)
        {
            case IInvocationOperation invocation:
                return TryMatchInvocation(invocation, query, out checkedValue);

            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } binary:
                whenTrue = binary.OperatorKind == BinaryOperatorKind.Equals;
                return TryConstantComparison(binary.LeftOperand, binary.RightOperand, out checkedValue);

            case IIsPatternOperation isPattern when IsConstantPattern(isPattern.Pattern):
                checkedValue = isPattern.Value;
                return true;

            default:
                return false;
        }
    }

    private static bool TryConstantComparison(IOperation left, IOperation right, out IOperation checkedValue)
    {
        if (IsNonNullConstant(right) && !IsNonNullConstant(left))
        {
            checkedValue = left;
            return true;
        }

        if (IsNonNullConstant(left) && !IsNonNullConstant(right))
        {
            checkedValue = right;
            return true;
        }

        checkedValue = left;
        return false;
    }

    private static bool IsNonNullConstant(IOperation operation)
        => operation.ConstantValue is { HasValue: true, Value: not null };

    private static bool IsConstantPattern(IPatternOperation pattern) => pattern switch
    {
        IConstantPatternOperation constant => IsNonNullConstant(constant.Value),
        IBinaryPatternOperation { OperatorKind: BinaryOperatorKind.Or } or => IsConstantPattern(or.LeftPattern) && IsConstantPattern(or.RightPattern),
        _ => false,
    };

    private bool TryMatchInvocation(IInvocationOperation invocation, TaintQuery query, out IOperation checkedValue)
    {
        checkedValue = invocation;
        var method = invocation.TargetMethod;
        var arguments = invocation.Arguments;
        switch (method.Name)
        {
            case "IsMatch" when _types.Regex is not null && SymbolEqualityComparer.Default.Equals(method.ContainingType, _types.Regex):
                if (method.IsStatic)
                {
                    // Regex.IsMatch(input, pattern[, options[, timeout]])
                    var input = Argument(invocation, "input");
                    var pattern = Argument(invocation, "pattern");
                    if (input is not null && pattern is not null && IsAnchored(pattern.ConstantString()))
                    {
                        checkedValue = input;
                        return true;
                    }

                    return false;
                }

                if (Argument(invocation, "input") is { } instanceInput && invocation.Instance is { } regex && IsAnchoredRegex(regex, query))
                {
                    checkedValue = instanceInput;
                    return true;
                }

                return false;

            case "Contains" or "ContainsKey":
                if (method.IsStatic && method.IsExtensionMethod && arguments.Length >= 2)
                {
                    // Enumerable.Contains(source, value) and friends.
                    if (IsAllowlist(arguments[0].Value, query))
                    {
                        checkedValue = arguments[1].Value;
                        return true;
                    }

                    return false;
                }

                if (!method.IsStatic && arguments.Length >= 1 && invocation.Instance is { } collection
                    && _types.IsCollection(collection.Type) && IsAllowlist(collection, query))
                {
                    checkedValue = arguments[0].Value;
                    return true;
                }

                return false;

            case "Equals" when arguments.Length >= 1:
                if (method.IsStatic && arguments.Length >= 2)
                {
                    return TryConstantComparison(arguments[0].Value, arguments[1].Value, out checkedValue);
                }

                if (!method.IsStatic && invocation.Instance is { } receiver)
                {
                    return TryConstantComparison(receiver, arguments[0].Value, out checkedValue);
                }

                return false;

            case "IsDefined" when SymbolEqualityComparer.Default.Equals(method.ContainingType, _types.Enum) && arguments.Length >= 1:
                checkedValue = arguments[arguments.Length - 1].Value;
                return true;

            default:
                return false;
        }
    }

    private static IOperation? Argument(IInvocationOperation invocation, string name)
        => invocation.Arguments.FirstOrDefault(a => a.Parameter?.Name == name)?.Value;

    /// <summary>A pattern that must match the whole input: starts with ^ or \A and ends with $ or \z.</summary>
    internal static bool IsAnchored(string? pattern)
        => pattern is { Length: >= 2 }
            && (pattern.StartsWith("^", StringComparison.Ordinal) || pattern.StartsWith("\\A", StringComparison.Ordinal))
            && ((pattern.EndsWith("$", StringComparison.Ordinal) && !pattern.EndsWith("\\$", StringComparison.Ordinal))
                || pattern.EndsWith("\\z", StringComparison.Ordinal));

    private bool IsAnchoredRegex(IOperation regex, TaintQuery query)
    {
        regex = OperationExtensions.WithoutConversions(regex);
        switch (regex)
        {
            case IInvocationOperation { TargetMethod: { } generated }:
                // [GeneratedRegex("^...$")] private static partial Regex Name();
                return generated.GetAttributes().Any(a =>
                    SymbolEqualityComparer.Default.Equals(a.AttributeClass, _types.GeneratedRegexAttribute)
                    && a.ConstructorArguments.Length > 0
                    && IsAnchored(a.ConstructorArguments[0].Value as string));

            case IPropertyReferenceOperation { Property: { } property }:
                // [GeneratedRegex] on a partial property (C# 13).
                return property.GetAttributes().Any(a =>
                    SymbolEqualityComparer.Default.Equals(a.AttributeClass, _types.GeneratedRegexAttribute)
                    && a.ConstructorArguments.Length > 0
                    && IsAnchored(a.ConstructorArguments[0].Value as string));

            case IObjectCreationOperation creation:
                return creation.Arguments.Length > 0 && IsAnchored(creation.Arguments[0].Value.ConstantString());

            case IFieldReferenceOperation { Field: { IsReadOnly: true } field }:
                return query.GetFieldInitializer(field) is { } initializer
                    && OperationExtensions.WithoutConversions(initializer) is IObjectCreationOperation fieldCreation
                    && fieldCreation.Arguments.Length > 0
                    && IsAnchored(fieldCreation.Arguments[0].Value.ConstantString());

            default:
                return false;
        }
    }

    /// <summary>A collection the caller cannot have filled: fixed storage or a literal, and not tainted.</summary>
    private static bool IsAllowlist(IOperation collection, TaintQuery query)
    {
        if (!query.TaintOf(collection).IsClean)
        {
            return false;
        }

        return OperationExtensions.WithoutConversions(collection) switch
        {
            IFieldReferenceOperation { Field: { } field } => field.IsReadOnly || field.IsConst,
            IPropertyReferenceOperation { Property: { } property } => property.SetMethod is null,
            ILocalReferenceOperation => true,
            IArrayCreationOperation or IObjectCreationOperation => true,
            _ => false,
        };
    }

}
