using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using McpAnalyzers.Symbols;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace McpAnalyzers.Taint;

/// <summary>
/// Tool input as a taint source (RULES.md MCPSEC005-009): the bound parameters of
/// <c>[McpServerTool]</c>/<c>[McpServerPrompt]</c>/<c>[McpServerResource]</c> methods and of delegates
/// passed to <c>McpServerTool.Create</c>, and the raw arguments of low-level handlers
/// (<c>CallToolRequestParams.Arguments</c>, <c>GetPromptRequestParams.Arguments</c>,
/// <c>ReadResourceRequestParams.Uri</c>).
/// </summary>
/// <remarks>
/// Which parameters are bound (attacker-controlled) and which are injected follows what the SDK can
/// do at run time, decided from the type alone:
/// <list type="bullet">
/// <item>Injected: <c>CancellationToken</c>, <c>IServiceProvider</c>, <c>McpServer</c>/<c>IMcpServer</c>,
/// <c>RequestContext&lt;T&gt;</c>, <c>IProgress&lt;ProgressNotificationValue&gt;</c>, <c>ClaimsPrincipal</c>,
/// parameters with <c>[FromKeyedServices]</c> or <c>[FromServices]</c>.</item>
/// <item>Bound: <c>string</c>, <c>char</c>, <c>object</c>, <c>Uri</c>, arrays, collection interfaces and
/// types (anything implementing <c>IEnumerable</c>), <c>System.Text.Json</c> values, structs and records,
/// and classes declared in source that have a public settable property (DTOs).</item>
/// <item>Everything else is treated as a DI service: interfaces and abstract classes (they cannot be
/// deserialised), classes from referenced assemblies (<c>HttpClient</c>, <c>ILogger&lt;T&gt;</c>,
/// <c>DbContext</c> ...), and source classes without settable properties (repositories, services).</item>
/// </list>
/// Numeric, boolean and enum parameters are bound but never tainted (the lattice treats such types as inert).
/// </remarks>
internal sealed class McpToolInputSources : TaintSourceProvider
{
    private readonly McpSdkSymbols _sdk;
    private readonly ImmutableHashSet<INamedTypeSymbol> _injectedTypes;
    private readonly INamedTypeSymbol? _progress;
    private readonly INamedTypeSymbol? _progressValue;
    private readonly INamedTypeSymbol? _enumerable;
    private readonly INamedTypeSymbol? _uri;
    private readonly IPropertySymbol? _callToolArguments;
    private readonly IPropertySymbol? _getPromptArguments;
    private readonly IPropertySymbol? _readResourceUri;
    private readonly INamedTypeSymbol? _toolFactory;
    private readonly INamedTypeSymbol? _promptFactory;
    private readonly INamedTypeSymbol? _resourceFactory;
    private readonly SourceTextFilter _sourceWords = new(new[] { "Arguments", "Uri", "Create" });
    private volatile KindOfMethod? _lastKind; // see Kind

    public McpToolInputSources(Compilation compilation, McpSdkSymbols sdk)
    {
        _sdk = sdk;
        _sourceWords.ReserveFor(compilation);
        var injected = new List<INamedTypeSymbol?>
        {
            compilation.FindType("System.Threading.CancellationToken"),
            compilation.FindType("System.IServiceProvider"),
            compilation.FindType("System.Security.Claims.ClaimsPrincipal"),
            sdk.McpServer,
            sdk.IMcpServer,
            sdk.RequestContext,
        };
        _injectedTypes = injected.Where(t => t is not null).Select(t => t!).ToImmutableHashSet<INamedTypeSymbol>(SymbolEqualityComparer.Default);
        _progress = compilation.FindType("System.IProgress`1");
        _progressValue = compilation.FindType("ModelContextProtocol.ProgressNotificationValue");
        _enumerable = compilation.FindType("System.Collections.IEnumerable");
        _uri = compilation.FindType("System.Uri");
        _callToolArguments = Property(sdk.CallToolRequestParams, "Arguments");
        _getPromptArguments = Property(compilation.FindType("ModelContextProtocol.Protocol.GetPromptRequestParams"), "Arguments");
        _readResourceUri = Property(compilation.FindType("ModelContextProtocol.Protocol.ReadResourceRequestParams"), "Uri");
        _toolFactory = compilation.FindType("ModelContextProtocol.Server.McpServerTool");
        _promptFactory = compilation.FindType("ModelContextProtocol.Server.McpServerPrompt");
        _resourceFactory = compilation.FindType("ModelContextProtocol.Server.McpServerResource");
    }

    private static IPropertySymbol? Property(INamedTypeSymbol? type, string name)
        => type?.GetMembers(name).OfType<IPropertySymbol>().FirstOrDefault();

    public override bool IsEntryMethod(IMethodSymbol method) => Kind(method) is not null;

    /// <summary>"Tool", "Prompt" or "Resource" for an attributed method, else null.</summary>
    private string? Kind(IMethodSymbol method)
    {
        // The engine asks about the same method several times in a row (its callback's pre-check, then each parameter of
        // the analysis): the last answer is kept (one object per method asked about; another thread's method misses).
        if (_lastKind is { } last && ReferenceEquals(last.Method, method))
        {
            return last.Kind;
        }

        var kind = AttributedKind(method);
        _lastKind = new KindOfMethod(method, kind);
        return kind;
    }

    private string? AttributedKind(IMethodSymbol method)
    {
        // Asked for every method body of the compilation: the attribute's name first, the symbol comparison only on a match.
        foreach (var attribute in method.GetAttributes())
        {
            switch (attribute.AttributeClass?.Name)
            {
                case "McpServerToolAttribute" when SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, _sdk.McpServerToolAttribute):
                    return "Tool";
                case "McpServerPromptAttribute" when SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, _sdk.McpServerPromptAttribute):
                    return "Prompt";
                case "McpServerResourceAttribute" when SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, _sdk.McpServerResourceAttribute):
                    return "Resource";
            }
        }

        return null;
    }

    public override string? DescribeParameterSource(IParameterSymbol parameter, IOperation? lambda)
    {
        var kind = lambda is null
            ? (parameter.ContainingSymbol is IMethodSymbol method ? Kind(method) : null)
            : FactoryKind(lambda);
        return kind is not null && IsBound(parameter) ? kind + " parameter '" + parameter.Name + "'" : null;
    }

    /// <summary>The kind of a lambda passed as the delegate of <c>McpServerTool.Create(...)</c> (and prompt/resource).</summary>
    private string? FactoryKind(IOperation lambda)
    {
        var parent = lambda.Parent;
        while (parent is IDelegateCreationOperation or IConversionOperation)
        {
            parent = parent.Parent;
        }

        if (parent is IArgumentOperation { Parent: IInvocationOperation { TargetMethod: { Name: "Create", ContainingType: { } owner } } })
        {
            if (SymbolEqualityComparer.Default.Equals(owner, _toolFactory))
            {
                return "Tool";
            }

            if (SymbolEqualityComparer.Default.Equals(owner, _promptFactory))
            {
                return "Prompt";
            }

            if (SymbolEqualityComparer.Default.Equals(owner, _resourceFactory))
            {
                return "Resource";
            }
        }

        return null;
    }

    private bool IsBound(IParameterSymbol parameter)
    {
        foreach (var attribute in parameter.GetAttributes())
        {
            if (attribute.AttributeClass?.Name is "FromKeyedServicesAttribute" or "FromServicesAttribute")
            {
                return false;
            }
        }

        var type = parameter.Type;
        if (type is null || type.TypeKind == TypeKind.Error)
        {
            return false;
        }

        // The usual tool parameter first: none of the injected types below is one of these.
        switch (type.SpecialType)
        {
            case SpecialType.System_String:
            case SpecialType.System_Object:
            case SpecialType.System_Char:
                return true;
        }

        if (type is INamedTypeSymbol named)
        {
            if (_injectedTypes.Contains(named.OriginalDefinition))
            {
                return false;
            }

            if (SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, _progress)
                && named.TypeArguments.Length == 1
                && SymbolEqualityComparer.Default.Equals(named.TypeArguments[0], _progressValue))
            {
                return false;
            }
        }

        if (type.TypeKind is TypeKind.Array or TypeKind.Enum || type.IsValueType)
        {
            return true;
        }

        if (SymbolEqualityComparer.Default.Equals(type, _uri)
            || type.ContainingNamespace?.ToDisplayString() is "System.Text.Json" or "System.Text.Json.Nodes"
            || (_enumerable is not null && type.AllInterfaces.Contains(_enumerable, SymbolEqualityComparer.Default))
            || SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, _enumerable))
        {
            return true;
        }

        if (type.TypeKind == TypeKind.Interface)
        {
            // Collection interfaces (IEnumerable<T>, IReadOnlyList<T>...) implement IEnumerable and were
            // handled above; any other interface is a service.
            return false;
        }

        if (type.TypeKind != TypeKind.Class || type.IsAbstract || type.Locations.All(l => !l.IsInSource))
        {
            return false;
        }

        return type.IsRecord
            || type.GetMembers().OfType<IPropertySymbol>().Any(p => p.DeclaredAccessibility == Accessibility.Public && p.SetMethod is not null && !p.IsStatic);
    }

    /// <summary>
    /// The pre-check of <see cref="TaintEngine.ShouldAnalyze"/> for bodies that are not entry methods: their only
    /// sources are the properties named <c>Arguments</c> and <c>Uri</c> (<see cref="GetExpressionSource"/>) and the
    /// parameters of a lambda passed to a method named <c>Create</c> (<see cref="FactoryKind"/>), so a tree without
    /// those words has none.
    /// </summary>
    public override bool MayContainSource(SyntaxNode body) => _sourceWords.MayMatch(body.SyntaxTree);

    public override TaintOrigin? GetExpressionSource(IOperation operation)
    {
        // Asked for every operation the engine evaluates: the kind first (a failing interface type test is slow).
        if (operation.Kind != OperationKind.PropertyReference || ((IPropertyReferenceOperation)operation).Property is not { } property)
        {
            return null;
        }

        var definition = property.OriginalDefinition;
        if (SymbolEqualityComparer.Default.Equals(definition, _callToolArguments))
        {
            return TaintOrigin.Source("Tool arguments", "Tool argument '{0}'");
        }

        if (SymbolEqualityComparer.Default.Equals(definition, _getPromptArguments))
        {
            return TaintOrigin.Source("Prompt arguments", "Prompt argument '{0}'");
        }

        if (SymbolEqualityComparer.Default.Equals(definition, _readResourceUri))
        {
            return TaintOrigin.Source("Requested resource URI");
        }

        return null;
    }

    /// <summary>A method and its entry kind (null: not an entry), the last one <see cref="Kind"/> answered.</summary>
    private sealed class KindOfMethod
    {
        public KindOfMethod(IMethodSymbol method, string? kind)
        {
            Method = method;
            Kind = kind;
        }

        public IMethodSymbol Method { get; }

        public string? Kind { get; }
    }
}
