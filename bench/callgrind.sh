#!/usr/bin/env bash
# callgrind.sh prints the CPU cost of one handshake, glasstls beside
# crypto/tls, as instructions counted by valgrind's callgrind. Unlike
# nanoseconds these do not move with the load on the machine, so small
# differences (a few tens of thousands of instructions in a handshake of
# millions) can be seen. Usage, from the module root:
#
#	bash bench/callgrind.sh            # every handshake case, ~10 minutes
#	bash bench/callgrind.sh 'ServerHandshake RSA-2048'
#
# Each case runs twice (5 and 25 iterations) and the difference is divided
# by 20, so the one-off set-up (recording the peer's flights, warming up)
# cancels out. Go's asynchronous preemption signals confuse callgrind, hence
# GODEBUG=asyncpreemptoff=1.
set -euo pipefail
cd "$(dirname "$0")"
command -v valgrind >/dev/null || { echo "callgrind.sh needs valgrind (apt-get install valgrind)" >&2; exit 1; }

bin="$(mktemp -d)/bench.test"
trap 'rm -rf "$(dirname "$bin")"' EXIT
go test -c -o "$bin" .

cases=("$@")
if [ ${#cases[@]} -eq 0 ]; then
  for side in ServerHandshake ClientHandshake; do
    for c in RSA-2048 ECDHE-RSA-X25519 ECDHE-RSA-P256 ECDHE-ECDSA-P256; do cases+=("$side $c"); done
  done
  for side in ServerResume ClientResume; do cases+=("$side Ticket"); done
fi

instructions() { # benchmark case library iterations
  GODEBUG=asyncpreemptoff=1 valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" \
    -test.run '^$' -test.bench "^Benchmark$1\$/^$2\$/^$3\$" -test.benchtime "$4x" -test.cpu 1 2>&1 |
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}

printf '| %-34s | %14s | %14s | %6s |\n' case glasstls crypto/tls ratio
printf '|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..36})" "$(printf -- '-%.0s' {1..15})-" "$(printf -- '-%.0s' {1..15})-" "$(printf -- '-%.0s' {1..7})-"
for c in "${cases[@]}"; do
  read -r benchmark name <<<"$c"
  per=()
  for lib in glasstls cryptotls; do
    few=$(instructions "$benchmark" "$name" "$lib" 5)
    many=$(instructions "$benchmark" "$name" "$lib" 25)
    per+=($(( (many - few) / 20 )))
  done
  ratio=$(awk -v a="${per[0]}" -v b="${per[1]}" 'BEGIN { printf "%.3f", a / b }')
  printf '| %-34s | %14s | %14s | %6s |\n' "$benchmark/$name" "${per[0]}" "${per[1]}" "$ratio"
done
