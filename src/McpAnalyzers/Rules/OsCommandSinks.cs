using System.Collections.Generic;
using McpAnalyzers.Taint;
using Microsoft.CodeAnalysis;

namespace McpAnalyzers.Rules;

internal static class OsCommandSinks
{
    public static TaintRuleSpec Create(Compilation compilation)
    {
        var sinks = new List<TaintSink>();
        _ = compilation;
        return new TaintRuleSpec(Descriptors.MCPSEC005, sinks);
    }
}
