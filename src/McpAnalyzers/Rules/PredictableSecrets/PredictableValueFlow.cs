using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace McpAnalyzers.Rules.PredictableSecrets;

/// <summary>
/// The def-use view of one operation block that MCPSEC002 needs: for every local, the values assigned to it
/// (initializers, assignments, buffers filled by <c>NextBytes</c>/<c>RandomNumberGenerator.Fill</c>), and the
/// fields or properties used as counters (<c>++</c>, <c>+=</c>, <c>Interlocked.Increment</c>). It is flow-insensitive
/// on purpose: a local is predictable when one of its definitions is and none is CSPRNG-backed (the order of
/// overwrites is not tracked, so a CSPRNG definition anywhere wins and nothing is reported).
/// </summary>
internal sealed class PredictableValueFlow
{
    private const int MaxDepth = 32;

    private readonly PredictableSecretSymbols _symbols;
    private readonly bool _flagGuid;
    private readonly Dictionary<ILocalSymbol, List<LocalDefinition>> _definitions = new(SymbolEqualityComparer.Default);
    private readonly HashSet<ISymbol> _counters = new(SymbolEqualityComparer.Default);
    private readonly Dictionary<ILocalSymbol, ValueClass> _localClasses = new(SymbolEqualityComparer.Default);
    private readonly HashSet<ILocalSymbol> _inProgress = new(SymbolEqualityComparer.Default);

    public PredictableValueFlow(PredictableSecretSymbols symbols, bool flagGuid)
    {
        _symbols = symbols;
        _flagGuid = flagGuid;
    }

    /// <summary>A local's definition: an assigned value, or a fill call with its fixed class (Value is then the call).</summary>
    private readonly struct LocalDefinition
    {
        public LocalDefinition(IOperation? value, ValueClass? fill)
        {
            Value = value;
            Fill = fill;
        }

        public IOperation? Value { get; }

        public ValueClass? Fill { get; }
    }

    /// <summary>Records the definitions and counters of one operation (called for every descendant of the block).</summary>
    public void Record(IOperation operation)
    {
        switch (operation)
        {
            case IVariableDeclaratorOperation declarator when declarator.GetVariableInitializer() is { } initializer:
                AddDefinition(declarator.Symbol, new LocalDefinition(initializer.Value, null));
                break;
            case ISimpleAssignmentOperation { Target: ILocalReferenceOperation local } assignment:
                AddDefinition(local.Local, new LocalDefinition(assignment.Value, null));
                break;
            case ICompoundAssignmentOperation { Target: ILocalReferenceOperation local } compound:
                AddDefinition(local.Local, new LocalDefinition(compound.Value, null));
                break;
            case ICompoundAssignmentOperation { Target: IMemberReferenceOperation member }:
                _counters.Add(member.Member);
                break;
            case IIncrementOrDecrementOperation { Target: IMemberReferenceOperation member }:
                _counters.Add(member.Member);
                break;
            case IArgumentOperation { Parameter.RefKind: RefKind.Out or RefKind.Ref } argument:
                // out/ref locals get a value of unknown origin; ref fields passed to Interlocked are counters.
                if (argument.Value is ILocalReferenceOperation outLocal)
                {
                    AddDefinition(outLocal.Local, new LocalDefinition(null, ValueClass.Neutral));
                }
                else if (argument.Value is IDeclarationExpressionOperation { Expression: ILocalReferenceOperation declared })
                {
                    AddDefinition(declared.Local, new LocalDefinition(null, ValueClass.Neutral));
                }
                else if (argument.Value is IMemberReferenceOperation refMember && argument.Parent is IInvocationOperation invocation && IsInterlockedCounter(invocation.TargetMethod))
                {
                    _counters.Add(refMember.Member);
                }

                break;
            case IInvocationOperation invocation when ClassifyFill(invocation) is { } fill && invocation.Arguments.Length > 0:
                if (FillTarget(invocation) is ILocalReferenceOperation filled)
                {
                    AddDefinition(filled.Local, new LocalDefinition(invocation, fill));
                }

                break;
        }
    }

    /// <summary>How predictable the value of <paramref name="operation"/> is.</summary>
    public ValueClass Classify(IOperation? operation) => Classify(operation, 0);

    /// <summary>
    /// A fill call (<c>Random.NextBytes(buffer)</c>, <c>RandomNumberGenerator.Fill(buffer)</c>, <c>rng.GetBytes(buffer)</c>):
    /// the class of the bytes it writes, or null when the call is not a fill.
    /// </summary>
    public ValueClass? ClassifyFill(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        if (!method.ReturnsVoid)
        {
            return null;
        }

        if (!method.IsStatic && method.Name == "NextBytes" && PredictableSecretSymbols.IsOrDerivesFrom(method.ContainingType, _symbols.Random))
        {
            return ValueClass.Predictable(RandomSource);
        }

        if (PredictableSecretSymbols.IsOrDerivesFrom(method.ContainingType, _symbols.RandomNumberGenerator)
            && method.Name is "Fill" or "GetBytes" or "GetNonZeroBytes")
        {
            return ValueClass.Secure;
        }

        return null;
    }

    /// <summary>The buffer a fill call writes to (its first argument), without conversions.</summary>
    public static IOperation? FillTarget(IInvocationOperation invocation)
        => invocation.Arguments.Length > 0 ? Unwrap(invocation.Arguments[0].Value) : null;

    /// <summary>
    /// The expression to replace to fix a sink: the sink's value, followed back through locals that have
    /// exactly one assigned definition. Returns null (and the local) when a local has several definitions.
    /// </summary>
    public IOperation? ResolveRoot(IOperation value, out ILocalSymbol? ambiguousLocal)
    {
        ambiguousLocal = null;
        var current = Unwrap(value);
        for (var depth = 0; depth < MaxDepth && current is ILocalReferenceOperation local; depth++)
        {
            if (!_definitions.TryGetValue(local.Local, out var definitions) || definitions.Count != 1 || definitions[0].Value is not { } single || definitions[0].Fill is not null)
            {
                ambiguousLocal = local.Local;
                return null;
            }

            current = Unwrap(single);
        }

        return current is ILocalReferenceOperation ? null : current;
    }

    public static IOperation? Unwrap(IOperation? operation)
    {
        while (operation is IConversionOperation { IsImplicit: true } conversion)
        {
            operation = conversion.Operand;
        }

        return operation;
    }

    private const string RandomSource = "System.Random, which is predictable";

    private static string Predictable(string what) => what + ", which is predictable";

    private void AddDefinition(ILocalSymbol local, LocalDefinition definition)
    {
        if (!_definitions.TryGetValue(local, out var list))
        {
            list = new List<LocalDefinition>();
            _definitions.Add(local, list);
        }

        list.Add(definition);
    }

    private ValueClass Classify(IOperation? operation, int depth)
    {
        if (operation is null || depth > MaxDepth || operation.ConstantValue.HasValue)
        {
            return ValueClass.Neutral;
        }

        depth++;
        switch (operation)
        {
            case IConversionOperation conversion:
                return Classify(conversion.Operand, depth);
            case ILocalReferenceOperation local:
                return ClassifyLocal(local.Local, depth);
            case IFieldReferenceOperation field:
                return _counters.Contains(field.Field) ? ValueClass.Predictable(Predictable($"the counter '{field.Field.Name}'")) : ValueClass.Neutral;
            case IPropertyReferenceOperation property:
                return ClassifyProperty(property, depth);
            case IInvocationOperation invocation:
                return ClassifyInvocation(invocation, depth);
            case IObjectCreationOperation creation:
                return IsTransparentCreation(creation.Type) ? CombineArguments(creation.Arguments, null, depth) : ValueClass.Neutral;
            case IInterpolatedStringOperation interpolated:
            {
                var result = ValueClass.Neutral;
                foreach (var part in interpolated.Parts)
                {
                    if (part is IInterpolationOperation interpolation && Combine(ref result, Classify(interpolation.Expression, depth)))
                    {
                        break;
                    }
                }

                return result;
            }

            case IBinaryOperation binary:
            {
                var result = Classify(binary.LeftOperand, depth);
                Combine(ref result, Classify(binary.RightOperand, depth));
                return result;
            }

            case IUnaryOperation unary:
                return Classify(unary.Operand, depth);
            case IConditionalOperation conditional:
                return Alternatives(Classify(conditional.WhenTrue, depth), Classify(conditional.WhenFalse, depth));
            case ICoalesceOperation coalesce:
                return Alternatives(Classify(coalesce.Value, depth), Classify(coalesce.WhenNull, depth));
            case ISwitchExpressionOperation switchExpression:
            {
                var result = ValueClass.Neutral;
                foreach (var arm in switchExpression.Arms)
                {
                    result = Alternatives(result, Classify(arm.Value, depth));
                }

                return result;
            }

            case IConditionalAccessOperation conditionalAccess:
            {
                var result = Classify(conditionalAccess.Operation, depth);
                Combine(ref result, Classify(conditionalAccess.WhenNotNull, depth));
                return result;
            }

            case IArrayCreationOperation { Initializer: { } initializer }:
            {
                var result = ValueClass.Neutral;
                foreach (var element in initializer.ElementValues)
                {
                    if (Combine(ref result, Classify(element, depth)))
                    {
                        break;
                    }
                }

                return result;
            }

            case IArrayElementReferenceOperation element:
                return Classify(element.ArrayReference, depth);
            case IIncrementOrDecrementOperation { Target: IMemberReferenceOperation member }:
                return ValueClass.Predictable(Predictable($"the counter '{member.Member.Name}'"));
            case ICompoundAssignmentOperation { Target: IMemberReferenceOperation member }:
                return ValueClass.Predictable(Predictable($"the counter '{member.Member.Name}'"));
            case ICompoundAssignmentOperation compound:
            {
                var result = Classify(compound.Target, depth);
                Combine(ref result, Classify(compound.Value, depth));
                return result;
            }

            case ISimpleAssignmentOperation assignment:
                return Classify(assignment.Value, depth);
            case IArgumentOperation argument:
                return Classify(argument.Value, depth);
            default:
                return ValueClass.Neutral;
        }
    }

    private ValueClass ClassifyLocal(ILocalSymbol local, int depth)
    {
        if (_localClasses.TryGetValue(local, out var known))
        {
            return known;
        }

        if (!_definitions.TryGetValue(local, out var definitions) || !_inProgress.Add(local))
        {
            // No definition (foreach/pattern/using variables) or a cycle (x = x + 1): unknown origin.
            return ValueClass.Neutral;
        }

        var result = ValueClass.Neutral;
        foreach (var definition in definitions)
        {
            if (Combine(ref result, definition.Fill ?? Classify(definition.Value, depth)))
            {
                break;
            }
        }

        _inProgress.Remove(local);
        result = result.Through(local);
        _localClasses[local] = result;
        return result;
    }

    private ValueClass ClassifyProperty(IPropertyReferenceOperation reference, int depth)
    {
        var property = reference.Property;
        var type = property.ContainingType;
        if (property.IsStatic)
        {
            if ((SymbolEqualityComparer.Default.Equals(type, _symbols.DateTime) || SymbolEqualityComparer.Default.Equals(type, _symbols.DateTimeOffset))
                && property.Name is "Now" or "UtcNow" or "Today")
            {
                return ValueClass.Predictable(Predictable($"{type.Name}.{property.Name}"));
            }

            if (SymbolEqualityComparer.Default.Equals(type, _symbols.Environment) && property.Name is "TickCount" or "TickCount64")
            {
                return ValueClass.Predictable(Predictable("Environment." + property.Name));
            }
        }
        else if (PredictableSecretSymbols.IsOrDerivesFrom(type, _symbols.Stopwatch) && property.Name.StartsWith("Elapsed", System.StringComparison.Ordinal))
        {
            return ValueClass.Predictable(Predictable("Stopwatch." + property.Name));
        }

        if (_counters.Contains(property))
        {
            return ValueClass.Predictable(Predictable($"the counter '{property.Name}'"));
        }

        // A member of a predictable value is predictable (DateTime.UtcNow.Ticks); an indexer also depends on its key.
        return reference.Instance is null ? ValueClass.Neutral : CombineArguments(reference.Arguments, reference.Instance, depth);
    }

    private ValueClass ClassifyInvocation(IInvocationOperation invocation, int depth)
    {
        var method = invocation.TargetMethod;
        var type = method.ContainingType;
        if (ClassifySourceMethod(invocation, method, type) is { } source)
        {
            return source;
        }

        if (invocation.Instance is { } instance)
        {
            // Whatever a predictable receiver computes stays predictable (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()).
            var receiver = Classify(instance, depth);
            if (receiver.Kind != ValueKind.Neutral || IsTransparentInstanceMethod(method))
            {
                var result = CombineArguments(invocation.Arguments, null, depth);
                return receiver.Kind == ValueKind.Neutral ? result : Combined(receiver, result);
            }

            return ValueClass.Neutral;
        }

        return IsTransparentStaticMethod(method) ? CombineArguments(invocation.Arguments, null, depth) : ValueClass.Neutral;
    }

    /// <summary>Predictable and CSPRNG sources that are method calls.</summary>
    private ValueClass? ClassifySourceMethod(IInvocationOperation invocation, IMethodSymbol method, INamedTypeSymbol? type)
    {
        if (method.ReturnsVoid || type is null)
        {
            return null;
        }

        if (!method.IsStatic && PredictableSecretSymbols.IsOrDerivesFrom(type, _symbols.Random))
        {
            return ValueClass.Predictable(RandomSource);
        }

        if (PredictableSecretSymbols.IsOrDerivesFrom(type, _symbols.RandomNumberGenerator))
        {
            // RandomNumberGenerator.Create() returns the generator, not random data.
            return method.Name == "Create" ? ValueClass.Neutral : ValueClass.Secure;
        }

        if (SymbolEqualityComparer.Default.Equals(type, _symbols.Guid) && method.IsStatic)
        {
            if (method.Name == "NewGuid")
            {
                return _flagGuid
                    ? ValueClass.Predictable("Guid.NewGuid(), which is not specified to be cryptographically random and carries only 122 random bits (mcpsec.MCPSEC002.flag_guid = true)")
                    : ValueClass.Secure;
            }

            if (method.Name == "CreateVersion7")
            {
                return ValueClass.Predictable("Guid.CreateVersion7(), which is timestamp-based and predictable");
            }
        }

        if (method.IsStatic && SymbolEqualityComparer.Default.Equals(type, _symbols.Stopwatch) && method.Name is "GetTimestamp" or "GetElapsedTime")
        {
            return ValueClass.Predictable(Predictable($"Stopwatch.{method.Name}()"));
        }

        if (!method.IsStatic && PredictableSecretSymbols.IsOrDerivesFrom(type, _symbols.TimeProvider) && method.Name is "GetUtcNow" or "GetLocalNow" or "GetTimestamp")
        {
            return ValueClass.Predictable(Predictable($"TimeProvider.{method.Name}()"));
        }

        if (IsInterlockedCounter(method))
        {
            var counter = invocation.Arguments.Length > 0 && Unwrap(invocation.Arguments[0].Value) is IMemberReferenceOperation member ? $"'{member.Member.Name}' " : string.Empty;
            return ValueClass.Predictable(Predictable($"the counter {counter}(Interlocked.{method.Name})"));
        }

        if (method.Name == "GetHashCode" && method.ReturnType.SpecialType == SpecialType.System_Int32)
        {
            return ValueClass.Predictable(Predictable("GetHashCode()"));
        }

        if (SymbolEqualityComparer.Default.Equals(type, _symbols.HashCode) && method.Name is "Combine" or "ToHashCode")
        {
            return ValueClass.Predictable(Predictable("HashCode." + method.Name));
        }

        return null;
    }

    private bool IsInterlockedCounter(IMethodSymbol method)
        => SymbolEqualityComparer.Default.Equals(method.ContainingType, _symbols.Interlocked) && method.Name is "Increment" or "Decrement" or "Add";

    /// <summary>Methods whose result is a re-encoding of their receiver and arguments (formatting, encoding, unkeyed hashing).</summary>
    private bool IsTransparentInstanceMethod(IMethodSymbol method)
    {
        var type = method.ContainingType;
        return method.Name == "ToString"
            || type?.SpecialType == SpecialType.System_String
            || (PredictableSecretSymbols.IsOrDerivesFrom(type, _symbols.Encoding) && method.Name is "GetBytes" or "GetString")
            || (method.Name == "ComputeHash"
                && PredictableSecretSymbols.IsOrDerivesFrom(type, _symbols.HashAlgorithm)
                && !PredictableSecretSymbols.IsOrDerivesFrom(type, _symbols.KeyedHashAlgorithm));
    }

    private bool IsTransparentStaticMethod(IMethodSymbol method)
    {
        var type = method.ContainingType;
        if (type is null)
        {
            return false;
        }

        if (type.SpecialType == SpecialType.System_String
            || SymbolEqualityComparer.Default.Equals(type, _symbols.Convert)
            || SymbolEqualityComparer.Default.Equals(type, _symbols.BitConverter)
            || SymbolEqualityComparer.Default.Equals(type, _symbols.Math)
            || SymbolEqualityComparer.Default.Equals(type, _symbols.Base64UrlEncoder)
            || SymbolEqualityComparer.Default.Equals(type, _symbols.WebEncoders))
        {
            return true;
        }

        if (SymbolEqualityComparer.Default.Equals(type, _symbols.Uri))
        {
            return method.Name is "EscapeDataString" or "EscapeUriString";
        }

        // SHA256.HashData(bytes) etc.: hashing a predictable input gives a predictable output; HMACs are keyed.
        return method.Name == "HashData"
            && PredictableSecretSymbols.IsOrDerivesFrom(type, _symbols.HashAlgorithm)
            && !PredictableSecretSymbols.IsOrDerivesFrom(type, _symbols.KeyedHashAlgorithm);
    }

    private bool IsTransparentCreation(ITypeSymbol? type)
        => type is not null
            && (type.SpecialType == SpecialType.System_String
                || SymbolEqualityComparer.Default.Equals(type, _symbols.Guid)
                || SymbolEqualityComparer.Default.Equals(type, _symbols.StringValues));

    private ValueClass CombineArguments(System.Collections.Immutable.ImmutableArray<IArgumentOperation> arguments, IOperation? instance, int depth)
    {
        var result = instance is null ? ValueClass.Neutral : Classify(instance, depth);
        foreach (var argument in arguments)
        {
            if (Combine(ref result, Classify(argument.Value, depth)))
            {
                break;
            }
        }

        return result;
    }

    /// <summary>Parts of one value: any CSPRNG part makes it secure, else the first predictable part wins. Returns true once secure.</summary>
    private static bool Combine(ref ValueClass accumulated, ValueClass next)
    {
        accumulated = Combined(accumulated, next);
        return accumulated.Kind == ValueKind.Secure;
    }

    private static ValueClass Combined(ValueClass first, ValueClass second)
    {
        if (first.Kind == ValueKind.Secure || second.Kind == ValueKind.Secure)
        {
            return ValueClass.Secure;
        }

        return first.IsPredictable ? first : second;
    }

    /// <summary>Alternative values (branches of ?:, ??, switch): one predictable branch is a defect on that branch.</summary>
    private static ValueClass Alternatives(ValueClass first, ValueClass second)
    {
        if (first.IsPredictable)
        {
            return first;
        }

        if (second.IsPredictable)
        {
            return second;
        }

        return first.Kind == ValueKind.Secure || second.Kind == ValueKind.Secure ? ValueClass.Secure : ValueClass.Neutral;
    }
}
