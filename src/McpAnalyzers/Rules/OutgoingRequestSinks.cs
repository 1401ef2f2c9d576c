using System;
using System.Collections.Generic;
using System.Linq;
using McpAnalyzers.Symbols;
using McpAnalyzers.Taint;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace McpAnalyzers.Rules;

/// <summary>
/// MCPSEC008 (SSRF): sinks are the target of outgoing requests — <c>HttpClient.Get*/Post*/Put*/Patch*/Delete*/Send*</c>
/// (<c>requestUri</c>), <c>HttpClient.BaseAddress</c>, <c>new HttpRequestMessage(method, uri)</c> and
/// <c>HttpRequestMessage.RequestUri</c>, <c>WebRequest.Create*</c>, <c>WebClient</c> download/upload methods,
/// <c>Socket.Connect(host, port)</c> and <c>TcpClient(host, port)</c>/<c>Connect</c>. A <c>new Uri(tainted)</c>
/// stays tainted and is reported where it is used for a request.
/// Sanitisers: tainted text after a constant <c>scheme://host/</c> prefix (only path and query are
/// chosen by the caller); a relative URI whose tainted parts are all <c>Uri.EscapeDataString(...)</c>
/// (escaped, a segment cannot become absolute or start with <c>//</c>); a guard that checks
/// <c>uri.Host</c>/<c>Authority</c>/<c>IdnHost</c>/<c>DnsSafeHost</c> against an allowlist or a constant.
/// </summary>
internal static class OutgoingRequestSinks
{
    public static TaintRuleSpec Create(Compilation compilation)
    {
        var sinks = new List<TaintSink>();
        if (compilation.FindType("System.Net.Http.HttpClient") is { } httpClient)
        {
            sinks.Add(new MethodSink(
                httpClient,
                m => m.Name.StartsWith("Get", StringComparison.Ordinal) || m.Name.StartsWith("Post", StringComparison.Ordinal)
                    || m.Name.StartsWith("Put", StringComparison.Ordinal) || m.Name.StartsWith("Patch", StringComparison.Ordinal)
                    || m.Name.StartsWith("Delete", StringComparison.Ordinal) || m.Name.StartsWith("Send", StringComparison.Ordinal),
                p => p.Name == "requestUri",
                includeDerived: true));
            sinks.Add(new PropertySetSink(httpClient, "BaseAddress"));
        }

        // HttpClientJsonExtensions.GetFromJsonAsync(client, requestUri) and friends.
        if (compilation.FindType("System.Net.Http.Json.HttpClientJsonExtensions") is { } jsonExtensions)
        {
            sinks.Add(new MethodSink(jsonExtensions, _ => true, p => p.Name == "requestUri"));
        }

        if (compilation.FindType("System.Net.Http.HttpRequestMessage") is { } requestMessage)
        {
            sinks.Add(new ConstructorSink(requestMessage, p => p.Name == "requestUri"));
            sinks.Add(new PropertySetSink(requestMessage, "RequestUri"));
        }

        if (compilation.FindType("System.Net.WebRequest") is { } webRequest)
        {
            sinks.Add(new MethodSink(webRequest, m => m.IsStatic && m.Name.StartsWith("Create", StringComparison.Ordinal), p => p.Name is "requestUriString" or "requestUri"));
        }

        if (compilation.FindType("System.Net.WebClient") is { } webClient)
        {
            sinks.Add(new MethodSink(webClient, _ => true, p => p.Name == "address"));
            sinks.Add(new PropertySetSink(webClient, "BaseAddress"));
        }

        if (compilation.FindType("System.Net.Sockets.Socket") is { } socket)
        {
            sinks.Add(MethodSink.Named(socket, new[] { "Connect", "ConnectAsync" }, p => p.Name is "host"));
        }

        if (compilation.FindType("System.Net.Sockets.TcpClient") is { } tcpClient)
        {
            sinks.Add(MethodSink.Named(tcpClient, new[] { "Connect", "ConnectAsync" }, p => p.Name is "hostname" or "host"));
            sinks.Add(new ConstructorSink(tcpClient, p => p.Name is "hostname"));
        }

        var uri = compilation.FindType("System.Uri");
        var sanitizers = new List<TaintSanitizer> { new CustomSanitizer((operation, query) => IsConfined(operation, query, uri)) };
        var checks = new List<TaintCheck>();
        if (uri is not null)
        {
            checks.Add(new HostAllowlistCheck(uri, new GeneralValidation(TaintTypes.For(compilation))));
        }

        return new TaintRuleSpec(Descriptors.ServerSideRequestForgery, sinks, sanitizers, checks);
    }

    /// <summary>
    /// An interpolated string or concatenation whose tainted parts cannot choose the destination:
    /// either the constant text before the first tainted part already holds <c>scheme://host/</c>,
    /// or the text is relative (no scheme, no leading <c>//</c>) and every tainted part is escaped
    /// with <c>Uri.EscapeDataString</c>.
    /// </summary>
    private static bool IsConfined(IOperation operation, TaintQuery query, INamedTypeSymbol? uri)
    {
        // Asked for every tainted concatenation the tool-input rules evaluate: one list per thread (not re-entered).
        var parts = t_parts ??= new List<IOperation>();
        parts.Clear();
        switch (operation)
        {
            case IInterpolatedStringOperation interpolated:
                foreach (var part in interpolated.Parts)
                {
                    parts.Add(part is IInterpolationOperation hole ? hole.Expression : part);
                }

                break;
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } binary when binary.Type?.SpecialType == SpecialType.System_String:
                Flatten(binary, parts);
                break;
            default:
                return false;
        }

        var constant = string.Empty;
        var index = 0;
        for (; index < parts.Count; index++)
        {
            var text = ConstantText(parts[index]);
            if (text is null && !query.TaintOf(parts[index]).IsClean)
            {
                break;
            }

            if (text is null)
            {
                // A clean, non-constant part (e.g. a configured base URL): cannot reason about it.
                return false;
            }

            constant += text; // usually one piece ("https://host/" + x)
        }

        if (index == parts.Count)
        {
            return false;
        }

        var scheme = constant.IndexOf("://", StringComparison.Ordinal);
        if (scheme > 0)
        {
            // scheme://host/...: a '/' after the authority fixes the host.
            return constant.IndexOf('/', scheme + 3) > scheme + 3;
        }

        if (constant.StartsWith("//", StringComparison.Ordinal) || constant.StartsWith("\\\\", StringComparison.Ordinal) || constant.Contains(":"))
        {
            return false;
        }

        // Relative: every tainted part must be escaped.
        return parts.Skip(index).All(p => query.TaintOf(p).IsClean || IsEscapeDataString(OperationExtensions.WithoutConversions(p), uri));
    }

    [ThreadStatic]
    private static List<IOperation>? t_parts;

    private static bool IsEscapeDataString(IOperation operation, INamedTypeSymbol? uri)
        => operation is IInvocationOperation { TargetMethod: { Name: "EscapeDataString" } method }
            && SymbolEqualityComparer.Default.Equals(method.ContainingType, uri);

    private static string? ConstantText(IOperation part)
        => part is IInterpolatedStringTextOperation text ? text.Text.ConstantValue.Value as string ?? string.Empty : part.ConstantString();

    private static void Flatten(IOperation operation, List<IOperation> parts)
    {
        operation = OperationExtensions.WithoutConversions(operation);
        if (operation is IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } binary && binary.Type?.SpecialType == SpecialType.System_String
            && !binary.ConstantValue.HasValue)
        {
            Flatten(binary.LeftOperand, parts);
            Flatten(binary.RightOperand, parts);
        }
        else
        {
            parts.Add(operation);
        }
    }

    /// <summary>
    /// <c>Allowed.Contains(uri.Host)</c>, <c>uri.Host == "api.example.com"</c> and the other general
    /// checks applied to the host (or authority) of a <see cref="Uri"/>: the URI is safe where it held.
    /// </summary>
    private sealed class HostAllowlistCheck : TaintCheck
    {
        private readonly INamedTypeSymbol _uri;
        private readonly GeneralValidation _general;

        public HostAllowlistCheck(INamedTypeSymbol uri, GeneralValidation general)
        {
            _uri = uri;
            _general = general;
        }

        public override bool TryMatch(IOperation condition, TaintQuery query, out IOperation checkedValue, out bool whenTrue)
        {
            if (_general.TryMatch(condition, query, out checkedValue, out whenTrue)
                && OperationExtensions.WithoutConversions(checkedValue) is IPropertyReferenceOperation { Property.Name: "Host" or "Authority" or "IdnHost" or "DnsSafeHost", Instance: { } instance } host
                && SymbolEqualityComparer.Default.Equals(host.Property.ContainingType, _uri))
            {
                checkedValue = instance;
                return true;
            }

            return false;
        }
    }
}
