using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace McpAnalyzers.Taint;

/// <summary>
/// One rule's view of the dataflow: the diagnostic it reports, where tainted values must not arrive
/// (sinks), and what makes a value safe for this sink kind only (sanitisers returning a safe value,
/// checks that make a value safe on the branch where they hold). Sources and propagation are shared
/// by every rule of one <see cref="TaintConfiguration"/>; general validation (anchored regex,
/// allowlists, equality with constants, numeric parsing, user sanitizers) is applied by the engine for all rules.
/// </summary>
internal sealed class TaintRuleSpec
{
    public TaintRuleSpec(
        DiagnosticDescriptor descriptor,
        IEnumerable<TaintSink> sinks,
        IEnumerable<TaintSanitizer>? sanitizers = null,
        IEnumerable<TaintCheck>? checks = null)
    {
        Descriptor = descriptor;
        SanitizersOptionKey = "mcpsec." + descriptor.Id + ".sanitizers";
        Sinks = sinks.ToImmutableArray();
        Sanitizers = sanitizers?.ToImmutableArray() ?? ImmutableArray<TaintSanitizer>.Empty;
        Checks = checks?.ToImmutableArray() ?? ImmutableArray<TaintCheck>.Empty;
    }

    public DiagnosticDescriptor Descriptor { get; }

    /// <summary>The rule's own sanitiser option, <c>mcpsec.&lt;ID&gt;.sanitizers</c> (read once per tree).</summary>
    public string SanitizersOptionKey { get; }

    public ImmutableArray<TaintSink> Sinks { get; }

    public ImmutableArray<TaintSanitizer> Sanitizers { get; }

    public ImmutableArray<TaintCheck> Checks { get; }

    /// <summary>True when the spec has at least one sink whose types exist in the compilation.</summary>
    public bool IsActive => !Sinks.IsEmpty;
}

/// <summary>One dangerous input of a sink operation: the value and how the message names the sink.</summary>
internal readonly struct SinkInput
{
    public SinkInput(IOperation value, string sinkName)
    {
        Value = value;
        SinkName = sinkName;
    }

    public IOperation Value { get; }

    public string SinkName { get; }
}

/// <summary>
/// A sink. The engine offers every invocation, object creation and assignment (simple or compound)
/// it evaluates; the sink appends the operand(s) that must not be tainted. Implementations must be
/// cheap (match the symbol first) and must not throw on half-typed code.
/// </summary>
internal abstract class TaintSink
{
    public abstract void GetInputs(IOperation operation, TaintQuery query, List<SinkInput> inputs);

    /// <summary>
    /// What the sink can match, so the engine offers it nothing else: <see cref="SinkTarget.Invocation"/> of a member of
    /// <see cref="TargetType"/>, or <see cref="SinkTarget.Creation"/> of an instance of it (of a type derived from it as
    /// well when <see cref="MatchesDerivedTypes"/>), or <see cref="SinkTarget.Assignment"/> to a member named one of
    /// <see cref="TargetMemberNames"/>. Default: <see cref="SinkTarget.Any"/>, offered every operation.
    /// </summary>
    public virtual SinkTarget Target => SinkTarget.Any;

    public virtual INamedTypeSymbol? TargetType => null;

    /// <summary>For <see cref="SinkTarget.Assignment"/>: the names of the assigned members the sink can match.</summary>
    public virtual IEnumerable<string> TargetMemberNames => Enumerable.Empty<string>();

    public virtual bool MatchesDerivedTypes => false;

    /// <summary>
    /// Sinks on what a body returns (e.g. a tool's return value sent to the client, MCPSEC013). The engine
    /// offers every returned value of every body it analyses (<paramref name="owner"/>: the method, local
    /// function or lambda returning it; helpers too, so check the owner). Default: not a sink.
    /// </summary>
    public virtual void GetReturnInputs(IOperation returnedValue, ISymbol owner, TaintQuery query, List<SinkInput> inputs)
    {
    }

    protected static string TypeDisplay(ISymbol symbol) => symbol.ContainingType?.Name ?? symbol.Name;

    internal static bool IsOrDerivesFrom(ITypeSymbol? type, INamedTypeSymbol baseType)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, baseType))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>The operations a sink can match (see <see cref="TaintSink.Target"/>).</summary>
internal enum SinkTarget
{
    Any,
    Invocation,
    Creation,
    Assignment,
}

/// <summary>Arguments of methods of a type (or its derived types) named <c>Type.Method</c> in messages.</summary>
internal sealed class MethodSink : TaintSink
{
    private readonly INamedTypeSymbol _type;
    private readonly Func<IMethodSymbol, bool> _method;
    private readonly Func<IParameterSymbol, bool> _parameter;
    private readonly bool _includeDerived;

    public MethodSink(INamedTypeSymbol type, Func<IMethodSymbol, bool> method, Func<IParameterSymbol, bool> parameter, bool includeDerived = false)
    {
        _type = type;
        _method = method;
        _parameter = parameter;
        _includeDerived = includeDerived;
    }

    public override SinkTarget Target => SinkTarget.Invocation;

    public override INamedTypeSymbol? TargetType => _type;

    public override bool MatchesDerivedTypes => _includeDerived;

    public static MethodSink Named(INamedTypeSymbol type, IEnumerable<string> names, Func<IParameterSymbol, bool> parameter, bool includeDerived = false)
    {
        var set = ImmutableHashSet.CreateRange(StringComparer.Ordinal, names);
        return new MethodSink(type, m => set.Contains(m.Name), parameter, includeDerived);
    }

    public override void GetInputs(IOperation operation, TaintQuery query, List<SinkInput> inputs)
    {
        if (operation is not IInvocationOperation invocation)
        {
            return;
        }

        var method = invocation.TargetMethod;
        var owner = method.ContainingType;
        if (owner is null
            || !(_includeDerived ? IsOrDerivesFrom(owner, _type) : SymbolEqualityComparer.Default.Equals(owner.OriginalDefinition, _type))
            || !_method(method))
        {
            return;
        }

        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter is { } parameter && _parameter(parameter))
            {
                inputs.Add(new SinkInput(argument.Value, owner.Name + "." + method.Name));
            }
        }
    }
}

/// <summary>Constructor arguments of a type (or derived types), named <c>new Type(...)</c> in messages.</summary>
internal sealed class ConstructorSink : TaintSink
{
    private readonly INamedTypeSymbol _type;
    private readonly Func<IParameterSymbol, bool> _parameter;
    private readonly bool _includeDerived;

    public ConstructorSink(INamedTypeSymbol type, Func<IParameterSymbol, bool> parameter, bool includeDerived = false)
    {
        _type = type;
        _parameter = parameter;
        _includeDerived = includeDerived;
    }

    public override SinkTarget Target => SinkTarget.Creation;

    public override INamedTypeSymbol? TargetType => _type;

    public override bool MatchesDerivedTypes => _includeDerived;

    public override void GetInputs(IOperation operation, TaintQuery query, List<SinkInput> inputs)
    {
        if (operation is not IObjectCreationOperation { Constructor: { } constructor } creation
            || !(_includeDerived ? IsOrDerivesFrom(constructor.ContainingType, _type) : SymbolEqualityComparer.Default.Equals(constructor.ContainingType.OriginalDefinition, _type)))
        {
            return;
        }

        foreach (var argument in creation.Arguments)
        {
            if (argument.Parameter is { } parameter && _parameter(parameter))
            {
                inputs.Add(new SinkInput(argument.Value, "new " + constructor.ContainingType.Name + "(...)"));
            }
        }
    }
}

/// <summary>Assignments to a property (or field) of a type or its derived types, named <c>Type.Property</c>.</summary>
internal sealed class PropertySetSink : TaintSink
{
    private readonly INamedTypeSymbol _type;
    private readonly ImmutableHashSet<string> _names;

    public PropertySetSink(INamedTypeSymbol type, params string[] names)
    {
        _type = type;
        _names = ImmutableHashSet.Create(StringComparer.Ordinal, names);
    }

    public override SinkTarget Target => SinkTarget.Assignment;

    public override IEnumerable<string> TargetMemberNames => _names;

    public override void GetInputs(IOperation operation, TaintQuery query, List<SinkInput> inputs)
    {
        if (operation is not IAssignmentOperation { Target: IMemberReferenceOperation target } assignment
            || !_names.Contains(target.Member.Name))
        {
            return;
        }

        // Name the most derived type the code uses (SqliteCommand.CommandText, not DbCommand.CommandText).
        var receiverType = (target as IPropertyReferenceOperation)?.Instance?.Type ?? target.Member.ContainingType;
        if (IsOrDerivesFrom(receiverType, _type) || IsOrDerivesFrom(target.Member.ContainingType, _type))
        {
            var display = (receiverType is INamedTypeSymbol named && IsOrDerivesFrom(named, _type) ? named.Name : target.Member.ContainingType.Name)
                + "." + target.Member.Name;
            inputs.Add(new SinkInput(assignment.Value, display));
        }
    }
}

/// <summary>A sink expressed as a delegate, for forms the table-driven sinks cannot describe.</summary>
internal sealed class CustomSink : TaintSink
{
    private readonly Action<IOperation, TaintQuery, List<SinkInput>> _match;

    public CustomSink(Action<IOperation, TaintQuery, List<SinkInput>> match) => _match = match;

    public override void GetInputs(IOperation operation, TaintQuery query, List<SinkInput> inputs) => _match(operation, query, inputs);
}

/// <summary>
/// A value-level sanitiser: the engine asks it about every invocation, object creation, string
/// concatenation and interpolated string it evaluates; when it answers true, the value is safe
/// for the owning rule (its kind bit is removed).
/// </summary>
internal abstract class TaintSanitizer
{
    public abstract bool Sanitizes(IOperation operation, TaintQuery query);
}

/// <summary>A sanitiser expressed as a delegate.</summary>
internal sealed class CustomSanitizer : TaintSanitizer
{
    private readonly Func<IOperation, TaintQuery, bool> _predicate;

    public CustomSanitizer(Func<IOperation, TaintQuery, bool> predicate) => _predicate = predicate;

    public override bool Sanitizes(IOperation operation, TaintQuery query) => _predicate(operation, query);
}

/// <summary>
/// A branch check: given a branch condition, names the value that is safe on the branch where the
/// condition is <paramref name="whenTrue"/>. The engine clears that value's storage (local,
/// parameter, capture or field of <c>this</c>) on that branch only.
/// </summary>
internal abstract class TaintCheck
{
    public abstract bool TryMatch(IOperation condition, TaintQuery query, out IOperation checkedValue, out bool whenTrue);
}

/// <summary>
/// What a sanitiser or check may ask the engine: the taint of an operand in the current state and
/// the initial value of a field (for <c>static readonly Regex</c>-style validators).
/// </summary>
internal abstract class TaintQuery
{
    public abstract TaintValue TaintOf(IOperation operation);

    public abstract IOperation? GetFieldInitializer(IFieldSymbol field);

    /// <summary>Every value assigned to a local in the analysed body (e.g. to see that it holds <c>Path.GetFullPath(...)</c>).</summary>
    public abstract ImmutableArray<IOperation> GetAssignedValues(ILocalSymbol local);

    /// <summary>
    /// The operation of a syntax node in the original (not lowered) operation tree, e.g. to read an
    /// object initializer the control-flow graph has split into separate assignments.
    /// </summary>
    public abstract IOperation? GetOriginalOperation(SyntaxNode node);
}
