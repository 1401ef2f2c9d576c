using System.Collections.Generic;
using System.Text;

namespace McpAnalyzers.Rules.PredictableSecrets;

/// <summary>What kind of protocol secret a name or header denotes.</summary>
internal enum SecretKind
{
    None,
    SessionId,
    OAuthState,
    Nonce,
    CodeVerifier,
    AuthorizationCode,
}

/// <summary>
/// The name rule of MCPSEC002. An identifier (variable, field, property, parameter or dictionary key) is
/// split into words (camelCase, PascalCase, acronyms, snake_case, kebab-case); it names a secret when its
/// trailing words are:
/// <list type="bullet">
/// <item><c>session id</c> (<c>sessionId</c>, <c>_sessionId</c>, <c>SESSION_ID</c>, <c>Mcp-Session-Id</c>);</item>
/// <item><c>nonce</c> or <c>cnonce</c>;</item>
/// <item><c>code verifier</c> or <c>pkce verifier</c>, or the whole name is <c>verifier</c>;</item>
/// <item><c>authorization code</c>, <c>auth code</c> or <c>authz code</c>;</item>
/// <item><c>state</c>, when the whole name is <c>state</c> or an earlier word is an OAuth qualifier
/// (oauth, auth…, csrf, xsrf, login, signin, oidc, pkce, sso). <c>stateMachine</c>, <c>currentState</c>,
/// <c>IsValidState</c> do not match.</item>
/// </list>
/// Matches must start at a word boundary (<c>mysessionid</c> in lower case is one word and does not match).
/// </summary>
internal static class SecretNames
{
    private static readonly string[] StateQualifiers = { "oauth", "auth", "csrf", "xsrf", "login", "signin", "oidc", "pkce", "sso" };

    public static SecretKind Classify(string? name)
    {
        if (name is null || name.Length == 0)
        {
            return SecretKind.None;
        }

        // Hungarian-style member prefixes (m_state, s_nonce) would otherwise hide an exact "state" match.
        if (name.Length > 2 && name[1] == '_' && (name[0] == 'm' || name[0] == 's'))
        {
            name = name.Substring(2);
        }

        var (joined, boundaries) = Split(name);
        if (EndsWithWords(joined, boundaries, "sessionid"))
        {
            return SecretKind.SessionId;
        }

        if (EndsWithWords(joined, boundaries, "nonce") || EndsWithWords(joined, boundaries, "cnonce"))
        {
            return SecretKind.Nonce;
        }

        if (EndsWithWords(joined, boundaries, "codeverifier") || EndsWithWords(joined, boundaries, "pkceverifier") || joined == "verifier")
        {
            return SecretKind.CodeVerifier;
        }

        if (EndsWithWords(joined, boundaries, "authorizationcode") || EndsWithWords(joined, boundaries, "authcode") || EndsWithWords(joined, boundaries, "authzcode"))
        {
            return SecretKind.AuthorizationCode;
        }

        if (joined == "state")
        {
            return SecretKind.OAuthState;
        }

        if (EndsWithWords(joined, boundaries, "state"))
        {
            var qualifier = joined.Substring(0, joined.Length - "state".Length);
            foreach (var word in StateQualifiers)
            {
                if (qualifier.Contains(word))
                {
                    return SecretKind.OAuthState;
                }
            }
        }

        return SecretKind.None;
    }

    /// <summary>True for a bare <c>state</c> name, which only counts as OAuth state on string-like targets.</summary>
    public static bool IsBareState(string? name)
    {
        if (name is null)
        {
            return false;
        }

        var (joined, _) = Split(name.Length > 2 && name[1] == '_' && (name[0] == 'm' || name[0] == 's') ? name.Substring(2) : name);
        return joined == "state";
    }

    public static string Display(SecretKind kind) => kind switch
    {
        SecretKind.SessionId => "Session ID",
        SecretKind.OAuthState => "OAuth state",
        SecretKind.Nonce => "Nonce",
        SecretKind.CodeVerifier => "PKCE code verifier",
        SecretKind.AuthorizationCode => "Authorization code",
        _ => "Secret",
    };

    /// <summary>Lower-case letters and digits of <paramref name="name"/>, and the indexes in that string where a word starts.</summary>
    private static (string Joined, HashSet<int> Boundaries) Split(string name)
    {
        var joined = new StringBuilder(name.Length);
        var boundaries = new HashSet<int>();
        var previous = '\0';
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (!char.IsLetterOrDigit(c))
            {
                previous = '\0';
                continue;
            }

            var next = i + 1 < name.Length ? name[i + 1] : '\0';
            var startsWord =
                previous == '\0'
                || (char.IsUpper(c) && char.IsLower(previous))
                || (char.IsUpper(c) && char.IsUpper(previous) && char.IsLower(next))
                || (char.IsDigit(c) != char.IsDigit(previous));
            if (startsWord)
            {
                boundaries.Add(joined.Length);
            }

            joined.Append(char.ToLowerInvariant(c));
            previous = c;
        }

        return (joined.ToString(), boundaries);
    }

    private static bool EndsWithWords(string joined, HashSet<int> boundaries, string words)
        => joined.Length >= words.Length
            && joined.EndsWith(words, System.StringComparison.Ordinal)
            && boundaries.Contains(joined.Length - words.Length);
}
