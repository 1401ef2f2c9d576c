using System.Threading.Tasks;
using McpAnalyzers.Tests.Infrastructure;
using Xunit;
using Verify = McpAnalyzers.Tests.Infrastructure.AnalyzerVerifier<McpAnalyzers.Rules.CredentialExposureAnalyzer>;

namespace McpAnalyzers.Tests.Rules;

public class MCPSEC013CredentialExposureTests
{
    internal const string Usings = """
        using System;
        using System.Diagnostics;
        using System.Net.Http;
        using System.Security.Cryptography;
        using System.Text;
        using System.Threading.Tasks;
        using Microsoft.AspNetCore.Authentication;
        using Microsoft.AspNetCore.Http;
        using Microsoft.Extensions.Configuration;
        using Microsoft.Extensions.Logging;
        using ModelContextProtocol;
        using ModelContextProtocol.Server;

        """;

    [Fact]
    public Task LoggingSinks() => Verify.VerifyAsync(Usings + """
        [McpServerToolType]
        public sealed partial class Tools(IHttpContextAccessor accessor, ILogger<Tools> logger)
        {
            [McpServerTool]
            public string Call()
            {
                var header = accessor.HttpContext!.Request.Headers.Authorization.ToString();
                {|#0:logger.LogInformation("Calling downstream for {User} with {Header}", "someone", header)|};
                {|#1:logger.LogWarning($"Token was {header}")|};
                {|MCPSEC013:logger.Log(LogLevel.Debug, new EventId(1), header, null, (state, _) => state)|};
                using ({|MCPSEC013:logger.BeginScope("Header {Header}", header)|}) { }
                {|MCPSEC013:LogToken(logger, header)|};
                return "ok";
            }

            [LoggerMessage(Level = LogLevel.Information, Message = "Token {Token}")]
            static partial void LogToken(ILogger logger, string token);
        }
        """,
        Verify.Diagnostic("MCPSEC013").WithLocation(0).WithArguments("The incoming Authorization header", "ILogger.LogInformation", ""),
        Verify.Diagnostic("MCPSEC013").WithLocation(1).WithArguments("The incoming Authorization header", "ILogger.LogWarning", ""));

    // An out-argument source: the call that fills it takes nothing tainted (a header dictionary and a constant name), so its
    // out-argument must still be read when the engine skips the rest of a clean call into a referenced assembly.
    [Fact]
    public Task AuthorizationHeaderReadThroughTryGetValueOutArgument() => Verify.VerifyAsync(Usings + """
        [McpServerToolType]
        public sealed class Tools(IHttpContextAccessor accessor, ILogger<Tools> logger)
        {
            [McpServerTool]
            public string Call()
            {
                if (accessor.HttpContext!.Request.Headers.TryGetValue("Authorization", out var header))
                {
                    {|#0:logger.LogInformation("Header {Header}", header.ToString())|};
                }

                accessor.HttpContext!.Request.Headers.TryGetValue("Accept", out var accept);
                logger.LogInformation("Accept {Accept}", accept.ToString());
                return "ok";
            }
        }
        """,
        Verify.Diagnostic("MCPSEC013").WithLocation(0).WithArguments("The incoming Authorization header", "ILogger.LogInformation", ""));

    // The engine's syntactic pre-check may not rely on the key literal being in the body: the key is a constant
    // declared in another class. A field filled by another method is read by a body with no source-like syntax.
    [Fact]
    public Task PreFilterKeepsConstantKeysDeclaredElsewhereAndFieldReads() => Verify.VerifyAsync(Usings + """
        public static class SettingKeys
        {
            public const string ApiKey = "OpenAI:ApiKey";
            public const string Password = "Smtp:Password";
        }

        public sealed class Startup(IConfiguration configuration, ILogger<Startup> logger)
        {
            private string? _connection;

            public void Load() => _connection = configuration.GetConnectionString("Main");

            public void Run()
            {
                {|MCPSEC013:logger.LogInformation("Key {Key}", configuration[SettingKeys.ApiKey])|};
                {|MCPSEC013:logger.LogInformation("Password {Pwd}", configuration.GetValue<string>(SettingKeys.Password))|};
            }

            public void Report() => {|MCPSEC013:logger.LogInformation("Db {Db}", _connection)|};

            public void Nothing(string[] args) => logger.LogInformation("First {Arg}", args[0]);
        }
        """);

    [Fact]
    public Task ConsoleDiagnosticsAndExceptionSinks() => Verify.VerifyAsync(Usings + """
        [McpServerToolType]
        public sealed class Tools(IHttpContextAccessor accessor)
        {
            [McpServerTool]
            public async Task<string> Call()
            {
                var token = await accessor.HttpContext!.GetTokenAsync("access_token");
                {|#0:Console.WriteLine("token: " + token)|};
                {|#1:Console.Error.WriteLine(token)|};
                {|MCPSEC013:Debug.WriteLine($"token {token}")|};
                {|MCPSEC013:Trace.TraceInformation("token {0}", token)|};
                if (token is null)
                {
                    throw {|#2:new McpException($"Token {token} rejected")|};
                }

                throw {|MCPSEC013:new InvalidOperationException("Rejected: " + token)|};
            }
        }
        """,
        Verify.Diagnostic("MCPSEC013").WithLocation(0).WithArguments("The incoming 'access_token' (GetTokenAsync)", "Console.WriteLine", ""),
        Verify.Diagnostic("MCPSEC013").WithLocation(1).WithArguments("The incoming 'access_token' (GetTokenAsync)", "Console.Error.WriteLine", ""),
        Verify.Diagnostic("MCPSEC013").WithLocation(2).WithArguments("The incoming 'access_token' (GetTokenAsync)", "new McpException(...)", ""));

    [Fact]
    public Task ToolAndPromptResults() => Verify.VerifyAsync(Usings + """
        using ModelContextProtocol.Protocol;

        [McpServerToolType]
        public sealed class Tools(IHttpContextAccessor accessor, IConfiguration configuration)
        {
            [McpServerTool]
            public string WhoAmI() => {|#0:"You sent " + accessor.HttpContext!.Request.Headers.Authorization|};

            [McpServerTool]
            public CallToolResult Result()
            {
                var key = configuration["OpenAI:ApiKey"];
                return {|#2:new CallToolResult { Content = [new TextContentBlock { Text = $"key={key}" }] }|};
            }

            [McpServerPrompt]
            public string Prompt() => {|#1:configuration.GetConnectionString("Default")|}!;
        }
        """,
        Verify.Diagnostic("MCPSEC013").WithLocation(0).WithArguments("The incoming Authorization header", "the result of tool 'WhoAmI'", ""),
        Verify.Diagnostic("MCPSEC013").WithLocation(2).WithArguments("The secret configuration value 'OpenAI:ApiKey'", "the result of tool 'Result'", ""),
        Verify.Diagnostic("MCPSEC013").WithLocation(1).WithArguments("The connection string 'Default'", "the result of prompt 'Prompt'", ""));

    [Fact]
    public Task ServerSecretSources() => Verify.VerifyAsync(Usings + """
        using Microsoft.Identity.Web;
        using Microsoft.Extensions.Options;

        public sealed class Startup(IConfiguration configuration, ILogger<Startup> logger, IOptions<Microsoft.Identity.Client.ConfidentialClientApplicationOptions> identity)
        {
            private readonly string? _apiKey = null;
            private string? _signingKey;

            public void Load()
            {
                _signingKey = configuration.GetSection("Jwt:SigningKey").Value;
            }

            public void Run()
            {
                {|#0:logger.LogInformation("Key {Key}", configuration["Downstream:api_key"])|};
                {|MCPSEC013:logger.LogInformation("Secret {Secret}", configuration.GetValue<string>("AzureAd:ClientSecret"))|};
                {|MCPSEC013:logger.LogInformation("Db {Db}", configuration["ConnectionStrings:Main"])|};
                {|MCPSEC013:logger.LogInformation("Password {Pwd}", configuration.GetSection("Smtp")["Password"])|};
                {|#1:logger.LogInformation("Signing {Key}", _signingKey)|};
                {|#2:logger.LogInformation("Client secret {Secret}", identity.Value.ClientSecret)|};
                logger.LogInformation("Unset {Key}", _apiKey);
            }
        }
        """,
        Verify.Diagnostic("MCPSEC013").WithLocation(0).WithArguments("The secret configuration value 'Downstream:api_key'", "ILogger.LogInformation", ""),
        Verify.Diagnostic("MCPSEC013").WithLocation(1).WithArguments("The secret configuration value 'Jwt:SigningKey'", "ILogger.LogInformation", ""),
        Verify.Diagnostic("MCPSEC013").WithLocation(2).WithArguments("The client secret (ConfidentialClientApplicationOptions.ClientSecret)", "ILogger.LogInformation", ""));

    [Fact]
    public Task JwtBearerEventTokenLogged() => Verify.VerifyProgramAsync("""
        using System;
        using Microsoft.AspNetCore.Authentication.JwtBearer;
        using Microsoft.AspNetCore.Builder;
        using Microsoft.Extensions.DependencyInjection;
        using Microsoft.Extensions.Logging;

        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddAuthentication().AddJwtBearer(options =>
        {
            options.Events = new JwtBearerEvents
            {
                OnMessageReceived = context =>
                {
                    {|MCPSEC013:Console.WriteLine($"Received {context.Token}")|};
                    return System.Threading.Tasks.Task.CompletedTask;
                },
                OnAuthenticationFailed = context =>
                {
                    var logger = context.HttpContext.RequestServices.GetRequiredService<ILogger<JwtBearerEvents>>();
                    {|MCPSEC013:logger.LogError(context.Exception, "Rejected {Header}", context.Request.Headers.Authorization.ToString())|};
                    return System.Threading.Tasks.Task.CompletedTask;
                },
            };
        });
        builder.Build().Run();
        """);

    [Fact]
    public Task NonCredentialsAndFingerprintsAreNotFlagged() => Verify.VerifyAsync(Usings + """
        [McpServerToolType]
        public sealed class Tools(IHttpContextAccessor accessor, IConfiguration configuration, ILogger<Tools> logger)
        {
            [McpServerTool]
            public string Call()
            {
                var context = accessor.HttpContext!;
                var header = context.Request.Headers.Authorization.ToString();
                logger.LogInformation("User {User} ({Name})", context.User.FindFirst("sub")?.Value, context.User.Identity?.Name);
                logger.LogInformation("Header length {Length}, present {Present}", header.Length, !string.IsNullOrEmpty(header));
                logger.LogInformation("Fingerprint {Fingerprint}", Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(header)))[..8]);
                logger.LogInformation("Vault {Vault} {Endpoint} {Max} {KeyId} {PublicKey} {Level}",
                    configuration["KeyVaultName"], configuration["AzureAd:TokenEndpoint"], configuration["OpenAI:MaxTokens"],
                    configuration["Jwt:KeyId"], configuration["Jwt:PublicKey"], configuration["Logging:LogLevel:Default"]);
                logger.LogInformation("Request {Id}", context.Request.Headers["X-Request-Id"].ToString());
                Console.WriteLine(configuration.GetValue<int>("Jwt:Key"));
                return context.User.Identity?.Name ?? "anonymous";
            }
        }
        """);

    [Fact]
    public Task LookAlikeLoggerIsNotFlagged() => Verify.VerifyAsync(Usings + """
        namespace Other { public static class Console { public static void WriteLine(string? value) { } } }

        [McpServerToolType]
        public sealed class Tools(IHttpContextAccessor accessor)
        {
            [McpServerTool]
            public int Call()
            {
                Other.Console.WriteLine(accessor.HttpContext!.Request.Headers.Authorization);
                return 1;
            }
        }
        """);

    [Fact]
    public Task IncompleteCodeDoesNotThrow() => new AnalyzerVerifier<McpAnalyzers.Rules.CredentialExposureAnalyzer>.Test
    {
        TestCode = Usings + """
            public sealed class Broken(IHttpContextAccessor accessor, ILogger<Broken> logger, IConfiguration configuration)
            {
                public string A()
                {
                    var token = accessor.HttpContext!.Request.Headers.Authorization;
                    logger.{|CS1061:LogSomething|}(token);
                    logger.LogInformation({|CS0103:missing|}, token);
                    Console.WriteLine(configuration[{|CS0103:key|}]);
                    throw new {|CS0246:UnknownException|}(token);
                }

                [McpServerTool]
                public string B() => {|MCPSEC013:configuration["Jwt:Key"] + {|CS0103:nothing|}|};
            }
            """,
    }.RunAsync();
}
