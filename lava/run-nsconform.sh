#!/bin/sh
# The LAVA step: run nsconform, turn its JSON report into LAVA cases, and report one more case for the run itself.
# Never fails the job for a failing case: the cases carry the verdicts. Run as a child of run.sh (which runs under
# set -x), so every signal is printed once, by this script or its children, never traced.
set -u
set -f  # globs are nsconform's, not the shell's

nsconform=/opt/nsconform entry=bin/nsconform.js only='' exclude='' mode=both paths=all granularity=cell timeout=10000 output=output
kcidb_origin='' kcidb_build_id=''
while [ $# -gt 0 ]; do
  [ $# -ge 2 ] || { echo "run-nsconform.sh: $1 needs a value" >&2; exit 2; }
  case $1 in
    --nsconform) nsconform=$2 ;;
    --entry) entry=$2 ;;
    --only) only=$2 ;;
    --exclude) exclude=$2 ;;
    --mode) mode=$2 ;;
    --paths) paths=$2 ;;
    --granularity) granularity=$2 ;;
    --timeout) timeout=$2 ;;
    --output) output=$2 ;;
    --kcidb-origin) kcidb_origin=$2 ;;
    --kcidb-build-id) kcidb_build_id=$2 ;;
    *) echo "run-nsconform.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift 2
done

# The case for the run: through lava-test-case inside LAVA, else a line of its own and a line in result.txt.
report_run() {
  result=$1
  shift
  echo "nsconform-run: $*"
  if command -v lava-test-case >/dev/null 2>&1; then
    lava-test-case nsconform-run --result "$result"
  else
    echo "nsconform-run $result"
    [ -d "$output" ] && echo "nsconform-run $result" >> "$output/result.txt"
  fi
}

if ! command -v node >/dev/null 2>&1; then
  report_run fail "no node on PATH: the rootfs needs Node.js >= 20.19 (Debian trixie has it)"
  exit 0
fi
cli="$nsconform/$entry"
if [ ! -f "$cli" ]; then
  report_run fail "no nsconform at $nsconform (set the NSCONFORM parameter to its checkout)"
  exit 0
fi
mkdir -p "$output" || { report_run fail "cannot make the output directory $output"; exit 0; }
rm -f "$output/results.json" "$output/result.txt"

set --
old_ifs=$IFS
IFS=,
for glob in $only; do [ -n "$glob" ] && set -- "$@" --only "$glob"; done
for glob in $exclude; do [ -n "$glob" ] && set -- "$@" --exclude "$glob"; done
IFS=$old_ifs

# Through cat: on a serial console stdout is a terminal, and nsconform would redraw its progress line there
# thousands of times; a pipe gets a line every 5 s. The exit status comes back through a file (no pipefail in sh).
rm -f "$output/status"
{ node "$cli" "$@" --mode "$mode" --path "$paths" --timeout "$timeout" \
    --json "$output/results.json" --junit "$output/junit.xml" --html "$output/report.html" < /dev/null
  echo $? > "$output/status"; } 2>&1 | cat
status=$(cat "$output/status" 2>/dev/null || echo 255)

if [ -s "$output/results.json" ]; then
  if [ -n "$kcidb_origin" ] && [ -n "$kcidb_build_id" ]; then
    set -- --kcidb "$output/kcidb.json" --kcidb-origin "$kcidb_origin" --kcidb-build-id "$kcidb_build_id"
  else
    set --
  fi
  node "$cli" report --lava "$output/results.json" --granularity "$granularity" --result-txt "$output/result.txt" "$@"
  report_status=$?
else
  report_status=none
fi

# The README's exit statuses: 0 and 1 are verdicts about the kernel; 2, 3 and 128 + n say the run itself went wrong.
case $status in
  0) meaning="every case passed or was skipped with its reason" ;;
  1) meaning="the kernel failed at least one case" ;;
  2) meaning="bad usage or an environment the suite cannot run in; nothing ran" ;;
  3) meaning="a harness error, a changed host, or a report that could not be written: verdicts not to be trusted" ;;
  255) meaning="it left no exit status" ;;
  *) meaning="interrupted or killed" ;;
esac
if [ "$report_status" = none ]; then
  report_run fail "nsconform exit $status ($meaning), and it wrote no results to $output/results.json"
elif [ "$report_status" != 0 ]; then
  report_run fail "nsconform exit $status ($meaning); nsconform report exit $report_status: its cases are missing"
elif [ "$status" -eq 0 ] || [ "$status" -eq 1 ]; then
  report_run pass "nsconform exit $status ($meaning)"
else
  report_run fail "nsconform exit $status ($meaning)"
fi
exit 0
