using System;
using System.Collections.Generic;
using System.Text;

namespace McpAnalyzers.Rules;

/// <summary>What an identity-naming key asks for; decides which claim the MCPSEC004 fix reads instead.</summary>
internal enum IdentityKeyKind
{
    /// <summary>Not identity or permission.</summary>
    None,

    /// <summary>The user's identifier (user, userId, sub, subject): <c>ClaimTypes.NameIdentifier</c>.</summary>
    UserId,

    /// <summary>The user's name (userName, login): <c>ClaimTypes.Name</c>.</summary>
    UserName,

    /// <summary>The user's e-mail address: <c>ClaimTypes.Email</c>.</summary>
    Email,

    /// <summary>The user's role(s): <c>ClaimTypes.Role</c>.</summary>
    Role,

    /// <summary>The user principal name: <c>ClaimTypes.Upn</c>.</summary>
    Upn,

    /// <summary>Identity or permission without a single-claim replacement (permissions, scopes, isAdmin, tenant, principal).</summary>
    Other,
}

/// <summary>
/// Word-level classification of names (session keys, collection and type names) for MCPSEC004.
/// Names are split into lower-case words at non-alphanumerics, camelCase humps, acronym ends and
/// digit boundaries (<c>"UserID"</c> → user, id; <c>"is_admin"</c> → is, admin). A key names identity
/// when its head noun (the last word) does, so <c>"UserTheme"</c> or <c>"UserPreferences"</c> (user
/// state, not identity) are not identity while <c>"CurrentUser"</c> and <c>"UserRole"</c> are.
/// </summary>
internal static class IdentityNames
{
    private static readonly Dictionary<string, IdentityKeyKind> HeadWords = new(StringComparer.Ordinal)
    {
        ["user"] = IdentityKeyKind.UserId,
        ["userid"] = IdentityKeyKind.UserId,
        ["uid"] = IdentityKeyKind.UserId,
        ["currentuser"] = IdentityKeyKind.UserId,
        ["subject"] = IdentityKeyKind.UserId,
        ["sub"] = IdentityKeyKind.UserId,
        ["username"] = IdentityKeyKind.UserName,
        ["login"] = IdentityKeyKind.UserName,
        ["email"] = IdentityKeyKind.Email,
        ["useremail"] = IdentityKeyKind.Email,
        ["emailaddress"] = IdentityKeyKind.Email,
        ["role"] = IdentityKeyKind.Role,
        ["roles"] = IdentityKeyKind.Role,
        ["userrole"] = IdentityKeyKind.Role,
        ["userroles"] = IdentityKeyKind.Role,
        ["upn"] = IdentityKeyKind.Upn,
        ["principal"] = IdentityKeyKind.Other,
        ["identity"] = IdentityKeyKind.Other,
        ["claim"] = IdentityKeyKind.Other,
        ["claims"] = IdentityKeyKind.Other,
        ["permission"] = IdentityKeyKind.Other,
        ["permissions"] = IdentityKeyKind.Other,
        ["scope"] = IdentityKeyKind.Other,
        ["scopes"] = IdentityKeyKind.Other,
        ["admin"] = IdentityKeyKind.Other,
        ["isadmin"] = IdentityKeyKind.Other,
        ["authenticated"] = IdentityKeyKind.Other,
        ["isauthenticated"] = IdentityKeyKind.Other,
        ["auth"] = IdentityKeyKind.Other,
        ["tenant"] = IdentityKeyKind.Other,
        ["tenantid"] = IdentityKeyKind.Other,
        ["loggedin"] = IdentityKeyKind.Other,
        ["isloggedin"] = IdentityKeyKind.Other,
    };

    /// <summary>Words that, as the head of a collection or type name, say it holds users, principals or their claims.</summary>
    private static readonly HashSet<string> IdentityNouns = new(StringComparer.Ordinal)
    {
        "user", "users", "userid", "userids", "username", "usernames", "principal", "principals",
        "identity", "identities", "role", "roles", "claim", "claims",
    };

    /// <summary>Heads that make a user-ish type name per-session state rather than identity (<c>UserSession</c>, <c>UserPreferences</c>).</summary>
    private static readonly HashSet<string> StateNouns = new(StringComparer.Ordinal)
    {
        "session", "sessions", "state", "states", "cache", "settings", "setting", "preferences", "preference", "prefs", "options", "theme", "cart",
    };

    /// <summary>Classifies a session key: <see cref="IdentityKeyKind.None"/> unless its head noun names identity or permission.</summary>
    public static IdentityKeyKind ClassifyKey(string key)
    {
        var words = SplitWords(key);
        if (words.Count == 0)
        {
            return IdentityKeyKind.None;
        }

        var last = words[words.Count - 1];
        var previous = words.Count > 1 ? words[words.Count - 2] : null;

        if (previous is not null)
        {
            switch (last)
            {
                case "id" or "ids" or "identifier" or "guid" or "key":
                    return previous switch
                    {
                        "user" or "subject" or "login" => IdentityKeyKind.UserId,
                        "tenant" or "principal" or "role" or "identity" => IdentityKeyKind.Other,
                        _ => IdentityKeyKind.None,
                    };
                case "name":
                    return previous is "user" or "login" ? IdentityKeyKind.UserName : IdentityKeyKind.None;
                case "address" when previous == "email":
                    return IdentityKeyKind.Email;
                case "in" when previous is "logged" or "signed":
                    return IdentityKeyKind.Other;
                case "level" when previous is "access" or "permission" or "auth":
                    return IdentityKeyKind.Other;
            }
        }

        return HeadWords.TryGetValue(last, out var kind) ? kind : IdentityKeyKind.None;
    }

    /// <summary>
    /// True when a collection name says it maps to users/principals/roles/claims: its head noun — the word
    /// before "by"/"for"/"per" (<c>usersBySession</c>) or else the last word (<c>sessionToUser</c>) — is one of them.
    /// </summary>
    public static bool CollectionNameSaysIdentity(string? name)
    {
        if (name is null)
        {
            return false;
        }

        var words = SplitWords(name);
        if (words.Count == 0)
        {
            return false;
        }

        var head = words[words.Count - 1];
        for (var i = 1; i < words.Count; i++)
        {
            if (words[i] is "by" or "for" or "per")
            {
                head = words[i - 1];
                break;
            }
        }

        return IdentityNouns.Contains(head);
    }

    /// <summary>True when a type name mentions users/principals/roles/claims and its head is not per-session state (<c>AppUser</c>, <c>UserInfo</c>; not <c>UserSession</c>).</summary>
    public static bool TypeNameSaysIdentity(string name)
    {
        var words = SplitWords(name);
        if (words.Count == 0 || StateNouns.Contains(words[words.Count - 1]))
        {
            return false;
        }

        foreach (var word in words)
        {
            if (IdentityNouns.Contains(word))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Splits an identifier or key into lower-case words.</summary>
    public static List<string> SplitWords(string text)
    {
        var words = new List<string>();
        var current = new StringBuilder();

        void Flush()
        {
            if (current.Length > 0)
            {
                words.Add(current.ToString().ToLowerInvariant());
                current.Clear();
            }
        }

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (!char.IsLetterOrDigit(c))
            {
                Flush();
                continue;
            }

            if (current.Length > 0)
            {
                var previous = text[i - 1];
                var lowerToUpper = char.IsUpper(c) && (char.IsLower(previous) || char.IsDigit(previous));
                var acronymEnd = char.IsUpper(c) && char.IsUpper(previous) && i + 1 < text.Length && char.IsLower(text[i + 1]);
                var letterDigit = char.IsDigit(c) != char.IsDigit(previous);
                if (lowerToUpper || acronymEnd || letterDigit)
                {
                    Flush();
                }
            }

            current.Append(c);
        }

        Flush();
        return words;
    }
}
