#!/usr/bin/env bash
# Runs every fuzz target for a bounded time (FUZZTIME, default 10s each).
# Crashers are written to <pkg>/testdata/fuzz/<Target>/ by `go test -fuzz`;
# commit them with the fix so plain `go test` replays them from then on.
# Usage: .ci/fuzz.sh [fuzztime]     e.g. .ci/fuzz.sh 60s
# FUZZPARALLEL=n limits the fuzzing workers (default: GOMAXPROCS).
# Minimising a new interesting input may take -fuzzminimizetime (60 s by
# default), which would eat a short budget: it is capped at 5 s here.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/usr/local/go/bin:$PATH"
fuzztime="${1:-${FUZZTIME:-10s}}"

# package target — one line per fuzz target.
targets=(
	"./survey FuzzParseSubmission"
	"./survey FuzzParseQuestionnaireYAML"
	"./sampling FuzzParseFrameJSON"
	"./sampling FuzzReadFrameXLSX"
	"./report FuzzReadReplication"
)

# A target added to the code but not to the list above fails the run.
listed=" ${targets[*]} "
for pkg in ./survey ./sampling ./report; do
	for name in $(go test -list '^Fuzz' "$pkg" | grep '^Fuzz' || true); do
		if [[ "$listed" != *" $pkg $name "* ]]; then
			echo "fuzz.sh: $pkg $name is not in the target list" >&2
			exit 1
		fi
	done
done

failed=0
for t in "${targets[@]}"; do
	read -r pkg name <<<"$t"
	echo "== fuzz $pkg $name for $fuzztime"
	if ! go test -run '^$' -fuzz "^${name}\$" -fuzztime "$fuzztime" -fuzzminimizetime 5s ${FUZZPARALLEL:+-parallel "$FUZZPARALLEL"} "$pkg"; then
		echo "fuzz.sh: $pkg $name FAILED; the failing input is under $pkg/testdata/fuzz/$name/" >&2
		failed=1
	fi
done
exit "$failed"
