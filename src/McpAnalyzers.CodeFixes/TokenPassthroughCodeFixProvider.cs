using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace McpAnalyzers.CodeFixes;

/// <summary>
/// MCPSEC001: replaces the forwarded client token with a token issued for the downstream API on behalf of the
/// user, through Microsoft.Identity.Web. With <c>Microsoft.Identity.Abstractions.IAuthorizationHeaderProvider</c>
/// (preferred) the new header is <c>await authorizationHeaderProvider.CreateAuthorizationHeaderForUserAsync(scopes)</c>
/// (a complete "Bearer ..." value); with only <c>Microsoft.Identity.Web.ITokenAcquisition</c> it is
/// <c>"Bearer " + await tokenAcquisition.GetAccessTokenForUserAsync(scopes)</c>. The scopes are read from
/// configuration: <c>configuration.GetSection("DownstreamApi:Scopes").Get&lt;string[]&gt;() ?? Array.Empty&lt;string&gt;()</c>.
/// </summary>
/// <remarks>
/// Rewritten sink forms: <c>new AuthenticationHeaderValue(scheme, token)</c> and <c>AuthenticationHeaderValue.Parse(header)</c>
/// (→ <c>AuthenticationHeaderValue.Parse(newHeader)</c>), <c>headers.Authorization = value</c> (the value), and
/// <c>headers.Add/TryAddWithoutValidation("Authorization", value)</c> (the value). The code that read the incoming
/// token is left in place (it may serve other purposes; the compiler flags it if it becomes unused).
/// Services are injected where the SDK or ASP.NET Core resolves them: an existing parameter, field or property of the
/// service type is reused; otherwise a tool method (<c>[McpServerTool]</c>, the sink directly in its body) gets a new
/// parameter, and any other class gets a primary-constructor parameter (when it has a primary constructor) or a
/// parameter + <c>readonly</c> field on its only constructor. No fix is offered when the enclosing function is not
/// <c>async</c> (making it async changes its signature for callers), when the class has several or no explicit
/// constructors and no primary constructor, for <c>TryParse</c> and MCP client transport headers, or when neither
/// service type nor <c>ConfigurationBinder</c> is referenced.
/// </remarks>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(TokenPassthroughCodeFixProvider))]
[Shared]
public sealed class TokenPassthroughCodeFixProvider : CodeFixProvider
{
    private const string EquivalenceKey = "MCPSEC001.OnBehalfOf";
    private const string HeaderProviderType = "Microsoft.Identity.Abstractions.IAuthorizationHeaderProvider";
    private const string TokenAcquisitionType = "Microsoft.Identity.Web.ITokenAcquisition";
    private const string ConfigurationType = "Microsoft.Extensions.Configuration.IConfiguration";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.TokenPassthrough);

    /// <summary>Sequential per document: two forwardings in one class must share one injected service.</summary>
    public override FixAllProvider GetFixAllProvider()
        => FixAllProvider.Create(async (context, document, diagnostics) => (Document?)await FixAllAsync(document, diagnostics, context.CancellationToken).ConfigureAwait(false));

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is { } node && Plan.Create(node, model, context.CancellationToken) is { } plan)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(
                        plan.UsesHeaderProvider
                            ? "Request a token for the downstream API on behalf of the user (IAuthorizationHeaderProvider)"
                            : "Request a token for the downstream API on behalf of the user (ITokenAcquisition)",
                        cancellationToken => FixAllAsync(context.Document, ImmutableArray.Create(diagnostic), cancellationToken),
                        EquivalenceKey),
                    diagnostic);
            }
        }
    }

    private static async Task<Document> FixAllAsync(Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        if (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false) is not { } root)
        {
            return document;
        }

        // Mark every sink first, then fix one at a time on the updated document (spans move, members appear).
        var marks = new List<SyntaxAnnotation>();
        var nodes = new Dictionary<SyntaxNode, SyntaxAnnotation>();
        foreach (var diagnostic in diagnostics.OrderBy(d => d.Location.SourceSpan.Start))
        {
            var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            if (!nodes.ContainsKey(node))
            {
                var mark = new SyntaxAnnotation("MCPSEC001");
                nodes[node] = mark;
                marks.Add(mark);
            }
        }

        document = document.WithSyntaxRoot(root.ReplaceNodes(nodes.Keys, (original, rewritten) => rewritten.WithAdditionalAnnotations(nodes[original])));
        foreach (var mark in marks)
        {
            var currentRoot = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            if (currentRoot?.GetAnnotatedNodes(mark).FirstOrDefault() is not { } node || model is null
                || Plan.Create(node, model, cancellationToken) is not { } plan)
            {
                continue;
            }

            document = document.WithSyntaxRoot(plan.Apply(currentRoot));
        }

        document = await SimplificationScope.AddImportsAndReduceAsync(document, cancellationToken).ConfigureAwait(false);
        return await Formatter.FormatAsync(document, Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>What one fix does: which expression to replace, and how to reach the services.</summary>
    private sealed class Plan
    {
        private Plan(ExpressionSyntax target, bool wrapInParse, bool usesHeaderProvider, Injection service, Injection configuration)
        {
            Target = target;
            WrapInParse = wrapInParse;
            UsesHeaderProvider = usesHeaderProvider;
            Service = service;
            Configuration = configuration;
        }

        public ExpressionSyntax Target { get; }

        /// <summary>True when the target is an <c>AuthenticationHeaderValue</c>; false when it is the header text.</summary>
        public bool WrapInParse { get; }

        public bool UsesHeaderProvider { get; }

        public Injection Service { get; }

        public Injection Configuration { get; }

        public static Plan? Create(SyntaxNode node, SemanticModel model, CancellationToken cancellationToken)
        {
            var compilation = model.Compilation;
            var headerProvider = compilation.GetTypeByMetadataName(HeaderProviderType);
            var tokenAcquisition = compilation.GetTypeByMetadataName(TokenAcquisitionType);
            var configurationType = compilation.GetTypeByMetadataName(ConfigurationType);
            var serviceType = headerProvider ?? tokenAcquisition;
            if (serviceType is null || configurationType is null
                || compilation.GetTypeByMetadataName("Microsoft.Extensions.Configuration.ConfigurationBinder") is null)
            {
                return null;
            }

            if (FindTarget(node, model, cancellationToken) is not (ExpressionSyntax target, bool wrap))
            {
                return null;
            }

            // The replacement awaits: the nearest enclosing function must already be async.
            var function = target.Ancestors().FirstOrDefault(a => a is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or BaseMethodDeclarationSyntax or AccessorDeclarationSyntax);
            var isAsync = function switch
            {
                AnonymousFunctionExpressionSyntax lambda => lambda.AsyncKeyword.IsKind(SyntaxKind.AsyncKeyword),
                LocalFunctionStatementSyntax local => local.Modifiers.Any(SyntaxKind.AsyncKeyword),
                MethodDeclarationSyntax method => method.Modifiers.Any(SyntaxKind.AsyncKeyword),
                _ => false,
            };
            if (!isAsync || target.Ancestors().OfType<TypeDeclarationSyntax>().FirstOrDefault() is not ClassDeclarationSyntax type)
            {
                return null;
            }

            var toolMethod = function is MethodDeclarationSyntax declaration && IsToolMethod(declaration, model, cancellationToken) ? declaration : null;
            var service = Injection.Find(serviceType, headerProvider is not null ? "authorizationHeaderProvider" : "tokenAcquisition", target, type, toolMethod, model, cancellationToken);
            var configuration = Injection.Find(configurationType, "configuration", target, type, toolMethod, model, cancellationToken);
            return service is null || configuration is null ? null : new Plan(target, wrap, headerProvider is not null, service, configuration);
        }

        /// <summary>The expression to replace, and whether it is an <c>AuthenticationHeaderValue</c> (true) or header text.</summary>
        private static (ExpressionSyntax, bool)? FindTarget(SyntaxNode node, SemanticModel model, CancellationToken cancellationToken)
        {
            switch (node)
            {
                case BaseObjectCreationExpressionSyntax creation:
                    return (creation, true);
                case InvocationExpressionSyntax invocation when model.GetSymbolInfo(invocation, cancellationToken).Symbol is IMethodSymbol method:
                    if (method.Name == "Parse" && method.ContainingType?.Name == "AuthenticationHeaderValue")
                    {
                        return (invocation, true);
                    }

                    if (method.Name is "Add" or "TryAddWithoutValidation" && invocation.ArgumentList.Arguments.Count == 2
                        && model.GetTypeInfo(invocation.ArgumentList.Arguments[1].Expression, cancellationToken).ConvertedType?.SpecialType == SpecialType.System_String)
                    {
                        return (invocation.ArgumentList.Arguments[1].Expression, false);
                    }

                    return null;
                case AssignmentExpressionSyntax { Left: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Authorization" } } assignment:
                    return (assignment.Right, true);
                default:
                    return null;
            }
        }

        private static bool IsToolMethod(MethodDeclarationSyntax method, SemanticModel model, CancellationToken cancellationToken)
            => model.GetDeclaredSymbol(method, cancellationToken)?.GetAttributes()
                .Any(a => a.AttributeClass?.ToDisplayString() == "ModelContextProtocol.Server.McpServerToolAttribute") == true;

        public SyntaxNode Apply(SyntaxNode root)
        {
            var scopes = $"{Configuration.Name}.GetSection(\"DownstreamApi:Scopes\").Get<string[]>() ?? global::System.Array.Empty<string>()";
            var header = UsesHeaderProvider
                ? $"await {Service.Name}.CreateAuthorizationHeaderForUserAsync({scopes})"
                : $"\"Bearer \" + await {Service.Name}.GetAccessTokenForUserAsync({scopes})";
            var text = WrapInParse ? $"global::System.Net.Http.Headers.AuthenticationHeaderValue.Parse({header})" : header;
            var replacement = SyntaxFactory.ParseExpression(text)
                .WithTriviaFrom(Target)
                .WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation, Formatter.Annotation);

            var tracked = root.TrackNodes(new SyntaxNode[] { Target });
            tracked = tracked.ReplaceNode(tracked.GetCurrentNode(Target)!, replacement);
            tracked = Service.Inject(tracked);
            tracked = Configuration.Inject(tracked);

            // ConfigurationBinder.Get<T> is an extension method: its namespace is imported explicitly.
            return tracked is CompilationUnitSyntax unit ? AddUsing(unit, "Microsoft.Extensions.Configuration") : tracked;
        }

        /// <summary>Adds <c>using <paramref name="name"/>;</c> in sorted position (System first), unless present.</summary>
        private static CompilationUnitSyntax AddUsing(CompilationUnitSyntax unit, string name)
        {
            if (unit.Usings.Any(u => u.Name?.ToString() == name))
            {
                return unit;
            }

            var directive = SyntaxFactory.UsingDirective(SyntaxFactory.ParseName(name)).WithTrailingTrivia(SyntaxFactory.ElasticLineFeed).WithAdditionalAnnotations(Formatter.Annotation);
            var index = 0;
            while (index < unit.Usings.Count
                && unit.Usings[index].Alias is null
                && unit.Usings[index].StaticKeyword.IsKind(SyntaxKind.None)
                && (unit.Usings[index].Name?.ToString() is not { } existing || existing == "System" || existing.StartsWith("System.", System.StringComparison.Ordinal) || string.CompareOrdinal(existing, name) < 0))
            {
                index++;
            }

            return unit.WithUsings(unit.Usings.Insert(index, directive));
        }
    }

    /// <summary>How a service is reached: an existing symbol (nothing to add) or a new parameter/field.</summary>
    private sealed class Injection
    {
        private readonly INamedTypeSymbol _type;
        private readonly SyntaxAnnotation? _owner;
        private readonly InjectionKind _kind;

        private Injection(string name, INamedTypeSymbol type, InjectionKind kind, SyntaxAnnotation? owner)
        {
            Name = name;
            _type = type;
            _kind = kind;
            _owner = owner;
        }

        private enum InjectionKind
        {
            Existing,
            MethodParameter,
            PrimaryConstructorParameter,
            ConstructorParameterAndField,
        }

        public string Name { get; }

        public static Injection? Find(INamedTypeSymbol type, string name, SyntaxNode position, ClassDeclarationSyntax declaration, MethodDeclarationSyntax? toolMethod, SemanticModel model, CancellationToken cancellationToken)
        {
            var existing = model.LookupSymbols(position.SpanStart)
                .FirstOrDefault(s => (s is IParameterSymbol or ILocalSymbol || (s is IFieldSymbol or IPropertySymbol && !s.IsStatic))
                    && SymbolEqualityComparer.Default.Equals(TypeOf(s), type));
            if (existing is not null)
            {
                return new Injection(existing.Name, type, InjectionKind.Existing, null);
            }

            if (model.LookupSymbols(position.SpanStart, name: name).Any() || model.LookupSymbols(position.SpanStart, name: "_" + name).Any())
            {
                return null;
            }

            if (toolMethod is not null)
            {
                return new Injection(name, type, InjectionKind.MethodParameter, Mark(toolMethod));
            }

            if (declaration.ParameterList is not null)
            {
                return new Injection(name, type, InjectionKind.PrimaryConstructorParameter, Mark(declaration));
            }

            var constructors = declaration.Members.OfType<ConstructorDeclarationSyntax>().Where(c => !c.Modifiers.Any(SyntaxKind.StaticKeyword)).ToList();
            return constructors.Count == 1 && constructors[0].Body is not null
                ? new Injection("_" + name, type, InjectionKind.ConstructorParameterAndField, Mark(declaration))
                : null;
        }

        /// <summary>The syntax is identified by its span in the root the plan was computed on; annotations follow it.</summary>
        private static SyntaxAnnotation Mark(SyntaxNode node) => new("MCPSEC001.Owner", node.SpanStart.ToString(System.Globalization.CultureInfo.InvariantCulture));

        private static ITypeSymbol? TypeOf(ISymbol symbol) => symbol switch
        {
            IParameterSymbol parameter => parameter.Type,
            ILocalSymbol local => local.Type,
            IFieldSymbol field => field.Type,
            IPropertySymbol property => property.Type,
            _ => null,
        };

        public SyntaxNode Inject(SyntaxNode root)
        {
            if (_kind == InjectionKind.Existing || _owner?.Data is not { } data || !int.TryParse(data, out var start))
            {
                return root;
            }

            var typeSyntax = SyntaxFactory.ParseTypeName(_type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat))
                .WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation);
            var parameterName = Name.TrimStart('_');
            var parameter = SyntaxFactory.Parameter(SyntaxFactory.Identifier(parameterName)).WithType(typeSyntax.WithTrailingTrivia(SyntaxFactory.Space));
            switch (_kind)
            {
                case InjectionKind.MethodParameter:
                {
                    var method = root.DescendantNodes().OfType<MethodDeclarationSyntax>().FirstOrDefault(m => m.SpanStart == start);
                    return method is null ? root : root.ReplaceNode(method, method.AddParameterListParameters(parameter));
                }

                case InjectionKind.PrimaryConstructorParameter:
                {
                    var type = FindType(root, start);
                    return type?.ParameterList is null ? root : root.ReplaceNode(type, type.AddParameterListParameters(parameter));
                }

                default:
                {
                    if (FindType(root, start) is not { } type
                        || type.Members.OfType<ConstructorDeclarationSyntax>().FirstOrDefault(c => !c.Modifiers.Any(SyntaxKind.StaticKeyword)) is not { Body: not null } constructor)
                    {
                        return root;
                    }

                    var assignment = SyntaxFactory.ParseStatement($"{Name} = {parameterName};")
                        .WithLeadingTrivia(SyntaxFactory.ElasticMarker)
                        .WithTrailingTrivia(SyntaxFactory.ElasticLineFeed)
                        .WithAdditionalAnnotations(Formatter.Annotation);
                    var newConstructor = constructor.AddParameterListParameters(parameter).WithBody(constructor.Body!.AddStatements(assignment));
                    var field = SyntaxFactory.FieldDeclaration(
                            SyntaxFactory.VariableDeclaration(typeSyntax.WithTrailingTrivia(SyntaxFactory.Space))
                                .AddVariables(SyntaxFactory.VariableDeclarator(Name)))
                        .AddModifiers(SyntaxFactory.Token(SyntaxKind.PrivateKeyword), SyntaxFactory.Token(SyntaxKind.ReadOnlyKeyword))
                        .WithAdditionalAnnotations(Formatter.Annotation);
                    var updated = type.ReplaceNode(constructor, newConstructor);
                    updated = updated.WithMembers(updated.Members.Insert(0, field));
                    return root.ReplaceNode(type, updated);
                }
            }
        }

        /// <summary>The class whose declaration started at <paramref name="start"/> (edits happen after it, so it has not moved).</summary>
        private static ClassDeclarationSyntax? FindType(SyntaxNode root, int start)
            => root.DescendantNodes().OfType<ClassDeclarationSyntax>().FirstOrDefault(c => c.SpanStart == start);
    }
}
