using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace McpAnalyzers.Symbols;

/// <summary>
/// Token-validation types of Microsoft.IdentityModel, System.IdentityModel.Tokens.Jwt and ASP.NET Core
/// JwtBearer, resolved once per compilation for MCPSEC003 and MCPSEC010. <see cref="TryCreate"/> returns
/// null when <c>TokenValidationParameters</c> is not referenced: nothing those rules inspect can exist then.
/// Every other member may be null (a project can reference IdentityModel without JwtBearer, for instance).
/// </summary>
internal sealed class IdentityModelSymbols
{
    private IdentityModelSymbols(Compilation compilation, INamedTypeSymbol tokenValidationParameters, McpSdkSymbols mcp)
    {
        TokenValidationParameters = tokenValidationParameters;
        JwtBearerOptions = compilation.FindType("Microsoft.AspNetCore.Authentication.JwtBearer.JwtBearerOptions");
        TokenHandler = compilation.FindType("Microsoft.IdentityModel.Tokens.TokenHandler");
        SecurityTokenValidator = compilation.FindType("Microsoft.IdentityModel.Tokens.ISecurityTokenValidator");
        JwtSecurityTokenHandler = compilation.FindType("System.IdentityModel.Tokens.Jwt.JwtSecurityTokenHandler");
        JsonWebTokenHandler = compilation.FindType("Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler");
        JwtSecurityToken = compilation.FindType("System.IdentityModel.Tokens.Jwt.JwtSecurityToken");
        JsonWebToken = compilation.FindType("Microsoft.IdentityModel.JsonWebTokens.JsonWebToken");
        Uri = compilation.FindType("System.Uri");

        // IsDevelopment()/IsEnvironment() of IHostEnvironment (current) and IHostingEnvironment (obsolete).
        EnvironmentExtensions = ImmutableArray.Create(
                compilation.FindType("Microsoft.Extensions.Hosting.HostEnvironmentEnvExtensions"),
                compilation.FindType("Microsoft.AspNetCore.Hosting.HostingEnvironmentExtensions"),
                compilation.FindType("Microsoft.Extensions.Hosting.HostingEnvironmentExtensions"))
            .Where(t => t is not null)
            .Select(t => t!)
            .ToImmutableArray();

        ValidateAudience = Property(tokenValidationParameters, "ValidateAudience");
        ValidAudience = Property(tokenValidationParameters, "ValidAudience");
        ValidAudiences = Property(tokenValidationParameters, "ValidAudiences");
        AudienceValidator = Property(tokenValidationParameters, "AudienceValidator");
        SignatureValidator = Property(tokenValidationParameters, "SignatureValidator");
        SignatureValidatorUsingConfiguration = Property(tokenValidationParameters, "SignatureValidatorUsingConfiguration");
        JwtBearerAudience = JwtBearerOptions is null ? null : Property(JwtBearerOptions, "Audience");
        JwtBearerRequireHttpsMetadata = JwtBearerOptions is null ? null : Property(JwtBearerOptions, "RequireHttpsMetadata");
        ProtectedResourceMetadataResource = mcp.ProtectedResourceMetadata is null ? null : Property(mcp.ProtectedResourceMetadata, "Resource");
    }

    public INamedTypeSymbol TokenValidationParameters { get; }
    public INamedTypeSymbol? JwtBearerOptions { get; }
    public INamedTypeSymbol? TokenHandler { get; }
    public INamedTypeSymbol? SecurityTokenValidator { get; }
    public INamedTypeSymbol? JwtSecurityTokenHandler { get; }
    public INamedTypeSymbol? JsonWebTokenHandler { get; }
    public INamedTypeSymbol? JwtSecurityToken { get; }
    public INamedTypeSymbol? JsonWebToken { get; }
    public INamedTypeSymbol? Uri { get; }
    public ImmutableArray<INamedTypeSymbol> EnvironmentExtensions { get; }

    public IPropertySymbol? ValidateAudience { get; }
    public IPropertySymbol? ValidAudience { get; }
    public IPropertySymbol? ValidAudiences { get; }
    public IPropertySymbol? AudienceValidator { get; }
    public IPropertySymbol? SignatureValidator { get; }
    public IPropertySymbol? SignatureValidatorUsingConfiguration { get; }
    public IPropertySymbol? JwtBearerAudience { get; }
    public IPropertySymbol? JwtBearerRequireHttpsMetadata { get; }

    /// <summary><c>ProtectedResourceMetadata.Resource</c> (a string in SDK 2.x, a Uri in the 0.x previews).</summary>
    public IPropertySymbol? ProtectedResourceMetadataResource { get; }

    /// <summary>Null when the compilation does not reference Microsoft.IdentityModel.Tokens.</summary>
    public static IdentityModelSymbols? TryCreate(Compilation compilation, McpSdkSymbols mcp)
    {
        var parameters = compilation.FindType("Microsoft.IdentityModel.Tokens.TokenValidationParameters");
        return parameters is null ? null : new IdentityModelSymbols(compilation, parameters, mcp);
    }

    /// <summary>
    /// The property of <paramref name="type"/> that <paramref name="property"/> is or overrides; a property
    /// of a look-alike type in another namespace never matches.
    /// </summary>
    public static bool IsProperty(IPropertySymbol? property, IPropertySymbol? expected)
    {
        if (expected is null)
        {
            return false;
        }

        for (var current = property; current is not null; current = current.OverriddenProperty)
        {
            if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, expected))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A property of <see cref="TokenValidationParameters"/> (or an override in a derived type) by name.</summary>
    public bool IsTokenValidationParametersProperty(IPropertySymbol property, string name)
        => property.Name == name && DerivesFrom(property.ContainingType, TokenValidationParameters);

    /// <summary>
    /// <c>IHostEnvironment.IsDevelopment()</c>, or <c>IsEnvironment("Development")</c> with a constant name
    /// (the host compares environment names case-insensitively).
    /// </summary>
    public bool IsDevelopmentCheck(IMethodSymbol method, ImmutableArray<IArgumentOperation> arguments)
    {
        if (!EnvironmentExtensions.Contains(method.ContainingType, SymbolEqualityComparer.Default))
        {
            return false;
        }

        if (method.Name == "IsDevelopment")
        {
            return true;
        }

        return method.Name == "IsEnvironment"
            && arguments.Length == 2
            && arguments[1].Value.ConstantValue is { HasValue: true, Value: string name }
            && string.Equals(name, "Development", System.StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// A token handler's <c>ValidateToken</c>/<c>ValidateTokenAsync</c> (JwtSecurityTokenHandler,
    /// JsonWebTokenHandler, any <c>TokenHandler</c> or <c>ISecurityTokenValidator</c>).
    /// </summary>
    public bool IsValidateTokenMethod(IMethodSymbol method)
        => method.Name is "ValidateToken" or "ValidateTokenAsync" && IsTokenHandlerType(method.ContainingType);

    public bool IsTokenHandlerType(ITypeSymbol? type)
    {
        if (type is null)
        {
            return false;
        }

        if (TokenHandler is not null && DerivesFrom(type, TokenHandler))
        {
            return true;
        }

        return SecurityTokenValidator is not null
            && type.AllInterfaces.Contains(SecurityTokenValidator, SymbolEqualityComparer.Default);
    }

    public static bool DerivesFrom(ITypeSymbol? type, ITypeSymbol baseType)
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

    private static IPropertySymbol? Property(INamedTypeSymbol type, string name)
        => type.GetMembers(name).OfType<IPropertySymbol>().FirstOrDefault(p => !p.IsStatic);
}
