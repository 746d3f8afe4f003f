package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/glasstls/glasstls/examples/fleet/redisfleet"
	"github.com/glasstls/glasstls/examples/internal/serve"
	"github.com/glasstls/glasstls/handshake"
	"github.com/glasstls/glasstls/handshake/session"
)

// redisFlags say where the fleet's Redis is and how to use it; the member
// and rotate-ticket-key share them.
type redisFlags struct {
	addrs, master, keyFile, prefix *string
	cluster                        *bool
	lifetime                       *time.Duration
}

func registerRedisFlags(fs *flag.FlagSet) *redisFlags {
	return &redisFlags{
		addrs:    fs.String("redis", "", "Redis address; several, ','-separated, for a Redis Cluster (or Sentinels with -redis-master)"),
		master:   fs.String("redis-master", "", "Sentinel: the name of the master (-redis lists the Sentinels)"),
		cluster:  fs.Bool("redis-cluster", false, "a single -redis address is a node of a Redis Cluster"),
		keyFile:  fs.String("fleet-key", "", "file of 64 hex digits every member shares (openssl rand -hex 32): seals what goes into Redis"),
		prefix:   fs.String("redis-prefix", redisfleet.DefaultPrefix, "start of every Redis key the fleet writes"),
		lifetime: fs.Duration("lifetime", session.DefaultLifetime, "how long a session resumes, by ID or by ticket; old ticket keys retire after it"),
	}
}

// open checks the flags and returns the Redis client and the fleet key.
func (f *redisFlags) open() (redis.UniversalClient, redisfleet.FleetKey, error) {
	if *f.addrs == "" {
		return nil, redisfleet.FleetKey{}, errors.New("-redis is required")
	}
	if *f.keyFile == "" {
		return nil, redisfleet.FleetKey{}, errors.New("-fleet-key is required (make one with: openssl rand -hex 32 > fleet.key)")
	}
	key, err := redisfleet.LoadFleetKey(*f.keyFile)
	if err != nil {
		return nil, redisfleet.FleetKey{}, err
	}
	client := redisfleet.NewClient(redisfleet.ClientOptions{
		Addrs: strings.Split(*f.addrs, ","), MasterName: *f.master, Cluster: *f.cluster})
	return client, key, nil
}

// member is one server of the fleet.
type member struct {
	ln          net.Listener
	config      *handshake.Config
	redis       redis.UniversalClient
	cache       *redisfleet.SessionCache // nil with -no_cache
	tickets     *redisfleet.TicketSync   // nil with -no_ticket
	stopTickets context.CancelFunc
	naccept     int
	www         bool
	log         *log.Logger
	closeKeyLog func()
}

// newMember parses examples/server's flags and the fleet's, connects the
// session cache and the ticket keys to Redis, and starts listening.
func newMember(ctx context.Context, args []string, logger *log.Logger, output io.Writer) (*member, error) {
	fs := flag.NewFlagSet("fleet", flag.ContinueOnError)
	fs.SetOutput(output)
	fs.Usage = func() { fmt.Fprintln(output, usage); fs.PrintDefaults() }
	serverFlags := serve.RegisterFlags(fs)
	redisFlags := registerRedisFlags(fs)
	timeout := fs.Duration("redis-timeout", redisfleet.DefaultTimeout, "bound on each Redis call in a handshake; past it, a full handshake")
	poll := fs.Duration("ticket-poll", redisfleet.DefaultPoll, "how often to read the ticket key ring")
	logInterval := fs.Duration("redis-log-interval", redisfleet.DefaultLogInterval, "log Redis failures at most this often")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments %q\n%s", fs.Args(), usage)
	}
	client, fleetKey, err := redisFlags.open()
	if err != nil {
		return nil, err
	}
	config, closeKeyLog, err := serverFlags.Config()
	if err != nil {
		client.Close()
		return nil, err
	}
	m := &member{config: config, redis: client, naccept: *serverFlags.NAccept, www: *serverFlags.WWW, log: logger, closeKeyLog: closeKeyLog}
	fail := func(err error) (*member, error) {
		m.close()
		return nil, err
	}
	config.SessionIDLifetime = *redisFlags.lifetime
	config.TicketLifetime = *redisFlags.lifetime
	opts := redisfleet.Options{Prefix: *redisFlags.prefix, Lifetime: *redisFlags.lifetime, Timeout: *timeout, LogInterval: *logInterval, Logger: logger}

	warmCtx, cancel := context.WithTimeout(ctx, time.Second)
	if err := redisfleet.Warm(warmCtx, client); err != nil {
		logger.Printf("fleet: Redis does not answer yet (%v): full handshakes until it does", err)
	}
	cancel()

	sessions, tickets := "off (-no_cache)", "off (-no_ticket)"
	if !config.SessionIDCacheDisabled {
		if m.cache, err = redisfleet.NewSessionCache(client, fleetKey, opts); err != nil {
			return fail(err)
		}
		config.SessionCache = m.cache
		sessions = "in Redis"
	}
	if !config.SessionTicketsDisabled {
		var ticketCtx context.Context
		ticketCtx, m.stopTickets = context.WithCancel(ctx)
		if m.tickets, err = redisfleet.StartTicketSync(ticketCtx, client, fleetKey, config.SetTicketKeys, *poll, opts); err != nil {
			return fail(err)
		}
		tickets = "keys from Redis"
	}
	if m.ln, err = serverFlags.Listen(config); err != nil { // -www and -html draw each connection
		return fail(err)
	}
	logger.Printf("fleet: member listening on %s; Redis %s; session IDs: %s; tickets: %s", m.ln.Addr(), *redisFlags.addrs, sessions, tickets)
	return m, nil
}

// serve accepts connections until ctx ends (or -naccept is reached), then
// waits for those in progress and lets go of Redis.
func (m *member) serve(ctx context.Context) error {
	stop := context.AfterFunc(ctx, func() { m.ln.Close() })
	defer stop()
	err := serve.AcceptLoop(m.ln, m.naccept, m.www, m.log)
	m.close()
	return err
}

func (m *member) close() {
	if m.ln != nil {
		m.ln.Close()
	}
	if m.stopTickets != nil {
		m.stopTickets()
		<-m.tickets.Done()
	}
	m.redis.Close()
	m.closeKeyLog()
}

// rotateTicketKey is `fleet rotate-ticket-key`: a new sealing key at the
// front of the ring, keys older than -lifetime allows retired.
func rotateTicketKey(ctx context.Context, args []string, stdout, output io.Writer) error {
	fs := flag.NewFlagSet("fleet rotate-ticket-key", flag.ContinueOnError)
	fs.SetOutput(output)
	redisFlags := registerRedisFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	client, fleetKey, err := redisFlags.open()
	if err != nil {
		return err
	}
	defer client.Close()
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	ring, err := redisfleet.Rotate(ctx, client, fleetKey, redisfleet.Options{Prefix: *redisFlags.prefix, Lifetime: *redisFlags.lifetime})
	if err != nil {
		return err
	}
	for i, k := range ring {
		role := "opens"
		if i == 0 {
			role = "seals"
		}
		fmt.Fprintf(stdout, "%s %s created %s\n", k.Name(), role, k.Created.Format(time.RFC3339))
	}
	return nil
}
