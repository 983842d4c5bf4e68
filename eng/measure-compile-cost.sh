#!/usr/bin/env bash
# Measures what RoutingSdk's generator and analyzers cost at compile time.
#
# Writes a throw-away project with 1,000 [RoutedTask] methods (varied kinds, complexities, thresholds, pins, prompts and
# result types, over 50 classes) that uses the in-repo generator through eng/RoutingSdkFromSource.props, builds it once
# to restore and build its references, then rebuilds only that project RUNS times with -p:ReportAnalyzer=true -v:d and
# reads the compiler's own timing: the RoutingSdk generator, the analyzers of the RoutingSdk.Generators assembly, all
# analyzers, the Csc task and the whole build (wall clock). Each run also rebuilds a baseline: the same methods with
# hand-written bodies and without the RoutingSdk generator and analyzers, so the difference in compile time shows what
# RoutingSdk adds in total. Prints one line per run and the medians.
#
#   eng/measure-compile-cost.sh                 # 3 runs, project under a temp folder (deleted afterwards)
#   RUNS=5 KEEP=1 eng/measure-compile-cost.sh   # 5 runs, keep the project and the build logs
#   TASKS=2000 CLASSES=100 eng/measure-compile-cost.sh
#   SHARED=false eng/measure-compile-cost.sh    # a fresh compiler process per build (no compiler server)
#
# By default the builds use the compiler server, as `dotnet build` does: the first build warms it up (and is not
# measured), so the runs see the generator as a developer's repeated builds do. With SHARED=false every run starts a
# new compiler and pays for JIT-compiling the compiler and the generator: an upper bound (a CI build's first compile).
set -euo pipefail
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 MSBUILDDISABLENODEREUSE=1

REPO="$(cd "$(dirname "$0")/.." && pwd)"
TASKS="${TASKS:-1000}"
CLASSES="${CLASSES:-50}"
RUNS="${RUNS:-3}"
CONFIGURATION="${CONFIGURATION:-Release}"
SHARED="${SHARED:-true}"
WORK="${WORK:-$(mktemp -d "${TMPDIR:-/tmp}/routingsdk-compile-cost.XXXXXX")}"
PROJECT="$WORK/CompileCost"
mkdir -p "$PROJECT"
cleanup() { if [[ "${KEEP:-0}" != "1" ]]; then rm -rf "$WORK"; else echo "kept: $WORK"; fi; }
trap cleanup EXIT

# Keep the repository's Directory.Build.* and central package versions out of the throw-away project.
for f in Directory.Build.props Directory.Build.targets Directory.Packages.props; do printf '<Project>\n</Project>\n' > "$WORK/$f"; done

cat > "$PROJECT/CompileCost.csproj" <<EOF
<Project Sdk="Microsoft.NET.Sdk">
  <Import Project="$REPO/eng/RoutingSdkFromSource.props" />
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <LangVersion>latest</LangVersion>
    <!-- Some tasks pin tiers on purpose, so the build reports overspend and underspend warnings, as real code would. -->
    <TreatWarningsAsErrors>false</TreatWarningsAsErrors>
    <NoWarn>\$(NoWarn);CS9113</NoWarn>
    <DefineConstants Condition="'\$(Baseline)' == 'true'">\$(DefineConstants);BASELINE</DefineConstants>
  </PropertyGroup>
  <!-- The baseline: the same code with hand-written method bodies and without the RoutingSdk generator and analyzers. -->
  <Target Name="DropRoutingSdkAnalyzers" BeforeTargets="CoreCompile" Condition="'\$(Baseline)' == 'true'">
    <ItemGroup>
      <Analyzer Remove="@(Analyzer)" Condition="\$([System.String]::Copy('%(Filename)').StartsWith('RoutingSdk'))" />
    </ItemGroup>
  </Target>
</Project>
EOF

kinds=(Classification Extraction Formatting Summarization Translation TemplateGeneration CodeGeneration Debugging Analysis Synthesis CreativeWriting Reasoning General)
complexities=(Trivial Low Medium High Extreme)
thresholds=(0.7 0.75 0.8 0.85 0.9)
pins=("" "" "" "" "" "" "" ", Tier = \"small\"" ", Tier = \"mid\"" ", Tier = \"frontier\"" ", MaxTier = \"mid\"" ", MaxTier = \"frontier\"" ", Escalation = Escalation.None" ", LatencyBudgetMs = 20000" ", MaxCostPerThousandCalls = 50")
returns=("Task<string>" "Task<Verdict>" "ValueTask<string>" "Task<Summary>" "Task<string?>")

{
  echo "global using RoutingSdk;"
  echo
  echo "namespace CompileCost;"
  echo
  echo "public enum Verdict { Yes, No, Unsure }"
  echo
  echo "public sealed record Summary(string Title, IReadOnlyList<string> Points, double Confidence);"
} > "$PROJECT/Model.cs"

per_class=$(( (TASKS + CLASSES - 1) / CLASSES ))
n=0
for (( c = 0; c < CLASSES && n < TASKS; c++ )); do
  file="$PROJECT/Desk$c.cs"
  {
    echo "namespace CompileCost.Area$(( c % 7 ));"
    echo
    echo "public sealed partial class Desk$c(TaskRouter router)"
    echo "{"
    for (( m = 0; m < per_class && n < TASKS; m++, n++ )); do
      kind=${kinds[$(( n % ${#kinds[@]} ))]}
      complexity=${complexities[$(( (n / 3) % ${#complexities[@]} ))]}
      threshold=${thresholds[$(( (n / 7) % ${#thresholds[@]} ))]}
      pin=${pins[$(( (n / 2) % ${#pins[@]} ))]}
      returns_type=${returns[$(( (n / 5) % ${#returns[@]} ))]}
      case $(( n % 4 )) in
        0) prompt=", Prompt = \"Task $n ($kind): handle this input carefully:\\n{input}\"" ;;
        1) prompt=", Prompt = \"Given {context}, answer for {input} in {language}.\", Instructions = \"You are assistant $n.\"" ;;
        2) prompt="" ;;
        *) prompt=", Prompt = \"{{literal}} {input} and {count} items\"" ;;
      esac
      echo "    [RoutedTask(TaskKind.$kind, Complexity.$complexity, QualityThreshold = $threshold$pin$prompt)]"
      signature="$returns_type Run${n}Async(string input, string context, string language, int count, CancellationToken cancellationToken = default)"
      echo "#if BASELINE"
      echo "    public $signature => throw new NotImplementedException();"
      echo "#else"
      echo "    public partial $signature;"
      echo "#endif"
      echo
    done
    echo "}"
  } > "$file"
done

echo "project: $PROJECT ($n task methods in $CLASSES classes)"
echo "first build (restore, references) ..."
if ! dotnet build "$PROJECT/CompileCost.csproj" -c "$CONFIGURATION" -nodeReuse:false -p:UseSharedCompilation="$SHARED" > "$WORK/first-build.log" 2>&1; then
  tail -n 40 "$WORK/first-build.log"; echo "the first build failed (log: $WORK/first-build.log)"; KEEP=1; exit 1
fi

# Seconds from the compiler's ReportAnalyzer tables: a line "<seconds> <percent> <assembly or type name>" under a heading.
row_seconds() { # $1 log, $2 table heading ("Analyzer"/"Generator"), $3 name prefix
  awk -v heading="$2" -v name="$3" '
    $0 ~ "Total " tolower(heading) " execution time" { inside = 1; next }
    inside && $0 ~ "Total (analyzer|generator) execution time" { inside = 0 }
    inside && $3 ~ "^" name { sum += $1; found = 1; inside = 0 }
    END { printf "%.3f", found ? sum : 0 }' "$1"
}
total_seconds() { # $1 log, $2 "analyzer"/"generator"
  grep -Eo "Total $2 execution time: [0-9.]+" "$1" | awk '{ s += $NF } END { printf "%.3f", s + 0 }'
}
task_ms() { # $1 log, $2 task name: from the task performance summary, "<ms> ms  <name>  <calls> calls"
  awk -v task="$2" '/Task Performance Summary:/ { inside = 1 } inside && $3 == task { print $1; exit }' "$1"
}

build() { # $1 log, $2 baseline (true/false); prints the wall-clock seconds
  local start end
  start=$(date +%s.%N)
  dotnet build "$PROJECT/CompileCost.csproj" -c "$CONFIGURATION" --no-restore --no-dependencies --no-incremental -nodeReuse:false \
    -p:UseSharedCompilation="$SHARED" -p:ReportAnalyzer=true -p:Baseline="$2" -v:d -clp:PerformanceSummary > "$1" 2>&1 || { tail -n 40 "$1" >&2; KEEP=1; exit 1; }
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }'
}

# Runs alternate between the project with RoutingSdk and the baseline, so a busy machine affects both alike.
results=()
for (( r = 1; r <= RUNS; r++ )); do
  log="$WORK/run-$r.log"
  base_log="$WORK/baseline-$r.log"
  wall=$(build "$log" false)
  base_wall=$(build "$base_log" true)
  generator=$(row_seconds "$log" Generator "RoutingSdk.Generators")
  ours=$(row_seconds "$log" Analyzer "RoutingSdk.Generators")
  analyzers=$(total_seconds "$log" analyzer)
  csc=$(awk -v ms="$(task_ms "$log" Csc)" 'BEGIN { printf "%.3f", ms / 1000 }')
  base_csc=$(awk -v ms="$(task_ms "$base_log" Csc)" 'BEGIN { printf "%.3f", ms / 1000 }')
  if grep -q "RoutingSdk.Generators" "$base_log" && grep -q "Total generator execution time" "$base_log" && [[ "$(row_seconds "$base_log" Generator "RoutingSdk.Generators")" != "0.000" ]]; then
    echo "the baseline build still ran the RoutingSdk generator (log: $base_log)"; KEEP=1; exit 1
  fi
  share=$(awk -v g="$generator" -v a="$ours" -v w="$wall" 'BEGIN { print (g + a) / w * 100 }')
  compile_share=$(awk -v g="$generator" -v a="$ours" -v c="$csc" 'BEGIN { print (c > 0 ? (g + a) / c * 100 : 0) }')
  extra=$(awk -v c="$csc" -v b="$base_csc" 'BEGIN { printf "%.3f", c - b }')
  printf 'run %d: build %6.2f s, Csc %6.2f s, RoutingSdk generator %.3f s, RoutingSdk analyzers %.3f s (all analyzers %.3f s) = %.2f%% of the build, %.2f%% of Csc; baseline build %6.2f s, Csc %6.2f s\n' \
    "$r" "$wall" "$csc" "$generator" "$ours" "$analyzers" "$share" "$compile_share" "$base_wall" "$base_csc"
  results+=("$wall $csc $generator $ours $analyzers $share $compile_share $base_wall $base_csc $extra")
done

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
column() { printf '%s\n' "${results[@]}" | awk -v c="$1" '{ print $c }' | median; }
wall=$(column 1); csc=$(column 2); generator=$(column 3); ours=$(column 4); analyzers=$(column 5); share=$(column 6); compile_share=$(column 7)
base_wall=$(column 8); base_csc=$(column 9); extra=$(column 10)
echo
echo "medians of $RUNS runs, $n task methods, compiler server: $SHARED"
echo "  with RoutingSdk: build $wall s, Csc $csc s; RoutingSdk generator $generator s, RoutingSdk analyzers $ours s (all analyzers $analyzers s)"
echo "  baseline (hand-written bodies, no RoutingSdk generator or analyzers): build $base_wall s, Csc $base_csc s"
# The median of the per-run shares: a busy machine slows a whole run, generator and build together.
awk -v s="$share" -v c="$compile_share" -v x="$extra" -v w="$wall" 'BEGIN {
  printf "RoutingSdk generator + analyzers (ReportAnalyzer): %.2f%% of the build, %.2f%% of the compile (target: under 5%% of the build) -> %s\n", s, c, (s < 5 ? "OK" : "OVER")
  printf "Csc with RoutingSdk minus Csc of the baseline: %.3f s (%.2f%% of the build; includes compiling the generated code)\n", x, (w > 0 ? x / w * 100 : 0)
}'
