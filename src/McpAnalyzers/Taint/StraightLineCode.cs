using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace McpAnalyzers.Taint;

/// <summary>
/// Decides whether a method body can be analysed on its operation tree, statement by statement, instead of
/// on a control-flow graph: true for bodies that run every statement at most once, in order, whose only
/// conditional evaluation is the null check of <c>a?.b</c> and <c>a ?? b</c>, and whose only branches are guard
/// clauses (<c>if (!IsValid(x)) throw ...;</c> or <c>... return ...;</c>, no <c>else</c>). Most tool methods and
/// helpers are like that, and building their graph cost more than analysing it (profiled on the benchmark corpus).
/// </summary>
/// <remarks>
/// The evaluation on the tree gives the same result as the graph's fixed point for these bodies: there is
/// one path on from each statement (a guard clause leaves it, refined by its condition, as the graph does at
/// the branch; nothing joins; no loop), and the conditional parts of <c>?.</c> and
/// <c>??</c> are only allowed when they cannot overwrite a variable (the graph would join the overwritten
/// and the old value; the tree would keep only the new one) and when their condition is the compiler's null
/// check, which no validation matches. Everything else (branches, loops, <c>try</c>, <c>&amp;&amp;</c>,
/// <c>?:</c>, patterns, lambdas, local functions, object initialisers the graph splits apart, interpolated
/// string handlers, iterators) is left to the graph: the list below is of what is allowed, not of what is not.
/// </remarks>
internal static class StraightLineCode
{
    /// <summary>
    /// True when <paramref name="body"/> is a method body of straight-line code: the method's body operation, or its
    /// block or expression body (what the analyzer driver hands to an operation-block action).
    /// </summary>
    public static bool IsStraightLine(IOperation body)
    {
        var block = body switch
        {
            IMethodBodyOperation method when (method.BlockBody is null) != (method.ExpressionBody is null) => method.BlockBody ?? method.ExpressionBody,
            IBlockOperation { Parent: IMethodBodyOperation method } own when method.BlockBody is null || method.ExpressionBody is null => own,
            _ => null,
        };
        if (block is null)
        {
            return false;
        }

        var statements = block.Operations;
        for (var i = 0; i < statements.Length; i++)
        {
            // A return is the last statement of the body's own block: nothing runs after it. (Kinds before casts: a failing
            // interface type test is slow, and most statements are neither returns nor guard clauses.)
            var kind = statements[i].Kind;
            if (kind == OperationKind.Return && i == statements.Length - 1)
            {
                var returned = (IReturnOperation)statements[i];
                if (returned.ReturnedValue is { } value && !IsAllowed(value, conditional: false))
                {
                    return false;
                }
            }
            else if (!(kind == OperationKind.Conditional && IsGuardClause(statements[i])) && !IsAllowed(statements[i], conditional: false))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// <c>if (condition) throw ...;</c> or <c>if (condition) return ...;</c> (a block with that one statement allowed),
    /// no <c>else</c>: the rest of the body runs only when the condition is false.
    /// </summary>
    private static bool IsGuardClause(IOperation statement)
    {
        if (statement is not IConditionalOperation { WhenFalse: null, IsRef: false } guard || !IsAllowed(guard.Condition, conditional: false))
        {
            return false;
        }

        var exit = guard.WhenTrue is IBlockOperation { Operations.Length: 1 } block ? block.Operations[0] : guard.WhenTrue;
        var value = exit switch
        {
            IReturnOperation { Kind: OperationKind.Return } returned => returned.ReturnedValue,
            IThrowOperation thrown => thrown.Exception,
            IExpressionStatementOperation { Operation: IThrowOperation thrown } => thrown.Exception,
            _ => exit,
        };
        return !ReferenceEquals(value, exit) && (value is null || IsAllowed(value, conditional: false));
    }

    /// <param name="conditional">Inside the part of <c>a?.b</c> or <c>a ?? b</c> that may not run: no writes to variables.</param>
    private static bool IsAllowed(IOperation operation, bool conditional)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack(); // see FlowAnalysis.Eval
        switch (operation.Kind)
        {
            // Leaves, and the commonest kinds with their children read directly: enumerating ChildOperations goes through
            // a virtual step per child, and this walk, made before every evaluation, was a tenth of the engine's samples.
            case OperationKind.Literal:
            case OperationKind.LocalReference:
            case OperationKind.ParameterReference:
            case OperationKind.InstanceReference:
            case OperationKind.ConditionalAccessInstance:
                return true;

            case OperationKind.Conversion:
                return IsAllowed(((IConversionOperation)operation).Operand, conditional);

            case OperationKind.ExpressionStatement:
                return IsAllowed(((IExpressionStatementOperation)operation).Operation, conditional);

            case OperationKind.Invocation:
            {
                var invocation = (IInvocationOperation)operation;
                if (invocation.Instance is { } instance && !IsAllowed(instance, conditional))
                {
                    return false;
                }

                foreach (var argument in invocation.Arguments)
                {
                    if (!IsAllowed(argument, conditional))
                    {
                        return false;
                    }
                }

                return true;
            }

            case OperationKind.Block:
            case OperationKind.Empty:
            case OperationKind.VariableDeclarationGroup:
            case OperationKind.VariableDeclaration:
            case OperationKind.VariableDeclarator:
            case OperationKind.VariableInitializer:
            case OperationKind.UsingDeclaration:
            case OperationKind.FieldReference:
            case OperationKind.PropertyReference:
            case OperationKind.ArrayElementReference:
            case OperationKind.Unary:
            case OperationKind.InterpolatedString:
            case OperationKind.Interpolation:
            case OperationKind.InterpolatedStringText:
            case OperationKind.Await:
            case OperationKind.NameOf:
            case OperationKind.TypeOf:
            case OperationKind.SizeOf:
            case OperationKind.DefaultValue:
            case OperationKind.Discard:
            case OperationKind.ArrayCreation:
            case OperationKind.ArrayInitializer:
            case OperationKind.IsType:
                break;

            case OperationKind.Argument:
            {
                var argument = (IArgumentOperation)operation;
                return !(conditional && argument.Parameter?.RefKind is RefKind.Out or RefKind.Ref) && IsAllowed(argument.Value, conditional);
            }

            case OperationKind.ObjectCreation:
                if (((IObjectCreationOperation)operation).Initializer is not null)
                {
                    return false;
                }

                break;

            case OperationKind.Binary:
            {
                var binary = (IBinaryOperation)operation;
                return binary.OperatorKind is not (BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.ConditionalOr)
                    && IsAllowed(binary.LeftOperand, conditional) && IsAllowed(binary.RightOperand, conditional);
            }

            case OperationKind.SimpleAssignment:
            case OperationKind.CompoundAssignment:
            case OperationKind.Increment:
            case OperationKind.Decrement:
            case OperationKind.DeclarationExpression:
                if (conditional)
                {
                    return false;
                }

                break;

            case OperationKind.ConditionalAccess:
            {
                var access = (IConditionalAccessOperation)operation;
                return IsAllowed(access.Operation, conditional) && IsAllowed(access.WhenNotNull, conditional: true);
            }

            case OperationKind.Coalesce:
            {
                var coalesce = (ICoalesceOperation)operation;
                return IsAllowed(coalesce.Value, conditional) && IsAllowed(coalesce.WhenNull, conditional: true);
            }

            default:
                return false;
        }

        foreach (var child in operation.ChildOperations)
        {
            if (!IsAllowed(child, conditional))
            {
                return false;
            }
        }

        return true;
    }
}
