using System.Threading.Tasks;
using Xunit;
using Verify = McpAnalyzers.Tests.Infrastructure.CodeFixVerifier<
    McpAnalyzers.Rules.TokenValidationDisabledAnalyzer,
    McpAnalyzers.CodeFixes.TokenValidationDisabledCodeFixProvider>;

namespace McpAnalyzers.Tests.Rules;

public class MCPSEC010TokenValidationDisabledCodeFixTests
{
    [Fact]
    public async Task DisabledFlagsAreSetToTrueAllAtOnce()
    {
        await Verify.VerifyFixAsync(
            """
            using Microsoft.IdentityModel.Tokens;

            public static class Auth
            {
                public static TokenValidationParameters Create(bool lifetime) => new TokenValidationParameters
                {
                    {|MCPSEC010:ValidateIssuer = false|}, // issuer from config
                    {|MCPSEC010:ValidateLifetime = lifetime|},
                    {|MCPSEC010:RequireSignedTokens = false|},
                };
            }
            """,
            """
            using Microsoft.IdentityModel.Tokens;

            public static class Auth
            {
                public static TokenValidationParameters Create(bool lifetime) => new TokenValidationParameters
                {
                    ValidateIssuer = true, // issuer from config
                    ValidateLifetime = true,
                    RequireSignedTokens = true,
                };
            }
            """);
    }

    [Fact]
    public async Task RequireHttpsMetadataIsSetToTrueInProgram()
    {
        await Verify.VerifyProgramFixAsync(
            """
            using Microsoft.AspNetCore.Authentication.JwtBearer;
            using Microsoft.AspNetCore.Builder;
            using Microsoft.Extensions.DependencyInjection;

            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddAuthentication().AddJwtBearer(o =>
            {
                o.Authority = "https://login.example.com";
                {|MCPSEC010:o.RequireHttpsMetadata = false|};
                {|MCPSEC010:o.TokenValidationParameters.ValidateLifetime = false|};
            });
            """,
            """
            using Microsoft.AspNetCore.Authentication.JwtBearer;
            using Microsoft.AspNetCore.Builder;
            using Microsoft.Extensions.DependencyInjection;

            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddAuthentication().AddJwtBearer(o =>
            {
                o.Authority = "https://login.example.com";
                o.RequireHttpsMetadata = true;
                o.TokenValidationParameters.ValidateLifetime = true;
            });
            """);
    }

    [Fact]
    public async Task SignatureValidatorsAreRemovedInEveryPosition()
    {
        await Verify.VerifyProgramFixAsync(
            """
            using System.IdentityModel.Tokens.Jwt;
            using Microsoft.AspNetCore.Authentication.JwtBearer;
            using Microsoft.AspNetCore.Builder;
            using Microsoft.Extensions.DependencyInjection;
            using Microsoft.IdentityModel.JsonWebTokens;
            using Microsoft.IdentityModel.Tokens;

            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddAuthentication()
                .AddJwtBearer(o => {|MCPSEC010:o.TokenValidationParameters.SignatureValidator = (token, p) => new JsonWebToken(token)|})
                .AddJwtBearer("second", o =>
                {
                    o.Authority = "https://login.example.com";
                    {|MCPSEC010:o.TokenValidationParameters.SignatureValidator = (token, p) => new JwtSecurityToken(token)|};
                })
                .AddJwtBearer("third", o => o.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = "https://login.example.com",
                    {|MCPSEC010:SignatureValidator = (token, p) => new JsonWebToken(token)|},
                })
                .AddJwtBearer("fourth", o => o.TokenValidationParameters = new TokenValidationParameters
                {
                    {|MCPSEC010:SignatureValidator = (token, p) => new JsonWebToken(token)|},
                    ValidIssuer = "https://login.example.com"
                });
            """,
            """
            using System.IdentityModel.Tokens.Jwt;
            using Microsoft.AspNetCore.Authentication.JwtBearer;
            using Microsoft.AspNetCore.Builder;
            using Microsoft.Extensions.DependencyInjection;
            using Microsoft.IdentityModel.JsonWebTokens;
            using Microsoft.IdentityModel.Tokens;

            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddAuthentication()
                .AddJwtBearer(o => { })
                .AddJwtBearer("second", o =>
                {
                    o.Authority = "https://login.example.com";
                })
                .AddJwtBearer("third", o => o.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = "https://login.example.com",
                })
                .AddJwtBearer("fourth", o => o.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = "https://login.example.com"
                });
            """);
    }

    [Fact]
    public async Task LastSignatureValidatorMemberWithoutTrailingCommaIsRemovedCleanly()
    {
        await Verify.VerifyFixAsync(
            """
            using Microsoft.IdentityModel.JsonWebTokens;
            using Microsoft.IdentityModel.Tokens;

            public static class Auth
            {
                public static TokenValidationParameters Create() => new TokenValidationParameters
                {
                    ValidIssuer = "https://login.example.com",
                    {|MCPSEC010:SignatureValidator = (token, p) => new JsonWebToken(token)|}
                };
            }
            """,
            """
            using Microsoft.IdentityModel.JsonWebTokens;
            using Microsoft.IdentityModel.Tokens;

            public static class Auth
            {
                public static TokenValidationParameters Create() => new TokenValidationParameters
                {
                    ValidIssuer = "https://login.example.com"
                };
            }
            """);
    }

    [Fact]
    public async Task ASignatureValidatorNestedInAnotherIsRemovedWithIt()
    {
        // Fix-all must not edit a finding inside a node an earlier edit already removed.
        await Verify.VerifyFixAsync(
            """
            using Microsoft.IdentityModel.JsonWebTokens;
            using Microsoft.IdentityModel.Tokens;

            public static class Auth
            {
                public static void Configure(TokenValidationParameters p)
                {
                    {|MCPSEC010:p.SignatureValidator = (token, q) =>
                    {
                        {|MCPSEC010:p.SignatureValidator = (t, r) => new JsonWebToken(t)|};
                        {|MCPSEC010:q.ValidateIssuer = false|};
                        return new JsonWebToken(token);
                    }|};
                    p.ValidIssuer = "https://login.example.com";
                }
            }
            """,
            """
            using Microsoft.IdentityModel.JsonWebTokens;
            using Microsoft.IdentityModel.Tokens;

            public static class Auth
            {
                public static void Configure(TokenValidationParameters p)
                {
                    p.ValidIssuer = "https://login.example.com";
                }
            }
            """);
    }

    [Fact]
    public async Task ParsedTokenClaimsHaveNoFix()
    {
        var source = """
            using System.IdentityModel.Tokens.Jwt;

            public static class Identity
            {
                public static string? UserOf(string bearer) => {|MCPSEC010:new JwtSecurityTokenHandler().ReadJwtToken(bearer)|}.Subject;
            }
            """;
        await Verify.VerifyFixAsync(source, source);
    }
}
