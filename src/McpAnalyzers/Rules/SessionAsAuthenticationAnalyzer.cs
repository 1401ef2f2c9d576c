using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using McpAnalyzers.Symbols;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace McpAnalyzers.Rules;

/// <summary>
/// MCPSEC004: a session stands in for authentication. Four forms: (a) identity or permission read from
/// ASP.NET Core session state (or a session value deciding a 401/403); (b) the Mcp-Session-Id header used
/// to look up who the caller is or to gate the request; (c) cookie authentication as the scheme of an app
/// that maps an MCP endpoint; (d) an <c>ISessionMigrationHandler</c> that resumes a session without
/// looking at <c>HttpContext.User</c>. (a), (b) and (d) are decided per method with local def-use
/// tracking; (c) needs the whole app and is reported at compilation end.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed partial class SessionAsAuthenticationAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property naming the fix that applies: <see cref="FixSessionRead"/> or <see cref="FixCookieScheme"/>.</summary>
    internal const string FixProperty = "MCPSEC004.Fix";

    internal const string FixSessionRead = "SessionRead";
    internal const string FixCookieScheme = "CookieScheme";

    /// <summary>For <see cref="FixSessionRead"/>: the <c>ClaimTypes</c> member to read instead (NameIdentifier, Name, Email, Role, Upn).</summary>
    internal const string ClaimTypeProperty = "MCPSEC004.ClaimType";

    internal const string McpSessionIdHeader = "Mcp-Session-Id";
    private const string CookieDefaultScheme = "Cookies"; // CookieAuthenticationDefaults.AuthenticationScheme
    private const string BearerDefaultScheme = "Bearer"; // JwtBearerDefaults.AuthenticationScheme

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.SessionUsedAsAuthentication);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze | GeneratedCodeAnalysisFlags.ReportDiagnostics);
        context.RegisterCompilationStartAction(OnCompilationStart);
    }

    private static void OnCompilationStart(CompilationStartAnalysisContext context)
    {
        if (McpSdkSymbols.TryCreate(context.Compilation) is not { } sdk
            || KnownTypes.TryCreate(context.Compilation, sdk) is not { } known)
        {
            return;
        }

        var blockFilter = BlockSourceFilter(context.Compilation, context.CancellationToken);

        // (c) is reported only when the app maps MCP (Report returns without a recorded MapMcp call), and a method is
        // invoked by its name: without MapMcp spelled anywhere, the scheme facts cannot lead to a diagnostic.
        SchemeCollector? schemes = null;
        SourceTextFilter? schemeFilter = null;
        if (new SourceTextFilter(new[] { "MapMcp" }).MayMatchAnyTree(context.Compilation, context.CancellationToken))
        {
            schemes = new SchemeCollector(known);
            schemeFilter = SchemeFilter();
        }

        if (blockFilter is not null && !blockFilter.MayMatchAnyTree(context.Compilation, context.CancellationToken)
            && (schemeFilter is null || !schemeFilter.MayMatchAnyTree(context.Compilation, context.CancellationToken)))
        {
            return; // no file can hold a fact of any form; registering nothing also spares the driver's per-type and per-block work
        }

        if (schemes is not null)
        {
            context.RegisterCompilationEndAction(schemes.Report);
        }

        void OnFilteredBlockStart(OperationBlockStartAnalysisContext blockStart)
        {
            if (blockFilter is null || blockFilter.MayMatchAny(blockStart.OperationBlocks, blockStart.CancellationToken))
            {
                OnBlockStart(blockStart, known);
            }

            if (schemes is not null && schemeFilter!.MayMatchAny(blockStart.OperationBlocks, blockStart.CancellationToken))
            {
                blockStart.RegisterOperationAction(c => schemes.OnInvocation((IInvocationOperation)c.Operation), OperationKind.Invocation);
                blockStart.RegisterOperationAction(c => schemes.OnAssignment((ISimpleAssignmentOperation)c.Operation), OperationKind.SimpleAssignment);
            }
        }

        // Registered per type (its own members; a nested type has its own start) whose files may match one of the filters:
        // for the other types the driver does no per-block work for this rule, which a check inside a compilation-wide
        // block-start action cannot avoid. The same filters are asked again per block (a partial type spans files).
        context.RegisterSymbolStartAction(
            type =>
            {
                foreach (var reference in type.Symbol.DeclaringSyntaxReferences)
                {
                    var tree = reference.SyntaxTree;
                    if (blockFilter is null
                        || blockFilter.MayMatch(tree, type.CancellationToken)
                        || (schemeFilter is not null && schemeFilter.MayMatch(tree, type.CancellationToken)))
                    {
                        type.RegisterOperationBlockStartAction(OnFilteredBlockStart);
                        return;
                    }
                }
            },
            SymbolKind.NamedType);
    }

    /// <summary>
    /// The words without which a block has no source of (a), (b) or (d). Members are reached by name in the block's own file:
    /// (a) the session reads GetString/GetInt32/Get/TryGetValue; (d) a method named AllowSessionMigrationAsync (the handler's
    /// own declaration); (b) TryGetValue, or an indexer read whose key is the constant "Mcp-Session-Id". That key is either
    /// spelled in the file (the fragment, also inside a local const) or names a const field declared elsewhere in the project,
    /// whose names are added (see <see cref="HeaderConstantNames"/>; the SDK's own McpHttpHeaders.SessionId is internal).
    /// Null (no filter) when the project has too many candidate constants to search for.
    /// </summary>
    private static SourceTextFilter? BlockSourceFilter(Compilation compilation, System.Threading.CancellationToken cancellationToken)
    {
        if (HeaderConstantNames(compilation, cancellationToken) is not { } constants)
        {
            return null;
        }

        var identifiers = new List<string> { "GetString", "GetInt32", "Get", "TryGetValue", "AllowSessionMigrationAsync" };
        identifiers.AddRange(constants);
        return new SourceTextFilter(identifiers, new[] { McpSessionIdHeader });
    }

    /// <summary>At most this many project constants are added to the block filter; beyond, the filter is off.</summary>
    private const int MaxHeaderConstants = 32;

    /// <summary>
    /// Names of the project's const fields that may hold the header name or a piece of it (a const built from other
    /// constants, or a literal that is a part of "Mcp-Session-Id" such as "Mcp-"): a key written as such a constant in
    /// another file does not spell the header in the block's file. Other literals cannot contribute to the value. Found
    /// syntactically, only in files that contain the word <c>const</c>, without descending into member bodies (local
    /// constants live in the block's own file). Null when there are more than <see cref="MaxHeaderConstants"/>.
    /// </summary>
    private static List<string>? HeaderConstantNames(Compilation compilation, System.Threading.CancellationToken cancellationToken)
    {
        var constFilter = new SourceTextFilter(new[] { "const" });
        constFilter.ReserveFor(compilation);
        var names = new List<string>();
        foreach (var tree in compilation.SyntaxTrees)
        {
            if (!constFilter.MayMatch(tree, cancellationToken))
            {
                continue;
            }

            foreach (var variable in ConstantDeclarations.InTree(tree, includeLocals: false, cancellationToken))
            {
                if (variable.Initializer?.Value is LiteralExpressionSyntax literal
                    && (!literal.IsKind(SyntaxKind.StringLiteralExpression)
                        || McpSessionIdHeader.IndexOf(literal.Token.ValueText, StringComparison.OrdinalIgnoreCase) < 0))
                {
                    continue;
                }

                names.Add(variable.Identifier.ValueText);
                if (names.Count > MaxHeaderConstants)
                {
                    return null;
                }
            }
        }

        return names;
    }

    /// <summary>
    /// The words of the (c) facts, each a member reached by name where the fact is written: AddAuthentication, AddCookie,
    /// AddJwtBearer, AddMicrosoftIdentityWebApi[Authentication], MapMcp, AddPolicy, Set{Default,Fallback}Policy and the
    /// DefaultPolicy/FallbackPolicy assignments (the fragments cover the Set* forms). The configureOptions lambda of
    /// AddAuthentication is read through that call, in the same file.
    /// </summary>
    private static SourceTextFilter SchemeFilter()
        => new(
            new[] { "AddAuthentication", "AddCookie", "AddJwtBearer", "MapMcp", "AddPolicy" },
            new[] { "AddMicrosoftIdentityWebApi", "DefaultPolicy", "FallbackPolicy" });

    // ------------------------------------------------------------------ (a), (b), (d): per operation block

    private static void OnBlockStart(OperationBlockStartAnalysisContext context, KnownTypes known)
    {
        var isMigrationCheck = context.OwningSymbol is IMethodSymbol method && known.IsAllowSessionMigration(method);
        var found = new BlockFindings();

        context.RegisterOperationAction(
            c =>
            {
                var invocation = (IInvocationOperation)c.Operation;
                if (known.IsSessionRead(invocation.TargetMethod))
                {
                    found.Add(invocation, isSessionRead: true);
                }
                else if (known.IsHeaderTryGetValue(invocation))
                {
                    found.Add(invocation, isSessionRead: false);
                }
            },
            OperationKind.Invocation);
        context.RegisterOperationAction(
            c =>
            {
                if (known.IsHeaderIndexerRead((IPropertyReferenceOperation)c.Operation))
                {
                    found.Add(c.Operation, isSessionRead: false);
                }
            },
            OperationKind.PropertyReference);

        context.RegisterOperationBlockEndAction(c =>
        {
            if (!isMigrationCheck && !found.Any)
            {
                return;
            }

            var block = new BlockIndex(c.OperationBlocks, known);
            var reported = new HashSet<IOperation>();
            foreach (var read in found.SessionReads)
            {
                AnalyzeSessionRead(c, block, read, reported);
            }

            if (found.HeaderSources.Count > 0)
            {
                AnalyzeSessionIdUses(c, block, found.HeaderSources, reported);
            }

            if (isMigrationCheck)
            {
                AnalyzeMigrationHandler(c, block, (IMethodSymbol)c.OwningSymbol);
            }
        });
    }

    /// <summary>(a): an identity-named key, or a session value that decides a 401/403.</summary>
    private static void AnalyzeSessionRead(OperationBlockAnalysisContext context, BlockIndex block, IInvocationOperation read, HashSet<IOperation> reported)
    {
        var keyArgument = read.Arguments.FirstOrDefault(a => a.Parameter?.Name == "key");
        var key = keyArgument?.Value.ConstantValue is { HasValue: true, Value: string text } ? text : null;

        if (key is not null && IdentityNames.ClassifyKey(key) is var kind and not IdentityKeyKind.None)
        {
            Report(context, read, reported, $"Identity '{key}' is read from the ASP.NET Core session", SessionReadFixProperties(read, kind, block.Known));
            return;
        }

        // The value (or the TryGetValue result itself) flows into an if/ternary whose rejecting path answers 401/403.
        var seeds = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
        if (OutArgumentLocal(read) is { } outLocal)
        {
            seeds.Add(outLocal);
        }

        var values = block.Propagate(op => op == read, seeds);
        var uses = new List<IOperation> { read };
        foreach (var local in values)
        {
            uses.AddRange(block.ReferencesOf(local));
        }

        var principal = block.PrincipalLocals;
        foreach (var use in uses)
        {
            foreach (var (conditional, _) in block.GoverningConditions(use))
            {
                if (!block.ContainsPrincipal(conditional.Condition, principal) && block.AnyPathDenies(conditional))
                {
                    var what = key is not null ? $"Session value '{key}'" : $"A session value (key {keyArgument?.Syntax.ToString() ?? "?"})";
                    Report(context, read, reported, what + " decides whether the request is authorized", ImmutableDictionary<string, string?>.Empty);
                    return;
                }
            }
        }
    }

    /// <summary>(b): Mcp-Session-Id (or a value derived from it) used to look up the caller or to gate the request.</summary>
    private static void AnalyzeSessionIdUses(OperationBlockAnalysisContext context, BlockIndex block, List<IOperation> headerSources, HashSet<IOperation> reported)
    {
        var sourceSet = new HashSet<IOperation>(headerSources);
        var seeds = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
        foreach (var source in headerSources)
        {
            if (source is IInvocationOperation tryGet && OutArgumentLocal(tryGet) is { } local)
            {
                seeds.Add(local);
            }
        }

        var sessionIdLocals = block.Propagate(op => op is IPropertyReferenceOperation && sourceSet.Contains(op), seeds);
        bool FromSessionId(IOperation op) => block.Derives(op, sessionIdLocals, o => o is IPropertyReferenceOperation && sourceSet.Contains(o));

        var principal = block.PrincipalLocals;
        foreach (var operation in block.Operations)
        {
            if (sourceSet.Contains(operation) || !TryGetKeyedAccess(operation, out var access))
            {
                continue;
            }

            // A key built from the session id AND the authenticated user is a per-user store: fine.
            if (!FromSessionId(access.Key) || block.Derives(access.Key, principal, block.IsPrincipalSeed))
            {
                continue;
            }

            var collection = access.CollectionName ?? access.Receiver?.Syntax.ToString() ?? "a collection";
            var resultLocals = ResultLocals(block, operation);
            var comparedWithUser = block.IsComparedWithPrincipal(operation, resultLocals, principal);

            if (access.IsLookup
                && (block.Known.TypeSaysIdentity(access.ValueType) || IdentityNames.CollectionNameSaysIdentity(access.CollectionName)))
            {
                if (!comparedWithUser)
                {
                    Report(context, operation, reported, $"The Mcp-Session-Id header is the key of a lookup in '{collection}' that identifies the caller", ImmutableDictionary<string, string?>.Empty);
                }

                continue;
            }

            if (!access.IsMembershipCheck || comparedWithUser)
            {
                continue;
            }

            foreach (var (conditional, negated) in block.GoverningConditions(operation))
            {
                if (!block.ContainsPrincipal(conditional.Condition, principal) && block.RejectingPathGates(conditional, negated))
                {
                    Report(context, operation, reported, $"The Mcp-Session-Id header decides whether the request may proceed ('{collection}.{access.MethodName}')", ImmutableDictionary<string, string?>.Empty);
                    break;
                }
            }
        }
    }

    /// <summary>(d): AllowSessionMigrationAsync that can hand back the session but never reads HttpContext.User.</summary>
    private static void AnalyzeMigrationHandler(OperationBlockAnalysisContext context, BlockIndex block, IMethodSymbol method)
    {
        foreach (var operation in block.Operations)
        {
            switch (operation)
            {
                case IPropertyReferenceOperation { Property.Name: "User" } user when block.Known.IsHttpContext(user.Property.ContainingType):
                    return;
                case IArgumentOperation argument when Unwrap(argument.Value) is IParameterReferenceOperation parameter && block.Known.IsHttpContext(parameter.Type):
                    // The context is handed to a helper that may check the user: give it the benefit of the doubt.
                    return;
            }
        }

        var allows = block.Operations.OfType<IReturnOperation>()
            .Any(r => r.ReturnedValue is { } value && !IsInsideNestedFunction(r) && !IsNullResult(value));
        if (allows && method.Locations.FirstOrDefault() is { IsInSource: true } location)
        {
            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.SessionUsedAsAuthentication,
                location,
                $"'{method.Name}' lets a session be resumed by its ID alone without checking HttpContext.User"));
        }
    }

    private static void Report(OperationBlockAnalysisContext context, IOperation operation, HashSet<IOperation> reported, string what, ImmutableDictionary<string, string?> properties)
    {
        if (reported.Add(operation))
        {
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.SessionUsedAsAuthentication, operation.Syntax.GetLocation(), properties, what));
        }
    }

    /// <summary>The fix replaces <c>ctx.Session.GetString(key)</c> with a claim of <c>ctx.User</c>: only for string reads off <c>HttpContext.Session</c>.</summary>
    private static ImmutableDictionary<string, string?> SessionReadFixProperties(IInvocationOperation read, IdentityKeyKind kind, KnownTypes known)
    {
        var claimType = kind switch
        {
            IdentityKeyKind.UserId => "NameIdentifier",
            IdentityKeyKind.UserName => "Name",
            IdentityKeyKind.Email => "Email",
            IdentityKeyKind.Role => "Role",
            IdentityKeyKind.Upn => "Upn",
            _ => null,
        };

        var session = read.Instance ?? (read.TargetMethod.IsExtensionMethod && read.Arguments.Length > 0 ? read.Arguments[0].Value : null);
        if (claimType is null
            || read.TargetMethod.Name != "GetString"
            || Unwrap(session) is not IPropertyReferenceOperation { Property.Name: "Session", Instance: not null } property
            || !known.IsHttpContext(property.Property.ContainingType))
        {
            return ImmutableDictionary<string, string?>.Empty;
        }

        return ImmutableDictionary<string, string?>.Empty
            .Add(FixProperty, FixSessionRead)
            .Add(ClaimTypeProperty, claimType);
    }

    private readonly struct KeyedAccess
    {
        public KeyedAccess(IOperation key, IOperation? receiver, ITypeSymbol? valueType, string methodName, bool isLookup, bool isMembershipCheck)
        {
            Key = key;
            Receiver = receiver;
            ValueType = valueType;
            MethodName = methodName;
            IsLookup = isLookup;
            IsMembershipCheck = isMembershipCheck;
            CollectionName = receiver is null ? null : SymbolName(Unwrap(receiver));
        }

        public IOperation Key { get; }

        public IOperation? Receiver { get; }

        public ITypeSymbol? ValueType { get; }

        public string MethodName { get; }

        public bool IsLookup { get; }

        public bool IsMembershipCheck { get; }

        public string? CollectionName { get; }
    }

    /// <summary>Indexer reads, TryGetValue, GetValueOrDefault, Contains, ContainsKey — with the key/item argument.</summary>
    private static bool TryGetKeyedAccess(IOperation operation, out KeyedAccess access)
    {
        access = default;
        switch (operation)
        {
            case IPropertyReferenceOperation { Property.IsIndexer: true, Arguments.Length: 1 } indexer
                when !(indexer.Parent is ISimpleAssignmentOperation assignment && assignment.Target == indexer):
                access = new KeyedAccess(indexer.Arguments[0].Value, indexer.Instance, indexer.Type, "this[]", isLookup: true, isMembershipCheck: false);
                return true;

            case IInvocationOperation invocation:
                var method = invocation.TargetMethod;
                var isLookup = method.Name is "TryGetValue" or "GetValueOrDefault";
                var isMembership = method.Name is "TryGetValue" or "Contains" or "ContainsKey";
                if (!isLookup && !isMembership)
                {
                    return false;
                }

                var firstIndex = method.IsExtensionMethod && invocation.Instance is null ? 1 : 0;
                if (invocation.Arguments.Length <= firstIndex)
                {
                    return false;
                }

                var receiver = firstIndex == 1 ? invocation.Arguments[0].Value : invocation.Instance;
                var valueType = method.Name == "TryGetValue"
                    ? invocation.Arguments.FirstOrDefault(a => a.Parameter?.RefKind == RefKind.Out)?.Parameter?.Type
                    : method.Name == "GetValueOrDefault" ? invocation.Type : null;
                access = new KeyedAccess(invocation.Arguments[firstIndex].Value, receiver, valueType, method.Name, isLookup, isMembership);
                return true;

            default:
                return false;
        }
    }

    /// <summary>Locals that receive the result of a lookup: the out variable, or the local it is assigned to.</summary>
    private static HashSet<ILocalSymbol> ResultLocals(BlockIndex block, IOperation lookup)
    {
        var seeds = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
        if (lookup is IInvocationOperation invocation && OutArgumentLocal(invocation) is { } outLocal)
        {
            seeds.Add(outLocal);
        }

        return block.Propagate(op => op == lookup, seeds);
    }

    private static ILocalSymbol? OutArgumentLocal(IInvocationOperation invocation)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.RefKind != RefKind.Out)
            {
                continue;
            }

            var value = argument.Value is IDeclarationExpressionOperation declaration ? declaration.Expression : argument.Value;
            if (value is ILocalReferenceOperation local)
            {
                return local.Local;
            }
        }

        return null;
    }

    private static string? SymbolName(IOperation? operation) => operation switch
    {
        ILocalReferenceOperation l => l.Local.Name,
        IFieldReferenceOperation f => f.Field.Name,
        IPropertyReferenceOperation p when !p.Property.IsIndexer => p.Property.Name,
        IParameterReferenceOperation p => p.Parameter.Name,
        IInvocationOperation i => i.TargetMethod.Name,
        _ => null,
    };

    internal static IOperation? Unwrap(IOperation? operation)
    {
        while (true)
        {
            switch (operation)
            {
                case IConversionOperation conversion:
                    operation = conversion.Operand;
                    break;
                case IParenthesizedOperation parenthesized:
                    operation = parenthesized.Operand;
                    break;
                default:
                    return operation;
            }
        }
    }

    private static bool IsInsideNestedFunction(IOperation operation)
    {
        for (var parent = operation.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A returned value that is null for the awaiter: <c>null</c>, <c>default</c>, <c>ValueTask.FromResult(null)</c>, <c>new ValueTask&lt;T&gt;((T?)null)</c>.</summary>
    private static bool IsNullResult(IOperation value)
    {
        value = Unwrap(value)!;
        switch (value)
        {
            case { ConstantValue: { HasValue: true, Value: null } }:
            case IDefaultValueOperation:
                return true;
            case IInvocationOperation { TargetMethod.Name: "FromResult", Arguments.Length: 1 } fromResult:
                return IsNullResult(fromResult.Arguments[0].Value);
            case IObjectCreationOperation { Arguments.Length: 0 }:
                return true;
            case IObjectCreationOperation { Arguments.Length: 1 } creation when creation.Type?.Name == "ValueTask":
                var argument = creation.Arguments[0].Value;
                return argument.Type?.Name != "Task" && IsNullResult(argument);
            default:
                return false;
        }
    }

    // ------------------------------------------------------------------ (c): cookie scheme, decided at compilation end

    /// <summary>
    /// Collects the app's authentication and authorization configuration. At compilation end, when the app
    /// maps MCP and not every MapMcp requires a bearer scheme, the default authenticate scheme being a cookie
    /// scheme (or cookies being the only scheme) is reported once, at that configuration.
    /// </summary>
    private sealed class SchemeCollector
    {
        private readonly KnownTypes known;
        private readonly object gate = new();
        private readonly List<(IInvocationOperation Call, string? Scheme)> defaultSchemes = new();
        private readonly List<IInvocationOperation> authenticationWithoutDefault = new();
        private readonly List<(IInvocationOperation Call, string? Scheme)> cookieRegistrations = new();
        private readonly HashSet<string> bearerSchemes = new(StringComparer.Ordinal) { BearerDefaultScheme };
        private readonly List<HashSet<string>> mapMcpConstants = new();
        private readonly List<(string Name, HashSet<string> Constants)> policies = new();
        private readonly HashSet<string> defaultPolicyConstants = new(StringComparer.Ordinal);
        private bool bearerRegistered;

        public SchemeCollector(KnownTypes known) => this.known = known;

        public void OnInvocation(IInvocationOperation invocation)
        {
            var method = invocation.TargetMethod;
            switch (method.Name)
            {
                case "AddAuthentication" when SymbolEqualityComparer.Default.Equals(method.ContainingType, known.AuthenticationServiceExtensions):
                    OnAddAuthentication(invocation);
                    break;
                case "AddCookie" when SymbolEqualityComparer.Default.Equals(method.ContainingType, known.CookieExtensions):
                    lock (gate)
                    {
                        cookieRegistrations.Add((invocation, SchemeArgument(invocation, "authenticationScheme", CookieDefaultScheme)));
                    }

                    break;
                case "AddJwtBearer" when SymbolEqualityComparer.Default.Equals(method.ContainingType, known.JwtBearerExtensions):
                    AddBearer(SchemeArgument(invocation, "authenticationScheme", BearerDefaultScheme));
                    break;
                case "AddMicrosoftIdentityWebApi" or "AddMicrosoftIdentityWebApiAuthentication"
                    when method.ContainingNamespace?.ToDisplayString() == "Microsoft.Identity.Web":
                    AddBearer(SchemeArgument(invocation, "jwtBearerScheme", BearerDefaultScheme));
                    break;
                case "MapMcp" when SymbolEqualityComparer.Default.Equals(method.ContainingType, known.McpEndpointRouteBuilderExtensions):
                    OnMapMcp(invocation);
                    break;
                case "AddPolicy" when known.IsAuthorizationConfiguration(method.ContainingType):
                    var name = invocation.Arguments.FirstOrDefault(a => a.Parameter?.Name == "name")?.Value.ConstantValue;
                    if (name is { HasValue: true, Value: string policyName })
                    {
                        var constants = new HashSet<string>(StringComparer.Ordinal);
                        foreach (var argument in invocation.Arguments.Where(a => a.Parameter?.Name != "name"))
                        {
                            CollectConstants(argument.Value, constants);
                        }

                        lock (gate)
                        {
                            policies.Add((policyName, constants));
                        }
                    }

                    break;
                case "SetDefaultPolicy" or "SetFallbackPolicy" when known.IsAuthorizationConfiguration(method.ContainingType):
                    lock (gate)
                    {
                        foreach (var argument in invocation.Arguments)
                        {
                            CollectConstants(argument.Value, defaultPolicyConstants);
                        }
                    }

                    break;
            }
        }

        public void OnAssignment(ISimpleAssignmentOperation assignment)
        {
            if (assignment.Target is IPropertyReferenceOperation { Property.Name: "DefaultPolicy" or "FallbackPolicy" } target
                && known.IsAuthorizationConfiguration(target.Property.ContainingType))
            {
                lock (gate)
                {
                    CollectConstants(assignment.Value, defaultPolicyConstants);
                }
            }
        }

        private void AddBearer(string? scheme)
        {
            lock (gate)
            {
                bearerRegistered = true;
                if (scheme is not null)
                {
                    bearerSchemes.Add(scheme);
                }
            }
        }

        private void OnAddAuthentication(IInvocationOperation invocation)
        {
            string? scheme = null;
            var setsDefault = false;
            foreach (var argument in invocation.Arguments)
            {
                if (argument.Parameter?.Name == "defaultScheme")
                {
                    setsDefault = true;
                    scheme = argument.Value.ConstantValue is { HasValue: true, Value: string s } ? s : null;
                }
                else if (argument.Parameter?.Name == "configureOptions")
                {
                    // o => { o.DefaultScheme = ...; o.DefaultAuthenticateScheme = ...; }: the authenticate scheme wins.
                    string? defaultScheme = null, authenticateScheme = null;
                    bool hasDefault = false, hasAuthenticate = false;
                    foreach (var assignment in argument.Value.DescendantsAndSelf().OfType<ISimpleAssignmentOperation>())
                    {
                        if (assignment.Target is not IPropertyReferenceOperation target
                            || !SymbolEqualityComparer.Default.Equals(target.Property.ContainingType, known.AuthenticationOptions))
                        {
                            continue;
                        }

                        var value = assignment.Value.ConstantValue is { HasValue: true, Value: string s } ? s : null;
                        if (target.Property.Name == "DefaultScheme")
                        {
                            (hasDefault, defaultScheme) = (true, value);
                        }
                        else if (target.Property.Name == "DefaultAuthenticateScheme")
                        {
                            (hasAuthenticate, authenticateScheme) = (true, value);
                        }
                    }

                    setsDefault |= hasDefault || hasAuthenticate;
                    scheme = hasAuthenticate ? authenticateScheme : defaultScheme;
                }
            }

            lock (gate)
            {
                if (setsDefault)
                {
                    defaultSchemes.Add((invocation, scheme));
                }
                else
                {
                    authenticationWithoutDefault.Add(invocation);
                }
            }
        }

        /// <summary>Records the constants passed to RequireAuthorization on the MapMcp call (chained after it or on its route group).</summary>
        private void OnMapMcp(IInvocationOperation invocation)
        {
            var constants = new HashSet<string>(StringComparer.Ordinal);
            IOperation current = invocation;
            for (var parent = current.Parent; parent is not null; current = parent, parent = parent.Parent)
            {
                if (parent is IConversionOperation or IArgumentOperation)
                {
                    continue;
                }

                if (parent is IInvocationOperation chained && chained.Arguments.Length > 0 && chained.Arguments[0] == current)
                {
                    if (chained.TargetMethod.Name == "RequireAuthorization")
                    {
                        foreach (var argument in chained.Arguments.Skip(1))
                        {
                            CollectConstants(argument.Value, constants);
                        }
                    }

                    continue;
                }

                break;
            }

            if (invocation.Arguments.Length > 0)
            {
                foreach (var group in invocation.Arguments[0].Value.DescendantsAndSelf().OfType<IInvocationOperation>())
                {
                    if (group.TargetMethod.Name == "RequireAuthorization")
                    {
                        foreach (var argument in group.Arguments.Skip(1))
                        {
                            CollectConstants(argument.Value, constants);
                        }
                    }
                }
            }

            lock (gate)
            {
                mapMcpConstants.Add(constants);
            }
        }

        public void Report(CompilationAnalysisContext context)
        {
            lock (gate)
            {
                if (mapMcpConstants.Count == 0)
                {
                    return;
                }

                var bearerPolicies = new HashSet<string>(
                    policies.Where(p => p.Constants.Overlaps(bearerSchemes)).Select(p => p.Name),
                    StringComparer.Ordinal);
                var defaultPolicyRequiresBearer = defaultPolicyConstants.Overlaps(bearerSchemes);
                if (defaultPolicyRequiresBearer
                    || mapMcpConstants.All(c => c.Overlaps(bearerSchemes) || c.Overlaps(bearerPolicies)))
                {
                    return;
                }

                var cookieSchemes = new HashSet<string>(StringComparer.Ordinal) { CookieDefaultScheme };
                foreach (var registration in cookieRegistrations)
                {
                    if (registration.Scheme is not null)
                    {
                        cookieSchemes.Add(registration.Scheme);
                    }
                }

                var byDefault = defaultSchemes
                    .Where(d => d.Scheme is not null && cookieSchemes.Contains(d.Scheme))
                    .OrderBy(d => d.Call.Syntax.SyntaxTree.FilePath, StringComparer.Ordinal)
                    .ThenBy(d => d.Call.Syntax.SpanStart)
                    .FirstOrDefault();
                if (byDefault.Call is not null)
                {
                    context.ReportDiagnostic(CookieDiagnostic(byDefault.Call, $"Cookie authentication ('{byDefault.Scheme}') is the default scheme of the app that maps the MCP endpoint"));
                    return;
                }

                // No default scheme anywhere and no bearer handler: the cookie handler is the only scheme, hence the default.
                if (defaultSchemes.Count == 0 && !bearerRegistered)
                {
                    var only = cookieRegistrations
                        .OrderBy(c => c.Call.Syntax.SyntaxTree.FilePath, StringComparer.Ordinal)
                        .ThenBy(c => c.Call.Syntax.SpanStart)
                        .FirstOrDefault();
                    if (only.Call is not null)
                    {
                        context.ReportDiagnostic(CookieDiagnostic(only.Call, $"Cookie authentication ('{only.Scheme ?? CookieDefaultScheme}') is the only scheme of the app that maps the MCP endpoint"));
                    }
                }
            }
        }

        private Diagnostic CookieDiagnostic(IInvocationOperation call, string what)
        {
            var properties = known.JwtBearerDefaults is null
                ? ImmutableDictionary<string, string?>.Empty
                : ImmutableDictionary<string, string?>.Empty.Add(FixProperty, FixCookieScheme);
            return Diagnostic.Create(Descriptors.SessionUsedAsAuthentication, call.Syntax.GetLocation(), properties, what);
        }

        private static string? SchemeArgument(IInvocationOperation invocation, string parameterName, string defaultName)
        {
            var argument = invocation.Arguments.FirstOrDefault(a => a.Parameter?.Name == parameterName);
            if (argument is null || argument.ArgumentKind == ArgumentKind.DefaultValue)
            {
                return defaultName;
            }

            return argument.Value.ConstantValue is { HasValue: true, Value: string s } ? s : null;
        }

        private static void CollectConstants(IOperation operation, HashSet<string> constants)
        {
            foreach (var descendant in operation.DescendantsAndSelf())
            {
                if (descendant.ConstantValue is { HasValue: true, Value: string s })
                {
                    constants.Add(s);
                }
            }
        }
    }

    /// <summary>Sources found while the driver walks one operation block.</summary>
    private sealed class BlockFindings
    {
        private readonly object gate = new();

        public List<IInvocationOperation> SessionReads { get; } = new();

        public List<IOperation> HeaderSources { get; } = new();

        public bool Any
        {
            get
            {
                lock (gate)
                {
                    return SessionReads.Count > 0 || HeaderSources.Count > 0;
                }
            }
        }

        public void Add(IOperation operation, bool isSessionRead)
        {
            lock (gate)
            {
                if (isSessionRead)
                {
                    SessionReads.Add((IInvocationOperation)operation);
                }
                else
                {
                    HeaderSources.Add(operation);
                }
            }
        }
    }
}
