// Package bench holds benchmarks that put glasstls beside Go's crypto/tls,
// case by case, so that one run gives comparable numbers: handshake CPU
// (server and client side, by replaying recorded flights), bulk
// throughput, time to first byte, allocations and idle memory.
//
// It has no code of its own; everything is in its _test.go files. Run
//
//	go run ./examples/benchcompare
//
// for a table of glasstls/crypto/tls ratios, or go test -bench . ./bench/
// for the raw output. crypto/tls appears only in tests: the library never
// imports it.
package bench
