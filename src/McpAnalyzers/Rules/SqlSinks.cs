using System.Collections.Generic;
using McpAnalyzers.Taint;
using Microsoft.CodeAnalysis;

namespace McpAnalyzers.Rules;

internal static class SqlSinks
{
    public static TaintRuleSpec Create(Compilation compilation)
    {
        var sinks = new List<TaintSink>();
        _ = compilation;
        return new TaintRuleSpec(Descriptors.MCPSEC007, sinks);
    }
}
