using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace McpAnalyzers.Taint;

/// <summary>
/// The intra-procedural forward analysis of one control-flow graph: a worklist fixed point over the
/// basic blocks (state joined at merge points, refined on conditional edges by recognised checks),
/// evaluating each block's operations with the shared propagation rules. Straight-line bodies
/// (<see cref="StraightLineCode"/>) are evaluated on their operation tree instead, in one pass. Calls into methods of the
/// compilation use summaries (bounded by the remaining call budget); lambdas and local functions
/// are analysed inline with the state of the variables they capture.
/// Cost: each block is re-evaluated only when its input state grows; the lattice height is
/// (origins x kinds), so the work is linear in graph size times that height.
/// </summary>
internal sealed class FlowAnalysis : TaintQuery
{
    private const int MaxInlineDepth = 6;

    private readonly TaintEngine _engine;
    private readonly TaintConfiguration _config;
    private readonly TaintTypes _types;
    private readonly ControlFlowGraph? _graph;
    private readonly IOperation? _straightLineBody;
    private readonly ISymbol _owner;
    private readonly TaintOptions _options;
    private readonly int _budget;
    private readonly ToolState? _toolState; // null in summaries: callees see no tool state
    private readonly FlowCollector _collector;
    private readonly HashSet<IMethodSymbol> _inProgress;
    private readonly CancellationToken _cancellationToken;
    // Only tainted values are stored (absent = clean): most operations of a body are clean, and hashing every
    // operation into a growing dictionary was a seventh of the analysis time (profiled on the benchmark corpus).
    private Dictionary<IOperation, TaintValue>? _values; // created at the first tainted value (many summaries have none)
    private readonly GeneralValidation _validation;

    // Scratch list of the sink checks, one per thread: an analysis is made for every body and summary, and
    // lists grown from empty each time were a visible share of the analyzer's allocations. The checks never
    // re-enter themselves (a sink's inputs are read, not evaluated), so one per thread is enough.
    [ThreadStatic]
    private static List<SinkInput>? t_sinkBuffer;

    private Dictionary<CaptureId, object>? _captureAliases;

    // The receivers of the a?.b being evaluated, innermost last (straight-line bodies only: a graph captures them).
    private List<(IOperation Receiver, TaintValue Value)>? _conditionalReceivers; // created at the first a?.b
    private readonly int _inlineDepth;
    private Dictionary<ILocalSymbol, ImmutableArray<IOperation>>? _assignments;
    private FlowState _state = null!; // set by Run
    private TaintValue _returned;

    public FlowAnalysis(
        TaintEngine engine,
        FlowBody body,
        ISymbol owner,
        TaintOptions options,
        int budget,
        ToolState? toolState,
        FlowCollector collector,
        HashSet<IMethodSymbol> inProgress,
        CancellationToken cancellationToken,
        int inlineDepth = 0)
    {
        _engine = engine;
        _config = engine.Configuration;
        _types = _config.Types;
        _graph = body.Graph;
        _straightLineBody = body.StraightLine;
        _owner = owner;
        _options = options;
        _budget = budget;
        _toolState = toolState;
        _collector = collector;
        _inProgress = inProgress;
        _cancellationToken = cancellationToken;
        _inlineDepth = inlineDepth;
        _validation = engine.Validation;
    }

    /// <summary>The semantic model of the analysed body (its callees in the same file are read from it).</summary>
    private SemanticModel? Model => _straightLineBody?.SemanticModel ?? _graph?.OriginalOperation.SemanticModel;

    /// <summary>Runs to a fixed point from <paramref name="initial"/>; returns the taint of the returned value.</summary>
    public TaintValue Run(FlowState initial)
    {
        if (_straightLineBody is not null)
        {
            _state = initial;
            Eval(_straightLineBody);
            return _returned;
        }

        var blocks = _graph!.Blocks;
        if (blocks.IsEmpty)
        {
            return TaintValue.Clean;
        }

        IndexCaptureAliases(blocks);
        var inStates = new FlowState?[blocks.Length];
        inStates[0] = initial.Clone();
        var worklist = new BlockWorklist(blocks.Length);
        worklist.Add(0);
        var visits = 0;
        var maxVisits = (blocks.Length * 20) + 100;
        while (true)
        {
            while (worklist.Count > 0 && visits++ < maxVisits)
            {
                _cancellationToken.ThrowIfCancellationRequested();
                var ordinal = worklist.TakeLowest();
                ProcessBlock(blocks[ordinal], inStates[ordinal]!.Clone(), inStates, worklist);
            }

            // Blocks only reachable through exceptional flow (catch/finally) have no explicit predecessor
            // edge: seed them with everything known before them, then continue.
            var seeded = false;
            for (var i = 1; i < blocks.Length && visits < maxVisits; i++)
            {
                if (inStates[i] is null && blocks[i].IsReachable)
                {
                    var seed = FlowState.Empty();
                    for (var j = 0; j < i; j++)
                    {
                        if (inStates[j] is { } before)
                        {
                            seed.JoinWith(before);
                        }
                    }

                    inStates[i] = seed;
                    worklist.Add(i);
                    seeded = true;
                    break;
                }
            }

            if (!seeded || visits >= maxVisits)
            {
                break;
            }
        }

        return _returned;
    }

    private void IndexCaptureAliases(ImmutableArray<BasicBlock> blocks)
    {
        foreach (var block in blocks)
        {
            foreach (var operation in block.Operations)
            {
                if (operation is IFlowCaptureOperation capture && StorageKey(OperationExtensions.WithoutConversions(capture.Value)) is { } key)
                {
                    (_captureAliases ??= new())[capture.Id] = key;
                }
            }
        }
    }

    private void ProcessBlock(BasicBlock block, FlowState state, FlowState?[] inStates, BlockWorklist worklist)
    {
        _state = state;
        foreach (var operation in block.Operations)
        {
            Eval(operation);
        }

        if (block.BranchValue is { } branchValue)
        {
            var value = Eval(branchValue);
            if (block.ConditionKind == ControlFlowConditionKind.None && block.FallThroughSuccessor?.Semantics == ControlFlowBranchSemantics.Return)
            {
                _returned = _returned.Join(value);
                CheckReturnSinks(branchValue, value);
            }
        }

        // The states handed to Propagate are owned by it from here on (this block's working state is not used
        // again: a block is always processed from a fresh copy of its in-state), so they are stored, not copied.
        if (block.ConditionKind != ControlFlowConditionKind.None && block.BranchValue is { } condition)
        {
            var (whenTrue, whenFalse) = SplitOn(condition);
            var conditionalState = block.ConditionKind == ControlFlowConditionKind.WhenTrue ? whenTrue : whenFalse;
            var fallThroughState = block.ConditionKind == ControlFlowConditionKind.WhenTrue ? whenFalse : whenTrue;
            Propagate(block.ConditionalSuccessor, conditionalState, inStates, worklist);
            Propagate(block.FallThroughSuccessor, fallThroughState, inStates, worklist);
        }
        else
        {
            Propagate(block.FallThroughSuccessor, _state, inStates, worklist);
        }
    }

    /// <summary>Joins <paramref name="state"/> (owned by the callee: stored as it is when the destination has no state yet) into the in-state of the branch's destination.</summary>
    private static void Propagate(ControlFlowBranch? branch, FlowState state, FlowState?[] inStates, BlockWorklist worklist)
    {
        if (branch?.Destination is not { } destination)
        {
            return;
        }

        var ordinal = destination.Ordinal;
        if (inStates[ordinal] is null)
        {
            inStates[ordinal] = state;
            worklist.Add(ordinal);
        }
        else if (inStates[ordinal]!.JoinWith(state))
        {
            worklist.Add(ordinal);
        }
    }

    /// <summary>
    /// The states after an evaluated branch condition: where it holds and where it does not, each refined by the checks
    /// it contains. The second is the current state itself (the caller moves on from it), the first a copy.
    /// </summary>
    private (FlowState WhenTrue, FlowState WhenFalse) SplitOn(IOperation condition)
    {
        var whenTrue = _state.Clone();
        var whenFalse = _state;
        Refine(condition, whenTrue, whenFalse);
        return (whenTrue, whenFalse);
    }

    /// <summary>Applies the checks recognised in a branch condition to the true and false successors.</summary>
    private void Refine(IOperation condition, FlowState whenTrue, FlowState whenFalse)
    {
        var negated = false;
        while (true)
        {
            if (condition is IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not)
            {
                negated = !negated;
                condition = not.Operand;
            }
            else if (condition is IConversionOperation { IsImplicit: true } conversion)
            {
                condition = conversion.Operand;
            }
            else
            {
                break;
            }
        }

        if (_validation.TryMatch(condition, this, out var checkedValue, out var holdsWhenTrue))
        {
            Clear(checkedValue, _config.AllKinds, holdsWhenTrue != negated ? whenTrue : whenFalse);
        }

        if (condition is IInvocationOperation invocation && UserSanitizerKinds(invocation.TargetMethod) is var userKinds && userKinds != 0
            && invocation.TargetMethod.ReturnType.SpecialType == SpecialType.System_Boolean && invocation.Arguments.Length > 0)
        {
            Clear(invocation.Arguments[0].Value, userKinds, negated ? whenFalse : whenTrue);
        }

        for (var i = 0; i < _config.Rules.Length; i++)
        {
            foreach (var check in _config.Rules[i].Checks)
            {
                if (check.TryMatch(condition, this, out var value, out var when))
                {
                    Clear(value, TaintConfiguration.KindOf(i), when != negated ? whenTrue : whenFalse);
                }
            }
        }
    }

    private void Clear(IOperation value, int kinds, FlowState state)
    {
        var key = StorageKey(OperationExtensions.WithoutConversions(value));
        if (key is null)
        {
            return;
        }

        state.Set(key, state.Get(key).Without(kinds));
        if (key is CaptureId capture && _captureAliases is not null && _captureAliases.TryGetValue(capture, out var alias))
        {
            state.Set(alias, state.Get(alias).Without(kinds));
        }
    }

    /// <summary>The storage location an operation reads, when it is one the state tracks.</summary>
    private static object? StorageKey(IOperation? operation) => operation switch
    {
        ILocalReferenceOperation local => local.Local,
        IParameterReferenceOperation parameter => parameter.Parameter,
        IFlowCaptureReferenceOperation capture => capture.Id,
        IInstanceReferenceOperation => FlowState.This,
        IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation } field => field.Field.OriginalDefinition,
        IPropertyReferenceOperation { Instance: null or IInstanceReferenceOperation, Property.IsIndexer: false } property => property.Property.OriginalDefinition,
        _ => null,
    };

    public override TaintValue TaintOf(IOperation operation)
        => _values is not null && _values.TryGetValue(operation, out var value) ? value : TaintValue.Clean;

    public override IOperation? GetFieldInitializer(IFieldSymbol field) => _engine.GetFieldInitializer(field, _cancellationToken);

    public override IOperation? GetOriginalOperation(SyntaxNode node) => _engine.GetOriginalOperation(node, _cancellationToken);

    public override ImmutableArray<IOperation> GetAssignedValues(ILocalSymbol local)
    {
        if (_assignments is null)
        {
            _assignments = new Dictionary<ILocalSymbol, ImmutableArray<IOperation>>(SymbolEqualityComparer.Default);
            if (_straightLineBody is not null)
            {
                IndexAssignments(_straightLineBody);
            }
            else
            {
                foreach (var block in _graph!.Blocks)
                {
                    foreach (var operation in block.Operations)
                    {
                        IndexAssignments(operation);
                    }
                }
            }
        }

        return _assignments.TryGetValue(local, out var values) ? values : ImmutableArray<IOperation>.Empty;
    }

    /// <summary>Assignments to locals under <paramref name="root"/>: a graph has them as assignments, a tree also as declarators.</summary>
    private void IndexAssignments(IOperation root)
    {
        foreach (var node in root.DescendantsAndSelf())
        {
            var (target, value) = node switch
            {
                ISimpleAssignmentOperation { Target: ILocalReferenceOperation { Local: { } local } } assignment => (local, assignment.Value),
                IVariableDeclaratorOperation { Initializer.Value: { } initial } declarator => (declarator.Symbol, initial),
                _ => (null, null),
            };
            if (target is not null && value is not null)
            {
                _assignments![target] = _assignments.TryGetValue(target, out var existing) ? existing.Add(value) : ImmutableArray.Create(value);
            }
        }
    }

    private TaintValue Eval(IOperation? operation)
    {
        if (operation is null)
        {
            return TaintValue.Clean;
        }

        // The evaluation recurses into operands: a generated concatenation of thousands of terms nests that deep. Throws
        // InsufficientExecutionStackException before the stack runs out; the operation-block callback skips the body.
        RuntimeHelpers.EnsureSufficientExecutionStack();

        var value = EvalCore(operation);
        if (!value.IsClean && (_types.IsInert(operation.Type) || operation.ConstantValue.HasValue))
        {
            value = TaintValue.Clean;
        }

        SetValue(operation, value);
        return value;
    }

    private void SetValue(IOperation operation, TaintValue value)
    {
        if (!value.IsClean)
        {
            (_values ??= new Dictionary<IOperation, TaintValue>())[operation] = value;
        }
        else if (_values is { Count: > 0 } && _graph is not null)
        {
            // A block evaluated again (fixed point) may find an operation clean that was tainted before (a straight-line
            // body evaluates each operation once).
            _values.Remove(operation);
        }
    }

    private TaintValue EvalCore(IOperation operation)
    {
        // Literals before ConstantValue: for a string constant that property makes the string (and a weak handle to it)
        // on first use, which was a twentieth of the analyzer's time in the driver. Folded constants still need it.
        if (operation.Kind == OperationKind.Literal || operation.ConstantValue.HasValue)
        {
            return TaintValue.Clean;
        }

        if (_config.Sources.GetExpressionSource(operation) is { } source)
        {
            EvalChildren(operation);
            return TaintValue.From(source, _config.AllKinds);
        }

        // On the kind, not the interfaces: a chain of interface type tests for every operation was a tenth of the
        // analysis time (sampled with perf on the benchmark corpus).
        switch (operation.Kind)
        {
            // The next four occur in straight-line bodies only: a graph turns returns and ifs into branches and splits a?.b.
            case OperationKind.Conditional when _straightLineBody is not null && ((IConditionalOperation)operation).WhenFalse is null:
            {
                var guard = (IConditionalOperation)operation;
                // A guard clause: its exit sees the state where the condition holds, the rest of the body the other one.
                Eval(guard.Condition);
                var (whenTrue, whenFalse) = SplitOn(guard.Condition);
                _state = whenTrue;
                Eval(guard.WhenTrue);
                _state = whenFalse;
                return TaintValue.Clean;
            }

            case OperationKind.Return:
            {
                var returnOperation = (IReturnOperation)operation;
                if (returnOperation.ReturnedValue is { } returnedValue)
                {
                    var value = Eval(returnedValue);
                    _returned = _returned.Join(value);
                    CheckReturnSinks(returnedValue, value);
                }

                return TaintValue.Clean;
            }

            case OperationKind.ConditionalAccess:
            {
                var conditionalAccess = (IConditionalAccessOperation)operation;
                (_conditionalReceivers ??= new()).Add((conditionalAccess.Operation, Eval(conditionalAccess.Operation)));
                var value = Eval(conditionalAccess.WhenNotNull);
                _conditionalReceivers!.RemoveAt(_conditionalReceivers.Count - 1);
                return value;
            }

            case OperationKind.ConditionalAccessInstance:
                return _conditionalReceivers is { Count: > 0 } ? _conditionalReceivers[_conditionalReceivers.Count - 1].Value : TaintValue.Clean;

            case OperationKind.FlowCapture:
            {
                var capture = (IFlowCaptureOperation)operation;
                var value = Eval(capture.Value);
                _state.Set(capture.Id, value);
                return value;
            }

            case OperationKind.FlowCaptureReference:
                return _state.Get(((IFlowCaptureReferenceOperation)operation).Id);

            case OperationKind.LocalReference:
                return _state.Get(((ILocalReferenceOperation)operation).Local);

            case OperationKind.ParameterReference:
                return _state.Get(((IParameterReferenceOperation)operation).Parameter);

            case OperationKind.InstanceReference:
                return _state.Get(FlowState.This);

            case OperationKind.FieldReference:
            {
                var field = (IFieldReferenceOperation)operation;
                return EvalMember(field, field.Instance, field.Field);
            }

            case OperationKind.PropertyReference:
            {
                var property = (IPropertyReferenceOperation)operation;
                foreach (var argument in property.Arguments)
                {
                    Eval(argument);
                }

                return EvalMember(property, property.Instance, property.Property);
            }

            case OperationKind.ArrayElementReference:
            {
                var element = (IArrayElementReferenceOperation)operation;
                foreach (var index in element.Indices)
                {
                    Eval(index);
                }

                return Eval(element.ArrayReference);
            }

            case OperationKind.SimpleAssignment:
            {
                var assignment = (ISimpleAssignmentOperation)operation;
                var value = Eval(assignment.Value);
                EvalTargetInstance(assignment.Target);
                CheckSinksOfTainted(assignment, value);
                Assign(assignment.Target, value);
                return value;
            }

            case OperationKind.CompoundAssignment:
            {
                var compound = (ICompoundAssignmentOperation)operation;
                var value = Eval(compound.Target).Join(Eval(compound.Value));
                CheckSinksOfTainted(compound, value);
                Assign(compound.Target, value);
                return value;
            }

            case OperationKind.CoalesceAssignment:
            {
                var coalesceAssignment = (ICoalesceAssignmentOperation)operation;
                var value = Eval(coalesceAssignment.Target).Join(Eval(coalesceAssignment.Value));
                Assign(coalesceAssignment.Target, value);
                return value;
            }

            case OperationKind.VariableDeclarationGroup:
            case OperationKind.VariableDeclaration:
                EvalChildren(operation);
                return TaintValue.Clean;

            case OperationKind.VariableDeclarator:
            {
                var declarator = (IVariableDeclaratorOperation)operation;
                var value = Eval(declarator.Initializer?.Value);
                _state.Set(declarator.Symbol, value);
                return value;
            }

            case OperationKind.Conversion:
                return Eval(((IConversionOperation)operation).Operand);

            case OperationKind.Binary:
            {
                var binary = (IBinaryOperation)operation;
                var value = Eval(binary.LeftOperand).Join(Eval(binary.RightOperand));
                return ApplySanitizers(binary, value);
            }

            case OperationKind.InterpolatedString:
                return ApplySanitizers(operation, EvalChildren(operation));

            case OperationKind.Invocation:
                return EvalInvocation((IInvocationOperation)operation);

            case OperationKind.ObjectCreation:
            {
                var creation = (IObjectCreationOperation)operation;
                var value = TaintValue.Clean;
                foreach (var argument in creation.Arguments)
                {
                    value = value.Join(Eval(argument.Value));
                }

                Eval(creation.Initializer);
                CheckSinksOfTainted(creation, value);
                return ApplySanitizers(creation, value);
            }

            case OperationKind.Await:
                return Eval(((IAwaitOperation)operation).Operation);

            case OperationKind.IsPattern:
            {
                var isPattern = (IIsPatternOperation)operation;
                var value = Eval(isPattern.Value);
                BindPattern(isPattern.Pattern, value);
                return TaintValue.Clean;
            }

            case OperationKind.FlowAnonymousFunction:
                AnalyzeLambda((IFlowAnonymousFunctionOperation)operation, TaintValue.Clean);
                return TaintValue.Clean;

            case OperationKind.DelegateCreation:
                Eval(((IDelegateCreationOperation)operation).Target);
                return TaintValue.Clean;

            case OperationKind.Argument:
                return Eval(((IArgumentOperation)operation).Value);

            default:
                return EvalChildren(operation);
        }
    }

    private TaintValue EvalChildren(IOperation operation)
    {
        var value = TaintValue.Clean;
        foreach (var child in operation.ChildOperations)
        {
            value = value.Join(Eval(child));
        }

        return value;
    }

    private void EvalTargetInstance(IOperation target)
    {
        switch (target)
        {
            case IMemberReferenceOperation member:
                Eval(member.Instance);
                if (member is IPropertyReferenceOperation property)
                {
                    foreach (var argument in property.Arguments)
                    {
                        Eval(argument);
                    }
                }

                break;
            case IArrayElementReferenceOperation element:
                Eval(element.ArrayReference);
                foreach (var index in element.Indices)
                {
                    Eval(index);
                }

                break;
        }
    }

    /// <summary>A field/property read: of <c>this</c> (state, then the tool type's field taint) or of another object (its taint).</summary>
    private TaintValue EvalMember(IOperation operation, IOperation? instance, ISymbol member)
    {
        if (instance is null or IInstanceReferenceOperation && StorageKey(operation) is { } key)
        {
            if (_state.TryGet(key, out var known))
            {
                return known;
            }

            if (_toolState is not null && _toolState.TryGet(member, out var fromTools))
            {
                return fromTools;
            }

            return instance is null ? TaintValue.Clean : _state.Get(FlowState.This);
        }

        var value = Eval(instance);
        if (operation is IPropertyReferenceOperation { Property.IsIndexer: true } indexer && indexer.Arguments.Length == 1)
        {
            value = ForKey(value, indexer.Arguments[0].Value);
        }

        return value;
    }

    /// <summary>A constant-key read from a keyed bag (<c>Arguments["path"]</c>) renames the origin after the key.</summary>
    private static TaintValue ForKey(TaintValue value, IOperation key)
    {
        if (key.ConstantValue.Value is not string name || !value.Origins.Any(o => o.Key.IsKeyedBag))
        {
            return value;
        }

        var renamed = TaintValue.Clean;
        for (var i = 0; i < value.OriginCount; i++)
        {
            renamed = renamed.Join(TaintValue.From(value.OriginAt(i).Key.ForKey(name), value.OriginAt(i).Value));
        }

        return renamed;
    }

    private void BindPattern(IPatternOperation pattern, TaintValue value)
    {
        switch (pattern)
        {
            case IDeclarationPatternOperation { DeclaredSymbol: { } declared }:
                _state.Set(declared, value);
                break;
            case IRecursivePatternOperation recursive:
                if (recursive.DeclaredSymbol is { } symbol)
                {
                    _state.Set(symbol, value);
                }

                foreach (var property in recursive.PropertySubpatterns)
                {
                    BindPattern(property.Pattern, value);
                }

                break;
            case IBinaryPatternOperation binary:
                BindPattern(binary.LeftPattern, value);
                BindPattern(binary.RightPattern, value);
                break;
        }
    }

    private void Assign(IOperation target, TaintValue value)
    {
        switch (target)
        {
            case ILocalReferenceOperation or IParameterReferenceOperation or IFlowCaptureReferenceOperation:
                _state.Set(StorageKey(target)!, value);
                break;

            case IMemberReferenceOperation { Instance: null or IInstanceReferenceOperation } member when StorageKey(member) is { } key:
                _state.Set(key, value);
                if (!value.IsClean)
                {
                    _collector.AddFieldWrite(member.Member.OriginalDefinition, value);
                }

                break;

            case IMemberReferenceOperation { Instance: { } instance }:
                // dto.Name = x, psi.Arguments = x, dict[k] = x: the object now holds tainted data.
                AddToStorage(instance, value);
                break;

            case IArrayElementReferenceOperation element:
                AddToStorage(element.ArrayReference, value);
                break;

            case IDeclarationExpressionOperation declaration:
                Assign(declaration.Expression, value);
                break;

            case ITupleOperation tuple:
                foreach (var element in tuple.Elements)
                {
                    Assign(element, value);
                }

                break;
        }
    }

    private void AddToStorage(IOperation? container, TaintValue value)
    {
        if (value.IsClean || container is null)
        {
            return;
        }

        container = OperationExtensions.WithoutConversions(container);
        if (container is IConditionalAccessInstanceOperation && _conditionalReceivers is { Count: > 0 })
        {
            // items?.Add(x) in a straight-line body: the receiver of the ?. holds x now.
            container = OperationExtensions.WithoutConversions(_conditionalReceivers[_conditionalReceivers.Count - 1].Receiver);
        }

        if (StorageKey(container) is { } key)
        {
            _state.Add(key, value);
            if (key is CaptureId capture && _captureAliases is not null && _captureAliases.TryGetValue(capture, out var alias))
            {
                _state.Add(alias, value);
            }
        }
        else if (container is IMemberReferenceOperation { Instance: { } inner })
        {
            AddToStorage(inner, value);
        }
    }

    private TaintValue EvalInvocation(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        var receiver = Eval(invocation.Instance);
        var byOrdinal = method.Parameters.Length == 0 ? Array.Empty<TaintValue>() : new TaintValue[method.Parameters.Length];
        var all = receiver;
        List<IArgumentOperation>? lambdas = null;
        foreach (var argument in invocation.Arguments)
        {
            if (OperationExtensions.WithoutConversions(argument.Value) is IDelegateCreationOperation { Target: IFlowAnonymousFunctionOperation })
            {
                (lambdas ??= new List<IArgumentOperation>()).Add(argument);
                continue;
            }

            var value = Eval(argument.Value);
            if (argument.Parameter is { } parameter && parameter.Ordinal < byOrdinal.Length)
            {
                byOrdinal[parameter.Ordinal] = byOrdinal[parameter.Ordinal].Join(value);
            }

            all = all.Join(value);
        }

        if (lambdas is not null)
        {
            // items.Select(x => ...), list.ForEach(x => ...): the lambda's parameters are the elements.
            var elements = IsLinqLike(method) ? all : TaintValue.Clean;
            foreach (var argument in lambdas)
            {
                var lambda = (IFlowAnonymousFunctionOperation)((IDelegateCreationOperation)OperationExtensions.WithoutConversions(argument.Value)).Target;
                AnalyzeLambda(lambda, elements);
                SetValue(argument.Value, TaintValue.Clean);
            }
        }

        // A call into a referenced assembly with nothing tainted going in (most calls of a body): no summary to apply, nothing
        // for a sanitiser to clear, nothing stored in the receiver, and no tainted input for a sink (a sink's inputs are the
        // call's own operands, whose values make up `all`). Only an out-argument source is left.
        if (all.IsClean && lambdas is null && method.DeclaringSyntaxReferences.IsEmpty)
        {
            AssignOutArguments(invocation, method, receiver, all);
            return TaintValue.Clean;
        }

        TaintValue result;
        var userKinds = UserSanitizerKinds(method);
        if (method.MethodKind == MethodKind.LocalFunction)
        {
            result = AnalyzeLocalFunction(method, byOrdinal);
        }
        else if (_budget > 0 && !method.IsVirtual && !method.IsAbstract && method.ContainingType?.TypeKind != TypeKind.Interface
            && _engine.GetSummary(method, _budget - 1, _options, _inProgress, _cancellationToken, Model) is { } summary)
        {
            result = ApplySummary(invocation, method, summary, receiver, byOrdinal);
        }
        else if (_budget > 0 && (method.IsVirtual || method.IsOverride) && !method.IsAbstract
            && _engine.GetSummary(method, _budget - 1, _options, _inProgress, _cancellationToken, Model) is { } virtualSummary)
        {
            result = ApplySummary(invocation, method, virtualSummary, receiver, byOrdinal);
        }
        else
        {
            result = PropagateKnown(invocation, method, receiver, all, byOrdinal);
        }

        if (userKinds != 0)
        {
            result = result.Without(userKinds);
        }

        result = ApplySanitizers(invocation, result);
        AssignOutArguments(invocation, method, receiver, all);
        if (IsMutator(method, invocation.Instance))
        {
            AddToStorage(invocation.Instance, ArgumentsOnly(invocation));
        }

        CheckSinks(invocation);
        return result;
    }

    /// <summary>What each <c>out</c>/<c>ref</c> argument receives (<see cref="OutValue"/>), joined with an out-argument source.</summary>
    private void AssignOutArguments(IInvocationOperation invocation, IMethodSymbol method, TaintValue receiver, TaintValue all)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.RefKind is RefKind.Out or RefKind.Ref)
            {
                var outValue = OutValue(method, receiver, all, invocation);
                if (_config.Sources.GetOutArgumentSource(invocation, argument) is { } outSource)
                {
                    outValue = outValue.Join(TaintValue.From(outSource, _config.AllKinds));
                }

                Assign(OperationExtensions.WithoutConversions(argument.Value), outValue);
            }
        }
    }

    private TaintValue ArgumentsOnly(IInvocationOperation invocation)
    {
        var value = TaintValue.Clean;
        foreach (var argument in invocation.Arguments)
        {
            value = value.Join(TaintOf(argument.Value));
        }

        return value;
    }

    private int UserSanitizerKinds(IMethodSymbol method)
    {
        if (_options.Sanitizers.Count == 0)
        {
            return 0;
        }

        var id = (method.ReducedFrom ?? method).OriginalDefinition.GetDocumentationCommentId();
        return id is not null && _options.Sanitizers.TryGetValue(id, out var kinds) ? kinds & _config.AllKinds : 0;
    }

    private bool IsLinqLike(IMethodSymbol method)
        => SymbolEqualityComparer.Default.Equals(method.ContainingType, _types.Enumerable)
            || SymbolEqualityComparer.Default.Equals(method.ContainingType, _types.Queryable)
            || (!method.IsStatic && _types.IsCollection(method.ContainingType));

    /// <summary>Collection and builder methods that store their arguments in the receiver.</summary>
    private bool IsMutator(IMethodSymbol method, IOperation? instance)
    {
        if (method.IsStatic || instance is null)
        {
            return false;
        }

        var isBuilder = SymbolEqualityComparer.Default.Equals(method.ContainingType, _types.StringBuilder);
        if (!isBuilder && !_types.IsCollection(method.ContainingType))
        {
            return false;
        }

        var name = method.Name;
        return name.StartsWith("Add", StringComparison.Ordinal)
            || name.StartsWith("Append", StringComparison.Ordinal)
            || name.StartsWith("Insert", StringComparison.Ordinal)
            || name is "Push" or "Enqueue" or "TryAdd" or "Set" or "Replace" or "Prepend" or "GetOrAdd" or "AddOrUpdate";
    }

    /// <summary>
    /// What an <c>out</c>/<c>ref</c> argument receives: the receiver's elements for collection lookups
    /// (<c>TryGetValue</c>, <c>TryDequeue</c>, <c>JsonElement.TryGetProperty</c>), the inputs of known
    /// string/path/URI helpers (<c>Uri.TryCreate</c>), otherwise clean (parsers: <c>int.TryParse</c>).
    /// </summary>
    private TaintValue OutValue(IMethodSymbol method, TaintValue receiver, TaintValue all, IInvocationOperation invocation)
    {
        if (!method.IsStatic && (_types.IsCollection(method.ContainingType) || TaintTypes.IsJson(method.ContainingType)))
        {
            return invocation.Arguments.Length > 0 && invocation.Arguments[0].Parameter?.RefKind == RefKind.None
                ? ForKey(receiver, invocation.Arguments[0].Value)
                : receiver;
        }

        return _types.IsPropagatingType(method.ContainingType) ? all : TaintValue.Clean;
    }

    /// <summary>
    /// Propagation through methods outside the compilation (or beyond the call budget): known
    /// string/path/URI/JSON/LINQ/builder/collection helpers pass taint from receiver and arguments to
    /// the result; <c>ToString()</c> passes the receiver's; anything else returns clean. The last
    /// choice is deliberate: an unknown library call with tainted input usually returns something
    /// that is not the input (a count, an entity, a response), and flagging its result would bury
    /// real findings in noise. Methods of the compilation are summarised instead.
    /// </summary>
    private TaintValue PropagateKnown(IInvocationOperation invocation, IMethodSymbol method, TaintValue receiver, TaintValue all, TaintValue[] byOrdinal)
    {
        var type = method.ContainingType;
        if (_types.IsPropagatingType(type))
        {
            // CollectionExtensions-like lookups on a keyed bag keep the key for the message.
            return invocation.Arguments.Length > 0 && !method.IsStatic ? ForKey(all, invocation.Arguments[0].Value) : all;
        }

        if (method.Name == "ToString" || method.Name == "GetValueOrDefault")
        {
            return invocation.Arguments.Length > 0 ? ForKey(all, invocation.Arguments[invocation.Arguments.Length - 1].Value) : all;
        }

        if (!method.IsStatic && _types.IsCollection(type))
        {
            // list[0], dict.First(), set.GetEnumerator(): elements of a tainted collection are tainted.
            return invocation.Arguments.Length > 0 ? ForKey(receiver, invocation.Arguments[0].Value) : receiver;
        }

        if (method.IsExtensionMethod && byOrdinal.Length > 0 && method.Parameters.Length > 0 && _types.IsCollection(method.Parameters[0].Type))
        {
            // CollectionExtensions.GetValueOrDefault(dict, key) and LINQ-style helpers from other libraries.
            return invocation.Arguments.Length > 1 ? ForKey(byOrdinal[0], invocation.Arguments[1].Value) : byOrdinal[0];
        }

        return TaintValue.Clean;
    }

    private TaintValue ApplySummary(IInvocationOperation invocation, IMethodSymbol method, MethodSummary summary, TaintValue receiver, TaintValue[] byOrdinal)
    {
        var call = new SummaryCall(method, receiver, byOrdinal);
        foreach (var sink in summary.Sinks)
        {
            var value = Substitute(sink.Value, ref call);
            if (value.HasAny(TaintConfiguration.KindOf(sink.RuleIndex)))
            {
                _collector.AddSink(sink.Location, sink.RuleIndex, sink.SinkName, value, sink.ValueLocations);
            }
        }

        if (invocation.Instance is null or IInstanceReferenceOperation)
        {
            foreach (var write in summary.FieldWrites)
            {
                var value = Substitute(write.Value, ref call);
                if (!value.IsClean)
                {
                    _state.Add(write.Key, value);
                    _collector.AddFieldWrite(write.Key, value);
                }
            }
        }

        return Substitute(summary.Return, ref call);
    }

    /// <summary>
    /// A summary's value in the caller: real origins kept, symbolic parameters (and <c>this</c>) replaced by the caller's
    /// taint of the argument (receiver), each origin's path extended with the callee and the summary's own path.
    /// </summary>
    private TaintValue Substitute(TaintValue symbolic, ref SummaryCall call)
    {
        var result = TaintValue.Clean;
        for (var i = 0; i < symbolic.OriginCount; i++)
        {
            var (origin, kinds) = (symbolic.OriginAt(i).Key, symbolic.OriginAt(i).Value);
            TaintValue actual;
            if (!origin.IsSymbolic)
            {
                actual = TaintValue.From(origin, kinds);
            }
            else if (origin.SymbolicParameter == TaintOrigin.ThisParameter)
            {
                actual = call.Receiver;
            }
            else if (origin.SymbolicParameter >= 0 && origin.SymbolicParameter < call.Arguments.Length)
            {
                actual = call.Arguments[origin.SymbolicParameter];
            }
            else
            {
                actual = TaintValue.Clean;
            }

            for (var j = 0; j < actual.OriginCount; j++)
            {
                var (outer, outerKinds) = (actual.OriginAt(j).Key, actual.OriginAt(j).Value);
                // The display name goes into message paths only: built when an origin flows through.
                call.Callee ??= _engine.GetCalleeName(call.Method.ReducedFrom ?? call.Method);
                result = result.Join(TaintValue.From(outer.WithPath(outer.Path.Add(call.Callee), origin.Path), outerKinds & kinds));
            }
        }

        return result;
    }

    /// <summary>One call through a summary: what <see cref="Substitute"/> replaces symbolic origins with.</summary>
    private struct SummaryCall
    {
        public SummaryCall(IMethodSymbol method, TaintValue receiver, TaintValue[] arguments)
        {
            Method = method;
            Receiver = receiver;
            Arguments = arguments;
            Callee = null;
        }

        public IMethodSymbol Method { get; }

        public TaintValue Receiver { get; }

        /// <summary>The caller's taint of each argument, by parameter ordinal.</summary>
        public TaintValue[] Arguments { get; }

        public string? Callee { get; set; }
    }

    private TaintValue ApplySanitizers(IOperation operation, TaintValue value)
    {
        if (value.IsClean)
        {
            return value;
        }

        for (var i = 0; i < _config.Rules.Length; i++)
        {
            if (!value.HasAny(TaintConfiguration.KindOf(i)))
            {
                continue; // nothing left for this rule's sanitisers to clear
            }

            foreach (var sanitizer in _config.Rules[i].Sanitizers)
            {
                if (sanitizer.Sanitizes(operation, this))
                {
                    value = value.Without(TaintConfiguration.KindOf(i));
                    break;
                }
            }
        }

        return value;
    }

    /// <summary>
    /// <see cref="CheckSinks"/> when <paramref name="operands"/> (the join of a creation's arguments, or an assignment's value)
    /// is tainted: every sink input is one of those operands, so a clean join has none to report, and most assignments and
    /// creations of a body are clean.
    /// </summary>
    private void CheckSinksOfTainted(IOperation operation, TaintValue operands)
    {
        if (!operands.IsClean)
        {
            CheckSinks(operation);
        }
    }

    private void CheckSinks(IOperation operation)
    {
        foreach (var candidate in _config.SinksFor(operation))
        {
            CheckSink(operation, candidate.Sink, candidate.RuleIndex);
        }
    }

    private void CheckSink(IOperation operation, TaintSink sink, int ruleIndex)
    {
        var kind = TaintConfiguration.KindOf(ruleIndex);
        var inputs = t_sinkBuffer ??= new List<SinkInput>();
        inputs.Clear();
        sink.GetInputs(operation, this, inputs);
        foreach (var input in inputs)
        {
            var value = TaintOf(input.Value);
            if (value.HasAny(kind))
            {
                _collector.AddDirectSink(operation.Syntax.GetLocation(), ruleIndex, input.SinkName, value, TaintedOperandLocations(input.Value, kind));
            }
        }
    }

    /// <summary>Return sinks (<see cref="TaintSink.GetReturnInputs"/>): reported at the returned expression.</summary>
    private void CheckReturnSinks(IOperation returnedValue, TaintValue value)
    {
        if (value.IsClean)
        {
            return;
        }

        for (var i = 0; i < _config.Rules.Length; i++)
        {
            var kind = TaintConfiguration.KindOf(i);
            if (!value.HasAny(kind))
            {
                continue;
            }

            foreach (var sink in _config.Rules[i].Sinks)
            {
                var inputs = t_sinkBuffer ??= new List<SinkInput>();
                inputs.Clear();
                sink.GetReturnInputs(returnedValue, _owner, this, inputs);
                foreach (var input in inputs)
                {
                    var inputValue = TaintOf(input.Value);
                    if (inputValue.HasAny(kind))
                    {
                        _collector.AddDirectSink(input.Value.Syntax.GetLocation(), i, input.SinkName, inputValue, TaintedOperandLocations(input.Value, kind));
                    }
                }
            }
        }
    }

    /// <summary>
    /// Where the tainted parts of a sink operand are written, for code fixes that rewrite only them: the tainted
    /// elements of an implicit <c>params</c> array (<c>logger.LogInformation("{A} {B}", a, token)</c> → <c>token</c>),
    /// the tainted holes of an interpolated string and operands of a string concatenation (recursively), else
    /// the operand itself.
    /// </summary>
    private List<Location> TaintedOperandLocations(IOperation operand, int kind)
    {
        var locations = new List<Location>();
        CollectTaintedParts(operand, kind, locations);
        return locations;
    }

    private void CollectTaintedParts(IOperation operand, int kind, List<Location> locations)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();
        var before = locations.Count;
        switch (OperationExtensions.WithoutConversions(operand))
        {
            case IArrayCreationOperation { IsImplicit: true, Initializer: { } initializer }:
                foreach (var element in initializer.ElementValues)
                {
                    if (TaintOf(element).HasAny(kind))
                    {
                        CollectTaintedParts(element, kind, locations);
                    }
                }

                return;

            case IInterpolatedStringOperation interpolated:
                foreach (var part in interpolated.Parts)
                {
                    if (part is IInterpolationOperation { Expression: { } expression } && TaintOf(expression).HasAny(kind))
                    {
                        CollectTaintedParts(expression, kind, locations);
                    }
                }

                break;

            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add, Type.SpecialType: SpecialType.System_String } concatenation:
                foreach (var side in new[] { concatenation.LeftOperand, concatenation.RightOperand })
                {
                    if (TaintOf(side).HasAny(kind))
                    {
                        CollectTaintedParts(side, kind, locations);
                    }
                }

                break;
        }

        if (locations.Count == before)
        {
            locations.Add(operand.Syntax.GetLocation());
        }
    }

    private void AnalyzeLambda(IFlowAnonymousFunctionOperation lambda, TaintValue parameterTaint)
    {
        if (_inlineDepth >= MaxInlineDepth || FindGraph(g => g.GetAnonymousFunctionControlFlowGraph(lambda)) is not { } graph)
        {
            return;
        }

        var initial = _state.Clone();
        foreach (var parameter in lambda.Symbol.Parameters)
        {
            var value = parameterTaint;
            if (_config.Sources.DescribeParameterSource(parameter, lambda) is { } description && !_types.IsInert(parameter.Type))
            {
                value = value.Join(TaintValue.From(TaintOrigin.Source(description), _config.AllKinds));
            }

            initial.Set(parameter, _types.IsInert(parameter.Type) ? TaintValue.Clean : value);
        }

        Nested(graph, lambda.Symbol).Run(initial);
    }

    private TaintValue AnalyzeLocalFunction(IMethodSymbol localFunction, TaintValue[] byOrdinal)
    {
        if (_inlineDepth >= MaxInlineDepth || !_inProgress.Add(localFunction))
        {
            return TaintValue.Clean;
        }

        try
        {
            if (FindGraph(g => g.GetLocalFunctionControlFlowGraph(localFunction)) is not { } graph)
            {
                return TaintValue.Clean;
            }

            var initial = _state.Clone();
            foreach (var parameter in localFunction.Parameters)
            {
                initial.Set(parameter, parameter.Ordinal < byOrdinal.Length ? byOrdinal[parameter.Ordinal] : TaintValue.Clean);
            }

            return Nested(graph, localFunction).Run(initial);
        }
        finally
        {
            _inProgress.Remove(localFunction);
        }
    }

    private FlowAnalysis Nested(ControlFlowGraph graph, ISymbol owner)
        => new(_engine, new FlowBody(graph), owner, _options, _budget, _toolState, _collector, _inProgress, _cancellationToken, _inlineDepth + 1);

    /// <summary>Nested graphs are owned by the graph that declares them: search this graph, then its parents.</summary>
    private ControlFlowGraph? FindGraph(Func<ControlFlowGraph, ControlFlowGraph> get)
    {
        for (var graph = _graph; graph is not null; graph = graph.Parent)
        {
            try
            {
                return get(graph);
            }
            catch (ArgumentOutOfRangeException)
            {
            }
            catch (ArgumentException)
            {
            }
        }

        return null;
    }

    /// <summary>The blocks waiting to be processed, lowest ordinal first (a flag per block: no allocation per visit).</summary>
    private sealed class BlockWorklist
    {
        private readonly bool[] _pending;
        private int _lowest;

        public BlockWorklist(int blockCount)
        {
            _pending = new bool[blockCount];
            _lowest = blockCount;
        }

        public int Count { get; private set; }

        public void Add(int ordinal)
        {
            if (!_pending[ordinal])
            {
                _pending[ordinal] = true;
                Count++;
                _lowest = Math.Min(_lowest, ordinal);
            }
        }

        /// <summary>Removes and returns the lowest pending ordinal; call only when <see cref="Count"/> is positive.</summary>
        public int TakeLowest()
        {
            while (!_pending[_lowest])
            {
                _lowest++;
            }

            _pending[_lowest] = false;
            Count--;
            return _lowest;
        }
    }
}
