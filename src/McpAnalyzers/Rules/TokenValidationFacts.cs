using System.Collections.Generic;
using System.Linq;
using McpAnalyzers.Symbols;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace McpAnalyzers.Rules;

/// <summary>How a security flag (<c>ValidateAudience</c>, <c>ValidateLifetime</c>, ...) is set.</summary>
internal enum FlagSetting
{
    /// <summary>Constant true, or false only where the code cannot run outside development.</summary>
    Enabled,

    /// <summary>The constant false.</summary>
    False,

    /// <summary>A condition that is false when <c>IsDevelopment()</c> is false (e.g. <c>= env.IsDevelopment()</c>).</summary>
    FalseOutsideDevelopment,

    /// <summary>A value the analyzer cannot prove true outside development.</summary>
    NonConstant,
}

/// <summary>
/// Facts about token-validation configuration shared by MCPSEC003 and MCPSEC010: how a flag is set,
/// whether code only runs in development, and what a validation delegate's body does.
/// <para>
/// "Development-only" is defined precisely: a condition built from
/// <c>IHostEnvironment/IWebHostEnvironment.IsDevelopment()</c> (or <c>IsEnvironment("Development")</c>)
/// with <c>!</c>, <c>&amp;&amp;</c>, <c>||</c>, <c>==</c>, <c>!=</c>, <c>?:</c> and constants, evaluated with
/// IsDevelopment() = false, the way the code runs in every other environment. A bool local initialised
/// once with such a condition counts too. <c>#if DEBUG</c> is preprocessor syntax and never reaches
/// the analyzer.
/// </para>
/// </summary>
internal static class TokenValidationFacts
{
    private const int MaxDepth = 8;

    /// <summary>The parent of <paramref name="operation"/>, skipping the conversions that wrap it.</summary>
    public static IOperation? ParentSkippingConversions(IOperation operation)
    {
        var parent = operation.Parent;
        while (parent is IConversionOperation)
        {
            parent = parent.Parent;
        }

        return parent;
    }

    /// <summary>The top of the operation tree that holds <paramref name="operation"/> (the member body).</summary>
    public static IOperation Root(IOperation operation)
    {
        var current = operation;
        while (current.Parent is not null)
        {
            current = current.Parent;
        }

        return current;
    }

    /// <summary>Classifies the value assigned to a security flag.</summary>
    public static FlagSetting Classify(ISimpleAssignmentOperation assignment, IdentityModelSymbols symbols, bool developmentExemption)
    {
        var value = assignment.Value;
        if (value.ConstantValue is { HasValue: true, Value: bool constant })
        {
            if (constant)
            {
                return FlagSetting.Enabled;
            }

            return developmentExemption && IsInDevelopmentOnlyBranch(assignment, symbols) ? FlagSetting.Enabled : FlagSetting.False;
        }

        if (value.Type?.SpecialType != SpecialType.System_Boolean || IsBroken(value))
        {
            // Broken code (error type, missing value): nothing to say.
            return FlagSetting.Enabled;
        }

        if (!developmentExemption)
        {
            return FlagSetting.NonConstant;
        }

        if (IsInDevelopmentOnlyBranch(assignment, symbols))
        {
            return FlagSetting.Enabled;
        }

        return EvaluateOutsideDevelopment(value, symbols, 0) switch
        {
            true => FlagSetting.Enabled,
            false => FlagSetting.FalseOutsideDevelopment,
            null => FlagSetting.NonConstant,
        };
    }

    /// <summary>Half-typed code (a missing or unresolved expression): nothing to say about it yet.</summary>
    public static bool IsBroken(IOperation operation)
        => OperationExtensions.WithoutConversions(operation) is IInvalidOperation || operation.Descendants().Any(d => d is IInvalidOperation);

    /// <summary>
    /// True when <paramref name="operation"/> sits in an <c>if</c> branch or <c>?:</c> arm that cannot
    /// execute outside development (e.g. inside <c>if (env.IsDevelopment()) { ... }</c>, also when that
    /// branch registers the lambda holding the operation).
    /// </summary>
    public static bool IsInDevelopmentOnlyBranch(IOperation operation, IdentityModelSymbols symbols)
    {
        var child = operation;
        for (var parent = operation.Parent; parent is not null; child = parent, parent = parent.Parent)
        {
            if (parent is IConditionalOperation conditional)
            {
                var branch = ReferenceEquals(child, conditional.WhenTrue) ? true
                    : ReferenceEquals(child, conditional.WhenFalse) ? false
                    : (bool?)null;
                if (branch is { } taken && EvaluateOutsideDevelopment(conditional.Condition, symbols, 0) is { } outside && outside != taken)
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>The value of a bool expression when IsDevelopment() is false; null when unknown.</summary>
    public static bool? EvaluateOutsideDevelopment(IOperation? operation, IdentityModelSymbols symbols, int depth)
    {
        if (operation is null || depth > MaxDepth)
        {
            return null;
        }

        if (operation.ConstantValue is { HasValue: true, Value: bool constant })
        {
            return constant;
        }

        switch (operation)
        {
            case IConversionOperation conversion:
                return EvaluateOutsideDevelopment(conversion.Operand, symbols, depth + 1);
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not:
                return !EvaluateOutsideDevelopment(not.Operand, symbols, depth + 1);
            case IInvocationOperation invocation:
                return symbols.IsDevelopmentCheck(invocation.TargetMethod, invocation.Arguments) ? false : null;
            case IConditionalOperation { WhenFalse: not null } conditional:
            {
                var condition = EvaluateOutsideDevelopment(conditional.Condition, symbols, depth + 1);
                if (condition is { } c)
                {
                    return EvaluateOutsideDevelopment(c ? conditional.WhenTrue : conditional.WhenFalse, symbols, depth + 1);
                }

                var whenTrue = EvaluateOutsideDevelopment(conditional.WhenTrue, symbols, depth + 1);
                return whenTrue is not null && whenTrue == EvaluateOutsideDevelopment(conditional.WhenFalse, symbols, depth + 1) ? whenTrue : null;
            }

            case IBinaryOperation binary:
                return EvaluateBinary(binary, symbols, depth);
            case ILocalReferenceOperation local:
                return EvaluateOutsideDevelopment(SingleInitializer(local), symbols, depth + 1);
            default:
                return null;
        }
    }

    private static bool? EvaluateBinary(IBinaryOperation binary, IdentityModelSymbols symbols, int depth)
    {
        var left = EvaluateOutsideDevelopment(binary.LeftOperand, symbols, depth + 1);
        var right = EvaluateOutsideDevelopment(binary.RightOperand, symbols, depth + 1);
        switch (binary.OperatorKind)
        {
            case BinaryOperatorKind.ConditionalAnd:
            case BinaryOperatorKind.And:
                return left == false || right == false ? false : left == true && right == true ? true : null;
            case BinaryOperatorKind.ConditionalOr:
            case BinaryOperatorKind.Or:
                return left == true || right == true ? true : left == false && right == false ? false : null;
            case BinaryOperatorKind.Equals:
                return left is { } l1 && right is { } r1 ? l1 == r1 : null;
            case BinaryOperatorKind.NotEquals:
            case BinaryOperatorKind.ExclusiveOr:
                return left is { } l2 && right is { } r2 ? l2 != r2 : null;
            default:
                return null;
        }
    }

    /// <summary>
    /// The initializer of a local that is declared with one and never written again in the member body
    /// (e.g. <c>var isDevelopment = builder.Environment.IsDevelopment();</c>); otherwise null.
    /// </summary>
    public static IOperation? SingleInitializer(ILocalReferenceOperation reference)
    {
        var local = reference.Local;
        if (local.IsRef || local.DeclaringSyntaxReferences.Length != 1 || reference.SemanticModel is null)
        {
            return null;
        }

        var declaration = local.DeclaringSyntaxReferences[0].GetSyntax();
        if (declaration is not VariableDeclaratorSyntax { Initializer: not null } declarator
            || declarator.SyntaxTree != reference.Syntax.SyntaxTree
            || reference.SemanticModel.GetOperation(declarator) is not IVariableDeclaratorOperation declaratorOperation)
        {
            return null;
        }

        var initializer = declaratorOperation.Initializer?.Value;
        if (initializer is null || IsWritten(Root(reference), local))
        {
            return null;
        }

        return initializer;
    }

    /// <summary>True when <paramref name="local"/> is assigned or passed by reference anywhere under <paramref name="root"/>.</summary>
    private static bool IsWritten(IOperation root, ILocalSymbol local)
    {
        foreach (var operation in root.Descendants())
        {
            var target = operation switch
            {
                IAssignmentOperation assignment => assignment.Target,
                IIncrementOrDecrementOperation increment => increment.Target,
                IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out } argument => argument.Value,
                _ => null,
            };
            if (target is ILocalReferenceOperation written && SymbolEqualityComparer.Default.Equals(written.Local, local))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The method and body of a delegate value: a lambda, an anonymous method, or a method group whose
    /// method is declared in the same file. Null when the body is not visible (delegate stored in a
    /// variable, method in another file or assembly, broken code).
    /// </summary>
    public static (IMethodSymbol Method, IOperation Body)? GetDelegateBody(IOperation value)
    {
        value = OperationExtensions.WithoutConversions(value);
        if (value is IDelegateCreationOperation creation)
        {
            value = OperationExtensions.WithoutConversions(creation.Target);
        }

        switch (value)
        {
            case IAnonymousFunctionOperation { Body: { } body } lambda:
                return IsBroken(body) ? null : (lambda.Symbol, body);
            case IMethodReferenceOperation reference when reference.SemanticModel is { } model:
            {
                var method = reference.Method;
                if (method.DeclaringSyntaxReferences.Length != 1)
                {
                    return null;
                }

                var syntax = method.DeclaringSyntaxReferences[0].GetSyntax();
                if (syntax.SyntaxTree != reference.Syntax.SyntaxTree)
                {
                    return null;
                }

                var body = model.GetOperation(syntax) switch
                {
                    IMethodBodyOperation methodBody => (IOperation?)methodBody.BlockBody ?? methodBody.ExpressionBody,
                    ILocalFunctionOperation localFunction => localFunction.Body,
                    _ => null,
                };
                return body is null || IsBroken(body) ? null : (method, body);
            }

            default:
                return null;
        }
    }

    /// <summary>Operations of a delegate body, not descending into nested lambdas or local functions.</summary>
    public static IEnumerable<IOperation> OwnOperations(IOperation body)
    {
        var stack = new Stack<IOperation>();
        stack.Push(body);
        while (stack.Count > 0)
        {
            var current = stack.Pop();
            yield return current;
            foreach (var child in current.ChildOperations)
            {
                if (child is not IAnonymousFunctionOperation and not ILocalFunctionOperation)
                {
                    stack.Push(child);
                }
            }
        }
    }

    /// <summary>The values a delegate body returns (an expression-bodied lambda has one implicit return).</summary>
    public static List<IOperation?> ReturnedValues(IOperation body)
        => OwnOperations(body)
            .OfType<IReturnOperation>()
            .Where(r => r.Kind == OperationKind.Return)
            .Select(r => r.ReturnedValue)
            .ToList();

    public static bool ReadsParameter(IOperation body, IParameterSymbol parameter)
        => body.Descendants().OfType<IParameterReferenceOperation>()
            .Any(r => SymbolEqualityComparer.Default.Equals(r.Parameter, parameter));

    /// <summary>
    /// True when the body may reject a token: it throws, or calls a method of this compilation or a
    /// <c>Validate*</c> method (either can throw a SecurityToken*Exception, IdentityModel's way to fail).
    /// </summary>
    public static bool MayReject(IOperation body)
    {
        foreach (var operation in OwnOperations(body))
        {
            switch (operation)
            {
                case IThrowOperation:
                    return true;
                case IInvocationOperation invocation
                    when invocation.TargetMethod.Name.StartsWith("Validate", System.StringComparison.Ordinal)
                        || invocation.TargetMethod.Locations.Any(l => l.IsInSource):
                    return true;
            }
        }

        return false;
    }

    /// <summary>The finding part of a flag message, e.g. "'ValidateAudience' is set to false".</summary>
    public static string Describe(FlagSetting setting, string property, bool developmentExemption) => setting switch
    {
        FlagSetting.False => $"'{property}' is set to false",
        FlagSetting.FalseOutsideDevelopment => $"'{property}' is false outside development",
        _ => developmentExemption
            ? $"'{property}' is set from a non-constant value that is not tied to a development-only condition"
            : $"'{property}' is set from a non-constant value",
    };
}
