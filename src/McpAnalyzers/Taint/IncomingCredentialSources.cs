using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using McpAnalyzers.Symbols;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace McpAnalyzers.Taint;

/// <summary>
/// Sources of MCPSEC001 (token passthrough) and MCPSEC013 (credential exposure): the credential the
/// client sent with the MCP request, plus, for MCPSEC013 only, the server's own secrets.
/// </summary>
/// <remarks>
/// Incoming credential (both rules):
/// <list type="bullet">
/// <item><c>IHeaderDictionary.Authorization</c>, <c>Headers["Authorization"]</c> (any case, or <c>HeaderNames.Authorization</c>),
/// <c>Headers.TryGetValue("Authorization", out v)</c> — on <c>HttpRequest.Headers</c>, also through <c>IHttpContextAccessor</c>;</item>
/// <item><c>HttpContext.GetTokenAsync(...)</c>, <c>IAuthenticationService.GetTokenAsync(...)</c>, <c>AuthenticationProperties.GetTokenValue(...)</c>;</item>
/// <item>JwtBearer events: <c>MessageReceivedContext.Token</c>; the raw text of a token object
/// (<c>JwtSecurityToken.RawData</c>, <c>JsonWebToken.EncodedToken</c>, <c>SecurityToken.UnsafeToString()</c>), which is how
/// <c>TokenValidatedContext.SecurityToken</c> is turned back into the bearer string.</item>
/// </list>
/// Secrets of the server (MCPSEC013, <c>includeServerSecrets</c>): configuration values read with a constant key
/// whose last segment names a secret (<see cref="IsSecretKey"/>) through <c>IConfiguration[...]</c>,
/// <c>GetValue&lt;T&gt;(key)</c>, <c>GetSection(key).Value</c>; every <c>GetConnectionString(name)</c>; and any
/// <c>string</c> property named <c>ClientSecret</c> (Microsoft.Identity.Web / MSAL / OpenID Connect options).
/// The server's own secrets are not sources of MCPSEC001: sending its own API key is not passthrough.
/// There are no entry methods: a body is analysed when it reads a source. The provider opts in to field
/// seeding (<see cref="MayReadExpressionSource"/>), so a token stored in a field by one method is tainted
/// where another method of the type reads it.
/// </remarks>
internal sealed class IncomingCredentialSources : TaintSourceProvider
{
    private const string AuthorizationHeader = "The incoming Authorization header";

    /// <summary>Identifiers that appear in the syntax of every source form (the syntactic pre-filter).</summary>
    private static readonly ImmutableHashSet<string> CredentialIdentifiers = ImmutableHashSet.Create(
        StringComparer.Ordinal, "Authorization", "GetTokenAsync", "GetTokenValue", "Token", "RawData", "EncodedToken", "UnsafeToString");

    private static readonly ImmutableHashSet<string> SecretIdentifiers = ImmutableHashSet.Create(
        StringComparer.Ordinal, "GetConnectionString", "ClientSecret");

    /// <summary>
    /// Case-insensitive fragments of the constant keys that make an indexer, <c>TryGetValue</c>, <c>GetValue</c> or
    /// <c>GetSection</c> a source: the header name, and (MCPSEC013) what <see cref="IsSecretKey"/> accepts: a last segment
    /// ending with a secret suffix, where <c>_</c>, <c>-</c> and <c>.</c> do not count (<c>"pass"</c> also covers
    /// <c>pass_word</c> and <c>pass-phrase</c>, the <c>connection…string</c> forms also <c>ConnectionStrings:</c>; the
    /// short suffixes <c>token</c> and <c>key</c> are matched with the closing quote, as they end the key).
    /// </summary>
    private static readonly string[] AuthorizationKeyFragments = { "authorization" };

    private static readonly string[] SecretKeyFragments =
    {
        "secret", "pass", "pwd", "credential", "connectionstring", "connection_string", "connection-string", "connection.string", "token\"", "key\"",
    };

    private readonly bool _includeServerSecrets;
    private readonly SourceWords _sourceWords;
    private readonly INamedTypeSymbol? _headerDictionary;
    private readonly IPropertySymbol? _headerAuthorization;
    private readonly IFieldSymbol? _headerNamesAuthorization;
    private readonly INamedTypeSymbol? _httpContextExtensions;
    private readonly INamedTypeSymbol? _tokenExtensions;
    private readonly IPropertySymbol? _messageReceivedToken;
    private readonly IPropertySymbol? _jwtRawData;
    private readonly IPropertySymbol? _jsonWebTokenEncoded;
    private readonly INamedTypeSymbol? _securityToken;
    private readonly INamedTypeSymbol? _configuration;
    private readonly INamedTypeSymbol? _configurationSection;
    private readonly INamedTypeSymbol? _configurationBinder;
    private readonly INamedTypeSymbol? _configurationExtensions;

    private IncomingCredentialSources(Compilation compilation, bool includeServerSecrets, SourceWords sourceWords)
    {
        _includeServerSecrets = includeServerSecrets;
        _sourceWords = sourceWords;
        _headerDictionary = compilation.FindType("Microsoft.AspNetCore.Http.IHeaderDictionary");
        _headerAuthorization = _headerDictionary?.GetMembers("Authorization").OfType<IPropertySymbol>().FirstOrDefault();
        _headerNamesAuthorization = compilation.FindType("Microsoft.Net.Http.Headers.HeaderNames")?.GetMembers("Authorization").OfType<IFieldSymbol>().FirstOrDefault();
        _httpContextExtensions = compilation.FindType("Microsoft.AspNetCore.Authentication.AuthenticationHttpContextExtensions");
        _tokenExtensions = compilation.FindType("Microsoft.AspNetCore.Authentication.AuthenticationTokenExtensions");
        _messageReceivedToken = compilation.FindType("Microsoft.AspNetCore.Authentication.JwtBearer.MessageReceivedContext")
            ?.GetMembers("Token").OfType<IPropertySymbol>().FirstOrDefault();
        _jwtRawData = compilation.FindType("System.IdentityModel.Tokens.Jwt.JwtSecurityToken")?.GetMembers("RawData").OfType<IPropertySymbol>().FirstOrDefault();
        _jsonWebTokenEncoded = compilation.FindType("Microsoft.IdentityModel.JsonWebTokens.JsonWebToken")?.GetMembers("EncodedToken").OfType<IPropertySymbol>().FirstOrDefault();
        _securityToken = compilation.FindType("Microsoft.IdentityModel.Tokens.SecurityToken");
        if (includeServerSecrets)
        {
            _configuration = compilation.FindType("Microsoft.Extensions.Configuration.IConfiguration");
            _configurationSection = compilation.FindType("Microsoft.Extensions.Configuration.IConfigurationSection");
            _configurationBinder = compilation.FindType("Microsoft.Extensions.Configuration.ConfigurationBinder");
            _configurationExtensions = compilation.FindType("Microsoft.Extensions.Configuration.ConfigurationExtensions");
        }
    }

    /// <summary>
    /// The provider, or null when no file of the compilation can read a source (see <see cref="CreateSourceWords"/>):
    /// then no body has a source, the rule has nothing to find, and its analyzer registers nothing.
    /// </summary>
    public static IncomingCredentialSources? TryCreate(Compilation compilation, bool includeServerSecrets, CancellationToken cancellationToken)
    {
        var words = CreateSourceWords(compilation, includeServerSecrets, cancellationToken);
        return words.MayMatchAny(compilation) ? new IncomingCredentialSources(compilation, includeServerSecrets, words) : null;
    }

    public override bool IsEntryMethod(IMethodSymbol method) => false;

    public override string? DescribeParameterSource(IParameterSymbol parameter, IOperation? lambda) => null;

    public override TaintOrigin? GetExpressionSource(IOperation operation)
    {
        // Asked for every operation the engine evaluates: most are neither kind, answered without interface type tests.
        if (operation.Kind is not (OperationKind.PropertyReference or OperationKind.Invocation))
        {
            return null;
        }

        switch (operation)
        {
            case IPropertyReferenceOperation { Property: { } property } reference:
                return PropertySource(reference, property);

            case IInvocationOperation { TargetMethod: { } method } invocation:
                return InvocationSource(invocation, method);

            default:
                return null;
        }
    }

    private TaintOrigin? PropertySource(IPropertyReferenceOperation reference, IPropertySymbol property)
    {
        var definition = property.OriginalDefinition;
        if (property.IsIndexer)
        {
            if (reference.Arguments.Length != 1)
            {
                return null;
            }

            var key = reference.Arguments[0].Value;
            if (IsHeaderDictionary(reference.Instance?.Type) && IsAuthorizationName(key))
            {
                return TaintOrigin.Source(AuthorizationHeader);
            }

            if (_includeServerSecrets && IsConfiguration(reference.Instance?.Type) && key.ConstantValue.Value is string configKey && IsSecretKey(configKey))
            {
                return ConfigurationSource(configKey);
            }

            return null;
        }

        if (SymbolEqualityComparer.Default.Equals(definition, _headerAuthorization)
            || (property.Name == "Authorization" && _headerAuthorization is not null && IsHeaderDictionary(reference.Instance?.Type)))
        {
            return TaintOrigin.Source(AuthorizationHeader);
        }

        if (SymbolEqualityComparer.Default.Equals(definition, _messageReceivedToken))
        {
            return TaintOrigin.Source("The incoming bearer token (MessageReceivedContext.Token)");
        }

        if (SymbolEqualityComparer.Default.Equals(definition, _jwtRawData) || SymbolEqualityComparer.Default.Equals(definition, _jsonWebTokenEncoded))
        {
            return TaintOrigin.Source("The raw token (" + property.ContainingType.Name + "." + property.Name + ")");
        }

        if (!_includeServerSecrets)
        {
            return null;
        }

        // config.GetSection("Jwt:SigningKey").Value
        if (property.Name == "Value" && _configurationSection is not null
            && Implements(property.ContainingType, _configurationSection)
            && reference.Instance is IInvocationOperation { TargetMethod.Name: "GetSection", Arguments: { Length: 1 } sectionArguments }
            && sectionArguments[0].Value.ConstantValue.Value is string sectionKey
            && IsSecretKey(sectionKey))
        {
            return ConfigurationSource(sectionKey);
        }

        if (property.Name == "ClientSecret" && property.Type.SpecialType == SpecialType.System_String)
        {
            return TaintOrigin.Source("The client secret (" + property.ContainingType.Name + ".ClientSecret)");
        }

        return null;
    }

    private TaintOrigin? InvocationSource(IInvocationOperation invocation, IMethodSymbol method)
    {
        var owner = method.ContainingType?.OriginalDefinition;
        if (owner is null)
        {
            return null;
        }

        if ((method.Name == "GetTokenAsync" && (SymbolEqualityComparer.Default.Equals(owner, _httpContextExtensions) || SymbolEqualityComparer.Default.Equals(owner, _tokenExtensions)))
            || (method.Name == "GetTokenValue" && SymbolEqualityComparer.Default.Equals(owner, _tokenExtensions)))
        {
            var name = invocation.Arguments.FirstOrDefault(a => a.Parameter?.Name == "tokenName")?.Value.ConstantValue.Value as string;
            return TaintOrigin.Source("The incoming " + (name is null ? "token" : "'" + name + "'") + " (" + method.Name + ")");
        }

        if (method.Name == "UnsafeToString" && _securityToken is not null && TaintSink.IsOrDerivesFrom(owner, _securityToken))
        {
            return TaintOrigin.Source("The raw token (" + owner.Name + ".UnsafeToString())");
        }

        if (!_includeServerSecrets)
        {
            return null;
        }

        if (method.Name == "GetConnectionString" && SymbolEqualityComparer.Default.Equals(owner, _configurationExtensions))
        {
            var name = invocation.Arguments.Length == 2 ? invocation.Arguments[1].Value.ConstantValue.Value as string : null;
            return TaintOrigin.Source("The connection string" + (name is null ? string.Empty : " '" + name + "'"));
        }

        if (method.Name == "GetValue" && SymbolEqualityComparer.Default.Equals(owner, _configurationBinder)
            && invocation.Arguments.FirstOrDefault(a => a.Parameter?.Name == "key")?.Value.ConstantValue.Value is string key
            && IsSecretKey(key))
        {
            return ConfigurationSource(key);
        }

        return null;
    }

    /// <summary><c>Headers.TryGetValue("Authorization", out var value)</c> on the request's header dictionary.</summary>
    public override TaintOrigin? GetOutArgumentSource(IInvocationOperation invocation, IArgumentOperation argument)
        => invocation.TargetMethod.Name == "TryGetValue"
            && argument.Parameter?.RefKind == RefKind.Out
            && invocation.Arguments.Length == 2
            && IsHeaderDictionary(invocation.Instance?.Type)
            && IsAuthorizationName(invocation.Arguments[0].Value)
                ? TaintOrigin.Source(AuthorizationHeader)
                : null;

    public override bool SeedsFieldsFromExpressionSources => true;

    public override bool MayReadExpressionSource(SyntaxNode declaration)
    {
        if (!_sourceWords.MayMatch(declaration.SyntaxTree))
        {
            return false;
        }

        foreach (var token in declaration.DescendantTokens())
        {
            if (token.IsKind(SyntaxKind.IdentifierToken))
            {
                if (CredentialIdentifiers.Contains(token.ValueText) || (_includeServerSecrets && SecretIdentifiers.Contains(token.ValueText)))
                {
                    return true;
                }
            }
            else if (token.IsKind(SyntaxKind.StringLiteralToken)
                && (string.Equals(token.ValueText, "Authorization", StringComparison.OrdinalIgnoreCase) || (_includeServerSecrets && IsSecretKey(token.ValueText))))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The engine's pre-check (<see cref="TaintSourceProvider.MayContainSource"/>), conservative by construction: every
    /// source form above needs, in the body's own syntax, either one of the member names it matches
    /// (<c>Authorization</c>, <c>GetTokenAsync</c>, <c>TryGetValue</c>, <c>GetValue</c>, <c>GetSection</c>...: members are
    /// only reached by name in C#), or an indexer access (<c>Headers[...]</c>, <c>configuration[...]</c>). The key of an
    /// indexer is not checked beyond "not a number": it may be a constant declared anywhere (<c>configuration[Keys.ApiKey]</c>).
    /// There are no entry methods and no lambda-parameter sources, so nothing else can make a body a source.
    /// </summary>
    public override bool MayContainSource(SyntaxNode body)
    {
        if (!_sourceWords.MayMatch(body.SyntaxTree))
        {
            return false;
        }

        // Nodes rather than tokens: a member is referenced through a simple name (identifier or generic name), and
        // skipping punctuation tokens halves the items visited.
        foreach (var node in body.DescendantNodes())
        {
            if (node is SimpleNameSyntax simpleName)
            {
                var name = simpleName.Identifier.ValueText;
                if (CredentialIdentifiers.Contains(name) || name == "TryGetValue"
                    || (_includeServerSecrets && (SecretIdentifiers.Contains(name) || name is "GetValue" or "GetSection")))
                {
                    return true;
                }
            }
            else if (node is BracketedArgumentListSyntax arguments // element access, ?[...] or an initializer's [...] =
                && !(arguments.Arguments.Count == 1 && arguments.Arguments[0].Expression.IsKind(SyntaxKind.NumericLiteralExpression)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The tree-level pre-filter of both checks above (a plain text search, see <see cref="SourceTextFilter"/>): the
    /// member names of every source form, the key fragments, and the names of the string constants declared in this
    /// compilation whose value holds a key fragment, since <c>Headers[Keys.Auth]</c> spells neither the header nor the
    /// member that a cross-file constant stands for. Constants declared in referenced assemblies are not seen (their
    /// values are not in any tree here): a key reached only through such a constant is not a source.
    /// </summary>
    private static SourceWords CreateSourceWords(Compilation compilation, bool includeServerSecrets, CancellationToken cancellationToken)
    {
        var identifiers = includeServerSecrets ? CredentialIdentifiers.Union(SecretIdentifiers).ToList() : CredentialIdentifiers.ToList();
        var fragments = includeServerSecrets ? AuthorizationKeyFragments.Concat(SecretKeyFragments).ToArray() : AuthorizationKeyFragments;
        var keyFragments = new SourceTextFilter(Array.Empty<string>(), fragments);
        keyFragments.ReserveFor(compilation);
        foreach (var tree in compilation.SyntaxTrees)
        {
            if (keyFragments.MayMatch(tree, cancellationToken))
            {
                identifiers.AddRange(KeyConstantNames(tree, fragments, cancellationToken));
            }
        }

        return new SourceWords(keyFragments, new SourceTextFilter(identifiers));
    }

    /// <summary>
    /// The two halves of the tree filter: the key fragments (every tree was searched for them while looking for key
    /// constants, so that answer is cached) and the identifiers (member names and the key constants' names).
    /// </summary>
    private sealed class SourceWords
    {
        private readonly SourceTextFilter _keyFragments;
        private readonly SourceTextFilter _identifiers;

        public SourceWords(SourceTextFilter keyFragments, SourceTextFilter identifiers)
        {
            _keyFragments = keyFragments;
            _identifiers = identifiers;
        }

        public bool MayMatch(SyntaxTree tree) => _keyFragments.MayMatch(tree) || _identifiers.MayMatch(tree);

        public bool MayMatchAny(Compilation compilation)
        {
            _identifiers.ReserveFor(compilation);
            return compilation.SyntaxTrees.Any(MayMatch);
        }
    }

    /// <summary>Names of the <c>const</c> fields and locals of a tree whose initializer's text holds one of the fragments.</summary>
    private static IEnumerable<string> KeyConstantNames(SyntaxTree tree, string[] fragments, CancellationToken cancellationToken)
    {
        foreach (var variable in ConstantDeclarations.InTree(tree, includeLocals: true, cancellationToken))
        {
            var value = variable.Initializer?.Value.ToString();
            if (value is not null && fragments.Any(f => value.IndexOf(f, StringComparison.OrdinalIgnoreCase) >= 0))
            {
                yield return variable.Identifier.ValueText;
            }
        }
    }

    private static TaintOrigin ConfigurationSource(string key) => TaintOrigin.Source("The secret configuration value '" + key + "'");

    private bool IsHeaderDictionary(ITypeSymbol? type)
        => type is not null && _headerDictionary is not null
            && (SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, _headerDictionary) || Implements(type, _headerDictionary));

    private bool IsConfiguration(ITypeSymbol? type)
        => type is not null && _configuration is not null
            && (SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, _configuration) || Implements(type, _configuration));

    private static bool Implements(ITypeSymbol type, INamedTypeSymbol @interface)
        => SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, @interface) || type.AllInterfaces.Contains(@interface, SymbolEqualityComparer.Default);

    /// <summary>A constant "Authorization" (any case) or <c>HeaderNames.Authorization</c>.</summary>
    internal bool IsAuthorizationName(IOperation key)
    {
        while (key is IConversionOperation conversion)
        {
            key = conversion.Operand;
        }

        return key.ConstantValue.Value is string name
            ? string.Equals(name, "Authorization", StringComparison.OrdinalIgnoreCase)
            : key is IFieldReferenceOperation field && SymbolEqualityComparer.Default.Equals(field.Field.OriginalDefinition, _headerNamesAuthorization);
    }

    /// <summary>
    /// True when a configuration key names a secret. Only the last segment counts (after the last <c>:</c> or
    /// <c>__</c>), compared case-insensitively with <c>_</c>, <c>-</c> and <c>.</c> removed: it is a secret when it
    /// ends with <c>secret</c>, <c>secrets</c>, <c>password</c>, <c>passwd</c>, <c>pwd</c>, <c>passphrase</c>,
    /// <c>token</c>, <c>credential</c>, <c>credentials</c>, <c>connectionstring</c> or <c>key</c> (so <c>ApiKey</c>,
    /// <c>api_key</c>, <c>SigningKey</c>, <c>ClientSecret</c>, <c>AccessToken</c>), except <c>publickey</c>. Names that
    /// merely mention a secret are not (<c>KeyVaultName</c>, <c>KeyId</c>, <c>TokenEndpoint</c>, <c>SecretName</c>,
    /// <c>MaxTokens</c>). A key under <c>ConnectionStrings:</c> is a secret too (as <c>GetConnectionString</c>).
    /// </summary>
    internal static bool IsSecretKey(string? key)
    {
        if (string.IsNullOrEmpty(key))
        {
            return false;
        }

        var segments = key!.Replace("__", ":").Split(':');
        if (segments.Length > 1 && segments.Take(segments.Length - 1).Any(s => string.Equals(s, "ConnectionStrings", StringComparison.OrdinalIgnoreCase)))
        {
            return true;
        }

        var last = new string(segments[segments.Length - 1].Where(c => c is not ('_' or '-' or '.')).ToArray()).ToLowerInvariant();
        if (last.Length == 0 || last.EndsWith("publickey", StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var suffix in SecretSuffixes)
        {
            if (last.EndsWith(suffix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static readonly string[] SecretSuffixes =
    {
        "secret", "secrets", "password", "passwd", "pwd", "passphrase", "token", "credential", "credentials", "connectionstring", "key",
    };
}
