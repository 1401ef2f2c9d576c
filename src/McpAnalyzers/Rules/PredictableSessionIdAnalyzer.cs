using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using McpAnalyzers.Options;
using McpAnalyzers.Rules.PredictableSecrets;
using McpAnalyzers.Symbols;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace McpAnalyzers.Rules;

/// <summary>
/// MCPSEC002: a session ID, OAuth state, nonce, PKCE code verifier or authorization code that is derived from a
/// predictable source (System.Random, the clock, a counter, a hash code, a v7 GUID). Reported where the value
/// becomes the secret: the assignment, initializer, header write, constructor argument or fill call.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class PredictableSessionIdAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property: how the fix rewrites the code (<see cref="FixReplace"/> or <see cref="FixFill"/>); absent when no fix applies.</summary>
    internal const string FixProperty = "Fix";

    /// <summary>Replace the expression whose span is in <see cref="RootSpanProperty"/> with a CSPRNG value of the same type.</summary>
    internal const string FixReplace = "Replace";

    /// <summary>Replace the <c>Random.NextBytes(buffer)</c> call at the diagnostic location with <c>RandomNumberGenerator.Fill(buffer)</c>.</summary>
    internal const string FixFill = "Fill";

    /// <summary>Diagnostic property: "true" when <c>mcpsec.MCPSEC002.flag_guid</c> is on, so the fix must not produce <c>Guid.NewGuid()</c>.</summary>
    internal const string FlagGuidProperty = "FlagGuid";

    /// <summary>
    /// Diagnostic property: "start:length" of the expression to replace (the predictable value, followed back through
    /// single-assignment locals). A property rather than an additional location keeps it out of the IDE's squiggles.
    /// </summary>
    internal const string RootSpanProperty = "RootSpan";

    internal const string FlagGuidOption = "flag_guid";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.PredictableSessionId);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze | GeneratedCodeAnalysisFlags.ReportDiagnostics);
        context.RegisterCompilationStartAction(start =>
        {
            var sdk = McpSdkSymbols.TryCreate(start.Compilation);
            if (sdk is null)
            {
                return;
            }

            var symbols = new PredictableSecretSymbols(start.Compilation, sdk.StreamableHttpServerTransport, sdk.SseResponseStreamTransport);
            // Sources are followed within one block only, so a block whose file cannot hold one is skipped before any
            // operation walk (the words and why they suffice: PredictableSourceFilter). Sink names are not filtered on:
            // a parameter name or a header-key constant may be declared in another file.
            var sources = new PredictableSourceFilter(start.Compilation, symbols, start.CancellationToken);
            if (!sources.MayMatchAnyTree(start.Compilation, start.CancellationToken))
            {
                return; // no file can hold a source; registering nothing also spares the driver's per-type and per-block work
            }

            // The block action is registered per type (its own members; a nested type has its own start) whose files may
            // hold a source: for the other types the driver does no per-block work for this rule at all, which a check
            // inside a compilation-wide block action cannot avoid.
            start.RegisterSymbolStartAction(
                type =>
                {
                    if (type.Symbol is INamedTypeSymbol named && sources.MayMatch(named, type.CancellationToken))
                    {
                        type.RegisterOperationBlockAction(block => AnalyzeIfSourceMayExist(block, symbols, sources));
                    }
                },
                SymbolKind.NamedType);
        });
    }

    private static void AnalyzeIfSourceMayExist(OperationBlockAnalysisContext block, PredictableSecretSymbols symbols, PredictableSourceFilter sources)
    {
        if (block.OperationBlocks.IsEmpty)
        {
            return;
        }

        var flagGuid = (bool?)null;
        bool FlagGuid() => flagGuid ??= RuleOptions.GetBool(block.Options, block.OperationBlocks[0].Syntax.SyntaxTree, RuleIds.PredictableSessionId, FlagGuidOption, defaultValue: false);
        if (sources.MayMatch(block.OperationBlocks, FlagGuid, block.CancellationToken))
        {
            AnalyzeBlock(block, symbols, FlagGuid());
        }
    }

    private static void AnalyzeBlock(OperationBlockAnalysisContext context, PredictableSecretSymbols symbols, bool flagGuid)
    {
        var flow = new PredictableValueFlow(symbols, flagGuid);
        var sinks = new List<Sink>();
        foreach (var block in context.OperationBlocks)
        {
            foreach (var operation in block.DescendantsAndSelf())
            {
                CollectSinks(operation, symbols, flow, sinks);
            }
        }

        if (sinks.Count == 0)
        {
            return;
        }

        // Local definitions are recorded only for blocks that have a sink (most have none). Collecting sinks reads no
        // recorded state (ClassifyFill depends on the call alone), and definitions are recorded in the same order as
        // before, so the second pass changes no result.
        foreach (var block in context.OperationBlocks)
        {
            foreach (var operation in block.DescendantsAndSelf())
            {
                flow.Record(operation);
            }
        }

        // Source order, so that a named local (var sessionId = ...) is reported before the places it is used.
        sinks.Sort((a, b) => a.Location.SourceSpan.Start.CompareTo(b.Location.SourceSpan.Start));
        var reportedLocals = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
        var reportedRoots = new HashSet<SyntaxNode>();
        foreach (var sink in sinks)
        {
            var value = sink.Fill ?? flow.Classify(sink.Value);
            if (!value.IsPredictable || PassesThrough(value.Path, reportedLocals))
            {
                continue;
            }

            var properties = ImmutableDictionary.CreateBuilder<string, string?>();
            properties[FlagGuidProperty] = flagGuid ? "true" : "false";
            if (sink.Fill is not null)
            {
                properties[FixProperty] = FixFill;
            }
            else
            {
                var root = flow.ResolveRoot(sink.Value, out var ambiguousLocal);
                if (root is not null)
                {
                    // One defect, one diagnostic: two sinks fed by the same expression are fixed by fixing it once.
                    if (!reportedRoots.Add(root.Syntax))
                    {
                        continue;
                    }

                    properties[FixProperty] = FixReplace;
                    properties[RootSpanProperty] = root.Syntax.SpanStart.ToString(CultureInfo.InvariantCulture) + ":" + root.Syntax.Span.Length.ToString(CultureInfo.InvariantCulture);
                }
                else if (ambiguousLocal is not null && !reportedLocals.Add(ambiguousLocal))
                {
                    continue;
                }
            }

            if (sink.NamedLocal is not null)
            {
                reportedLocals.Add(sink.NamedLocal);
            }

            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.PredictableSessionId,
                sink.Location,
                properties.ToImmutable(),
                sink.Target,
                value.Source));
        }
    }

    private static bool PassesThrough(LocalPath? path, HashSet<ILocalSymbol> reportedLocals)
    {
        for (; path is not null; path = path.Next)
        {
            if (reportedLocals.Contains(path.Local))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A place where a value becomes a session ID or protocol secret.</summary>
    private sealed class Sink
    {
        public Sink(IOperation value, Location location, string target, ILocalSymbol? namedLocal, ValueClass? fill = null)
        {
            Value = value;
            Location = location;
            Target = target;
            NamedLocal = namedLocal;
            Fill = fill;
        }

        public IOperation Value { get; }

        public Location Location { get; }

        /// <summary>The message's first argument: "Session ID 'StreamableHttpServerTransport.SessionId'".</summary>
        public string Target { get; }

        /// <summary>The local that this sink defines, when the target is a local named as a secret.</summary>
        public ILocalSymbol? NamedLocal { get; }

        /// <summary>For a fill call, the class of the bytes written (the value is then the call itself).</summary>
        public ValueClass? Fill { get; }
    }

    private static void CollectSinks(IOperation operation, PredictableSecretSymbols symbols, PredictableValueFlow flow, List<Sink> sinks)
    {
        switch (operation)
        {
            case ISimpleAssignmentOperation { IsRef: false } assignment:
                if (DescribeTarget(assignment.Target, symbols, out var namedLocal) is { } target)
                {
                    sinks.Add(new Sink(assignment.Value, assignment.Syntax.GetLocation(), target, namedLocal));
                }

                break;

            case IVariableDeclaratorOperation declarator when declarator.GetVariableInitializer() is { } initializer:
                if (DescribeNamed(declarator.Symbol.Name, declarator.Symbol.Type, symbols) is { } local)
                {
                    sinks.Add(new Sink(initializer.Value, declarator.Syntax.GetLocation(), local, declarator.Symbol));
                }

                break;

            case IFieldInitializerOperation fieldInitializer:
                foreach (var field in fieldInitializer.InitializedFields)
                {
                    if (DescribeNamed(field.Name, field.Type, symbols) is { } fieldTarget)
                    {
                        sinks.Add(new Sink(fieldInitializer.Value, fieldInitializer.Syntax.GetLocation(), fieldTarget, null));
                        break;
                    }
                }

                break;

            case IPropertyInitializerOperation propertyInitializer:
                foreach (var property in propertyInitializer.InitializedProperties)
                {
                    if (DescribeNamed(property.Name, property.Type, symbols) is { } propertyTarget)
                    {
                        sinks.Add(new Sink(propertyInitializer.Value, propertyInitializer.Syntax.GetLocation(), propertyTarget, null));
                        break;
                    }
                }

                break;

            case IObjectCreationOperation creation when creation.Constructor is { } constructor:
                CollectArgumentSinks(operation, constructor, creation.Arguments, null, symbols, sinks);
                break;

            case IInvocationOperation invocation:
                CollectArgumentSinks(operation, invocation.TargetMethod, invocation.Arguments, invocation.Instance, symbols, sinks);
                if (flow.ClassifyFill(invocation) is { IsPredictable: true } fill
                    && PredictableValueFlow.FillTarget(invocation) is { } buffer
                    && DescribeTarget(buffer, symbols, out var filledLocal) is { } filled)
                {
                    sinks.Add(new Sink(invocation, invocation.Syntax.GetLocation(), filled, filledLocal, fill));
                }

                break;
        }
    }

    private static void CollectArgumentSinks(
        IOperation call,
        IMethodSymbol method,
        ImmutableArray<IArgumentOperation> arguments,
        IOperation? instance,
        PredictableSecretSymbols symbols,
        List<Sink> sinks)
    {
        if (arguments.IsEmpty)
        {
            return;
        }

        var isSseTransport = method.MethodKind == MethodKind.Constructor
            && PredictableSecretSymbols.IsOrDerivesFrom(method.ContainingType, symbols.SseResponseStreamTransport);

        // Key/value writes: headers.Append("Mcp-Session-Id", id), query.Add("state", state), new KeyValuePair<,>("nonce", n).
        IArgumentOperation? keyArgument = null;
        IArgumentOperation? valueArgument = null;
        foreach (var argument in arguments)
        {
            var parameter = argument.Parameter;
            if (parameter is null)
            {
                continue;
            }

            if (parameter.Name is "key" or "name" && parameter.Type.SpecialType == SpecialType.System_String && argument.Value.ConstantValue is { HasValue: true, Value: string })
            {
                keyArgument = argument;
            }
            else if (parameter.Name is "value" or "values")
            {
                valueArgument = argument;
            }
        }

        if (keyArgument is not null && valueArgument is not null
            && DescribeKey((string)keyArgument.Value.ConstantValue.Value!, IsHeaderCollection(instance ?? (method.IsExtensionMethod ? arguments[0].Value : null), symbols)) is { } keyTarget)
        {
            sinks.Add(new Sink(valueArgument.Value, call.Syntax.GetLocation(), keyTarget, null));
        }

        foreach (var argument in arguments)
        {
            var parameter = argument.Parameter;
            if (parameter is null || argument.ArgumentKind == ArgumentKind.DefaultValue || argument == valueArgument || argument == keyArgument)
            {
                continue;
            }

            if (isSseTransport && parameter.Name == "sessionId")
            {
                sinks.Add(new Sink(argument.Value, argument.Syntax.GetLocation(), $"Session ID passed as 'sessionId' to {method.ContainingType.Name}", null));
                continue;
            }

            // object/generic parameters named "state" (ThreadPool, Task.Factory, ILogger.Log<TState>) carry arbitrary user state.
            var declaredType = parameter.OriginalDefinition.Type;
            if (declaredType.SpecialType == SpecialType.System_Object || declaredType.TypeKind == TypeKind.TypeParameter)
            {
                continue;
            }

            var kind = SecretNames.Classify(parameter.Name);
            if (kind != SecretKind.None && IsSecretCarrier(parameter.Type, SecretNames.IsBareState(parameter.Name), symbols))
            {
                var owner = method.MethodKind == MethodKind.Constructor ? method.ContainingType.Name : method.Name;
                sinks.Add(new Sink(argument.Value, argument.Syntax.GetLocation(), $"{SecretNames.Display(kind)} passed as '{parameter.Name}' to {owner}", null));
            }
        }
    }

    /// <summary>The message text for an assignment target, or null when the target is not a session ID or secret.</summary>
    private static string? DescribeTarget(IOperation target, PredictableSecretSymbols symbols, out ILocalSymbol? namedLocal)
    {
        namedLocal = null;
        switch (target)
        {
            case IPropertyReferenceOperation { Property.IsIndexer: true } indexer:
                return indexer.Arguments.Length == 1 && indexer.Arguments[0].Value.ConstantValue is { HasValue: true, Value: string key }
                    ? DescribeKey(key, IsHeaderCollection(indexer.Instance, symbols))
                    : null;
            case IPropertyReferenceOperation property:
                if (property.Property.Name == "SessionId" && PredictableSecretSymbols.IsOrDerivesFrom(property.Property.ContainingType, symbols.StreamableHttpServerTransport))
                {
                    return "Session ID 'StreamableHttpServerTransport.SessionId'";
                }

                return DescribeNamed(property.Property.Name, property.Property.Type, symbols);
            case IFieldReferenceOperation field:
                return DescribeNamed(field.Field.Name, field.Field.Type, symbols);
            case IParameterReferenceOperation parameter:
                return DescribeNamed(parameter.Parameter.Name, parameter.Parameter.Type, symbols);
            case ILocalReferenceOperation local:
                var description = DescribeNamed(local.Local.Name, local.Local.Type, symbols);
                namedLocal = description is null ? null : local.Local;
                return description;
            default:
                return null;
        }
    }

    private static string? DescribeNamed(string name, ITypeSymbol? type, PredictableSecretSymbols symbols)
    {
        var kind = SecretNames.Classify(name);
        return kind != SecretKind.None && IsSecretCarrier(type, SecretNames.IsBareState(name), symbols)
            ? $"{SecretNames.Display(kind)} '{name}'"
            : null;
    }

    private static string? DescribeKey(string key, bool isHeader)
    {
        var kind = SecretNames.Classify(key);
        if (kind == SecretKind.None)
        {
            return null;
        }

        return isHeader ? $"{SecretNames.Display(kind)} in the '{key}' header" : $"{SecretNames.Display(kind)} under key '{key}'";
    }

    private static bool IsHeaderCollection(IOperation? instance, PredictableSecretSymbols symbols)
    {
        var type = PredictableValueFlow.Unwrap(instance)?.Type;
        return PredictableSecretSymbols.IsOrImplements(type, symbols.IHeaderDictionary)
            || PredictableSecretSymbols.IsOrDerivesFrom(type, symbols.HttpHeaders);
    }

    /// <summary>
    /// Types a secret can be stored in: strings, GUIDs, integers, byte/char buffers. A bare name "state" only
    /// counts on string-like types (OAuth state travels as a string), which keeps state machines out.
    /// </summary>
    private static bool IsSecretCarrier(ITypeSymbol? type, bool bareState, PredictableSecretSymbols symbols)
    {
        if (type is null || type.TypeKind == TypeKind.Error)
        {
            return false;
        }

        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T, TypeArguments.Length: 1 } nullable)
        {
            type = nullable.TypeArguments[0];
        }

        if (type.SpecialType == SpecialType.System_String || SymbolEqualityComparer.Default.Equals(type, symbols.StringValues))
        {
            return true;
        }

        if (bareState)
        {
            return false;
        }

        switch (type.SpecialType)
        {
            case SpecialType.System_Byte:
            case SpecialType.System_SByte:
            case SpecialType.System_Int16:
            case SpecialType.System_UInt16:
            case SpecialType.System_Int32:
            case SpecialType.System_UInt32:
            case SpecialType.System_Int64:
            case SpecialType.System_UInt64:
                return true;
        }

        if (type is IArrayTypeSymbol { Rank: 1, ElementType.SpecialType: SpecialType.System_Byte or SpecialType.System_Char })
        {
            return true;
        }

        if (type is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } generic
            && generic.TypeArguments[0].SpecialType is SpecialType.System_Byte or SpecialType.System_Char)
        {
            var definition = generic.OriginalDefinition;
            return SymbolEqualityComparer.Default.Equals(definition, symbols.Span)
                || SymbolEqualityComparer.Default.Equals(definition, symbols.ReadOnlySpan)
                || SymbolEqualityComparer.Default.Equals(definition, symbols.Memory)
                || SymbolEqualityComparer.Default.Equals(definition, symbols.ReadOnlyMemory);
        }

        return SymbolEqualityComparer.Default.Equals(type, symbols.Guid);
    }
}
