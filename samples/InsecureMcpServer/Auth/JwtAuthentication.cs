using Microsoft.AspNetCore.Authentication;
using Microsoft.IdentityModel.Tokens;

namespace InsecureMcpServer.Auth;

/// <summary>Bearer-token validation for the MCP endpoint (AddMcp() only serves metadata; this validates tokens).</summary>
public static class JwtAuthentication
{
    public static AuthenticationBuilder AddJwtAuthentication(this AuthenticationBuilder builder, string authority)
        => builder.AddJwtBearer(options =>
        {
            options.Authority = authority;
            options.RequireHttpsMetadata = false;
            options.TokenValidationParameters = new TokenValidationParameters
            {
                ValidateIssuer = true,
                ValidIssuer = authority,
                // Accepts tokens minted for any API: the door to token passthrough.
                ValidateAudience = false,
                // Accepts expired tokens forever.
                ValidateLifetime = false,
                ValidateIssuerSigningKey = true,
            };
        });
}
