#!/usr/bin/env bash
# The benchmark corpus built the way users build: `dotnet build` with the SDK's own compiler (ReadyToRun, through the
# compiler server), in three variants of one project, builds interleaved, the fastest of each kept:
#   none  no McpAnalyzers, the SDK's NetAnalyzers off (EnableNETAnalyzers=false)
#   mcp   the McpAnalyzers assembly of this repository (Release build) added as an analyzer
#   net   no McpAnalyzers; the SDK's NetAnalyzers on with only CA2100, CA3001, CA3003, CA3006, CA5394, CA5404, CA5405
# The compiler reports each analyzer's time (-p:ReportAnalyzer=true); MSBuild reports the Csc task's time. Every build
# is checked: the mcp variant must report exactly the McpAnalyzers warnings the corpus mode expects, per rule (150 of
# each of MCPSEC005-008 per 1,000 files), the others none of them. The ASP.NET Core analyzers and source generators of the framework run
# in every variant alike.
#
# The builds go through the compiler server (UseSharedCompilation=true, whatever the environment says), as `dotnet build`
# does by default: a warm, long-lived compiler. --no-server: a fresh csc process per build (the analyzers' code is then
# compiled by the JIT during the build, as in a first build or on a CI machine that turns the server off).
#
# Usage: bash eng/build-benchmark.sh [files (default 1000)] [builds per variant (default 5)] [--no-server]
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shared=true
positional=()
for arg in "$@"; do
  if [[ "$arg" == --no-server ]]; then shared=false; else positional+=("$arg"); fi
done
files="${positional[0]:-1000}"
builds="${positional[1]:-5}"
work="$(mktemp -d "${TMPDIR:-/tmp}/mcpsec-build-bench.XXXXXX")"
trap '[[ -n "${KEEP:-}" ]] || rm -rf "$work"' EXIT

echo "== building McpAnalyzers (Release) and writing the corpus ($files files)"
dotnet build "$root/src/McpAnalyzers" -c Release -nologo -v:q > "$work/analyzer-build.log" 2>&1 || { cat "$work/analyzer-build.log"; exit 1; }
analyzer="$root/src/McpAnalyzers/bin/Release/netstandard2.0/McpAnalyzers.dll"
# The corpus mode also prints what McpAnalyzers must report on it ("expected MCPSEC005 150" per rule).
dotnet run -c Release --project "$root/tests/McpAnalyzers.Benchmarks" -- corpus "$files" "$work/project" | tee "$work/corpus.txt"

cat > "$work/project/Corpus.csproj" <<EOF
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>disable</ImplicitUsings>
    <LangVersion>latest</LangVersion>
    <EnableNETAnalyzers>false</EnableNETAnalyzers>
  </PropertyGroup>
  <ItemGroup>
    <FrameworkReference Include="Microsoft.AspNetCore.App" />
    <PackageReference Include="ModelContextProtocol.AspNetCore" Version="2.4.0" />
    <PackageReference Include="Microsoft.Data.Sqlite" Version="10.0.15" />
  </ItemGroup>
  <ItemGroup Condition="'\$(Variant)' == 'mcp'">
    <Analyzer Include="$analyzer" />
  </ItemGroup>
  <PropertyGroup Condition="'\$(Variant)' == 'net'">
    <EnableNETAnalyzers>true</EnableNETAnalyzers>
    <!-- Every rule off, then the taint rules and the benchmark's other security rules on (netanalyzers.globalconfig). -->
    <AnalysisMode>None</AnalysisMode>
  </PropertyGroup>
  <ItemGroup Condition="'\$(Variant)' == 'net'">
    <GlobalAnalyzerConfigFiles Include="netanalyzers.globalconfig" />
  </ItemGroup>
</Project>
EOF
{
  echo "is_global = true"
  for id in CA2100 CA3001 CA3003 CA3006 CA5394 CA5404 CA5405; do echo "dotnet_diagnostic.$id.severity = warning"; done
} > "$work/project/netanalyzers.globalconfig"

dotnet restore "$work/project" -nologo -v:q > "$work/restore.log" 2>&1 || { cat "$work/restore.log"; exit 1; }

lines() { grep -E ${3:-} "$1" "$2" || true; } # pattern file [-o]: the matching lines (or parts), none without failing

# One build; prints "csc_ms total_analyzer_ms mcp_ms net_ms mcp_warnings net_warnings".
build() { # variant log
  dotnet build "$work/project" -c Release --no-restore --no-incremental -nologo -p:Variant="$1" -p:ReportAnalyzer=true -p:UseSharedCompilation="$shared" \
    -v:d -clp:PerformanceSummary > "$2" 2>&1 || { tail -n 40 "$2" >&2; echo "build of variant $1 failed" >&2; exit 1; }
  local csc total mcp net mcp_warnings net_warnings
  # Lines a variant may lack (no McpAnalyzers line without them): the greps may find nothing.
  csc="$(lines '^\s+[0-9]+ ms\s+Csc\s' "$2" | awk 'NR == 1 {print $1}')"
  total="$(grep -oE 'Total analyzer execution time: [0-9.]+' "$2" | awk '{s += $5 * 1000} END {printf "%.0f", s}')"
  mcp="$(lines '^\s+[0-9.]+\s+[0-9]+\s+McpAnalyzers, Version=' "$2" | awk '{s += $1 * 1000} END {printf "%.0f", s}')"
  net="$(lines '^\s+[0-9.]+\s+[0-9]+\s+Microsoft\.CodeAnalysis(\.CSharp)?\.NetAnalyzers, Version=' "$2" | awk '{s += $1 * 1000} END {printf "%.0f", s}')"
  # MSBuild repeats each warning in its closing summary (without the "1>" node prefix): count distinct ones.
  lines '[^ ]+\.cs\([0-9]+,[0-9]+\): warning MCPSEC[0-9]{3}' "$2" -o | sed -E 's/^[0-9]+>//' | sort -u > "$work/mcp-warnings.txt"
  mcp_warnings="$(wc -l < "$work/mcp-warnings.txt")"
  net_warnings="$(lines '[^ ]+\.cs\([0-9]+,[0-9]+\): warning CA[0-9]{4}' "$2" -o | sed -E 's/^[0-9]+>//' | sort -u | wc -l)"
  echo "${csc:-0} ${total:-0} ${mcp:-0} ${net:-0} $mcp_warnings $net_warnings"
}

expected_mcp="$(awk '$1 == "expected" {s += $3} END {print s + 0}' "$work/corpus.txt")"
# Per rule, in the McpAnalyzers variant: the count of each ID against the corpus mode's expectation.
check_rules() {
  local id want got
  while read -r _ id want; do
    got="$(grep -c "warning $id\$" "$work/mcp-warnings.txt" || true)"
    if [[ "$got" -ne "$want" ]]; then echo "MISMATCH: $id reported $got times, expected $want"; status=1; fi
  done < <(grep '^expected ' "$work/corpus.txt")
}
status=0
declare -A best_csc best_mcp best_net
echo "== builds: a warm-up of each variant (untimed: the compiler server's start and first load of each analyzer set), then $builds rounds"
for variant in none mcp net; do build "$variant" "$work/warmup-$variant.log" > /dev/null; done
printf '%-6s %-7s %9s %18s %14s %14s %9s %9s\n' round variant "Csc ms" "all analyzers ms" "McpAnalyzers" "NetAnalyzers" MCPSEC CA
for round in $(seq 1 "$builds"); do
  for variant in none mcp net; do
    # Not in a process substitution: a failed build must end the script.
    build "$variant" "$work/$variant-$round.log" > "$work/result"
    read -r csc total mcp net mcp_warnings net_warnings < "$work/result"
    printf '%-6s %-7s %9s %18s %14s %14s %9s %9s\n' "$round" "$variant" "$csc" "$total" "$mcp" "$net" "$mcp_warnings" "$net_warnings"
    want=0; [[ "$variant" == mcp ]] && want=$expected_mcp
    if [[ "$mcp_warnings" -ne "$want" ]]; then echo "MISMATCH: variant $variant reported $mcp_warnings McpAnalyzers warnings, expected $want"; status=1; fi
    if [[ "$variant" == mcp ]]; then check_rules; fi
    if [[ "$variant" != net && "$net_warnings" -ne 0 ]]; then echo "MISMATCH: variant $variant reported $net_warnings CA warnings"; status=1; fi
    if [[ "$variant" == net && "$net_warnings" -eq 0 ]]; then echo "MISMATCH: the NetAnalyzers variant reported nothing (its rules did not run)"; status=1; fi
    if [[ -z "${best_csc[$variant]:-}" || "$csc" -lt "${best_csc[$variant]}" ]]; then best_csc[$variant]=$csc; fi
    if [[ -z "${best_mcp[$variant]:-}" || "$mcp" -lt "${best_mcp[$variant]}" ]]; then best_mcp[$variant]=$mcp; fi
    if [[ -z "${best_net[$variant]:-}" || "$net" -lt "${best_net[$variant]}" ]]; then best_net[$variant]=$net; fi
  done
done

echo
echo "== fastest of $builds ($files files; compiler server: $shared; $(nproc) cores; $(dotnet --version) SDK)"
echo "| | Csc task ms | analyzer ms (compiler's report) | Δ Csc ms over none | analyzer ms / Csc ms of none |"
echo "|---|---:|---:|---:|---:|"
echo "| none | ${best_csc[none]} | | | |"
awk -v c="${best_csc[mcp]}" -v a="${best_mcp[mcp]}" -v n="${best_csc[none]}" \
  'BEGIN {printf "| McpAnalyzers | %d | %d | %d | %.1f %% |\n", c, a, c - n, 100 * a / n}'
awk -v c="${best_csc[net]}" -v a="${best_net[net]}" -v n="${best_csc[none]}" \
  'BEGIN {printf "| NetAnalyzers (7 rules) | %d | %d | %d | %.1f %% |\n", c, a, c - n, 100 * a / n}'
awk -v m="${best_mcp[mcp]}" -v t="${best_net[net]}" 'BEGIN {if (m > 0) printf "McpAnalyzers / NetAnalyzers analyzer ms: 1/%.1f\n", t / m}'
exit $status
