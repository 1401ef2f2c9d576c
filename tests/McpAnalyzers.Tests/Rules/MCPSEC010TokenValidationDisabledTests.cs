using System.Threading.Tasks;
using McpAnalyzers.Rules;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = McpAnalyzers.Tests.Infrastructure.AnalyzerVerifier<McpAnalyzers.Rules.TokenValidationDisabledAnalyzer>;

namespace McpAnalyzers.Tests.Rules;

public class MCPSEC010TokenValidationDisabledTests
{
    // ---- Flags ----

    [Fact]
    public async Task EachDisabledFlagIsFlaggedWithItsConsequence()
    {
        await Verify.VerifyAsync(
            """
            using Microsoft.IdentityModel.Tokens;

            public static class Auth
            {
                public static TokenValidationParameters Create() => new TokenValidationParameters
                {
                    ValidateIssuer = false,
                    ValidateLifetime = false,
                    RequireExpirationTime = false,
                    ValidateIssuerSigningKey = false,
                    RequireSignedTokens = false,
                };
            }
            """,
            Verify.Diagnostic("MCPSEC010").WithSpan(7, 9, 7, 31).WithArguments("'ValidateIssuer' is set to false", "tokens from any issuer, including other tenants and identity providers, are accepted"),
            Verify.Diagnostic("MCPSEC010").WithSpan(8, 9, 8, 33).WithArguments("'ValidateLifetime' is set to false", "expired or replayed tokens are accepted"),
            Verify.Diagnostic("MCPSEC010").WithSpan(9, 9, 9, 38).WithArguments("'RequireExpirationTime' is set to false", "tokens without an expiry time are accepted and never expire"),
            Verify.Diagnostic("MCPSEC010").WithSpan(10, 9, 10, 41).WithArguments("'ValidateIssuerSigningKey' is set to false", "the signing key itself is not validated, so a key that expired or is no longer trusted still validates tokens"),
            Verify.Diagnostic("MCPSEC010").WithSpan(11, 9, 11, 36).WithArguments("'RequireSignedTokens' is set to false", "unsigned tokens are accepted, so anyone can forge a token"));
    }

    [Fact]
    public async Task FlagsInAddJwtBearerAndConfigureAreFlagged()
    {
        await Verify.VerifyProgramAsync(
            """
            using Microsoft.AspNetCore.Authentication.JwtBearer;
            using Microsoft.AspNetCore.Builder;
            using Microsoft.Extensions.Configuration;
            using Microsoft.Extensions.DependencyInjection;

            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddAuthentication().AddJwtBearer(o =>
            {
                {|MCPSEC010:o.RequireHttpsMetadata = false|};
                {|MCPSEC010:o.TokenValidationParameters.ValidateLifetime = false|};
            });
            builder.Services.Configure<JwtBearerOptions>(o => {|MCPSEC010:o.TokenValidationParameters.ValidateIssuer = builder.Configuration.GetValue<bool>("ValidateIssuer")|});
            """);
    }

    [Fact]
    public async Task RequireHttpsMetadataMessage()
    {
        await Verify.VerifyProgramAsync(
            """
            using Microsoft.AspNetCore.Authentication.JwtBearer;
            using Microsoft.AspNetCore.Builder;
            using Microsoft.Extensions.DependencyInjection;

            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddAuthentication().AddJwtBearer(o => o.RequireHttpsMetadata = false);
            """,
            Verify.Diagnostic("MCPSEC010").WithSpan(6, 56, 6, 86).WithArguments(
                "'RequireHttpsMetadata' is set to false",
                "the issuer's metadata and signing keys are fetched over plain HTTP, so a network attacker can substitute the keys and forge tokens"));
    }

    [Fact]
    public async Task DevelopmentOnlyExemptionAppliesExceptToSignatureChecks()
    {
        await Verify.VerifyProgramAsync(
            """
            using Microsoft.AspNetCore.Authentication.JwtBearer;
            using Microsoft.AspNetCore.Builder;
            using Microsoft.Extensions.DependencyInjection;
            using Microsoft.Extensions.Hosting;

            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddAuthentication().AddJwtBearer(o =>
            {
                o.RequireHttpsMetadata = !builder.Environment.IsDevelopment();
                if (builder.Environment.IsDevelopment())
                {
                    o.RequireHttpsMetadata = false;
                    o.TokenValidationParameters.ValidateLifetime = false;
                    o.TokenValidationParameters.ValidateIssuer = false;
                    {|MCPSEC010:o.TokenValidationParameters.RequireSignedTokens = false|};
                    {|MCPSEC010:o.TokenValidationParameters.SignatureValidator = (token, p) => new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(token)|};
                }

                {|MCPSEC010:o.TokenValidationParameters.RequireSignedTokens = !builder.Environment.IsDevelopment()|};
            });
            """);
    }

    [Fact]
    public async Task NonConstantRequireHttpsMetadataOutsideDevelopmentIsFlaggedWithMessage()
    {
        await Verify.VerifyProgramAsync(
            """
            using Microsoft.AspNetCore.Authentication.JwtBearer;
            using Microsoft.AspNetCore.Builder;
            using Microsoft.Extensions.DependencyInjection;
            using Microsoft.Extensions.Hosting;

            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddAuthentication().AddJwtBearer(o => o.RequireHttpsMetadata = builder.Environment.IsProduction());
            """,
            Verify.Diagnostic("MCPSEC010").WithSpan(7, 56, 7, 115).WithArguments(
                "'RequireHttpsMetadata' is set from a non-constant value that is not tied to a development-only condition",
                "the issuer's metadata and signing keys are fetched over plain HTTP, so a network attacker can substitute the keys and forge tokens"));
    }

    [Fact]
    public async Task EnabledFlagsAndLookAlikesAreNotFlagged()
    {
        await Verify.VerifyAsync(
            """
            using Microsoft.IdentityModel.Tokens;

            namespace Other
            {
                public sealed class TokenValidationParameters
                {
                    public bool ValidateLifetime { get; set; }
                    public bool RequireHttpsMetadata { get; set; }
                }
            }

            public static class Auth
            {
                public static Microsoft.IdentityModel.Tokens.TokenValidationParameters Create() => new()
                {
                    ValidateIssuer = true,
                    ValidateLifetime = true,
                    ValidateIssuerSigningKey = true,
                    RequireSignedTokens = true,
                    RequireExpirationTime = true,
                    ValidateAudience = false, // MCPSEC003's business, not this rule's
                };

                public static Other.TokenValidationParameters CreateOther() => new() { ValidateLifetime = false, RequireHttpsMetadata = false };
            }
            """);
    }

    // ---- SignatureValidator ----

    [Fact]
    public async Task SignatureValidatorThatReturnsTheTokenUncheckedIsFlaggedWithMessage()
    {
        await Verify.VerifyAsync(
            """
            using System.IdentityModel.Tokens.Jwt;
            using Microsoft.IdentityModel.Tokens;

            public static class Auth
            {
                public static void Configure(TokenValidationParameters p)
                {
                    p.SignatureValidator = (token, parameters) => new JwtSecurityToken(token);
                }
            }
            """,
            Verify.Diagnostic("MCPSEC010").WithSpan(8, 9, 8, 82).WithArguments(
                "the 'SignatureValidator' delegate returns the token without checking its signature", "anyone can forge a token"));
    }

    [Fact]
    public async Task SignatureValidatorFormsAreFlagged()
    {
        await Verify.VerifyAsync(
            """
            using System.IdentityModel.Tokens.Jwt;
            using Microsoft.IdentityModel.JsonWebTokens;
            using Microsoft.IdentityModel.Tokens;

            public static class Auth
            {
                public static TokenValidationParameters Create() => new TokenValidationParameters
                {
                    {|MCPSEC010:SignatureValidator = delegate (string token, TokenValidationParameters p)
                    {
                        var jwt = new JsonWebToken(token);
                        return jwt;
                    }|},
                    {|MCPSEC010:SignatureValidatorUsingConfiguration = (token, p, configuration) => new JsonWebTokenHandler().ReadJsonWebToken(token)|},
                };

                public static void Configure(TokenValidationParameters p)
                {
                    {|MCPSEC010:p.SignatureValidator = Parse|};
                }

                private static SecurityToken Parse(string token, TokenValidationParameters p) => new JwtSecurityTokenHandler().ReadToken(token);
            }
            """);
    }

    [Fact]
    public async Task SignatureValidatorThatChecksIsNotFlagged()
    {
        await Verify.VerifyAsync(
            """
            using System.IdentityModel.Tokens.Jwt;
            using Microsoft.IdentityModel.JsonWebTokens;
            using Microsoft.IdentityModel.Tokens;

            public static class Auth
            {
                public static void Configure(TokenValidationParameters p, SignatureValidator stored)
                {
                    p.SignatureValidator = (token, parameters) =>
                    {
                        var jwt = new JsonWebToken(token);
                        if (!MySignatureCheck(jwt))
                        {
                            throw new SecurityTokenInvalidSignatureException("bad signature");
                        }

                        return jwt;
                    };
                    p.SignatureValidator = (token, parameters) => Verify(token);
                    p.SignatureValidator = stored;
                }

                private static bool MySignatureCheck(JsonWebToken token) => token.Alg == "RS256";

                private static SecurityToken Verify(string token) => new JsonWebToken(token);
            }
            """);
    }

    // ---- Claims read from a token that is only parsed ----

    [Fact]
    public async Task ClaimsOfAParsedTokenAreFlaggedWithMessage()
    {
        await Verify.VerifyAsync(
            """
            using System.IdentityModel.Tokens.Jwt;

            public static class Identity
            {
                public static string? UserOf(string bearer)
                {
                    var jwt = new JwtSecurityTokenHandler().ReadJwtToken(bearer);
                    return jwt.Subject;
                }
            }
            """,
            Verify.Diagnostic("MCPSEC010").WithSpan(7, 19, 7, 69).WithArguments(
                "claims of the token parsed by 'JwtSecurityTokenHandler.ReadJwtToken' are used ('Subject') but the token is never validated here",
                "anyone can forge these claims ('ReadJwtToken' checks no signature, issuer, audience or lifetime)"));
    }

    [Fact]
    public async Task ParsedTokenFormsAreFlagged()
    {
        await Verify.VerifyAsync(
            """
            using System.IdentityModel.Tokens.Jwt;
            using System.Linq;
            using Microsoft.AspNetCore.Http;
            using Microsoft.IdentityModel.JsonWebTokens;
            using ModelContextProtocol.Server;

            [McpServerToolType]
            public sealed class AdminTools(IHttpContextAccessor accessor)
            {
                [McpServerTool]
                public string Role()
                {
                    var header = accessor.HttpContext!.Request.Headers.Authorization.ToString().Replace("Bearer ", "");
                    var token = {|MCPSEC010:new JsonWebTokenHandler().ReadJsonWebToken(header)|};
                    return token.GetClaim("role").Value;
                }

                [McpServerTool]
                public string Tenant(string bearer)
                    => {|MCPSEC010:new JwtSecurityTokenHandler().ReadJwtToken(bearer)|}.Claims.First(c => c.Type == "tid").Value;

                [McpServerTool]
                public object? Payload(string bearer)
                {
                    JwtSecurityToken jwt;
                    jwt = (JwtSecurityToken){|MCPSEC010:new JwtSecurityTokenHandler().ReadToken(bearer)|};
                    return jwt.Payload["scp"];
                }
            }
            """);
    }

    [Fact]
    public async Task ParsedTokensThatAreValidatedOrSavedByTheHandlerAreNotFlagged()
    {
        await Verify.VerifyAsync(
            """
            using System.IdentityModel.Tokens.Jwt;
            using System.Threading.Tasks;
            using Microsoft.AspNetCore.Authentication;
            using Microsoft.AspNetCore.Http;
            using Microsoft.IdentityModel.JsonWebTokens;
            using Microsoft.IdentityModel.Tokens;

            public static class Identity
            {
                public static async Task<string?> ValidatedAsync(string bearer, TokenValidationParameters parameters)
                {
                    var handler = new JsonWebTokenHandler();
                    var result = await handler.ValidateTokenAsync(bearer, parameters);
                    if (!result.IsValid)
                    {
                        return null;
                    }

                    return handler.ReadJsonWebToken(bearer).Subject;
                }

                public static async Task<string?> SavedByJwtBearerAsync(HttpContext context)
                {
                    var saved = await context.GetTokenAsync("access_token");
                    return new JwtSecurityTokenHandler().ReadJwtToken(saved).Subject;
                }

                public static string? IssuerOnlyForRouting(string bearer)
                    => new JwtSecurityTokenHandler().ReadJwtToken(bearer).Issuer;

                public static bool Parseable(string bearer)
                    => new JwtSecurityTokenHandler().CanReadToken(bearer);
            }
            """);
    }

    [Fact]
    public async Task ValidatingAnotherTokenDoesNotCount()
    {
        await Verify.VerifyAsync(
            """
            using System.IdentityModel.Tokens.Jwt;
            using Microsoft.IdentityModel.Tokens;

            public static class Identity
            {
                public static string? Mixed(string idToken, string accessToken, TokenValidationParameters parameters)
                {
                    var handler = new JwtSecurityTokenHandler();
                    handler.ValidateToken(idToken, parameters, out _);
                    return {|MCPSEC010:handler.ReadJwtToken(accessToken)|}.Subject;
                }
            }
            """);
    }

    // ---- Robustness ----

    [Fact]
    public async Task BrokenCodeDoesNotThrow()
    {
        var test = new Infrastructure.AnalyzerVerifier<TokenValidationDisabledAnalyzer>.Test
        {
            TestCode = """
                using System.IdentityModel.Tokens.Jwt;
                using Microsoft.IdentityModel.Tokens;

                public static class Broken
                {
                    public static void Configure(TokenValidationParameters p, string t)
                    {
                        p.ValidateLifetime = ;
                        p.RequireSignedTokens = Missing();
                        p.SignatureValidator = (token, x) => ;
                        p.SignatureValidator = Missing;
                        var s = new JwtSecurityTokenHandler().ReadJwtToken().Subject;
                        var jwt = new JwtSecurityTokenHandler().ReadJwtToken(t);
                        jwt.
                    }
                }
                """,
            CompilerDiagnostics = CompilerDiagnostics.None,
        };
        await test.RunAsync();
    }
}
