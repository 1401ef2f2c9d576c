using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace McpAnalyzers.Rules;

public sealed partial class SessionAsAuthenticationAnalyzer
{
    /// <summary>
    /// The operations of one member body with its local definitions and references: just enough for local
    /// def-use tracking (which locals hold a value derived from a source) and for finding the <c>if</c> a
    /// value decides. Built only for bodies that contain a source.
    /// </summary>
    private sealed class BlockIndex
    {
        private const int MaxDepth = 24;

        private readonly List<(ILocalSymbol Local, IOperation Value)> definitions = new();
        private readonly Dictionary<ILocalSymbol, List<ILocalReferenceOperation>> references = new(SymbolEqualityComparer.Default);
        private HashSet<ILocalSymbol>? principalLocals;

        public BlockIndex(ImmutableArray<IOperation> blocks, KnownTypes known)
        {
            Known = known;
            foreach (var block in blocks)
            {
                foreach (var operation in block.DescendantsAndSelf())
                {
                    Operations.Add(operation);
                    switch (operation)
                    {
                        case IVariableDeclaratorOperation { Initializer: { } initializer } declarator:
                            definitions.Add((declarator.Symbol, initializer.Value));
                            break;
                        case ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment:
                            definitions.Add((target.Local, assignment.Value));
                            break;
                        case ILocalReferenceOperation reference:
                            if (!references.TryGetValue(reference.Local, out var list))
                            {
                                references[reference.Local] = list = new List<ILocalReferenceOperation>();
                            }

                            list.Add(reference);
                            break;
                    }
                }
            }
        }

        public KnownTypes Known { get; }

        public List<IOperation> Operations { get; } = new();

        /// <summary>Locals holding a value derived from the authenticated principal (HttpContext.User and its claims).</summary>
        public HashSet<ILocalSymbol> PrincipalLocals => principalLocals ??= Propagate(IsPrincipalSeed, new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default));

        public IEnumerable<ILocalReferenceOperation> ReferencesOf(ILocalSymbol local)
            => references.TryGetValue(local, out var list) ? list : Enumerable.Empty<ILocalReferenceOperation>();

        public bool IsPrincipalSeed(IOperation operation) => Known.IsPrincipalType(operation.Type);

        /// <summary>Fixed point over the local definitions: which locals hold a value derived from a seed.</summary>
        public HashSet<ILocalSymbol> Propagate(Func<IOperation, bool> isSeed, HashSet<ILocalSymbol> seeds)
        {
            var tainted = new HashSet<ILocalSymbol>(seeds, SymbolEqualityComparer.Default);
            for (var changed = true; changed;)
            {
                changed = false;
                foreach (var (local, value) in definitions)
                {
                    if (!tainted.Contains(local) && Derives(value, tainted, isSeed))
                    {
                        tainted.Add(local);
                        changed = true;
                    }
                }
            }

            return tainted;
        }

        /// <summary>
        /// The value of <paramref name="operation"/> carries a seed's value: the seed itself, a tainted local, or a
        /// value-preserving shape around one (conversion, ??, ?., member access, string operations, concatenation,
        /// interpolation, tuples, await). Arguments of arbitrary calls do not propagate: <c>users[id]</c> is a user, not an id.
        /// </summary>
        public bool Derives(IOperation? operation, HashSet<ILocalSymbol> tainted, Func<IOperation, bool> isSeed, int depth = 0)
        {
            if (operation is null || depth > MaxDepth)
            {
                return false;
            }

            if (isSeed(operation))
            {
                return true;
            }

            depth++;
            switch (operation)
            {
                case ILocalReferenceOperation local:
                    return tainted.Contains(local.Local);
                case IConversionOperation conversion:
                    return Derives(conversion.Operand, tainted, isSeed, depth);
                case IParenthesizedOperation parenthesized:
                    return Derives(parenthesized.Operand, tainted, isSeed, depth);
                case ICoalesceOperation coalesce:
                    return Derives(coalesce.Value, tainted, isSeed, depth) || Derives(coalesce.WhenNull, tainted, isSeed, depth);
                case IConditionalAccessOperation conditionalAccess:
                    return Derives(conditionalAccess.Operation, tainted, isSeed, depth) || Derives(conditionalAccess.WhenNotNull, tainted, isSeed, depth);
                case IConditionalOperation { WhenFalse: not null } conditional:
                    return Derives(conditional.WhenTrue, tainted, isSeed, depth) || Derives(conditional.WhenFalse, tainted, isSeed, depth);
                case IPropertyReferenceOperation property:
                    return Derives(property.Instance, tainted, isSeed, depth);
                case IInvocationOperation invocation:
                    var receiver = invocation.Instance
                        ?? (invocation.TargetMethod.IsExtensionMethod && invocation.Arguments.Length > 0 ? invocation.Arguments[0].Value : null);
                    if (Derives(receiver, tainted, isSeed, depth))
                    {
                        return true;
                    }

                    return invocation.TargetMethod.IsStatic
                           && invocation.TargetMethod.ContainingType?.SpecialType == SpecialType.System_String
                           && invocation.Arguments.Any(a => Derives(a.Value, tainted, isSeed, depth));
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } add:
                    return Derives(add.LeftOperand, tainted, isSeed, depth) || Derives(add.RightOperand, tainted, isSeed, depth);
                case IInterpolatedStringOperation interpolated:
                    return interpolated.Parts.OfType<IInterpolationOperation>().Any(p => Derives(p.Expression, tainted, isSeed, depth));
                case ITupleOperation tuple:
                    return tuple.Elements.Any(e => Derives(e, tainted, isSeed, depth));
                case IAwaitOperation awaited:
                    return Derives(awaited.Operation, tainted, isSeed, depth);
                case IArrayElementReferenceOperation element:
                    return Derives(element.ArrayReference, tainted, isSeed, depth);
                default:
                    return false;
            }
        }

        /// <summary>Somewhere inside <paramref name="operation"/> the authenticated principal is read.</summary>
        public bool ContainsPrincipal(IOperation operation, HashSet<ILocalSymbol> principal)
            => operation.DescendantsAndSelf().Any(o => IsPrincipalSeed(o) || (o is ILocalReferenceOperation l && principal.Contains(l.Local)));

        /// <summary>The lookup's result (inline or through locals) is compared with a value from the authenticated principal.</summary>
        public bool IsComparedWithPrincipal(IOperation lookup, HashSet<ILocalSymbol> resultLocals, HashSet<ILocalSymbol> principal)
        {
            bool IsResult(IOperation o) => o.DescendantsAndSelf().Any(d => d == lookup || (d is ILocalReferenceOperation l && resultLocals.Contains(l.Local)));

            foreach (var operation in Operations)
            {
                IOperation? left = null, right = null;
                switch (operation)
                {
                    case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } binary:
                        (left, right) = (binary.LeftOperand, binary.RightOperand);
                        break;
                    case IInvocationOperation { TargetMethod.Name: "Equals" } equals:
                        var operands = equals.Arguments.Select(a => a.Value).Where(v => v.Type?.TypeKind != TypeKind.Enum).ToList();
                        if (equals.Instance is not null)
                        {
                            operands.Insert(0, equals.Instance);
                        }

                        if (operands.Count >= 2)
                        {
                            (left, right) = (operands[0], operands[1]);
                        }

                        break;
                }

                if (left is not null && right is not null
                    && ((IsResult(left) && ContainsPrincipal(right, principal)) || (IsResult(right) && ContainsPrincipal(left, principal))))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// The if/ternary conditions that <paramref name="use"/> feeds (through !, comparisons, &amp;&amp;/||, patterns,
        /// calls such as string.IsNullOrEmpty, or a bool local), with whether the value is negated on the way.
        /// </summary>
        public List<(IConditionalOperation Conditional, bool Negated)> GoverningConditions(IOperation use)
        {
            var result = new List<(IConditionalOperation, bool)>();
            CollectConditions(use, negated: false, viaLocal: false, result);
            return result;
        }

        private void CollectConditions(IOperation use, bool negated, bool viaLocal, List<(IConditionalOperation, bool)> result)
        {
            var current = use;
            for (var parent = use.Parent; parent is not null; current = parent, parent = parent.Parent)
            {
                switch (parent)
                {
                    case IConditionalOperation conditional when conditional.Condition == current:
                        result.Add((conditional, negated));
                        return;
                    case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not }:
                        negated = !negated;
                        break;
                    case IBinaryOperation binary:
                        // x == false / x != true flip the sense of a bool check.
                        var other = binary.LeftOperand == current ? binary.RightOperand : binary.LeftOperand;
                        if (other.ConstantValue is { HasValue: true, Value: bool constant }
                            && ((binary.OperatorKind == BinaryOperatorKind.Equals && !constant) || (binary.OperatorKind == BinaryOperatorKind.NotEquals && constant)))
                        {
                            negated = !negated;
                        }

                        break;
                    case IConversionOperation or IParenthesizedOperation or IIsPatternOperation or ICoalesceOperation
                        or IConditionalAccessOperation or IArgumentOperation or IInvocationOperation or IPropertyReferenceOperation:
                        break;
                    case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } when !viaLocal:
                        foreach (var reference in ReferencesOf(declarator.Symbol))
                        {
                            CollectConditions(reference, negated, viaLocal: true, result);
                        }

                        return;
                    case ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment when assignment.Value == current && !viaLocal:
                        foreach (var reference in ReferencesOf(target.Local).Where(r => r != target))
                        {
                            CollectConditions(reference, negated, viaLocal: true, result);
                        }

                        return;
                    default:
                        return;
                }
            }
        }

        /// <summary>(a): some path of the if/ternary answers 401/403 (a branch, or what follows an if whose other branch leaves).</summary>
        public bool AnyPathDenies(IConditionalOperation conditional)
        {
            if (Contains(conditional.WhenTrue, Known.IsDenial) || Contains(conditional.WhenFalse, Known.IsDenial))
            {
                return true;
            }

            return conditional.WhenFalse is null && Contains(conditional.WhenTrue, IsExit) && FollowingStatements(conditional).Any(s => Contains(s, Known.IsDenial));
        }

        /// <summary>
        /// (b): the path taken when the membership check fails leaves (return/throw/break) or answers 401/403 —
        /// unless it only answers 404, the transport's own reply to an unknown session.
        /// </summary>
        public bool RejectingPathGates(IConditionalOperation conditional, bool negated)
        {
            var rejecting = negated ? conditional.WhenTrue : conditional.WhenFalse;
            var isStatement = conditional.Type is null;
            IReadOnlyList<IOperation> path;
            bool requiresDenial;
            if (rejecting is not null)
            {
                path = new[] { rejecting };
                requiresDenial = !isStatement;
            }
            else if (!negated && isStatement && Contains(conditional.WhenTrue, IsExit))
            {
                // if (known) { ...; return; } <rest>: the rest runs for unknown sessions; it gates only if it denies.
                path = FollowingStatements(conditional);
                requiresDenial = true;
            }
            else
            {
                return false;
            }

            var denies = path.Any(p => Contains(p, Known.IsDenial));
            if (denies)
            {
                return true;
            }

            if (requiresDenial || path.Any(p => Contains(p, KnownTypes.IsNotFound)))
            {
                return false;
            }

            return path.Any(p => Contains(p, IsExit));
        }

        private static bool IsExit(IOperation operation)
            => operation is IReturnOperation or IThrowOperation or IBranchOperation { BranchKind: BranchKind.Break or BranchKind.Continue or BranchKind.GoTo };

        private static IReadOnlyList<IOperation> FollowingStatements(IConditionalOperation conditional)
        {
            if (conditional.Parent is not IBlockOperation block)
            {
                return Array.Empty<IOperation>();
            }

            var index = block.Operations.IndexOf(conditional);
            return index < 0 ? Array.Empty<IOperation>() : block.Operations.Skip(index + 1).ToList();
        }

        /// <summary>Searches a branch, not descending into lambdas or local functions (their code runs elsewhere).</summary>
        private static bool Contains(IOperation? root, Func<IOperation, bool> predicate)
        {
            if (root is null)
            {
                return false;
            }

            var stack = new Stack<IOperation>();
            stack.Push(root);
            while (stack.Count > 0)
            {
                var operation = stack.Pop();
                if (predicate(operation))
                {
                    return true;
                }

                foreach (var child in operation.ChildOperations)
                {
                    if (child is not (IAnonymousFunctionOperation or ILocalFunctionOperation))
                    {
                        stack.Push(child);
                    }
                }
            }

            return false;
        }
    }
}
