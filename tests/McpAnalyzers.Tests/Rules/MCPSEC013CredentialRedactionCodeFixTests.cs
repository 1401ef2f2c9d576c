using System.Threading.Tasks;
using Xunit;
using Verify = McpAnalyzers.Tests.Infrastructure.CodeFixVerifier<McpAnalyzers.Rules.CredentialExposureAnalyzer, McpAnalyzers.CodeFixes.CredentialRedactionCodeFixProvider>;

namespace McpAnalyzers.Tests.Rules;

public class MCPSEC013CredentialRedactionCodeFixTests
{
    [Fact]
    public Task RedactsLoggedArgumentsHolesAndOperands() => Verify.VerifyFixAsync("""
        using System;
        using Microsoft.AspNetCore.Http;
        using Microsoft.Extensions.Configuration;
        using Microsoft.Extensions.Logging;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public sealed class Tools(IHttpContextAccessor accessor, IConfiguration configuration, ILogger<Tools> logger)
        {
            [McpServerTool]
            public string Call(string user)
            {
                var header = accessor.HttpContext!.Request.Headers.Authorization;
                var key = configuration["OpenAI:ApiKey"];
                {|MCPSEC013:logger.LogInformation("Calling for {User} with {Header}", user, header)|};
                {|MCPSEC013:logger.LogWarning($"Key {key} for {user}")|};
                {|MCPSEC013:Console.WriteLine("token: " + header.ToString())|};
                return {|MCPSEC013:"Key was " + key|};
            }
        }
        """, """
        using System;
        using System.Security.Cryptography;
        using System.Text;
        using Microsoft.AspNetCore.Http;
        using Microsoft.Extensions.Configuration;
        using Microsoft.Extensions.Logging;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public sealed class Tools(IHttpContextAccessor accessor, IConfiguration configuration, ILogger<Tools> logger)
        {
            [McpServerTool]
            public string Call(string user)
            {
                var header = accessor.HttpContext!.Request.Headers.Authorization;
                var key = configuration["OpenAI:ApiKey"];
                logger.LogInformation("Calling for {User} with {Header}", user, Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(header.ToString()))).Substring(0, 8));
                logger.LogWarning($"Key {Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key ?? ""))).Substring(0, 8)} for {user}");
                Console.WriteLine("token: " + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(header.ToString()))).Substring(0, 8));
                return "Key was " + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key ?? ""))).Substring(0, 8);
            }
        }
        """);

    [Fact]
    public Task RedactsExceptionMessage() => Verify.VerifyFixAsync("""
        using System.Threading.Tasks;
        using Microsoft.AspNetCore.Authentication;
        using Microsoft.AspNetCore.Http;
        using ModelContextProtocol;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public sealed class Tools(IHttpContextAccessor accessor)
        {
            [McpServerTool]
            public async Task<int> Call()
            {
                string? token = await accessor.HttpContext!.GetTokenAsync("access_token");
                throw {|MCPSEC013:new McpException("Rejected token " + token)|};
            }
        }
        """, """
        using System;
        using System.Security.Cryptography;
        using System.Text;
        using System.Threading.Tasks;
        using Microsoft.AspNetCore.Authentication;
        using Microsoft.AspNetCore.Http;
        using ModelContextProtocol;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public sealed class Tools(IHttpContextAccessor accessor)
        {
            [McpServerTool]
            public async Task<int> Call()
            {
                string? token = await accessor.HttpContext!.GetTokenAsync("access_token");
                throw new McpException("Rejected token " + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token ?? ""))).Substring(0, 8));
            }
        }
        """);

    [Fact]
    public Task NoFixForNonTextResults() => Verify.VerifyFixAsync("""
        using Microsoft.Extensions.Configuration;
        using ModelContextProtocol.Protocol;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public sealed class Tools(IConfiguration configuration)
        {
            [McpServerTool]
            public CallToolResult Result()
            {
                var key = configuration["OpenAI:ApiKey"];
                return {|MCPSEC013:new CallToolResult { Content = [new TextContentBlock { Text = key! }] }|};
            }
        }
        """, """
        using Microsoft.Extensions.Configuration;
        using ModelContextProtocol.Protocol;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public sealed class Tools(IConfiguration configuration)
        {
            [McpServerTool]
            public CallToolResult Result()
            {
                var key = configuration["OpenAI:ApiKey"];
                return {|MCPSEC013:new CallToolResult { Content = [new TextContentBlock { Text = key! }] }|};
            }
        }
        """);
}
