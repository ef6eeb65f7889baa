#!/usr/bin/env bash
# Runs every fuzz target for a bounded number of executions.
# Crashers are written to <pkg>/testdata/fuzz/<Target>/ by `go test -fuzz`;
# commit them with the fix so plain `go test` replays them from then on.
# Usage: .ci/fuzz.sh [scale]     e.g. .ci/fuzz.sh 6 (six times the counts below)
# FUZZPARALLEL=n limits the fuzzing workers (default: GOMAXPROCS).
#
# Budgets are execution counts (-fuzztime Nx), not durations: with a duration,
# Go's fuzz coordinator before Go 1.27 can report a bare "context deadline
# exceeded" at the deadline with no failing input (golang/go#75804), which
# failed CI once here. A count has no deadline to race. Each count is about
# 10 s of fuzzing on a 2-vCPU machine; -timeout bounds a target that hangs.
# Minimising a new interesting input may take -fuzzminimizetime (60 s by
# default): it is capped at 5 s here.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/usr/local/go/bin:$PATH"
scale="${1:-${FUZZSCALE:-1}}"
if ! [[ "$scale" =~ ^[1-9][0-9]*$ ]]; then
	echo "fuzz.sh: scale must be a positive whole number, got '$scale'" >&2
	exit 2
fi

# package target executions — one line per fuzz target.
targets=(
	"./survey FuzzParseSubmission 250000"
	"./survey FuzzParseQuestionnaireYAML 70000"
	"./sampling FuzzParseFrameJSON 50000"
	"./sampling FuzzReadFrameXLSX 1500"
	"./report FuzzReadReplication 200000"
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
	read -r pkg name count <<<"$t"
	n=$((count * scale))
	echo "== fuzz $pkg $name for $n executions"
	if ! go test -run '^$' -fuzz "^${name}\$" -fuzztime "${n}x" -fuzzminimizetime 5s -timeout 5m ${FUZZPARALLEL:+-parallel "$FUZZPARALLEL"} "$pkg"; then
		echo "fuzz.sh: $pkg $name FAILED; the failing input is under $pkg/testdata/fuzz/$name/" >&2
		failed=1
	fi
done
exit "$failed"
