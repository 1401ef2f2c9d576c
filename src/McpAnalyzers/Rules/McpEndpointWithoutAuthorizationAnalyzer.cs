using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using System.Threading;
using McpAnalyzers.Symbols;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace McpAnalyzers.Rules;

/// <summary>
/// MCPSEC011: <c>MapMcp(...)</c> whose endpoint no authorization protects, and <c>AllowAnonymous()</c>
/// on the MCP endpoint or on a route group it is mapped into.
/// </summary>
/// <remarks>
/// Protection on the endpoint itself (RequireAuthorization / [Authorize] metadata on its builder or its
/// route groups) is decided per call site. A fallback authorization policy, or AddAuthorizationFilters()
/// with [Authorize] on every tool type, may be declared anywhere in the compilation, so the remaining
/// candidates are reported in the compilation-end action.
/// </remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class McpEndpointWithoutAuthorizationAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property telling the code fix what to do: <see cref="AppendRequireAuthorization"/> or <see cref="ReplaceAllowAnonymous"/>.</summary>
    internal const string FixKey = "Fix";
    internal const string AppendRequireAuthorization = "AppendRequireAuthorization";
    internal const string ReplaceAllowAnonymous = "ReplaceAllowAnonymous";

    private static readonly ImmutableDictionary<string, string?> AppendProperties =
        ImmutableDictionary<string, string?>.Empty.Add(FixKey, AppendRequireAuthorization);

    private static readonly ImmutableDictionary<string, string?> ReplaceProperties =
        ImmutableDictionary<string, string?>.Empty.Add(FixKey, ReplaceAllowAnonymous);

    private const string AddProtection = "add RequireAuthorization() or a fallback policy";
    private const string AnonymousOverride = "{0} admits anonymous callers and overrides RequireAuthorization() and the fallback policy; require authorization instead";

    /// <summary>How many locals deep (a builder stored in a local, copied to another ...) call sites are followed.</summary>
    private const int MaxDepth = 4;

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.EndpointWithoutAuthorization);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze | GeneratedCodeAnalysisFlags.ReportDiagnostics);
        context.RegisterCompilationStartAction(OnCompilationStart);
    }

    private static void OnCompilationStart(CompilationStartAnalysisContext context)
    {
        var sdk = McpSdkSymbols.TryCreate(context.Compilation);
        if (sdk?.McpEndpointRouteBuilderExtensions is null)
        {
            return; // no MCP HTTP endpoints can be mapped in this compilation
        }

        // Every diagnostic is about a MapMcp call, and a method is invoked by its name: a compilation whose text never
        // spells MapMcp (or a \u escape, which the filter lets through) has nothing to report.
        if (!new SourceTextFilter(new[] { "MapMcp" }).MayMatchAnyTree(context.Compilation, context.CancellationToken))
        {
            return;
        }

        var state = new CompilationState(new KnownSymbols(context.Compilation, sdk, sdk.McpEndpointRouteBuilderExtensions));

        // The facts collected from operations are calls and assignments of members reached by name in the block's own
        // file: MapMcp (the candidates), AddAuthorizationFilters, SetFallbackPolicy and `FallbackPolicy =` (compilation-wide
        // protection, each recorded where it is written, wherever MapMcp is). A block whose file spells none of them has
        // no invocation or assignment the two actions would record, so they are registered only for the others.
        var operationFacts = new SourceTextFilter(new[] { "MapMcp", "AddAuthorizationFilters", "SetFallbackPolicy", "FallbackPolicy" });
        operationFacts.ReserveFor(context.Compilation);
        context.RegisterOperationBlockStartAction(block =>
        {
            if (!operationFacts.MayMatchAny(block.OperationBlocks, block.CancellationToken))
            {
                return;
            }

            block.RegisterOperationAction(state.AnalyzeInvocation, OperationKind.Invocation);
            block.RegisterOperationAction(state.AnalyzeAssignment, OperationKind.SimpleAssignment, OperationKind.CoalesceAssignment);
        });

        // [Authorize] on the tool types is read only when AddAuthorizationFilters() is called (Report: toolsAuthorized needs
        // both). Without that call spelled anywhere, the type counts cannot change a diagnostic: skip the symbol walk.
        if (new SourceTextFilter(new[] { "AddAuthorizationFilters" }).MayMatchAnyTree(context.Compilation, context.CancellationToken))
        {
            context.RegisterSymbolAction(state.AnalyzeType, SymbolKind.NamedType);
        }

        context.RegisterCompilationEndAction(state.Report);
    }

    /// <summary>Symbols resolved once per compilation; every member except the MapMcp container may be null.</summary>
    private sealed class KnownSymbols
    {
        public KnownSymbols(Compilation compilation, McpSdkSymbols sdk, INamedTypeSymbol mapMcpContainer)
        {
            Compilation = compilation;
            MapMcpContainer = mapMcpContainer;
            HttpMcpServerBuilderExtensions = sdk.HttpMcpServerBuilderExtensions;
            CapabilityAttributes = new[] { sdk.McpServerToolAttribute, sdk.McpServerPromptAttribute, sdk.McpServerResourceAttribute }
                .Where(a => a is not null)
                .Select(a => a!)
                .ToImmutableArray();
            AuthorizationConventions = compilation.FindType("Microsoft.AspNetCore.Builder.AuthorizationEndpointConventionBuilderExtensions");
            RoutingConventions = compilation.FindType("Microsoft.AspNetCore.Builder.RoutingEndpointConventionBuilderExtensions");
            EndpointRouteBuilder = compilation.FindType("Microsoft.AspNetCore.Routing.IEndpointRouteBuilder");
            EndpointConventionBuilder = compilation.FindType("Microsoft.AspNetCore.Builder.IEndpointConventionBuilder");
            AuthorizeData = compilation.FindType("Microsoft.AspNetCore.Authorization.IAuthorizeData");
            AllowAnonymous = compilation.FindType("Microsoft.AspNetCore.Authorization.IAllowAnonymous");
            AuthorizationOptions = compilation.FindType("Microsoft.AspNetCore.Authorization.AuthorizationOptions");
            AuthorizationBuilder = compilation.FindType("Microsoft.AspNetCore.Authorization.AuthorizationBuilder");
        }

        public Compilation Compilation { get; }
        public INamedTypeSymbol MapMcpContainer { get; }
        public INamedTypeSymbol? HttpMcpServerBuilderExtensions { get; }
        public ImmutableArray<INamedTypeSymbol> CapabilityAttributes { get; }
        public INamedTypeSymbol? AuthorizationConventions { get; }
        public INamedTypeSymbol? RoutingConventions { get; }
        public INamedTypeSymbol? EndpointRouteBuilder { get; }
        public INamedTypeSymbol? EndpointConventionBuilder { get; }
        public INamedTypeSymbol? AuthorizeData { get; }
        public INamedTypeSymbol? AllowAnonymous { get; }
        public INamedTypeSymbol? AuthorizationOptions { get; }
        public INamedTypeSymbol? AuthorizationBuilder { get; }
    }

    private sealed class Candidate
    {
        public Candidate(Location location, string endpoint, bool needsCompilationWideProtection, IInvocationOperation? anonymous)
        {
            Location = location;
            Endpoint = endpoint;
            NeedsCompilationWideProtection = needsCompilationWideProtection;
            if (anonymous is not null)
            {
                AnonymousAt = anonymous.Syntax.GetLocation();
                IsAllowAnonymousCall = anonymous.TargetMethod.Name == "AllowAnonymous";
            }
        }

        public Location Location { get; }
        public string Endpoint { get; }

        /// <summary>True when nothing at the call site protects the endpoint.</summary>
        public bool NeedsCompilationWideProtection { get; }

        /// <summary>Set for an AllowAnonymous() (or anonymous metadata) reaching the endpoint: reported regardless of any other protection.</summary>
        public Location? AnonymousAt { get; }

        /// <summary>AllowAnonymous() (fixable) rather than WithMetadata(new AllowAnonymousAttribute()).</summary>
        public bool IsAllowAnonymousCall { get; }
    }

    /// <summary>Per-compilation facts, filled concurrently by the actions and read once at compilation end.</summary>
    private sealed class CompilationState
    {
        private readonly KnownSymbols _symbols;
        private readonly ConcurrentBag<Candidate> _candidates = new();
        private int _fallbackPolicySet;
        private int _authorizationFilters;
        private int _capabilityTypes;
        private int _unauthorizedCapabilityTypes;

        public CompilationState(KnownSymbols symbols) => _symbols = symbols;

        public void AnalyzeInvocation(OperationAnalysisContext context)
        {
            var invocation = (IInvocationOperation)context.Operation;
            if (invocation.TargetMethod.Name is not ("MapMcp" or "AddAuthorizationFilters" or "SetFallbackPolicy"))
            {
                return; // the common case: one string comparison per invocation
            }

            var method = Unreduced(invocation.TargetMethod);
            var container = method.ContainingType;
            if (container is null)
            {
                return;
            }

            if (method.Name == "MapMcp" && SymbolEqualityComparer.Default.Equals(container, _symbols.MapMcpContainer))
            {
                AnalyzeMapMcp(invocation, context.CancellationToken);
            }
            else if (method.Name == "AddAuthorizationFilters" && SymbolEqualityComparer.Default.Equals(container, _symbols.HttpMcpServerBuilderExtensions))
            {
                Interlocked.Exchange(ref _authorizationFilters, 1);
            }
            else if (method.Name == "SetFallbackPolicy"
                && InheritsFrom(container, _symbols.AuthorizationBuilder)
                && invocation.Arguments.Length == 1
                && !IsNull(invocation.Arguments[0].Value))
            {
                Interlocked.Exchange(ref _fallbackPolicySet, 1);
            }
        }

        /// <summary><c>options.FallbackPolicy = policy</c> (statement, object initializer or <c>??=</c>) with a non-null value.</summary>
        public void AnalyzeAssignment(OperationAnalysisContext context)
        {
            var assignment = (IAssignmentOperation)context.Operation;
            if (assignment.Target is IPropertyReferenceOperation { Property: { Name: "FallbackPolicy" } property }
                && InheritsFrom(property.ContainingType, _symbols.AuthorizationOptions)
                && !IsNull(assignment.Value))
            {
                Interlocked.Exchange(ref _fallbackPolicySet, 1);
            }
        }

        /// <summary>Counts the types declaring tools/prompts/resources and those not fully covered by [Authorize].</summary>
        public void AnalyzeType(SymbolAnalysisContext context)
        {
            var type = (INamedTypeSymbol)context.Symbol;
            var capabilities = type.GetMembers()
                .OfType<IMethodSymbol>()
                .Where(m => m.GetAttributes().Any(a => _symbols.CapabilityAttributes.Contains(a.AttributeClass, SymbolEqualityComparer.Default)))
                .ToList();
            if (capabilities.Count == 0)
            {
                return;
            }

            Interlocked.Increment(ref _capabilityTypes);
            var typeAuthorized = HasAttributeOnTypeOrBase(type, _symbols.AuthorizeData);
            var typeAnonymous = HasAttributeOnTypeOrBase(type, _symbols.AllowAnonymous);
            var allAuthorized = !typeAnonymous && capabilities.All(m =>
                !HasAttribute(m, _symbols.AllowAnonymous) && (typeAuthorized || HasAttribute(m, _symbols.AuthorizeData)));
            if (!allAuthorized)
            {
                Interlocked.Increment(ref _unauthorizedCapabilityTypes);
            }
        }

        public void Report(CompilationAnalysisContext context)
        {
            var fallbackPolicy = Volatile.Read(ref _fallbackPolicySet) == 1;
            var toolsAuthorized = Volatile.Read(ref _authorizationFilters) == 1
                && Volatile.Read(ref _capabilityTypes) > 0
                && Volatile.Read(ref _unauthorizedCapabilityTypes) == 0;

            // Deterministic order, and one diagnostic per AllowAnonymous even when several MapMcp calls share its group.
            var reportedAnonymous = new HashSet<Location>();
            foreach (var candidate in _candidates.OrderBy(c => c.Location.SourceTree?.FilePath, System.StringComparer.Ordinal).ThenBy(c => c.Location.SourceSpan.Start))
            {
                if (candidate.AnonymousAt is { } anonymousAt)
                {
                    if (reportedAnonymous.Add(anonymousAt))
                    {
                        context.ReportDiagnostic(Diagnostic.Create(
                            Descriptors.EndpointWithoutAuthorization,
                            anonymousAt,
                            candidate.IsAllowAnonymousCall ? ReplaceProperties : null,
                            candidate.Endpoint,
                            string.Format(
                                System.Globalization.CultureInfo.InvariantCulture,
                                AnonymousOverride,
                                candidate.IsAllowAnonymousCall ? "AllowAnonymous()" : "AllowAnonymous metadata")));
                    }
                }
                else if (candidate.NeedsCompilationWideProtection && !fallbackPolicy && !toolsAuthorized)
                {
                    context.ReportDiagnostic(Diagnostic.Create(Descriptors.EndpointWithoutAuthorization, candidate.Location, AppendProperties, candidate.Endpoint, AddProtection));
                }
            }
        }

        private void AnalyzeMapMcp(IInvocationOperation mapMcp, CancellationToken cancellationToken)
        {
            var scan = new ProtectionScan(_symbols, mapMcp, cancellationToken);
            scan.FollowUses(mapMcp, 0);
            if (ReceiverOf(mapMcp) is { } group)
            {
                scan.WalkGroup(group, 0);
            }

            var endpoint = Describe(mapMcp.Syntax);
            var location = mapMcp.Syntax.GetLocation();
            if (scan.Anonymous.Count > 0)
            {
                foreach (var anonymous in scan.Anonymous)
                {
                    _candidates.Add(new Candidate(location, endpoint, false, anonymous));
                }
            }
            else if (!scan.Protected && !scan.Escaped)
            {
                _candidates.Add(new Candidate(location, endpoint, true, null));
            }
        }
    }

    /// <summary>
    /// Follows one MCP endpoint builder through fluent calls and locals (and its route group back to where
    /// the group was created), collecting what protects or opens it.
    /// </summary>
    private sealed class ProtectionScan
    {
        private readonly KnownSymbols _symbols;
        private readonly IOperation _start;
        private readonly CancellationToken _cancellationToken;
        private readonly HashSet<ILocalSymbol> _visitedLocals = new(SymbolEqualityComparer.Default);
        private IOperation? _root;

        public ProtectionScan(KnownSymbols symbols, IOperation start, CancellationToken cancellationToken)
        {
            _symbols = symbols;
            _start = start;
            _cancellationToken = cancellationToken;
        }

        /// <summary>RequireAuthorization() or [Authorize] metadata reaches the endpoint.</summary>
        public bool Protected { get; private set; }

        /// <summary>The builder leaves what this analysis sees (returned, stored in a field, passed to a method of the project): not reported.</summary>
        public bool Escaped { get; private set; }

        /// <summary>AllowAnonymous() calls (or WithMetadata with IAllowAnonymous) applied to the endpoint or its groups.</summary>
        public List<IInvocationOperation> Anonymous { get; } = new();

        /// <summary>The method body (or top-level statements) holding the MapMcp call: where its locals live.</summary>
        private IOperation Root
        {
            get
            {
                if (_root is null)
                {
                    var root = _start;
                    while (root.Parent is { } parent)
                    {
                        root = parent;
                    }

                    _root = root;
                }

                return _root;
            }
        }

        /// <summary>Walks up from a builder value: the calls made on it, and the locals it is stored in.</summary>
        public void FollowUses(IOperation value, int depth)
        {
            var current = value;
            while (current.Parent is { } parent)
            {
                _cancellationToken.ThrowIfCancellationRequested();
                if (parent is IConversionOperation or IParenthesizedOperation)
                {
                    current = parent;
                    continue;
                }

                if (CallOn(current) is { } call)
                {
                    if (!Classify(call, upward: true))
                    {
                        return;
                    }

                    current = call;
                    continue;
                }

                switch (parent)
                {
                    case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }:
                        FollowLocal(declarator.Symbol, depth);
                        return;
                    case ISimpleAssignmentOperation assignment when assignment.Value == current:
                        if (assignment.Target is ILocalReferenceOperation local)
                        {
                            FollowLocal(local.Local, depth);
                        }
                        else if (assignment.Target is not IDiscardOperation)
                        {
                            Escaped = true; // field, property, parameter, array element: configured elsewhere
                        }

                        return;
                    case IReturnOperation:
                        Escaped = true; // the caller may add conventions
                        return;
                    case IArgumentOperation { Parent: IInvocationOperation { TargetMethod: var target } }:
                        Escaped |= IsInSource(target);
                        return;
                    case IArgumentOperation { Parent: IObjectCreationOperation { Constructor: { } constructor } }:
                        Escaped |= IsInSource(constructor);
                        return;
                    default:
                        return;
                }
            }
        }

        /// <summary>Walks down the receiver of MapMcp (the route builder) to every group it belongs to.</summary>
        public void WalkGroup(IOperation receiver, int depth)
        {
            var current = receiver;
            while (true)
            {
                _cancellationToken.ThrowIfCancellationRequested();
                switch (current)
                {
                    case IConversionOperation conversion:
                        current = conversion.Operand;
                        continue;
                    case IParenthesizedOperation parenthesized:
                        current = parenthesized.Operand;
                        continue;
                    case IInvocationOperation call when IsRouteBuilder(call.Type):
                        if (!Classify(call, upward: false) || ReceiverOf(call) is not { } inner)
                        {
                            return;
                        }

                        current = inner;
                        continue;
                    case ILocalReferenceOperation local when IsRouteBuilder(local.Type):
                        FollowLocal(local.Local, depth);
                        return;
                    case IParameterReferenceOperation parameter:
                        // A route group handed in by the caller carries the caller's conventions.
                        Escaped |= IsConventionBuilder(parameter.Type);
                        return;
                    default:
                        return;
                }
            }
        }

        /// <summary>
        /// Applies a call made on a builder and tells whether to go on through it. Walking up from a builder,
        /// only fluent conventions (WithName, RequireAuthorization ...) hand the same builder on: MapGet or
        /// MapGroup on a group create another one. Walking down from MapMcp's receiver, every framework call
        /// leads to an enclosing group (MapGroup) or the application.
        /// </summary>
        private bool Classify(IInvocationOperation call, bool upward)
        {
            var method = Unreduced(call.TargetMethod);
            if (IsInSource(method))
            {
                // A helper of the project may add conventions (or not) to a builder or group: do not guess.
                // It cannot add any to the application itself (WebApplication takes no conventions).
                Escaped |= upward || IsConventionBuilder(call.Type);
                return false;
            }

            if (upward && !IsFluentConvention(method))
            {
                return false;
            }

            var container = method.ContainingType;
            if (SymbolEqualityComparer.Default.Equals(container, _symbols.AuthorizationConventions))
            {
                if (method.Name == "RequireAuthorization")
                {
                    Protected = true;
                }
                else if (method.Name == "AllowAnonymous")
                {
                    Anonymous.Add(call);
                }
            }
            else if (method.Name == "WithMetadata" && SymbolEqualityComparer.Default.Equals(container, _symbols.RoutingConventions))
            {
                ClassifyMetadata(call);
            }

            return true;
        }

        private void ClassifyMetadata(IInvocationOperation withMetadata)
        {
            foreach (var argument in withMetadata.Arguments)
            {
                var items = argument.Value is IArrayCreationOperation { Initializer: { } initializer }
                    ? initializer.ElementValues
                    : ImmutableArray.Create(argument.Value);
                foreach (var item in items)
                {
                    var type = OperationExtensions.WithoutConversionsAndParentheses(item).Type;
                    if (Implements(type, _symbols.AllowAnonymous))
                    {
                        Anonymous.Add(withMetadata);
                    }
                    else if (Implements(type, _symbols.AuthorizeData))
                    {
                        Protected = true;
                    }
                }
            }
        }

        /// <summary>Every use of a local holding the builder or group, and (for groups) every value assigned to it.</summary>
        private void FollowLocal(ILocalSymbol local, int depth)
        {
            if (depth >= MaxDepth || !_visitedLocals.Add(local))
            {
                return;
            }

            // Only a builder or group takes conventions; uses of the application itself cannot protect anything.
            var conventionBuilder = IsConventionBuilder(local.Type);
            foreach (var operation in Root.Descendants())
            {
                switch (operation)
                {
                    case IVariableDeclaratorOperation declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, local):
                        if (declarator.Initializer?.Value is { } initial)
                        {
                            WalkGroup(initial, depth + 1);
                        }

                        break;
                    case ILocalReferenceOperation reference when SymbolEqualityComparer.Default.Equals(reference.Local, local):
                        if (reference.Parent is ISimpleAssignmentOperation assignment && assignment.Target == reference)
                        {
                            WalkGroup(assignment.Value, depth + 1);
                        }
                        else if (conventionBuilder)
                        {
                            FollowUses(reference, depth + 1);
                        }

                        break;
                }
            }
        }

        /// <summary>The call that takes <paramref name="operation"/> as its receiver (instance or extension <c>this</c>), if any.</summary>
        private static IInvocationOperation? CallOn(IOperation operation) => operation.Parent switch
        {
            IInvocationOperation call when call.Instance == operation => call,
            IArgumentOperation { Parent: IInvocationOperation call, Parameter.Ordinal: 0 } argument
                when call.TargetMethod.IsExtensionMethod && call.Arguments.Length > 0 && call.Arguments[0] == argument => call,
            _ => null,
        };

        private bool IsInSource(IMethodSymbol method)
            => SymbolEqualityComparer.Default.Equals(method.ContainingAssembly, _symbols.Compilation.Assembly);

        private bool IsRouteBuilder(ITypeSymbol? type) => Implements(type, _symbols.EndpointRouteBuilder);

        private bool IsConventionBuilder(ITypeSymbol? type) => Implements(type, _symbols.EndpointConventionBuilder);

        /// <summary><c>TBuilder M&lt;TBuilder&gt;(this TBuilder builder, ...)</c>: the ASP.NET Core convention shape that returns its receiver.</summary>
        private static bool IsFluentConvention(IMethodSymbol method)
            => method.IsExtensionMethod
            && method.Parameters.Length > 0
            && method.ReturnType is ITypeParameterSymbol returned
            && SymbolEqualityComparer.Default.Equals(returned, method.Parameters[0].Type);
    }

    /// <summary>The receiver of a call: its instance, or the <c>this</c> argument of an extension method.</summary>
    private static IOperation? ReceiverOf(IInvocationOperation call)
    {
        if (call.Instance is { } instance)
        {
            return instance;
        }

        return call.TargetMethod.IsExtensionMethod && call.Arguments.Length > 0 ? call.Arguments[0].Value : null;
    }

    private static IMethodSymbol Unreduced(IMethodSymbol method) => (method.ReducedFrom ?? method).OriginalDefinition;

    /// <summary><c>null</c> or <c>default</c>: a fallback policy of null means "no fallback".</summary>
    private static bool IsNull(IOperation value)
    {
        var unwrapped = OperationExtensions.WithoutConversionsAndParentheses(value);
        return unwrapped is IDefaultValueOperation
            || (unwrapped.ConstantValue.HasValue && unwrapped.ConstantValue.Value is null);
    }

    private static bool InheritsFrom(INamedTypeSymbol? type, INamedTypeSymbol? baseType)
    {
        if (baseType is null)
        {
            return false;
        }

        for (var current = type; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, baseType))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Implements(ITypeSymbol? type, INamedTypeSymbol? @interface)
        => type is not null && @interface is not null
        && (SymbolEqualityComparer.Default.Equals(type, @interface) || type.AllInterfaces.Contains(@interface, SymbolEqualityComparer.Default));

    private static bool HasAttribute(ISymbol symbol, INamedTypeSymbol? attributeInterface)
        => attributeInterface is not null && symbol.GetAttributes().Any(a => Implements(a.AttributeClass, attributeInterface));

    /// <summary>[Authorize] / [AllowAnonymous] are inherited attributes: a base class's one applies to the tool type.</summary>
    private static bool HasAttributeOnTypeOrBase(INamedTypeSymbol type, INamedTypeSymbol? attributeInterface)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (HasAttribute(current, attributeInterface))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The endpoint as the user wrote it, for the message: <c>app.MapMcp("/mcp")</c>; a long receiver chain
    /// is left out (<c>MapMcp("/mcp")</c>), whitespace is collapsed.
    /// </summary>
    private static string Describe(SyntaxNode syntax)
    {
        var text = syntax is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax member } invocation
            ? (member.Expression is IdentifierNameSyntax or ThisExpressionSyntax ? member.Expression + "." : string.Empty)
                + member.Name + invocation.ArgumentList
            : syntax.ToString();

        var builder = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (pendingSpace && builder[builder.Length - 1] is not ('(' or '.'))
            {
                builder.Append(' ');
            }

            pendingSpace = false;
            builder.Append(c);
        }

        return builder.ToString();
    }
}
