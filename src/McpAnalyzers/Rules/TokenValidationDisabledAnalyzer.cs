using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using McpAnalyzers.Symbols;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace McpAnalyzers.Rules;

/// <summary>
/// MCPSEC010: a token check is switched off (signature, issuer, lifetime, expiry, HTTPS metadata), the
/// signature check is replaced by a delegate that accepts anything, or claims of a token that was only
/// parsed (<c>ReadJwtToken</c> and friends) are used in a member that never validates that token.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class TokenValidationDisabledAnalyzer : DiagnosticAnalyzer
{
    internal const string KindKey = "Kind";
    internal const string KindFlag = "Flag";
    internal const string KindSignatureValidator = "SignatureValidator";
    internal const string KindUnvalidatedClaims = "UnvalidatedClaims";

    /// <summary>
    /// The flags of <c>TokenValidationParameters</c> this rule checks, whether code in a development-only
    /// branch may turn them off (never for the signature: a forged token is as forged in development,
    /// and development servers are reachable more often than their owners think), and what an attacker gains.
    /// </summary>
    private static readonly ImmutableDictionary<string, (bool DevelopmentExemption, string Consequence)> Flags =
        new Dictionary<string, (bool, string)>
        {
            ["ValidateIssuer"] = (true, "tokens from any issuer, including other tenants and identity providers, are accepted"),
            ["ValidateLifetime"] = (true, "expired or replayed tokens are accepted"),
            ["RequireExpirationTime"] = (true, "tokens without an expiry time are accepted and never expire"),
            ["ValidateIssuerSigningKey"] = (false, "the signing key itself is not validated, so a key that expired or is no longer trusted still validates tokens"),
            ["RequireSignedTokens"] = (false, "unsigned tokens are accepted, so anyone can forge a token"),
        }.ToImmutableDictionary();

    private const string HttpsMetadataConsequence = "the issuer's metadata and signing keys are fetched over plain HTTP, so a network attacker can substitute the keys and forge tokens";

    private static readonly ImmutableHashSet<string> ReadMethods = ImmutableHashSet.Create("ReadJwtToken", "ReadJsonWebToken", "ReadToken");
    private static readonly ImmutableHashSet<string> ClaimProperties = ImmutableHashSet.Create("Claims", "Subject", "Payload", "Actor");
    private static readonly ImmutableHashSet<string> ClaimMethods = ImmutableHashSet.Create("GetClaim", "TryGetClaim", "GetPayloadValue", "TryGetPayloadValue", "TryGetValue");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.TokenValidationDisabled);

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

            start.RegisterOperationAction(c => AnalyzeAssignment(c, symbols), OperationKind.SimpleAssignment);
            if (symbols.TokenHandler is not null)
            {
                start.RegisterOperationAction(c => AnalyzeInvocation(c, symbols), OperationKind.Invocation);
            }
        });
    }

    private static void AnalyzeAssignment(OperationAnalysisContext context, IdentityModelSymbols symbols)
    {
        var assignment = (ISimpleAssignmentOperation)context.Operation;
        if (assignment.Target is not IPropertyReferenceOperation { Property: { } property })
        {
            return;
        }

        if (IdentityModelSymbols.IsProperty(property, symbols.JwtBearerRequireHttpsMetadata))
        {
            ReportFlag(context, assignment, symbols, "RequireHttpsMetadata", developmentExemption: true, HttpsMetadataConsequence);
        }
        else if (IdentityModelSymbols.IsProperty(property, symbols.SignatureValidator)
            || IdentityModelSymbols.IsProperty(property, symbols.SignatureValidatorUsingConfiguration))
        {
            if (IsUncheckedSignatureValidator(assignment.Value, symbols))
            {
                Report(context, assignment.Syntax.GetLocation(), KindSignatureValidator,
                    $"the '{property.Name}' delegate returns the token without checking its signature",
                    "anyone can forge a token");
            }
        }
        else if (Flags.TryGetValue(property.Name, out var flag) && symbols.IsTokenValidationParametersProperty(property, property.Name))
        {
            ReportFlag(context, assignment, symbols, property.Name, flag.DevelopmentExemption, flag.Consequence);
        }
    }

    private static void ReportFlag(OperationAnalysisContext context, ISimpleAssignmentOperation assignment, IdentityModelSymbols symbols, string name, bool developmentExemption, string consequence)
    {
        var setting = TokenValidationFacts.Classify(assignment, symbols, developmentExemption);
        if (setting != FlagSetting.Enabled)
        {
            Report(context, assignment.Syntax.GetLocation(), KindFlag, TokenValidationFacts.Describe(setting, name, developmentExemption), consequence);
        }
    }

    /// <summary>
    /// A signature validator that cannot reject anything and returns a token built from the raw string:
    /// <c>(token, p) =&gt; new JwtSecurityToken(token)</c>, <c>new JsonWebToken(token)</c>, a Read* call,
    /// directly or through a local.
    /// </summary>
    private static bool IsUncheckedSignatureValidator(IOperation value, IdentityModelSymbols symbols)
    {
        if (TokenValidationFacts.GetDelegateBody(value) is not { } target || TokenValidationFacts.MayReject(target.Body))
        {
            return false;
        }

        var returned = TokenValidationFacts.ReturnedValues(target.Body);
        return returned.Count > 0 && returned.All(v => v is not null && IsParsedToken(v, symbols, 0));
    }

    private static bool IsParsedToken(IOperation value, IdentityModelSymbols symbols, int depth)
    {
        value = OperationExtensions.WithoutConversions(value);
        switch (value)
        {
            case IObjectCreationOperation creation:
                return SymbolEqualityComparer.Default.Equals(creation.Type, symbols.JwtSecurityToken)
                    || SymbolEqualityComparer.Default.Equals(creation.Type, symbols.JsonWebToken);
            case IInvocationOperation invocation:
                return IsReadMethod(invocation.TargetMethod, symbols);
            case ILocalReferenceOperation local when depth < 4:
                return TokenValidationFacts.SingleInitializer(local) is { } initializer && IsParsedToken(initializer, symbols, depth + 1);
            default:
                return false;
        }
    }

    private static bool IsReadMethod(IMethodSymbol method, IdentityModelSymbols symbols)
        => ReadMethods.Contains(method.Name) && symbols.IsTokenHandlerType(method.ContainingType);

    /// <summary>
    /// A Read* call whose token's claims are used (directly or through a local) in a member that never
    /// validates that token. Tokens that the authentication handler saved after validating them
    /// (<c>GetTokenAsync</c>, <c>GetTokenValue</c>) are not flagged.
    /// </summary>
    private static void AnalyzeInvocation(OperationAnalysisContext context, IdentityModelSymbols symbols)
    {
        var read = (IInvocationOperation)context.Operation;
        if (!IsReadMethod(read.TargetMethod, symbols) || read.Arguments.Length == 0)
        {
            return;
        }

        var rawToken = OperationExtensions.WithoutConversions(read.Arguments[0].Value);
        if (ComesFromAuthenticationHandler(rawToken, 0))
        {
            return;
        }

        var root = TokenValidationFacts.Root(read);
        var claim = ClaimReadOf(read, symbols);
        ILocalSymbol? tokenLocal = null;
        if (claim is null)
        {
            tokenLocal = TokenValidationFacts.ParentSkippingConversions(read) switch
            {
                IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } => declarator.Symbol,
                ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } => target.Local,
                _ => null,
            };
            if (tokenLocal is null)
            {
                return;
            }

            claim = root.Descendants()
                .OfType<ILocalReferenceOperation>()
                .Where(r => SymbolEqualityComparer.Default.Equals(r.Local, tokenLocal))
                .Select(r => ClaimReadOf(r, symbols))
                .FirstOrDefault(c => c is not null);
            if (claim is null)
            {
                return;
            }
        }

        if (ValidatesToken(root, rawToken, tokenLocal, symbols))
        {
            return;
        }

        Report(context, read.Syntax.GetLocation(), KindUnvalidatedClaims,
            $"claims of the token parsed by '{read.TargetMethod.ContainingType.Name}.{read.TargetMethod.Name}' are used ('{claim}') but the token is never validated here",
            $"anyone can forge these claims ('{read.TargetMethod.Name}' checks no signature, issuer, audience or lifetime)");
    }

    /// <summary>The claim-bearing member read on <paramref name="token"/> (Claims, Subject, Payload, GetClaim...), or null.</summary>
    private static string? ClaimReadOf(IOperation token, IdentityModelSymbols symbols)
    {
        var parent = TokenValidationFacts.ParentSkippingConversions(token);
        var (member, isClaim) = parent switch
        {
            IPropertyReferenceOperation property => (property.Property, ClaimProperties.Contains(property.Property.Name)),
            IInvocationOperation { Instance: not null } call => ((ISymbol)call.TargetMethod, ClaimMethods.Contains(call.TargetMethod.Name)),
            _ => ((ISymbol?)null, false),
        };
        if (member is null || !isClaim)
        {
            return null;
        }

        var owner = member.ContainingType;
        return (symbols.JwtSecurityToken is not null && IdentityModelSymbols.DerivesFrom(owner, symbols.JwtSecurityToken))
            || (symbols.JsonWebToken is not null && IdentityModelSymbols.DerivesFrom(owner, symbols.JsonWebToken))
            ? member.Name
            : null;
    }

    /// <summary>
    /// True when the member calls a ValidateToken method on the same token (same string variable, the
    /// parsed token local, or an argument the analyzer cannot tell apart).
    /// </summary>
    private static bool ValidatesToken(IOperation root, IOperation rawToken, ILocalSymbol? tokenLocal, IdentityModelSymbols symbols)
    {
        var rawSymbol = ReferencedSymbol(rawToken);
        foreach (var call in root.Descendants().OfType<IInvocationOperation>())
        {
            if (!symbols.IsValidateTokenMethod(call.TargetMethod) || call.Arguments.Length == 0)
            {
                continue;
            }

            var validated = ReferencedSymbol(OperationExtensions.WithoutConversions(call.Arguments[0].Value));
            if (validated is null
                || SymbolEqualityComparer.Default.Equals(validated, rawSymbol)
                || SymbolEqualityComparer.Default.Equals(validated, tokenLocal))
            {
                return true;
            }
        }

        return false;
    }

    private static ISymbol? ReferencedSymbol(IOperation operation) => operation switch
    {
        ILocalReferenceOperation local => local.Local,
        IParameterReferenceOperation parameter => parameter.Parameter,
        IFieldReferenceOperation field => field.Field,
        IPropertyReferenceOperation { Instance: null or IInstanceReferenceOperation } property => property.Property,
        _ => null,
    };

    /// <summary><c>await HttpContext.GetTokenAsync("access_token")</c> / <c>properties.GetTokenValue(...)</c>, directly or through a local.</summary>
    private static bool ComesFromAuthenticationHandler(IOperation value, int depth)
    {
        value = OperationExtensions.WithoutConversions(value);
        switch (value)
        {
            case IAwaitOperation awaited:
                return ComesFromAuthenticationHandler(awaited.Operation, depth);
            case IInvocationOperation { TargetMethod: { Name: "GetTokenAsync" or "GetTokenValue" } method }:
                return method.ContainingNamespace?.ToDisplayString() == "Microsoft.AspNetCore.Authentication";
            case ILocalReferenceOperation local when depth < 4:
                return TokenValidationFacts.SingleInitializer(local) is { } initializer && ComesFromAuthenticationHandler(initializer, depth + 1);
            default:
                return false;
        }
    }

    private static void Report(OperationAnalysisContext context, Location location, string kind, string finding, string consequence)
        => context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.TokenValidationDisabled,
            location,
            ImmutableDictionary<string, string?>.Empty.Add(KindKey, kind),
            finding,
            consequence));
}
