using Microsoft.AspNetCore.Authentication;
using Microsoft.IdentityModel.Tokens;

namespace SecureMcpServer.Auth;

/// <summary>Bearer-token validation for the MCP endpoint (AddMcp() only serves metadata; this validates tokens).</summary>
public static class JwtAuthentication
{
    public static AuthenticationBuilder AddJwtAuthentication(this AuthenticationBuilder builder, string authority, string audience)
        => builder.AddJwtBearer(options =>
        {
            // RequireHttpsMetadata keeps its default (true): signing keys are fetched over TLS only.
            options.Authority = authority;
            options.TokenValidationParameters = new TokenValidationParameters
            {
                ValidateIssuer = true,
                ValidIssuer = authority,
                // Only tokens issued for this server (RFC 8707 resource = ProtectedResourceMetadata.Resource).
                ValidateAudience = true,
                ValidAudience = audience,
                ValidateLifetime = true,
                ValidateIssuerSigningKey = true,
            };
        });
}
