using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using McpAnalyzers.Symbols;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace McpAnalyzers.Rules;

/// <summary>
/// MCPSEC003: the server does not check that a token was issued for it. Per-statement forms
/// (<c>ValidateAudience</c>, <c>AudienceValidator</c>, hand validation without an audience) are reported
/// as soon as the operation is seen, so the IDE shows them live. The forms that compare audiences with
/// <c>ProtectedResourceMetadata.Resource</c> need every constant of the compilation: they are recorded
/// into a per-compilation collection and reported at compilation end.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class TokenAudienceNotValidatedAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property telling the code fix which form it is fixing.</summary>
    internal const string KindKey = "Kind";
    internal const string KindValidateAudience = "ValidateAudience";
    internal const string KindAudienceValidator = "AudienceValidator";
    internal const string KindNoAudience = "NoAudience";
    internal const string KindMixedAudiences = "MixedAudiences";
    internal const string KindAudienceMismatch = "AudienceMismatch";

    private const string OtherApis = "tokens issued for other APIs are accepted";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.TokenAudienceNotValidated, Descriptors.TokenAudienceMismatch);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze | GeneratedCodeAnalysisFlags.ReportDiagnostics);
        context.RegisterCompilationStartAction(start =>
        {
            var mcp = McpSdkSymbols.TryCreate(start.Compilation);
            if (mcp is null)
            {
                return;
            }

            var symbols = IdentityModelSymbols.TryCreate(start.Compilation, mcp);
            if (symbols is null)
            {
                return;
            }

            // Cross-statement facts are only collected when the SDK has the resource property to compare with.
            var facts = symbols.ProtectedResourceMetadataResource is null ? null : new AudienceFacts();
            start.RegisterOperationAction(c => AnalyzeAssignment(c, symbols, facts), OperationKind.SimpleAssignment);
            start.RegisterOperationAction(c => AnalyzeObjectCreation(c, symbols), OperationKind.ObjectCreation);
            if (facts is not null)
            {
                start.RegisterCompilationEndAction(facts.Report);
            }
        });
    }

    private static void AnalyzeAssignment(OperationAnalysisContext context, IdentityModelSymbols symbols, AudienceFacts? facts)
    {
        var assignment = (ISimpleAssignmentOperation)context.Operation;
        if (assignment.Target is not IPropertyReferenceOperation { Property: { } property })
        {
            return;
        }

        if (IdentityModelSymbols.IsProperty(property, symbols.ValidateAudience))
        {
            var setting = TokenValidationFacts.Classify(assignment, symbols, developmentExemption: true);
            if (setting != FlagSetting.Enabled)
            {
                Report(context, assignment.Syntax.GetLocation(), KindValidateAudience, TokenValidationFacts.Describe(setting, "ValidateAudience", developmentExemption: true), OtherApis);
            }
        }
        else if (IdentityModelSymbols.IsProperty(property, symbols.AudienceValidator))
        {
            AnalyzeAudienceValidator(context, assignment, symbols);
        }
        else if (facts is not null)
        {
            if (IdentityModelSymbols.IsProperty(property, symbols.ProtectedResourceMetadataResource))
            {
                facts.Resources.Add(ResourceConstant(assignment.Value, symbols));
            }
            else if (IdentityModelSymbols.IsProperty(property, symbols.ValidAudience) || IdentityModelSymbols.IsProperty(property, symbols.JwtBearerAudience))
            {
                if (assignment.Value.ConstantValue is { HasValue: true, Value: string audience })
                {
                    facts.Audiences.Add(new AudienceAssignment(assignment.Syntax.GetLocation(), property.Name, ImmutableArray.Create(audience)));
                }
            }
            else if (IdentityModelSymbols.IsProperty(property, symbols.ValidAudiences))
            {
                var constants = ConstantElements(assignment.Value);
                if (constants.Length > 1)
                {
                    facts.Audiences.Add(new AudienceAssignment(assignment.Syntax.GetLocation(), property.Name, constants));
                }
            }
        }
    }

    private static void AnalyzeAudienceValidator(OperationAnalysisContext context, ISimpleAssignmentOperation assignment, IdentityModelSymbols symbols)
    {
        if (TokenValidationFacts.GetDelegateBody(assignment.Value) is not { } target)
        {
            return;
        }

        var returned = TokenValidationFacts.ReturnedValues(target.Body);
        var alwaysTrue = returned.Count > 0
            && returned.All(v => v?.ConstantValue is { HasValue: true, Value: true })
            && !TokenValidationFacts.MayReject(target.Body);
        string? finding = null;
        if (alwaysTrue)
        {
            finding = "the 'AudienceValidator' delegate always returns true";
        }
        else if (target.Method.Parameters.Length == 0 || !TokenValidationFacts.ReadsParameter(target.Body, target.Method.Parameters[0]))
        {
            finding = "the 'AudienceValidator' delegate never reads the token's audiences";
        }

        if (finding is not null && !TokenValidationFacts.IsInDevelopmentOnlyBranch(assignment, symbols))
        {
            Report(context, assignment.Syntax.GetLocation(), KindAudienceValidator, finding, OtherApis);
        }
    }

    /// <summary>
    /// <c>new TokenValidationParameters { ... }</c> passed (directly or through a local of the same member)
    /// to a token handler's ValidateToken/ValidateTokenAsync without any audience.
    /// </summary>
    private static void AnalyzeObjectCreation(OperationAnalysisContext context, IdentityModelSymbols symbols)
    {
        var creation = (IObjectCreationOperation)context.Operation;
        if (creation.Constructor is not { Parameters.Length: 0 }
            || !SymbolEqualityComparer.Default.Equals(creation.Type, symbols.TokenValidationParameters))
        {
            return;
        }

        var assigned = new HashSet<IPropertySymbol>(SymbolEqualityComparer.Default);
        var validateAudienceDisabledOrUnknown = false;
        foreach (var initializer in creation.Initializer?.Initializers ?? ImmutableArray<IOperation>.Empty)
        {
            if (initializer is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property: { } property } } member)
            {
                assigned.Add(property.OriginalDefinition);
                validateAudienceDisabledOrUnknown |= IdentityModelSymbols.IsProperty(property, symbols.ValidateAudience)
                    && member.Value.ConstantValue is not { HasValue: true, Value: true };
            }
        }

        var validation = FindValidationUse(creation, symbols, assigned, ref validateAudienceDisabledOrUnknown);
        if (validation is null
            || validateAudienceDisabledOrUnknown // reported (or exempted) at the ValidateAudience assignment
            || assigned.Any(p => IdentityModelSymbols.IsProperty(p, symbols.ValidAudience)
                || IdentityModelSymbols.IsProperty(p, symbols.ValidAudiences)
                || IdentityModelSymbols.IsProperty(p, symbols.AudienceValidator)))
        {
            return;
        }

        var syntax = creation.Syntax;
        var end = syntax switch
        {
            ObjectCreationExpressionSyntax explicitNew => explicitNew.Type.Span.End,
            ImplicitObjectCreationExpressionSyntax implicitNew => implicitNew.ArgumentList.Span.End,
            _ => syntax.Span.End,
        };
        var location = Location.Create(syntax.SyntaxTree, TextSpan.FromBounds(syntax.SpanStart, end));
        Report(
            context,
            location,
            KindNoAudience,
            $"'{validation.ContainingType.Name}.{validation.Name}' validates tokens with TokenValidationParameters that set no 'ValidAudience', 'ValidAudiences' or 'AudienceValidator'",
            "nothing binds the token to this MCP server (IdentityModel rejects such tokens with IDX10208 until an audience is set; turning 'ValidateAudience' off instead accepts tokens issued for other APIs)");
    }

    /// <summary>
    /// The ValidateToken method the new parameters reach, or null. A local is followed through the member
    /// body: property writes on it are recorded; any other use (passed elsewhere, stored, reassigned) means
    /// the audience may be set out of sight, so the answer is null.
    /// </summary>
    private static IMethodSymbol? FindValidationUse(IObjectCreationOperation creation, IdentityModelSymbols symbols, HashSet<IPropertySymbol> assigned, ref bool validateAudienceDisabledOrUnknown)
    {
        var parent = TokenValidationFacts.ParentSkippingConversions(creation);
        if (parent is IArgumentOperation { Parent: IInvocationOperation direct } && symbols.IsValidateTokenMethod(direct.TargetMethod))
        {
            return direct.TargetMethod;
        }

        if (parent is not IVariableInitializerOperation { Parent: IVariableDeclaratorOperation { Symbol: { } local } })
        {
            return null;
        }

        IMethodSymbol? validation = null;
        foreach (var reference in TokenValidationFacts.Root(creation).Descendants().OfType<ILocalReferenceOperation>())
        {
            if (!SymbolEqualityComparer.Default.Equals(reference.Local, local))
            {
                continue;
            }

            var use = TokenValidationFacts.ParentSkippingConversions(reference);
            switch (use)
            {
                case IPropertyReferenceOperation { Property: { } property } propertyReference:
                    if (propertyReference.Parent is ISimpleAssignmentOperation write && ReferenceEquals(write.Target, propertyReference))
                    {
                        assigned.Add(property.OriginalDefinition);
                        validateAudienceDisabledOrUnknown |= IdentityModelSymbols.IsProperty(property, symbols.ValidateAudience)
                            && write.Value.ConstantValue is not { HasValue: true, Value: true };
                    }
                    else if (propertyReference.Parent is IAssignmentOperation or IInvocationOperation)
                    {
                        // Compound assignment or a collection mutated through a getter: treat as set.
                        assigned.Add(property.OriginalDefinition);
                    }

                    break;
                case IArgumentOperation { Parent: IInvocationOperation invocation } when symbols.IsValidateTokenMethod(invocation.TargetMethod):
                    validation = invocation.TargetMethod;
                    break;
                case IMemberReferenceOperation or IInvocationOperation { Instance: not null }:
                    // Reading a member or calling an instance method (Clone()) leaves the audience as is.
                    break;
                default:
                    return null;
            }
        }

        return validation;
    }

    private static void Report(OperationAnalysisContext context, Location location, string kind, string finding, string consequence)
        => context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.TokenAudienceNotValidated,
            location,
            ImmutableDictionary<string, string?>.Empty.Add(KindKey, kind),
            finding,
            consequence));

    /// <summary>The constant string a ProtectedResourceMetadata.Resource is set to (string or <c>new Uri("...")</c>); null if not constant.</summary>
    private static string? ResourceConstant(IOperation value, IdentityModelSymbols symbols)
    {
        value = OperationExtensions.WithoutConversions(value);
        if (value.ConstantValue is { HasValue: true, Value: string text })
        {
            return text;
        }

        return value is IObjectCreationOperation { Arguments.Length: 1 } uri
            && SymbolEqualityComparer.Default.Equals(uri.Type, symbols.Uri)
            && uri.Arguments[0].Value.ConstantValue is { HasValue: true, Value: string uriText }
            ? uriText
            : null;
    }

    /// <summary>The constant strings of an audience list: array creation, collection expression or collection initializer.</summary>
    private static ImmutableArray<string> ConstantElements(IOperation value)
    {
        value = OperationExtensions.WithoutConversions(value);
        IEnumerable<IOperation> elements = value switch
        {
            IArrayCreationOperation { Initializer: { } initializer } => initializer.ElementValues,
            IObjectCreationOperation { Initializer: { } collection } => collection.Initializers
                .OfType<IInvocationOperation>()
                .Where(add => add.Arguments.Length == 1)
                .Select(add => add.Arguments[0].Value),
            _ => Enumerable.Empty<IOperation>(),
        };

        var constants = elements
            .Select(e => e.ConstantValue is { HasValue: true, Value: string text } ? text : null)
            .Where(t => t is not null)
            .Select(t => t!)
            .ToImmutableArray();
        if (!constants.IsEmpty)
        {
            return constants;
        }

        // A collection expression ([a, b]) has no dedicated operation in the Roslyn 4.8 API: read its elements.
        if (value.Syntax is CollectionExpressionSyntax collectionExpression && value.SemanticModel is { } model)
        {
            return collectionExpression.Elements
                .OfType<ExpressionElementSyntax>()
                .Select(e => model.GetConstantValue(e.Expression))
                .Where(c => c is { HasValue: true, Value: string })
                .Select(c => (string)c.Value!)
                .ToImmutableArray();
        }

        return ImmutableArray<string>.Empty;
    }

    /// <summary>
    /// Audience comparison as IdentityModel does it by default: ordinal, ignoring one trailing slash
    /// (<c>TokenValidationParameters.IgnoreTrailingSlashWhenValidatingAudience</c> defaults to true).
    /// </summary>
    internal static string NormalizeAudience(string audience)
        => audience.Length > 1 && audience[audience.Length - 1] == '/' ? audience.Substring(0, audience.Length - 1) : audience;

    private sealed class AudienceAssignment
    {
        public AudienceAssignment(Location location, string property, ImmutableArray<string> audiences)
        {
            Location = location;
            Property = property;
            Audiences = audiences;
        }

        public Location Location { get; }
        public string Property { get; }
        public ImmutableArray<string> Audiences { get; }
    }

    /// <summary>Per-compilation facts for the compilation-end comparison; filled concurrently.</summary>
    private sealed class AudienceFacts
    {
        /// <summary>Every value ProtectedResourceMetadata.Resource is set to; null for a non-constant one.</summary>
        public ConcurrentBag<string?> Resources { get; } = new();

        public ConcurrentBag<AudienceAssignment> Audiences { get; } = new();

        public void Report(CompilationAnalysisContext context)
        {
            // Nothing to compare with, or a resource computed at run time (it could be any of the audiences).
            if (Resources.IsEmpty || Audiences.IsEmpty || Resources.Any(r => r is null))
            {
                return;
            }

            var resources = Resources.Select(r => NormalizeAudience(r!)).ToImmutableHashSet(StringComparer.Ordinal);
            var resourceText = Resources.Select(r => r!).OrderBy(r => r, StringComparer.Ordinal).First();
            foreach (var assignment in Audiences)
            {
                var own = assignment.Audiences.Where(a => resources.Contains(NormalizeAudience(a))).ToList();
                var others = assignment.Audiences.Where(a => !resources.Contains(NormalizeAudience(a))).ToList();
                if (assignment.Audiences.Length == 1 && own.Count == 0)
                {
                    context.ReportDiagnostic(Diagnostic.Create(
                        Descriptors.TokenAudienceMismatch,
                        assignment.Location,
                        ImmutableDictionary<string, string?>.Empty.Add(KindKey, KindAudienceMismatch),
                        $"'{assignment.Property}' is '{others[0]}' but ProtectedResourceMetadata.Resource is '{resourceText}'",
                        $"tokens issued for '{others[0]}' are accepted and tokens issued for this MCP server are rejected"));
                }
                else if (assignment.Audiences.Length > 1 && own.Count > 0 && others.Count > 0)
                {
                    context.ReportDiagnostic(Diagnostic.Create(
                        Descriptors.TokenAudienceMismatch,
                        assignment.Location,
                        ImmutableDictionary<string, string?>.Empty.Add(KindKey, KindMixedAudiences),
                        $"'{assignment.Property}' accepts '{others[0]}' besides this MCP server's resource '{own[0]}'",
                        "a token issued for another API is accepted here (the token passthrough door)"));
                }
            }
        }
    }
}
