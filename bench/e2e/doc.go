// Package e2e measures TLS servers from outside their process, the way a
// user meets them: examples/server (glasstls), a crypto/tls server with the
// same certificates and the same echo loop, and openssl s_server, each a
// separate process on loopback, all driven by the same neutral client (Go's
// crypto/tls; glasstls's own client only for resumption by session ID,
// which crypto/tls's client does not do). Rounds are interleaved across the
// servers and each cell gives the best and the median round.
//
// It has no code of its own; everything is in its _test.go files, because
// the crypto/tls yardstick and client may live only in tests. The normal
// test run does a smoke test (a few handshakes per case). The full run:
//
//	go test ./bench/e2e -run 'TestE2E$' -e2e -timeout 0 -v
//	go test ./bench/e2e -run 'TestE2E$' -e2e -e2e.fill 2000 -e2e.rounds 2   # quicker
//
// Flags (all after -e2e): -e2e.rounds, -e2e.dur (per measurement),
// -e2e.fill (full handshakes that fill the session caches before the
// resumption cases), -e2e.echo (MiB each way), -e2e.idle (idle connections
// for the memory case), -e2e.conc, -e2e.cases (a regexp: only the cases it
// matches; "memory" names the idle-connection case), -e2e.out (directory
// for results.md and concurrency.svg), -e2e.cpuprofile (directory: the Go
// servers write CPU profiles there), -e2e.goprocs (GOMAXPROCS of the two Go
// servers only: 1 puts them on one thread of Go code, as s_server runs on
// one; the client is left as it is). bench/README.md explains the method and
// shows one run.
package e2e
