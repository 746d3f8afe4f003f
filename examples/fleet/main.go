// Command fleet runs one member of a fleet of TLS servers that resume each
// other's sessions: examples/server (the same flags, shaped like OpenSSL's
// s_server) with its session ID cache and its ticket keys in Redis.
//
//	openssl rand -hex 32 > fleet.key    # once; every member gets the file
//	go run -C examples/fleet . -redis 127.0.0.1:6379 -fleet-key fleet.key \
//	    -accept 127.0.0.1:4433 -cert ../../testdata/server-rsa.pem -key ../../testdata/server-rsa-key.pem
//	go run -C examples/fleet . rotate-ticket-key -redis 127.0.0.1:6379 -fleet-key fleet.key
//
// Start two or three members on other ports with the same -redis and
// -fleet-key: a client that resumes on any of them resumes, by session ID
// or by ticket. -redis takes a comma-separated list: the nodes of a Redis
// Cluster, or the Sentinels with -redis-master NAME.
//
// The Redis-backed pieces (package redisfleet) are in this module of their
// own so that the library's go.mod stays free of a Redis client.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"syscall"

	"github.com/glasstls/glasstls/examples/fleet/redisfleet"
)

const usage = `usage:
  fleet -redis ADDR[,ADDR...] -fleet-key FILE [examples/server's flags: -accept, -cert, -key, ...]
  fleet rotate-ticket-key -redis ADDR[,ADDR...] -fleet-key FILE [-lifetime D]`

func main() {
	logger := log.New(os.Stderr, "", log.LstdFlags)
	redisfleet.QuietRedisLog() // the fleet counts Redis failures and logs them once per interval
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], logger, os.Stdout, os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(0)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "fleet:", err)
		os.Exit(2)
	}
}

// run dispatches to a subcommand; without one it runs a member until ctx
// ends.
func run(ctx context.Context, args []string, logger *log.Logger, stdout, output io.Writer) error {
	if len(args) > 0 && args[0] == "rotate-ticket-key" {
		return rotateTicketKey(ctx, args[1:], stdout, output)
	}
	m, err := newMember(ctx, args, logger, output)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, "ACCEPT") // as examples/server and s_server say when listening
	return m.serve(ctx)
}
