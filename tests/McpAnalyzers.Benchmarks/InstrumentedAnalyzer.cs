using System;
using System.Collections.Immutable;
using System.Runtime.InteropServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace McpAnalyzers.Benchmarks;

/// <summary>
/// An analyzer run inside a wrapper that counts the callbacks it registers, at every level (compilation start and end,
/// symbol start and end, operation blocks and operations...), and reads around each one the runtime's garbage-collection
/// pause total and, unless told not to, the calling thread's CPU clock: the CPU time the analyzer's own code takes, which
/// its <c>ExecutionTime</c> telemetry (a stopwatch per callback) overstates by whatever time the thread spends descheduled
/// in the callback — with concurrent analysis on two cores, the compiler's and the driver's other threads take turns with
/// it — and by the collections that stop every thread while the callback runs.
/// </summary>
/// <remarks>
/// Linux only (<c>clock_gettime(CLOCK_THREAD_CPUTIME_ID)</c>, a system call): <see cref="ThreadCpuClock.IsAvailable"/> is
/// false elsewhere. Each reading costs a system call, so a timed run is slower than a plain one and is made separately; the
/// clock's own cost inside each interval is measured (<see cref="ThreadCpuClock.IntervalOverheadNs"/>) and subtracted.
/// Without the CPU clock (<c>readCpuClock: false</c>) the wrapper reads only the runtime's garbage-collection pause total and
/// the thread's allocated bytes around each callback (counters in memory, no system call): the pauses that a stopwatch per
/// callback counts as the analyzer's time, because every thread stops for them, and what the callbacks allocate.
/// </remarks>
// Not an analyzer of its own (no attribute; concurrency and generated code are the wrapped analyzer's to configure), and the
// contexts' public constructors, obsolete for analyzers, are what a wrapper needs: the driver's contexts do the work.
#pragma warning disable RS1001, RS1025, RS1026, CS0618
internal sealed class InstrumentedAnalyzer : DiagnosticAnalyzer
{
    private readonly bool _readCpuClock;
    private long _nanoseconds;
    private long _callbacks;
    private long _gcPauseTicks;
    private long _allocatedBytes;

    public InstrumentedAnalyzer(DiagnosticAnalyzer inner, bool readCpuClock = true) => (Inner, _readCpuClock) = (inner, readCpuClock && ThreadCpuClock.IsAvailable);

    public DiagnosticAnalyzer Inner { get; }

    /// <summary>False when the wrapper was told not to read the CPU clock or the system has none: <see cref="CpuMs"/> is then 0.</summary>
    public bool ReadsCpuClock => _readCpuClock;

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => Inner.SupportedDiagnostics;

    /// <summary>CPU milliseconds in the analyzer's callbacks so far, less the clock's own cost per interval.</summary>
    public double CpuMs => _readCpuClock ? Math.Max(0, Interlocked.Read(ref _nanoseconds) - (Interlocked.Read(ref _callbacks) * ThreadCpuClock.IntervalOverheadNs)) / 1e6 : 0;

    /// <summary>
    /// Garbage-collection pauses that ended inside the analyzer's callbacks so far, in ms: summed per callback, so a pause
    /// during two concurrent callbacks counts twice, as their telemetry counts it.
    /// </summary>
    public double GcPauseMs => Interlocked.Read(ref _gcPauseTicks) / (double)TimeSpan.TicksPerMillisecond;

    public long Callbacks => Interlocked.Read(ref _callbacks);

    /// <summary>Bytes allocated inside the analyzer's callbacks so far (the analyzer's own and those of the compiler APIs it calls).</summary>
    public long AllocatedBytes => Interlocked.Read(ref _allocatedBytes);

    public override void Initialize(AnalysisContext context) => Inner.Initialize(new InstrumentedAnalysisContext(context, this));

    // The start actions get the context wrapped too, so that what they register is instrumented as well.
    private Action<CompilationStartAnalysisContext> Instrumented(Action<CompilationStartAnalysisContext> action)
        => Instrumented<CompilationStartAnalysisContext>(start => action(new InstrumentedCompilationStartContext(start, this)));

    private Action<SymbolStartAnalysisContext> Instrumented(Action<SymbolStartAnalysisContext> action)
        => Instrumented<SymbolStartAnalysisContext>(start => action(new InstrumentedSymbolStartContext(start, this)));

    private Action<OperationBlockStartAnalysisContext> Instrumented(Action<OperationBlockStartAnalysisContext> action)
        => Instrumented<OperationBlockStartAnalysisContext>(start => action(new InstrumentedOperationBlockStartContext(start, this)));

    private static NotSupportedException CodeBlockStartNotSupported() => new("Code-block start actions: not used by the analyzers measured.");

    private Action<T> Instrumented<T>(Action<T> action) => context =>
    {
        var pauses = GC.GetTotalPauseDuration().Ticks;
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var start = _readCpuClock ? ThreadCpuClock.NowNs() : 0;
        try
        {
            action(context);
        }
        finally
        {
            if (_readCpuClock)
            {
                Interlocked.Add(ref _nanoseconds, ThreadCpuClock.NowNs() - start);
            }

            Interlocked.Add(ref _gcPauseTicks, GC.GetTotalPauseDuration().Ticks - pauses);
            Interlocked.Add(ref _allocatedBytes, GC.GetAllocatedBytesForCurrentThread() - allocated);
            Interlocked.Increment(ref _callbacks);
        }
    };

    private sealed class InstrumentedAnalysisContext : AnalysisContext
    {
        private readonly AnalysisContext _inner;
        private readonly InstrumentedAnalyzer _wrapper;

        public InstrumentedAnalysisContext(AnalysisContext inner, InstrumentedAnalyzer wrapper) => (_inner, _wrapper) = (inner, wrapper);

        public override void EnableConcurrentExecution() => _inner.EnableConcurrentExecution();

        public override void ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags analysisMode) => _inner.ConfigureGeneratedCodeAnalysis(analysisMode);

        public override void RegisterCompilationStartAction(Action<CompilationStartAnalysisContext> action)
            => _inner.RegisterCompilationStartAction(_wrapper.Instrumented(action));

        public override void RegisterCompilationAction(Action<CompilationAnalysisContext> action) => _inner.RegisterCompilationAction(_wrapper.Instrumented(action));

        public override void RegisterSemanticModelAction(Action<SemanticModelAnalysisContext> action) => _inner.RegisterSemanticModelAction(_wrapper.Instrumented(action));

        public override void RegisterSymbolAction(Action<SymbolAnalysisContext> action, ImmutableArray<SymbolKind> symbolKinds) => _inner.RegisterSymbolAction(_wrapper.Instrumented(action), symbolKinds);

        public override void RegisterSymbolStartAction(Action<SymbolStartAnalysisContext> action, SymbolKind symbolKind)
            => _inner.RegisterSymbolStartAction(_wrapper.Instrumented(action), symbolKind);

        public override void RegisterCodeBlockStartAction<TLanguageKindEnum>(Action<CodeBlockStartAnalysisContext<TLanguageKindEnum>> action)
            => throw CodeBlockStartNotSupported();

        public override void RegisterCodeBlockAction(Action<CodeBlockAnalysisContext> action) => _inner.RegisterCodeBlockAction(_wrapper.Instrumented(action));

        public override void RegisterSyntaxTreeAction(Action<SyntaxTreeAnalysisContext> action) => _inner.RegisterSyntaxTreeAction(_wrapper.Instrumented(action));

        public override void RegisterSyntaxNodeAction<TLanguageKindEnum>(Action<SyntaxNodeAnalysisContext> action, ImmutableArray<TLanguageKindEnum> syntaxKinds)
            => _inner.RegisterSyntaxNodeAction(_wrapper.Instrumented(action), syntaxKinds);

        public override void RegisterOperationAction(Action<OperationAnalysisContext> action, ImmutableArray<OperationKind> operationKinds) => _inner.RegisterOperationAction(_wrapper.Instrumented(action), operationKinds);

        public override void RegisterOperationBlockStartAction(Action<OperationBlockStartAnalysisContext> action)
            => _inner.RegisterOperationBlockStartAction(_wrapper.Instrumented(action));

        public override void RegisterOperationBlockAction(Action<OperationBlockAnalysisContext> action) => _inner.RegisterOperationBlockAction(_wrapper.Instrumented(action));
    }

    private sealed class InstrumentedCompilationStartContext : CompilationStartAnalysisContext
    {
        private readonly CompilationStartAnalysisContext _inner;
        private readonly InstrumentedAnalyzer _wrapper;

        public InstrumentedCompilationStartContext(CompilationStartAnalysisContext inner, InstrumentedAnalyzer wrapper)
            : base(inner.Compilation, inner.Options, inner.CancellationToken)
            => (_inner, _wrapper) = (inner, wrapper);

        public override void RegisterCompilationEndAction(Action<CompilationAnalysisContext> action) => _inner.RegisterCompilationEndAction(_wrapper.Instrumented(action));

        public override void RegisterSemanticModelAction(Action<SemanticModelAnalysisContext> action) => _inner.RegisterSemanticModelAction(_wrapper.Instrumented(action));

        public override void RegisterSymbolAction(Action<SymbolAnalysisContext> action, ImmutableArray<SymbolKind> symbolKinds) => _inner.RegisterSymbolAction(_wrapper.Instrumented(action), symbolKinds);

        public override void RegisterSymbolStartAction(Action<SymbolStartAnalysisContext> action, SymbolKind symbolKind)
            => _inner.RegisterSymbolStartAction(_wrapper.Instrumented(action), symbolKind);

        public override void RegisterCodeBlockStartAction<TLanguageKindEnum>(Action<CodeBlockStartAnalysisContext<TLanguageKindEnum>> action)
            => throw CodeBlockStartNotSupported();

        public override void RegisterCodeBlockAction(Action<CodeBlockAnalysisContext> action) => _inner.RegisterCodeBlockAction(_wrapper.Instrumented(action));

        public override void RegisterSyntaxTreeAction(Action<SyntaxTreeAnalysisContext> action) => _inner.RegisterSyntaxTreeAction(_wrapper.Instrumented(action));

        public override void RegisterSyntaxNodeAction<TLanguageKindEnum>(Action<SyntaxNodeAnalysisContext> action, ImmutableArray<TLanguageKindEnum> syntaxKinds)
            => _inner.RegisterSyntaxNodeAction(_wrapper.Instrumented(action), syntaxKinds);

        public override void RegisterOperationAction(Action<OperationAnalysisContext> action, ImmutableArray<OperationKind> operationKinds) => _inner.RegisterOperationAction(_wrapper.Instrumented(action), operationKinds);

        public override void RegisterOperationBlockStartAction(Action<OperationBlockStartAnalysisContext> action)
            => _inner.RegisterOperationBlockStartAction(_wrapper.Instrumented(action));

        public override void RegisterOperationBlockAction(Action<OperationBlockAnalysisContext> action) => _inner.RegisterOperationBlockAction(_wrapper.Instrumented(action));
    }

    private sealed class InstrumentedSymbolStartContext : SymbolStartAnalysisContext
    {
        private readonly SymbolStartAnalysisContext _inner;
        private readonly InstrumentedAnalyzer _wrapper;

        public InstrumentedSymbolStartContext(SymbolStartAnalysisContext inner, InstrumentedAnalyzer wrapper)
            : base(inner.Symbol, inner.Compilation, inner.Options, inner.CancellationToken)
            => (_inner, _wrapper) = (inner, wrapper);

        public override void RegisterSymbolEndAction(Action<SymbolAnalysisContext> action) => _inner.RegisterSymbolEndAction(_wrapper.Instrumented(action));

        public override void RegisterCodeBlockStartAction<TLanguageKindEnum>(Action<CodeBlockStartAnalysisContext<TLanguageKindEnum>> action)
            => throw CodeBlockStartNotSupported();

        public override void RegisterCodeBlockAction(Action<CodeBlockAnalysisContext> action) => _inner.RegisterCodeBlockAction(_wrapper.Instrumented(action));

        public override void RegisterSyntaxNodeAction<TLanguageKindEnum>(Action<SyntaxNodeAnalysisContext> action, ImmutableArray<TLanguageKindEnum> syntaxKinds)
            => _inner.RegisterSyntaxNodeAction(_wrapper.Instrumented(action), syntaxKinds);

        public override void RegisterOperationAction(Action<OperationAnalysisContext> action, ImmutableArray<OperationKind> operationKinds) => _inner.RegisterOperationAction(_wrapper.Instrumented(action), operationKinds);

        public override void RegisterOperationBlockStartAction(Action<OperationBlockStartAnalysisContext> action)
            => _inner.RegisterOperationBlockStartAction(_wrapper.Instrumented(action));

        public override void RegisterOperationBlockAction(Action<OperationBlockAnalysisContext> action) => _inner.RegisterOperationBlockAction(_wrapper.Instrumented(action));
    }

    private sealed class InstrumentedOperationBlockStartContext : OperationBlockStartAnalysisContext
    {
        private readonly OperationBlockStartAnalysisContext _inner;
        private readonly InstrumentedAnalyzer _wrapper;

        public InstrumentedOperationBlockStartContext(OperationBlockStartAnalysisContext inner, InstrumentedAnalyzer wrapper)
            : base(inner.OperationBlocks, inner.OwningSymbol, inner.Compilation, inner.Options, inner.CancellationToken)
            => (_inner, _wrapper) = (inner, wrapper);

        public override void RegisterOperationBlockEndAction(Action<OperationBlockAnalysisContext> action) => _inner.RegisterOperationBlockEndAction(_wrapper.Instrumented(action));

        public override void RegisterOperationAction(Action<OperationAnalysisContext> action, ImmutableArray<OperationKind> operationKinds) => _inner.RegisterOperationAction(_wrapper.Instrumented(action), operationKinds);
    }
}

#pragma warning restore RS1001, RS1025, RS1026, CS0618

/// <summary>The calling thread's CPU time in nanoseconds (Linux).</summary>
internal static class ThreadCpuClock
{
    private const int ClockThreadCpuTimeId = 3;

    public static bool IsAvailable { get; } = Probe();

    /// <summary>What one interval between two readings with nothing in between measures: the clock's own share of every interval.</summary>
    public static long IntervalOverheadNs { get; } = IsAvailable ? MeasureIntervalOverhead() : 0;

    public static long NowNs()
    {
        if (!IsAvailable || ClockGetTime(ClockThreadCpuTimeId, out var time) != 0)
        {
            return 0;
        }

        return (time.Seconds * 1_000_000_000) + time.Nanoseconds;
    }

    private static bool Probe()
    {
        if (!OperatingSystem.IsLinux() || IntPtr.Size != 8)
        {
            return false;
        }

        try
        {
            return ClockGetTime(ClockThreadCpuTimeId, out _) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    // The median of many empty intervals (the minimum would understate it: the clock's cost varies a little).
    private static long MeasureIntervalOverhead()
    {
        var samples = new long[20_001];
        for (var i = 0; i < samples.Length; i++)
        {
            var start = NowNs();
            samples[i] = NowNs() - start;
        }

        Array.Sort(samples);
        return samples[samples.Length / 2];
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clockId, out TimeSpec time);
}
