using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using McpAnalyzers.Options;
using McpAnalyzers.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Simplification;

namespace McpAnalyzers.CodeFixes;

/// <summary>
/// Finds the expression the MCPSEC003 fix assigns to <c>ValidAudience</c>: never a made-up URL.
/// <list type="number">
/// <item>The server's own <c>ProtectedResourceMetadata.Resource</c>: when every assignment of it in the
/// compilation is the same constant, the const (or static readonly) member it names if accessible at
/// the fix location, else the constant itself as a literal.</item>
/// <item>Otherwise configuration: <c>x["key"]</c> on an <c>IConfiguration</c> in scope, or
/// <c>x.Configuration["key"]</c> on a builder/app/context in scope (WebApplicationBuilder,
/// IHostApplicationBuilder, WebApplication, HostBuilderContext...). The key is the one the resource
/// itself is read from when it is read from configuration, else the option
/// <c>mcpsec.MCPSEC003.resource_config_key</c>, default <c>McpServer:Resource</c>.</item>
/// <item>Nothing: the caller then only switches validation on (IdentityModel fails closed without an audience).</item>
/// </list>
/// </summary>
internal static class AudienceSource
{
    public const string DefaultConfigKey = "McpServer:Resource";
    public const string ConfigKeyOption = "resource_config_key";

    private sealed class Resource
    {
        public string? Constant { get; set; }
        public ISymbol? Member { get; set; }
        public string? ConfigKey { get; set; }
    }

    public static async Task<ExpressionSyntax?> FindAsync(Document document, SemanticModel model, int position, CancellationToken cancellationToken)
    {
        var resources = await FindResourcesAsync(model.Compilation, cancellationToken).ConfigureAwait(false);
        var generator = SyntaxGenerator.GetGenerator(document);

        if (resources.Count > 0 && resources.All(r => r.Constant is not null)
            && resources.Select(r => TokenAudienceNotValidatedAnalyzer.NormalizeAudience(r.Constant!)).Distinct(StringComparer.Ordinal).Count() == 1)
        {
            var member = resources.Select(r => r.Member).FirstOrDefault(m => m is not null && IsReachable(model, position, m));
            return member is not null
                ? MemberExpression(generator, model, position, member)
                : SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(resources[0].Constant!));
        }

        if (resources.Count > 0 && resources.All(r => r.Member is not null && r.Constant is null)
            && resources.Select(r => r.Member).Distinct(SymbolEqualityComparer.Default).Count() == 1
            && IsReachable(model, position, resources[0].Member!))
        {
            // static readonly member: same value at run time wherever it is read.
            return MemberExpression(generator, model, position, resources[0].Member!);
        }

        var key = resources.Select(r => r.ConfigKey).FirstOrDefault(k => k is not null)
            ?? RuleOptions.GetString(document.Project.AnalyzerOptions, model.SyntaxTree, RuleIds.TokenAudienceNotValidated, ConfigKeyOption)
            ?? DefaultConfigKey;
        return ConfigurationRead(model, position, key);
    }

    private static async Task<List<Resource>> FindResourcesAsync(Compilation compilation, CancellationToken cancellationToken)
    {
        var result = new List<Resource>();
        var resourceProperty = compilation.GetTypeByMetadataName("ModelContextProtocol.Authentication.ProtectedResourceMetadata")?
            .GetMembers("Resource").OfType<IPropertySymbol>().FirstOrDefault();
        if (resourceProperty is null)
        {
            return result;
        }

        foreach (var tree in compilation.SyntaxTrees)
        {
            var root = await tree.GetRootAsync(cancellationToken).ConfigureAwait(false);
            SemanticModel? treeModel = null;
            foreach (var assignment in root.DescendantNodes().OfType<AssignmentExpressionSyntax>())
            {
                var name = TokenValidationSyntax.AssignedName(assignment);
                if (name != "Resource")
                {
                    continue;
                }

                treeModel ??= compilation.GetSemanticModel(tree);
                if (SymbolEqualityComparer.Default.Equals(treeModel.GetSymbolInfo(assignment.Left, cancellationToken).Symbol?.OriginalDefinition, resourceProperty))
                {
                    result.Add(Describe(treeModel, assignment.Right, cancellationToken));
                }
            }
        }

        return result;
    }

    private static Resource Describe(SemanticModel model, ExpressionSyntax value, CancellationToken cancellationToken)
    {
        // Old SDKs type Resource as Uri: new Uri("https://...").
        if (value is BaseObjectCreationExpressionSyntax { ArgumentList.Arguments.Count: 1 } creation
            && model.GetTypeInfo(creation, cancellationToken).Type?.ToDisplayString() == "System.Uri")
        {
            value = creation.ArgumentList!.Arguments[0].Expression;
        }

        var resource = new Resource();
        var constant = model.GetConstantValue(value, cancellationToken);
        if (constant.HasValue && constant.Value is string text)
        {
            resource.Constant = text;
        }

        var symbol = model.GetSymbolInfo(value, cancellationToken).Symbol;
        if (symbol is IFieldSymbol { IsConst: true } or IFieldSymbol { IsStatic: true, IsReadOnly: true } or IPropertySymbol { IsStatic: true, SetMethod: null }
            || (symbol is ILocalSymbol { IsConst: true }))
        {
            resource.Member = symbol;
        }

        // builder.Configuration["McpServer:Resource"] (possibly with a null-forgiving !): reuse the key.
        var unwrapped = value is PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.SuppressNullableWarningExpression } bang ? bang.Operand : value;
        if (unwrapped is ElementAccessExpressionSyntax { ArgumentList.Arguments.Count: 1 } access
            && IsConfiguration(model.GetTypeInfo(access.Expression, cancellationToken).Type)
            && model.GetConstantValue(access.ArgumentList.Arguments[0].Expression, cancellationToken) is { HasValue: true, Value: string key })
        {
            resource.ConfigKey = key;
        }

        return resource;
    }

    private static bool IsReachable(SemanticModel model, int position, ISymbol member)
    {
        if (member is ILocalSymbol local)
        {
            return model.LookupSymbols(position, name: local.Name).Any(s => SymbolEqualityComparer.Default.Equals(s, local))
                && local.DeclaringSyntaxReferences.All(r => r.SyntaxTree == model.SyntaxTree && r.Span.End <= position);
        }

        return model.IsAccessible(position, member);
    }

    private static ExpressionSyntax MemberExpression(SyntaxGenerator generator, SemanticModel model, int position, ISymbol member)
    {
        if (member is ILocalSymbol || model.LookupSymbols(position, name: member.Name).Any(s => SymbolEqualityComparer.Default.Equals(s, member)))
        {
            return SyntaxFactory.IdentifierName(member.Name);
        }

        return ((ExpressionSyntax)generator.MemberAccessExpression(generator.TypeExpression(member.ContainingType), member.Name))
            .WithAdditionalAnnotations(Simplifier.Annotation);
    }

    /// <summary><c>config["key"]</c> or <c>builder.Configuration["key"]</c> from the nearest suitable local, parameter or member.</summary>
    private static ExpressionSyntax? ConfigurationRead(SemanticModel model, int position, string key)
    {
        var keyLiteral = SyntaxFactory.Argument(SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(key)));
        var candidates = new List<(int Rank, int Declared, ExpressionSyntax Expression)>();
        foreach (var symbol in model.LookupSymbols(position))
        {
            var (type, isLocal) = symbol switch
            {
                ILocalSymbol local => (local.Type, true),
                IParameterSymbol parameter => (parameter.Type, true),
                IFieldSymbol field => (field.Type, false),
                IPropertySymbol { IsIndexer: false } property => (property.Type, false),
                _ => ((ITypeSymbol?)null, false),
            };
            if (type is null || (symbol is ILocalSymbol && symbol.DeclaringSyntaxReferences.Any(r => r.SyntaxTree != model.SyntaxTree || r.Span.End > position)))
            {
                continue;
            }

            ExpressionSyntax? expression = null;
            var rank = isLocal ? 0 : 2;
            if (IsConfiguration(type))
            {
                expression = SyntaxFactory.ElementAccessExpression(SyntaxFactory.IdentifierName(symbol.Name), SyntaxFactory.BracketedArgumentList(SyntaxFactory.SingletonSeparatedList(keyLiteral)));
            }
            else if (type.GetMembers("Configuration").OfType<IPropertySymbol>().Concat(type.AllInterfaces.SelectMany(i => i.GetMembers("Configuration").OfType<IPropertySymbol>()))
                .Any(p => !p.IsStatic && IsConfiguration(p.Type)))
            {
                rank++;
                expression = SyntaxFactory.ElementAccessExpression(
                    SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, SyntaxFactory.IdentifierName(symbol.Name), SyntaxFactory.IdentifierName("Configuration")),
                    SyntaxFactory.BracketedArgumentList(SyntaxFactory.SingletonSeparatedList(keyLiteral)));
            }

            // The binder has the last word: static contexts, static lambdas and shadowing all show up here.
            if (expression is not null
                && model.GetSpeculativeSymbolInfo(position, expression, SpeculativeBindingOption.BindAsExpression).Symbol is IPropertySymbol { IsIndexer: true })
            {
                var declared = symbol.DeclaringSyntaxReferences.FirstOrDefault()?.Span.Start ?? -1;
                candidates.Add((rank, declared, expression));
            }
        }

        return candidates
            .OrderBy(c => c.Rank)
            .ThenByDescending(c => c.Declared)
            .Select(c => c.Expression)
            .FirstOrDefault();
    }

    private static bool IsConfiguration(ITypeSymbol? type)
        => type is not null
            && (type.ToDisplayString() == "Microsoft.Extensions.Configuration.IConfiguration"
                || type.AllInterfaces.Any(i => i.ToDisplayString() == "Microsoft.Extensions.Configuration.IConfiguration"));
}
