using System;
using System.Linq;
using McpAnalyzers.Symbols;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace McpAnalyzers.Rules;

public sealed partial class SessionAsAuthenticationAnalyzer
{
    /// <summary>ASP.NET Core, claims and MCP SDK symbols the rule matches, resolved once per compilation.</summary>
    private sealed class KnownTypes
    {
        private KnownTypes(Compilation compilation, McpSdkSymbols sdk, INamedTypeSymbol httpContext)
        {
            HttpContext = httpContext;
            ISession = compilation.FindType("Microsoft.AspNetCore.Http.ISession");
            SessionExtensions = compilation.FindType("Microsoft.AspNetCore.Http.SessionExtensions");
            IHeaderDictionary = compilation.FindType("Microsoft.AspNetCore.Http.IHeaderDictionary");
            ClaimsPrincipal = compilation.FindType("System.Security.Claims.ClaimsPrincipal");
            ClaimsIdentity = compilation.FindType("System.Security.Claims.ClaimsIdentity");
            Claim = compilation.FindType("System.Security.Claims.Claim");
            IPrincipal = compilation.FindType("System.Security.Principal.IPrincipal");
            IIdentity = compilation.FindType("System.Security.Principal.IIdentity");
            UnauthorizedAccessException = compilation.FindType("System.UnauthorizedAccessException");
            SecurityException = compilation.FindType("System.Security.SecurityException");
            AuthenticationException = compilation.FindType("System.Security.Authentication.AuthenticationException");
            AuthenticationServiceExtensions = compilation.FindType("Microsoft.Extensions.DependencyInjection.AuthenticationServiceCollectionExtensions");
            AuthenticationOptions = compilation.FindType("Microsoft.AspNetCore.Authentication.AuthenticationOptions");
            CookieExtensions = compilation.FindType("Microsoft.Extensions.DependencyInjection.CookieExtensions");
            JwtBearerExtensions = compilation.FindType("Microsoft.Extensions.DependencyInjection.JwtBearerExtensions");
            JwtBearerDefaults = compilation.FindType("Microsoft.AspNetCore.Authentication.JwtBearer.JwtBearerDefaults");
            AuthorizationOptions = compilation.FindType("Microsoft.AspNetCore.Authorization.AuthorizationOptions");
            AuthorizationBuilder = compilation.FindType("Microsoft.AspNetCore.Authorization.AuthorizationBuilder");
            McpEndpointRouteBuilderExtensions = sdk.McpEndpointRouteBuilderExtensions;
            AllowSessionMigration = sdk.ISessionMigrationHandler?.GetMembers("AllowSessionMigrationAsync").OfType<IMethodSymbol>().FirstOrDefault();
        }

        public INamedTypeSymbol HttpContext { get; }

        public INamedTypeSymbol? ISession { get; }

        public INamedTypeSymbol? SessionExtensions { get; }

        public INamedTypeSymbol? IHeaderDictionary { get; }

        public INamedTypeSymbol? ClaimsPrincipal { get; }

        public INamedTypeSymbol? ClaimsIdentity { get; }

        public INamedTypeSymbol? Claim { get; }

        public INamedTypeSymbol? IPrincipal { get; }

        public INamedTypeSymbol? IIdentity { get; }

        public INamedTypeSymbol? UnauthorizedAccessException { get; }

        public INamedTypeSymbol? SecurityException { get; }

        public INamedTypeSymbol? AuthenticationException { get; }

        public INamedTypeSymbol? AuthenticationServiceExtensions { get; }

        public INamedTypeSymbol? AuthenticationOptions { get; }

        public INamedTypeSymbol? CookieExtensions { get; }

        public INamedTypeSymbol? JwtBearerExtensions { get; }

        public INamedTypeSymbol? JwtBearerDefaults { get; }

        public INamedTypeSymbol? AuthorizationOptions { get; }

        public INamedTypeSymbol? AuthorizationBuilder { get; }

        public INamedTypeSymbol? McpEndpointRouteBuilderExtensions { get; }

        public IMethodSymbol? AllowSessionMigration { get; }

        /// <summary>Null without ASP.NET Core: every MCPSEC004 form involves its types.</summary>
        public static KnownTypes? TryCreate(Compilation compilation, McpSdkSymbols sdk)
            => compilation.FindType("Microsoft.AspNetCore.Http.HttpContext") is { } httpContext
                ? new KnownTypes(compilation, sdk, httpContext)
                : null;

        public bool IsHttpContext(ITypeSymbol? type) => Inherits(type, HttpContext);

        /// <summary><c>SessionExtensions.GetString/GetInt32/Get</c> and <c>ISession.TryGetValue</c> (also through an implementing class).</summary>
        public bool IsSessionRead(IMethodSymbol method)
        {
            switch (method.Name)
            {
                case "GetString" or "GetInt32" or "Get":
                    return SessionExtensions is not null && SymbolEqualityComparer.Default.Equals(method.ContainingType, SessionExtensions);
                case "TryGetValue":
                    if (ISession is null)
                    {
                        return false;
                    }

                    if (SymbolEqualityComparer.Default.Equals(method.ContainingType, ISession))
                    {
                        return true;
                    }

                    var interfaceMember = ISession.GetMembers("TryGetValue").FirstOrDefault();
                    return interfaceMember is not null
                        && method.ContainingType?.AllInterfaces.Contains(ISession, SymbolEqualityComparer.Default) == true
                        && SymbolEqualityComparer.Default.Equals(method.ContainingType.FindImplementationForInterfaceMember(interfaceMember), method);
                default:
                    return false;
            }
        }

        /// <summary><c>Headers["Mcp-Session-Id"]</c> on an <c>IHeaderDictionary</c> (the name may come from any constant).</summary>
        public bool IsHeaderIndexerRead(IPropertyReferenceOperation reference)
            => reference.Property.IsIndexer
               && reference.Arguments.Length == 1
               && IsSessionIdHeaderName(reference.Arguments[0].Value)
               && IsHeaderDictionary(reference.Instance?.Type)
               && !(reference.Parent is ISimpleAssignmentOperation assignment && assignment.Target == reference);

        /// <summary><c>Headers.TryGetValue("Mcp-Session-Id", out var id)</c>.</summary>
        public bool IsHeaderTryGetValue(IInvocationOperation invocation)
            => invocation.TargetMethod.Name == "TryGetValue"
               && invocation.Arguments.Length == 2
               && IsSessionIdHeaderName(invocation.Arguments[0].Value)
               && IsHeaderDictionary(invocation.Instance?.Type);

        private static bool IsSessionIdHeaderName(IOperation operation)
            => operation.ConstantValue is { HasValue: true, Value: string name }
               && string.Equals(name, McpSessionIdHeader, StringComparison.OrdinalIgnoreCase);

        private bool IsHeaderDictionary(ITypeSymbol? type)
            => IHeaderDictionary is not null
               && type is not null
               && (SymbolEqualityComparer.Default.Equals(type, IHeaderDictionary) || type.AllInterfaces.Contains(IHeaderDictionary, SymbolEqualityComparer.Default));

        /// <summary>A value whose type is the authenticated principal or identity (HttpContext.User, a ClaimsPrincipal parameter, controller User).</summary>
        public bool IsPrincipalType(ITypeSymbol? type)
            => type is not null && (Inherits(type, ClaimsPrincipal) || Inherits(type, ClaimsIdentity) || Implements(type, IPrincipal) || Implements(type, IIdentity));

        /// <summary>A lookup's value type that holds identity: principals, identities, claims, or a type named for users/roles/claims.</summary>
        public bool TypeSaysIdentity(ITypeSymbol? type)
        {
            if (type is null || type.TypeKind == TypeKind.Error)
            {
                return false;
            }

            if (type is INamedTypeSymbol { IsGenericType: true, OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
            {
                type = nullable.TypeArguments[0];
            }

            if (type is IArrayTypeSymbol array)
            {
                type = array.ElementType;
            }
            else if (type is INamedTypeSymbol { IsGenericType: true } generic && type.SpecialType != SpecialType.System_String
                && type.AllInterfaces.Any(i => i.OriginalDefinition.SpecialType == SpecialType.System_Collections_Generic_IEnumerable_T))
            {
                type = generic.TypeArguments[generic.TypeArguments.Length - 1];
            }

            if (IsPrincipalType(type) || Inherits(type, Claim))
            {
                return true;
            }

            return type.SpecialType == SpecialType.None && IdentityNames.TypeNameSaysIdentity(type.Name);
        }

        public bool IsAuthorizationConfiguration(INamedTypeSymbol? type)
            => type is not null
               && (SymbolEqualityComparer.Default.Equals(type, AuthorizationOptions) || SymbolEqualityComparer.Default.Equals(type, AuthorizationBuilder));

        /// <summary>The method implements <c>ISessionMigrationHandler.AllowSessionMigrationAsync</c> (implicitly or explicitly).</summary>
        public bool IsAllowSessionMigration(IMethodSymbol method)
        {
            if (AllowSessionMigration is null || method.ContainingType is null || method.Name.IndexOf("AllowSessionMigrationAsync", StringComparison.Ordinal) < 0)
            {
                return false;
            }

            return method.ExplicitInterfaceImplementations.Contains(AllowSessionMigration, SymbolEqualityComparer.Default)
                || SymbolEqualityComparer.Default.Equals(method.ContainingType.FindImplementationForInterfaceMember(AllowSessionMigration), method);
        }

        /// <summary>Answers a request with 401/403: a 401/403 constant, Results/TypedResults/controller Unauthorized/Forbid/Challenge, or an access exception.</summary>
        public bool IsDenial(IOperation operation) => operation switch
        {
            { ConstantValue: { HasValue: true, Value: int code } } => code is 401 or 403,
            IInvocationOperation invocation => invocation.TargetMethod.Name is "Unauthorized" or "Forbid" or "Challenge" or "ForbidAsync" or "ChallengeAsync"
                                               && IsAspNetCore(invocation.TargetMethod.ContainingType),
            IObjectCreationOperation creation => Inherits(creation.Type, UnauthorizedAccessException)
                                                 || Inherits(creation.Type, SecurityException)
                                                 || Inherits(creation.Type, AuthenticationException)
                                                 || (creation.Type?.Name is "UnauthorizedResult" or "UnauthorizedObjectResult" or "ForbidResult" or "ChallengeResult"
                                                     && IsAspNetCore(creation.Type)),
            _ => false,
        };

        /// <summary>Answers 404 — the transport's own "unknown session" reply, not an authorization decision.</summary>
        public static bool IsNotFound(IOperation operation) => operation switch
        {
            { ConstantValue: { HasValue: true, Value: int code } } => code == 404,
            IInvocationOperation invocation => invocation.TargetMethod.Name == "NotFound" && IsAspNetCore(invocation.TargetMethod.ContainingType),
            IObjectCreationOperation creation => creation.Type?.Name is "NotFoundResult" or "NotFoundObjectResult" && IsAspNetCore(creation.Type),
            _ => false,
        };

        private static bool IsAspNetCore(ITypeSymbol? type)
            => type?.ContainingNamespace?.ToDisplayString().StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal) == true;

        private static bool Inherits(ITypeSymbol? type, INamedTypeSymbol? baseType)
        {
            if (baseType is null)
            {
                return false;
            }

            for (var current = type; current is not null; current = current.BaseType)
            {
                if (SymbolEqualityComparer.Default.Equals(current, baseType))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool Implements(ITypeSymbol type, INamedTypeSymbol? @interface)
            => @interface is not null
               && (SymbolEqualityComparer.Default.Equals(type, @interface) || type.AllInterfaces.Contains(@interface, SymbolEqualityComparer.Default));
    }
}
