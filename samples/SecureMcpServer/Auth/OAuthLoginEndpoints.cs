using System.Security.Cryptography;
using Microsoft.AspNetCore.WebUtilities;

namespace SecureMcpServer.Auth;

/// <summary>A server-side OAuth login redirect (the server acting as an OAuth client for a browser user).</summary>
public static class OAuthLoginEndpoints
{
    public static IEndpointRouteBuilder MapOAuthLogin(this IEndpointRouteBuilder endpoints, string authority, string resource)
    {
        endpoints.MapGet("/login", (HttpContext context) =>
        {
            // 256 bits from the CSPRNG: the state cannot be guessed by a cross-site attacker.
            var state = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
            context.Response.Cookies.Append("oauth_state", state, new CookieOptions { HttpOnly = true, Secure = true, SameSite = SameSiteMode.Lax });
            var authorize = $"{authority}authorize?response_type=code&client_id=mcp-server&resource={Uri.EscapeDataString(resource)}&state={state}";
            return Results.Redirect(authorize);
        });
        return endpoints;
    }
}
