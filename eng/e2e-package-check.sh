#!/usr/bin/env bash
# End-to-end check of the McpAnalyzers package, installed the way users install it.
#
#  1. dotnet pack src/McpAnalyzers.Package into a local folder feed, with a unique version (so no
#     stale package from the NuGet cache can be used), and inspect the .nupkg.
#  2. Copy samples/InsecureMcpServer and samples/SecureMcpServer to a temp folder (outside the repo:
#     no Directory.Build.props, no .editorconfig), replace their analyzer ProjectReferences with
#     `dotnet add package McpAnalyzers` from the local feed, and build them with TreatWarningsAsErrors:
#     the insecure one must fail with exactly the diagnostics of expected-diagnostics.txt, the secure
#     one must build with zero warnings.
#  3. Compatibility: the insecure consumer again with the Microsoft.Net.Compilers.Toolset 4.14.0
#     compiler (checked on the csc command line), and the packed assemblies on Roslyn 4.8.0
#     (eng/roslyn48-host) over the same sources and references.
#
# Usage: bash eng/e2e-package-check.sh [--keep]   (--keep leaves the temp folder for inspection)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
keep=false
[[ "${1:-}" == "--keep" ]] && keep=true

work="$(mktemp -d "${TMPDIR:-/tmp}/mcpsec-e2e.XXXXXX")"
version="0.0.0-e2e.$(date -u +%Y%m%d%H%M%S).$$"
global_packages="$(dotnet nuget locals global-packages --list | sed -E 's/^global-packages: //')"
toolset_version="4.14.0"

cleanup() {
  # The unique version was restored into the global packages folder: remove it again.
  rm -rf "${global_packages%/}/mcpanalyzers/${version}"
  if [[ "$keep" == true ]]; then echo "e2e: kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

passed=0
failed=0
pass() { passed=$((passed + 1)); echo "PASS: $*"; }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }
step() { echo; echo "== $*"; }

# ---------------------------------------------------------------------------------------------
step "pack McpAnalyzers $version"
feed="$work/feed"
dotnet pack "$root/src/McpAnalyzers.Package" -c Release -o "$feed" -p:PackageVersion="$version" -v:q -nologo > "$work/pack.log" 2>&1 \
  || { cat "$work/pack.log"; fail "dotnet pack"; exit 1; }
nupkg="$feed/McpAnalyzers.$version.nupkg"
[[ -f "$nupkg" ]] || { fail "no $nupkg"; exit 1; }
pass "packed $(basename "$nupkg")"

step "inspect the package"
unzip -Z1 "$nupkg" > "$work/entries.txt"
for entry in analyzers/dotnet/cs/McpAnalyzers.dll analyzers/dotnet/cs/McpAnalyzers.CodeFixes.dll \
             build/McpAnalyzers.props build/McpAnalyzers.targets buildTransitive/McpAnalyzers.props buildTransitive/McpAnalyzers.targets \
             configuration/recommended.globalconfig configuration/strict.globalconfig configuration/audit.globalconfig README.md; do
  if grep -qxF "$entry" "$work/entries.txt"; then pass "contains $entry"; else fail "missing $entry"; fi
done
if grep -q '^lib/' "$work/entries.txt"; then fail "has a lib/ folder: $(grep '^lib/' "$work/entries.txt" | tr '\n' ' ')"; else pass "no lib/ folder"; fi
# Only our two assemblies: Roslyn or any other dependency must not ride along.
extra_dlls="$(grep -E '\.dll$' "$work/entries.txt" | grep -vxE 'analyzers/dotnet/cs/McpAnalyzers(\.CodeFixes)?\.dll' || true)"
if [[ -z "$extra_dlls" ]]; then pass "no other assemblies"; else fail "unexpected assemblies: $extra_dlls"; fi
unzip -p "$nupkg" McpAnalyzers.nuspec > "$work/McpAnalyzers.nuspec"
if grep -q '<developmentDependency>true</developmentDependency>' "$work/McpAnalyzers.nuspec"; then pass "developmentDependency=true"; else fail "developmentDependency is not true"; fi
if grep -q '<dependencies' "$work/McpAnalyzers.nuspec"; then fail "nuspec declares dependencies"; else pass "no dependencies group"; fi
if grep -q '<license type="expression">MIT</license>' "$work/McpAnalyzers.nuspec"; then pass "MIT license expression"; else fail "license expression"; fi
mkdir -p "$work/package"
unzip -q "$nupkg" 'analyzers/*' -d "$work/package"
analyzer_dir="$work/package/analyzers/dotnet/cs"

# ---------------------------------------------------------------------------------------------
step "expected diagnostics"
# Rule IDs the package declares (release tracking is enforced by the analyzer build: RS2000/RS2008).
grep -ohE '^MCPSEC[0-9]{3}' "$root"/src/McpAnalyzers/AnalyzerReleases.*.md | LC_ALL=C sort -u > "$work/declared-ids.txt" || true
echo "rules in the package: $(tr '\n' ' ' < "$work/declared-ids.txt")"
grep -vE '^\s*(#|$)' "$root/samples/InsecureMcpServer/expected-diagnostics.txt" | LC_ALL=C sort -u > "$work/expected.txt"
[[ -s "$work/expected.txt" ]] || { fail "expected-diagnostics.txt lists nothing"; exit 1; }
echo "checking $(wc -l < "$work/expected.txt") expected diagnostics"

# "file(line,col): error|warning MCPSECnnn: ..." from a build log -> sorted unique "file(line): MCPSECnnn",
# file relative to the project folder (msbuild repeats each diagnostic in its summary: dedupe).
extract_diagnostics() { # log project_dir
  grep -oE "[^ ]+\([0-9]+,[0-9]+\): (error|warning) MCPSEC[0-9]{3}" "$1" \
    | sed -E "s#^.*$2/##; s#\(([0-9]+),[0-9]+\): (error|warning) #(\1): #" \
    | LC_ALL=C sort -u || true
}

compare_diagnostics() { # label actual_file
  if diff -u --label expected --label "$1" "$work/expected.txt" "$2" > "$work/diff.txt"; then
    pass "$1: $(wc -l < "$2") MCPSEC diagnostics, exactly as expected"
  else
    fail "$1: diagnostics differ from expected-diagnostics.txt"
    cat "$work/diff.txt"
  fi
}

# The csc invocation logged at -v:n: proves which compiler ran and which analyzers it was given.
csc_pattern='^\s*([0-9]+>)?\s*(\S*dotnet exec )?"?\S*(/csc|csc\.dll)"? '
csc_line() { grep -m1 -E "$csc_pattern.*/out:" "$1" || true; }

check_package_analyzers_passed() { # label log
  local line
  line="$(csc_line "$2")"
  local dir="${global_packages%/}/mcpanalyzers/$version"
  if [[ "$line" == *"/analyzer:$dir/analyzers/dotnet/cs/McpAnalyzers.dll"* && "$line" == *"/analyzer:$dir/analyzers/dotnet/cs/McpAnalyzers.CodeFixes.dll"* ]]; then
    pass "$1: csc was given the packaged analyzers ($version)"
  else
    fail "$1: csc command line lacks /analyzer:$dir/analyzers/dotnet/cs/McpAnalyzers*.dll"
  fi
  if [[ "$line" == *"/analyzerconfig:$dir/configuration/recommended.globalconfig"* ]]; then
    pass "$1: the Recommended preset is applied by default"
  else
    fail "$1: recommended.globalconfig not passed to csc"
  fi
}

# ---------------------------------------------------------------------------------------------
step "consumer projects"
cat > "$work/NuGet.config" <<EOF
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="e2e-local" value="$feed" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
  </packageSources>
  <packageSourceMapping>
    <packageSource key="e2e-local"><package pattern="McpAnalyzers" /></packageSource>
    <packageSource key="nuget.org"><package pattern="*" /></packageSource>
  </packageSourceMapping>
</configuration>
EOF

make_consumer() { # sample name -> $work/<name>
  local src="$root/samples/$1" dest="$work/$1"
  mkdir -p "$dest"
  tar -C "$src" --exclude=./bin --exclude=./obj --exclude=./expected-diagnostics.txt -cf - . | tar -C "$dest" -xf -
  grep -v '<ProjectReference' "$src/$1.csproj" > "$dest/$1.csproj"
  (cd "$dest" && dotnet add package McpAnalyzers --version "$version" > "$work/$1.add.log" 2>&1) \
    || { cat "$work/$1.add.log"; fail "$1: dotnet add package McpAnalyzers"; return 1; }
  if grep -q 'ProjectReference' "$dest/$1.csproj"; then fail "$1: ProjectReference left"; return 1; fi
  pass "$1: consumer uses PackageReference McpAnalyzers $version"
}
make_consumer InsecureMcpServer
make_consumer SecureMcpServer
insecure="$work/InsecureMcpServer"
secure="$work/SecureMcpServer"

# ---------------------------------------------------------------------------------------------
step "insecure consumer, TreatWarningsAsErrors=true"
set +e
dotnet build "$insecure" -c Release -nologo -v:n -p:TreatWarningsAsErrors=true > "$work/insecure.log" 2>&1
insecure_rc=$?
set -e
extract_diagnostics "$work/insecure.log" "$insecure" > "$work/insecure-actual.txt"
check_package_analyzers_passed insecure "$work/insecure.log"
other_errors="$(grep -E ': error [A-Z]+[0-9]+' "$work/insecure.log" | grep -vE ': error MCPSEC[0-9]{3}' | sort -u || true)"
if [[ -n "$other_errors" ]]; then fail "insecure: errors other than MCPSEC:"; echo "$other_errors" | head -20; else pass "insecure: no error other than MCPSEC"; fi
if [[ -s "$work/expected.txt" ]]; then
  if [[ $insecure_rc -ne 0 ]]; then pass "insecure: build failed (exit $insecure_rc), as it must"; else fail "insecure: build succeeded although MCPSEC diagnostics are expected"; fi
else
  if [[ $insecure_rc -eq 0 ]]; then pass "insecure: build succeeded (no declared rule has an expected diagnostic)"; else fail "insecure: build failed (exit $insecure_rc)"; tail -20 "$work/insecure.log"; fi
fi
compare_diagnostics "insecure build" "$work/insecure-actual.txt"

# ---------------------------------------------------------------------------------------------
step "analysis modes (McpSecAnalysisMode) on the insecure consumer"
set +e
dotnet build "$insecure" -c Release -nologo -v:n -p:McpSecAnalysisMode=Strict > "$work/strict.log" 2>&1
strict_rc=$?
set -e
extract_diagnostics "$work/strict.log" "$insecure" > "$work/strict-actual.txt"
if [[ -s "$work/expected.txt" && $strict_rc -eq 0 ]]; then fail "Strict: build succeeded without TreatWarningsAsErrors"; else pass "Strict: build result as expected (exit $strict_rc)"; fi
if grep -qE "warning MCPSEC" "$work/strict.log"; then fail "Strict: MCPSEC reported as warnings"; else pass "Strict: MCPSEC reported as errors only"; fi
compare_diagnostics "Strict build" "$work/strict-actual.txt"

# Audit: suggestions never fail the build; they are in the SARIF log (not in the console output).
if dotnet build "$insecure" -c Release -nologo -v:n -p:McpSecAnalysisMode=Audit -p:TreatWarningsAsErrors=true \
     "-p:ErrorLog=$work/audit.sarif%2Cversion=2.1" > "$work/audit.log" 2>&1; then
  pass "Audit: build succeeded with TreatWarningsAsErrors"
else
  fail "Audit: build failed"; grep -E ': error ' "$work/audit.log" | sort -u | head
fi
grep -oE '"ruleId": *"MCPSEC[0-9]{3}"' "$work/audit.sarif" 2>/dev/null | grep -oE 'MCPSEC[0-9]{3}' | LC_ALL=C sort > "$work/audit-ids.txt" || true
sed -E 's/^.*: //' "$work/expected.txt" | LC_ALL=C sort > "$work/expected-ids.txt"
if diff -q "$work/expected-ids.txt" "$work/audit-ids.txt" > /dev/null; then
  pass "Audit: SARIF log holds the $(wc -l < "$work/audit-ids.txt") expected findings"
else
  fail "Audit: SARIF findings $(tr '\n' ' ' < "$work/audit-ids.txt") differ from expected $(tr '\n' ' ' < "$work/expected-ids.txt")"
fi

# ---------------------------------------------------------------------------------------------
step "secure consumer, TreatWarningsAsErrors=true"
if dotnet build "$secure" -c Release -nologo -v:n -p:TreatWarningsAsErrors=true > "$work/secure.log" 2>&1; then
  pass "secure: build succeeded"
else
  fail "secure: build failed"; grep -E ': (error|warning) ' "$work/secure.log" | sort -u | head -20
fi
check_package_analyzers_passed secure "$work/secure.log"
if grep -qE '^\s*0 Warning\(s\)' "$work/secure.log" && ! grep -qE ': warning [A-Z]+[0-9]+' "$work/secure.log"; then
  pass "secure: zero warnings"
else
  fail "secure: warnings reported"; grep -E ': warning ' "$work/secure.log" | sort -u | head -20
fi

# ---------------------------------------------------------------------------------------------
step "compatibility: Microsoft.Net.Compilers.Toolset $toolset_version"
# On the .NET 10 SDK a toolset PackageReference alone is NOT enough: the SDK chooses its own compiler
# (RoslynCompilerType=Core overrides CSharpCoreTargetsPath/RoslynTasksAssembly set by the package's
# props) and the SDK's csc runs. Setting RoslynCompilerType (any value but Core/Framework) keeps the
# package's compiler; the csc line of the -v:n log is checked to prove which one really ran.
toolset="$work/InsecureMcpServer.Toolset"
mkdir -p "$toolset"
tar -C "$insecure" --exclude=./bin --exclude=./obj -cf - . | tar -C "$toolset" -xf -
if (cd "$toolset" && dotnet add package Microsoft.Net.Compilers.Toolset --version "$toolset_version" > "$work/toolset.add.log" 2>&1); then
  # Not TreatWarningsAsErrors: the SDK's own source generators need a newer compiler and report CS9057 on 4.14.
  set +e
  dotnet build "$toolset" -c Release -nologo -v:n -p:RoslynCompilerType=FrameworkPackage > "$work/toolset.log" 2>&1
  toolset_rc=$?
  set -e
  line="$(csc_line "$work/toolset.log")"
  if [[ "$line" == *"microsoft.net.compilers.toolset/$toolset_version/"*"csc"* ]]; then
    pass "toolset: csc from microsoft.net.compilers.toolset/$toolset_version ran"
  else
    fail "toolset: the csc that ran is not the toolset's: ${line:0:200}"
  fi
  if [[ $toolset_rc -eq 0 ]]; then pass "toolset: build succeeded"; else fail "toolset: build failed"; grep -E ': error ' "$work/toolset.log" | sort -u | head; fi
  load_problems="$(grep -E '(CS9057|CS8032|AD0001).*McpAnalyzers' "$work/toolset.log" | sort -u || true)"
  if [[ -z "$load_problems" ]]; then pass "toolset: McpAnalyzers loaded (no CS9057/CS8032/AD0001)"; else fail "toolset: $load_problems"; fi
  extract_diagnostics "$work/toolset.log" "$toolset" > "$work/toolset-actual.txt"
  compare_diagnostics "toolset $toolset_version build" "$work/toolset-actual.txt"
else
  cat "$work/toolset.add.log"; fail "toolset: dotnet add package Microsoft.Net.Compilers.Toolset $toolset_version"
fi

# ---------------------------------------------------------------------------------------------
step "compatibility: packed assemblies on Roslyn 4.8 (eng/roslyn48-host)"
if dotnet build "$root/eng/roslyn48-host" -c Release -nologo -v:q -o "$work/roslyn48-host" > "$work/host-build.log" 2>&1; then
  run_host() { # label project_dir log actual_out
    csc_line "$3" | sed -E "s#$csc_pattern##" > "$work/$1.cmdline"
    if dotnet "$work/roslyn48-host/Roslyn48Host.dll" --analyzers "$analyzer_dir" --project "$2" \
         --commandline "$work/$1.cmdline" --out "$4" --supported-out "$work/$1.supported.txt"; then
      pass "roslyn 4.8 ($1): analyzers and code fixes loaded and ran without failure"
    else
      fail "roslyn 4.8 ($1): host reported failures"
    fi
  }
  run_host insecure "$insecure" "$work/insecure.log" "$work/r48-insecure.txt"
  compare_diagnostics "roslyn 4.8 insecure" "$work/r48-insecure.txt"
  if diff -q "$work/declared-ids.txt" "$work/insecure.supported.txt" > /dev/null; then
    pass "roslyn 4.8: supported IDs match AnalyzerReleases ($(wc -l < "$work/declared-ids.txt"))"
  else
    fail "roslyn 4.8: supported IDs differ from AnalyzerReleases: $(tr '\n' ' ' < "$work/insecure.supported.txt")"
  fi
  run_host secure "$secure" "$work/secure.log" "$work/r48-secure.txt"
  if [[ ! -s "$work/r48-secure.txt" ]]; then pass "roslyn 4.8 secure: no diagnostics"; else fail "roslyn 4.8 secure:"; cat "$work/r48-secure.txt"; fi
else
  cat "$work/host-build.log"; fail "build eng/roslyn48-host"
fi

echo
echo "e2e: $passed checks passed, $failed failed"
[[ $failed -eq 0 ]]
