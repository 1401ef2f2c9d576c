using System.Globalization;

namespace InsecureMcpServer.Auth;

/// <summary>A server-side OAuth login redirect (the server acting as an OAuth client for a browser user).</summary>
public static class OAuthLoginEndpoints
{
    public static IEndpointRouteBuilder MapOAuthLogin(this IEndpointRouteBuilder endpoints, string authority, string resource)
    {
        endpoints.MapGet("/login", (HttpContext context) =>
        {
            // The state parameter protects the redirect against CSRF: a guessable value does not.
            var state = Random.Shared.Next().ToString("x8", CultureInfo.InvariantCulture);
            context.Response.Cookies.Append("oauth_state", state, new CookieOptions { HttpOnly = true, Secure = true, SameSite = SameSiteMode.Lax });
            var authorize = $"{authority}authorize?response_type=code&client_id=mcp-server&resource={Uri.EscapeDataString(resource)}&state={state}";
            return Results.Redirect(authorize);
        });
        return endpoints;
    }
}
