using System;
using System.Collections.Generic;
using System.Linq;
using McpAnalyzers.Symbols;
using McpAnalyzers.Taint;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace McpAnalyzers.Rules;

/// <summary>
/// MCPSEC013 (credential written to logs or tool output): sinks are
/// <list type="bullet">
/// <item>logging: <c>LoggerExtensions.Log*</c>/<c>BeginScope</c> (message template and every structured-logging argument),
/// <c>ILogger.Log&lt;TState&gt;</c> (the state), and calls to <c>[LoggerMessage]</c> methods (every parameter except the
/// logger, the exception and the level);</item>
/// <item>console and diagnostics output: <c>Console.Write*</c>, <c>Console.Out/Error.Write*</c>, <c>Debug.*</c> and <c>Trace.*</c> writers;</item>
/// <item>exception messages: the <c>message</c> of <c>new Exception(...)</c> and every derived exception (<c>McpException</c> too);</item>
/// <item>what a tool, prompt or resource method returns (sent to the client and the model).</item>
/// </list>
/// Derived values that are not the credential are clean by construction: its length (a number), a hash of it
/// (<c>SHA256.HashData</c> is an external call, so its output is clean), claims of the user.
/// </summary>
internal static class CredentialExposureSinks
{
    public static TaintRuleSpec Create(Compilation compilation, McpSdkSymbols sdk)
    {
        var sinks = new List<TaintSink>();
        var loggerExtensions = compilation.FindType("Microsoft.Extensions.Logging.LoggerExtensions");
        var logger = compilation.FindType("Microsoft.Extensions.Logging.ILogger");
        var loggerMessageAttribute = compilation.FindType("Microsoft.Extensions.Logging.LoggerMessageAttribute");
        var exception = compilation.FindType("System.Exception");
        var logLevel = compilation.FindType("Microsoft.Extensions.Logging.LogLevel");
        if (loggerExtensions is not null)
        {
            sinks.Add(new CustomSink((operation, _, inputs) =>
            {
                if (operation is IInvocationOperation { TargetMethod: { } method } invocation
                    && SymbolEqualityComparer.Default.Equals(method.ContainingType, loggerExtensions))
                {
                    foreach (var argument in invocation.Arguments)
                    {
                        if (argument.Parameter?.Name is "message" or "messageFormat" or "args")
                        {
                            inputs.Add(new SinkInput(argument.Value, "ILogger." + method.Name));
                        }
                    }
                }
            }));
        }

        if (logger is not null)
        {
            sinks.Add(MethodSink.Named(logger, new[] { "Log", "BeginScope" }, p => p.Name == "state"));
        }

        if (loggerMessageAttribute is not null)
        {
            sinks.Add(new CustomSink((operation, _, inputs) =>
            {
                if (operation is IInvocationOperation { TargetMethod: { } method } invocation && IsLoggerMessage(method, loggerMessageAttribute))
                {
                    foreach (var argument in invocation.Arguments)
                    {
                        var type = argument.Parameter?.Type;
                        if (type is not null
                            && !(logger is not null && (SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, logger) || type.AllInterfaces.Contains(logger, SymbolEqualityComparer.Default)))
                            && !(exception is not null && TaintSink.IsOrDerivesFrom(type, exception))
                            && !SymbolEqualityComparer.Default.Equals(type, logLevel))
                        {
                            inputs.Add(new SinkInput(argument.Value, method.Name + " ([LoggerMessage])"));
                        }
                    }
                }
            }));
        }

        var console = compilation.FindType("System.Console");
        var textWriter = compilation.FindType("System.IO.TextWriter");
        if (console is not null)
        {
            sinks.Add(new CustomSink((operation, _, inputs) =>
            {
                if (operation is not IInvocationOperation { TargetMethod: { } method } invocation || !method.Name.StartsWith("Write", StringComparison.Ordinal))
                {
                    return;
                }

                string? name = null;
                if (SymbolEqualityComparer.Default.Equals(method.ContainingType, console))
                {
                    name = "Console." + method.Name;
                }
                else if (textWriter is not null && TaintSink.IsOrDerivesFrom(method.ContainingType, textWriter)
                    && invocation.Instance is IPropertyReferenceOperation { Property: { Name: "Out" or "Error" } stream }
                    && SymbolEqualityComparer.Default.Equals(stream.ContainingType, console))
                {
                    name = "Console." + stream.Name + "." + method.Name;
                }

                if (name is not null)
                {
                    foreach (var argument in invocation.Arguments)
                    {
                        inputs.Add(new SinkInput(argument.Value, name));
                    }
                }
            }));
        }

        foreach (var diagnostics in new[] { "System.Diagnostics.Debug", "System.Diagnostics.Trace" })
        {
            if (compilation.FindType(diagnostics) is { } type)
            {
                sinks.Add(new MethodSink(
                    type,
                    m => m.Name.StartsWith("Write", StringComparison.Ordinal) || m.Name.StartsWith("Trace", StringComparison.Ordinal)
                        || m.Name is "Print" or "Fail" or "Assert",
                    p => p.Name is not ("condition" or "category")));
            }
        }

        if (exception is not null)
        {
            sinks.Add(new ConstructorSink(exception, p => p.Name == "message", includeDerived: true));
        }

        sinks.Add(new ReturnedToClientSink(sdk));
        return new TaintRuleSpec(Descriptors.CredentialExposure, sinks);
    }

    private static bool IsLoggerMessage(IMethodSymbol method, INamedTypeSymbol attribute)
    {
        var declaration = method.PartialDefinitionPart ?? method;
        return declaration.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, attribute))
            || (method.PartialImplementationPart is { } implementation && implementation.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, attribute)));
    }

    /// <summary>The value a tool, prompt or resource method returns: the SDK sends it to the client (and the model).</summary>
    private sealed class ReturnedToClientSink : TaintSink
    {
        private readonly McpSdkSymbols _sdk;

        public ReturnedToClientSink(McpSdkSymbols sdk) => _sdk = sdk;

        public override void GetInputs(IOperation operation, TaintQuery query, List<SinkInput> inputs)
        {
        }

        public override void GetReturnInputs(IOperation returnedValue, ISymbol owner, TaintQuery query, List<SinkInput> inputs)
        {
            if (owner is not IMethodSymbol method)
            {
                return;
            }

            foreach (var attribute in method.GetAttributes())
            {
                var kind = SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, _sdk.McpServerToolAttribute) ? "tool"
                    : SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, _sdk.McpServerPromptAttribute) ? "prompt"
                    : SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, _sdk.McpServerResourceAttribute) ? "resource"
                    : null;
                if (kind is not null)
                {
                    inputs.Add(new SinkInput(returnedValue, "the result of " + kind + " '" + method.Name + "'"));
                    return;
                }
            }
        }
    }
}
