package main

// Members of a fleet, run in-process on loopback ports, sharing a real
// redis-server: first a single Redis, then a three-node Redis Cluster,
// the same tests against both. Under CI=true a missing redis-server,
// redis-cli or openssl fails these tests; .ci/run installs them.

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glasstls/glasstls/examples/fleet/redisfleet"
	"github.com/glasstls/glasstls/handshake"
	"github.com/glasstls/glasstls/handshake/session"
	"github.com/glasstls/glasstls/internal/interop"
	"github.com/glasstls/glasstls/internal/redistest"
)

func TestFleet(t *testing.T) {
	for _, setup := range []struct {
		name  string
		start func(testing.TB) *redistest.Redis
	}{
		{"single", redistest.Start},
		{"cluster", redistest.StartCluster},
	} {
		t.Run(setup.name, func(t *testing.T) {
			r := setup.start(t)
			t.Run("ResumeBySessionIDOnAnotherMember", func(t *testing.T) { testResumeBySessionID(t, r) })
			t.Run("ResumeByTicketOnAnotherMember", func(t *testing.T) { testResumeByTicket(t, r) })
			t.Run("OpenSSLSessOutOnASessInOnB", func(t *testing.T) { testOpenSSLAcrossMembers(t, r) })
			t.Run("RedisHoldsNoMasterSecret", func(t *testing.T) { testNoMasterSecretInRedis(t, r) })
			t.Run("TicketKeyRotation", func(t *testing.T) { testTicketKeyRotation(t, r) })
			t.Run("RedisOutage", func(t *testing.T) { testRedisOutage(t, r) }) // last: it kills and restarts r
		})
	}
}

// A session made on A resumes on B by its session ID, with tickets off on
// both sides: the only place B can find it is Redis.
func testResumeBySessionID(t *testing.T, r *redistest.Redis) {
	f := newFleet(t, r)
	a := startMember(t, f.args(t, "-no_ticket")...)
	b := startMember(t, f.args(t, "-no_ticket")...)
	config, cache := resumingClient(t, true)

	state := mustConnect(t, a.addr, config)
	require.False(t, state.DidResume, "first handshake is full")
	s, ok := cache.Get("localhost")
	require.True(t, ok)
	require.NotEmpty(t, s.SessionID)
	require.Empty(t, s.Ticket, "tickets are off")

	state = mustConnect(t, b.addr, config)
	assert.True(t, state.DidResume, "B resumes A's session by ID; logs:\n%s\n%s", a.log, b.log)
	state = mustConnect(t, a.addr, config)
	assert.True(t, state.DidResume, "and A again")
	assert.Equal(t, uint64(1), b.m.cache.Stats().Hits)
	assert.Equal(t, uint64(0), b.m.cache.Stats().Failures)

	// Another fleet (another key, another prefix) on the same Redis does
	// not see these sessions.
	other := startMember(t, newFleet(t, r).args(t, "-no_ticket")...)
	state = mustConnect(t, other.addr, config)
	assert.False(t, state.DidResume)
}

// A session made on A resumes on B by ticket, with the session ID cache
// off on both members: B opens A's ticket with the ring's shared key.
func testResumeByTicket(t *testing.T, r *redistest.Redis) {
	f := newFleet(t, r)
	a := startMember(t, f.args(t, "-no_cache")...)
	b := startMember(t, f.args(t, "-no_cache")...)
	assert.Nil(t, a.m.cache)
	config, cache := resumingClient(t, false)

	require.False(t, mustConnect(t, a.addr, config).DidResume)
	s, ok := cache.Get("localhost")
	require.True(t, ok)
	require.NotEmpty(t, s.Ticket)
	assert.Equal(t, a.m.tickets.Sealing(), hex.EncodeToString(s.Ticket[:16]), "sealed with the ring's key")
	assert.Equal(t, a.m.tickets.Sealing(), b.m.tickets.Sealing(), "one ring")

	assert.True(t, mustConnect(t, b.addr, config).DidResume, "B opens A's ticket")
	assert.True(t, mustConnect(t, a.addr, config).DidResume, "and A opens B's fresh one")
	for key := range f.values(t) {
		assert.NotContains(t, key, ":sess:", "no session IDs stored with -no_cache")
	}
}

// OpenSSL's s_client: -sess_out against A, -sess_in against B, reports
// Reused; by session ID (-no_ticket) and by ticket (members -no_cache).
func testOpenSSLAcrossMembers(t *testing.T, r *redistest.Redis) {
	for _, mode := range []struct {
		name          string
		memberFlag    string
		sClientTicket []string
	}{
		{"session ID", "-no_ticket", []string{"-no_ticket"}},
		{"ticket", "-no_cache", nil},
	} {
		t.Run(mode.name, func(t *testing.T) {
			f := newFleet(t, r)
			a := startMember(t, f.args(t, mode.memberFlag)...)
			b := startMember(t, f.args(t, mode.memberFlag)...)
			sess := filepath.Join(t.TempDir(), "sess.pem")
			args := append([]string{"-CAfile", testdata(t, "ca.pem"), "-verify_return_error", "-tls1_2"}, mode.sClientTicket...)

			out, err := interop.RunOpenSSLClient(t, a.port(), "", testTimeout, append(args, "-sess_out", sess)...)
			require.NoError(t, err, out)
			assert.Contains(t, out, "New, TLSv1.2")
			out, err = interop.RunOpenSSLClient(t, b.port(), "", testTimeout, append(args, "-sess_in", sess)...)
			require.NoError(t, err, out)
			assert.Contains(t, out, "Reused, TLSv1.2", "s_client resumes A's session on B")
			b.log.waitFor(t, "Reused, TLSv1.2")
		})
	}
}

// masterSecrets reads the master secrets from an NSS key log
// (CLIENT_RANDOM <client random> <master secret>).
func masterSecrets(t *testing.T, file string) [][]byte {
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	var secrets [][]byte
	scanner := bufio.NewScanner(bytes.NewReader(data))
	for scanner.Scan() {
		fields := strings.Fields(scanner.Text())
		if len(fields) == 3 && fields[0] == "CLIENT_RANDOM" {
			secret, err := hex.DecodeString(fields[2])
			require.NoError(t, err)
			require.Len(t, secret, 48)
			secrets = append(secrets, secret)
		}
	}
	return secrets
}

// Every value the fleet writes to Redis is scanned for every master
// secret the members logged: none holds one. A session's value copied
// under another session ID does not open there.
func testNoMasterSecretInRedis(t *testing.T, r *redistest.Redis) {
	f := newFleet(t, r)
	keyLog := filepath.Join(t.TempDir(), "keys.log")
	a := startMember(t, f.args(t, "-keylogfile", keyLog)...)
	b := startMember(t, f.args(t, "-keylogfile", keyLog)...)
	for _, ticketsDisabled := range []bool{true, false, true, false} {
		config, _ := resumingClient(t, ticketsDisabled)
		mustConnect(t, a.addr, config)
		require.True(t, mustConnect(t, b.addr, config).DidResume)
	}

	secrets := masterSecrets(t, keyLog)
	require.GreaterOrEqual(t, len(secrets), 8, "each handshake logged its master secret")
	values := f.values(t)
	var sessions []string
	for key, value := range values {
		for _, secret := range secrets {
			assert.False(t, bytes.Contains(value, secret), "%s holds a master secret", key)
		}
		if strings.Contains(key, ":sess:") {
			sessions = append(sessions, key)
		}
	}
	require.Len(t, sessions, 4, "one entry per full handshake: %v", values)
	assert.Contains(t, values, f.prefix+"ticketkeys")

	// Copy one session's sealed value under a new ID: it must not open.
	original, err := hex.DecodeString(strings.TrimPrefix(sessions[0], f.prefix+"sess:"))
	require.NoError(t, err)
	now := time.Now()
	_, ok := a.m.cache.Get(t.Context(), original, now)
	require.True(t, ok, "the original opens")
	forged := bytes.Repeat([]byte{0x42}, 32)
	client := f.client(t)
	require.NoError(t, client.Set(t.Context(), a.m.cache.Key(forged), values[sessions[0]], time.Minute).Err())
	failuresBefore := a.m.cache.Stats().Failures
	_, ok = a.m.cache.Get(t.Context(), forged, now)
	assert.False(t, ok, "a value copied under another ID does not open")
	assert.Equal(t, failuresBefore+1, a.m.cache.Stats().Failures, "and counts as a failure")
	a.log.waitFor(t, "does not open with the fleet key")
}

// Rotating the ring: tickets sealed with the previous key still resume on
// every member; a ticket whose key has left the ring gets a full
// handshake, not an error.
func testTicketKeyRotation(t *testing.T, r *redistest.Redis) {
	f := newFleet(t, r)
	var members []*runningMember
	for range 3 {
		members = append(members, startMember(t, f.args(t, "-no_cache", "-ticket-poll", "50ms")...))
	}
	a := members[0]
	waitSealing := func(name string) {
		t.Helper()
		waitUntil(t, func() bool {
			for _, m := range members {
				if m.m.tickets.Sealing() != name {
					return false
				}
			}
			return true
		}, "not every member seals with %s", name)
	}
	// session returns the client's session (with its ticket) after one
	// full handshake with m.
	fullHandshake := func(m *runningMember) *session.State {
		config, cache := resumingClient(t, false)
		require.False(t, mustConnect(t, m.addr, config).DidResume)
		s, ok := cache.Get("localhost")
		require.True(t, ok)
		return s
	}
	// offer presents s's ticket, as it is now, to m.
	offer := func(m *runningMember, s *session.State) handshake.ConnectionState {
		config, cache := resumingClient(t, false)
		cache.Put("localhost", s)
		return mustConnect(t, m.addr, config)
	}

	key1 := a.m.tickets.Sealing()
	waitSealing(key1)
	s1 := fullHandshake(a)
	require.Equal(t, key1, hex.EncodeToString(s1.Ticket[:16]))

	// The operator's command, as run from the shell.
	var stdout bytes.Buffer
	require.NoError(t, run(t.Context(), []string{"rotate-ticket-key", "-redis", r.Flag(), "-fleet-key", f.keyFile, "-redis-prefix", f.prefix}, nil, &stdout, &stdout))
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	require.Len(t, lines, 2, stdout.String())
	key2 := strings.Fields(lines[0])[0]
	assert.Regexp(t, "^"+key2+" seals created ", lines[0])
	assert.Regexp(t, "^"+key1+" opens created ", lines[1])
	waitSealing(key2)
	for _, m := range members {
		m.log.waitFor(t, "sealing with "+key2)
		assert.True(t, offer(m, s1).DidResume, "a ticket sealed with the previous key resumes on every member")
	}
	s2 := fullHandshake(members[2])
	require.Equal(t, key2, hex.EncodeToString(s2.Ticket[:16]), "new tickets carry the new key")
	oldRing := f.values(t)[f.prefix+"ticketkeys"]

	// A lifetime later the next rotation retires key1: the ring keeps the
	// new key and key2, whose tickets may still be alive.
	later := func() time.Time { return time.Now().Add(session.DefaultLifetime + 2*time.Minute) }
	fleetKey, err := redisfleet.LoadFleetKey(f.keyFile)
	require.NoError(t, err)
	ring, err := redisfleet.Rotate(t.Context(), f.client(t), fleetKey, redisfleet.Options{Prefix: f.prefix, Now: later})
	require.NoError(t, err)
	require.Equal(t, []string{ring[0].Name(), key2}, ring.Names())
	waitSealing(ring[0].Name())
	for _, m := range members {
		state := offer(m, s1)
		assert.False(t, state.DidResume, "a ticket older than the ring: a full handshake, not an error")
		assert.True(t, offer(m, s2).DidResume, "the previous key's ticket still resumes")
	}

	// Someone with write access to Redis but no fleet key puts the old
	// sealed ring back: members refuse the step back and keep their keys.
	require.NoError(t, f.client(t).Set(t.Context(), f.prefix+"ticketkeys", oldRing, 0).Err())
	for _, m := range members {
		m.log.waitFor(t, "older than "+ring[0].Name()+" in use: refused")
		assert.Equal(t, []string{ring[0].Name(), key2}, m.m.tickets.Installed())
	}
}

// A member that cannot reach Redis at start seals tickets with a local
// random key and says so; once Redis answers, it adopts the fleet's ring
// and keeps the local key for opening its own tickets.
func TestMemberStartsWithoutRedis(t *testing.T) {
	port := interop.FreePort(t)
	f := &fleet{redis: &redistest.Redis{Nodes: []*redistest.Node{{Port: port}}}, keyFile: writeFleetKey(t), prefix: "glasstls:"}
	// It polls only when the test says (Sync), so the test decides what it finds.
	a := startMember(t, f.args(t, "-no_cache", "-ticket-poll", "1h")...)
	a.log.waitFor(t, "sealing tickets with a local random key")
	local := a.m.tickets.Sealing()
	config, cache := resumingClient(t, false)
	require.False(t, mustConnect(t, a.addr, config).DidResume)
	s, _ := cache.Get("localhost")
	require.Equal(t, local, hex.EncodeToString(s.Ticket[:16]))

	// Redis comes up, and the operator makes a ring.
	f.redis = redistest.StartOn(t, port)
	fleetKey, err := redisfleet.LoadFleetKey(f.keyFile)
	require.NoError(t, err)
	ring, err := redisfleet.Rotate(t.Context(), f.client(t), fleetKey, redisfleet.Options{Prefix: f.prefix})
	require.NoError(t, err)
	require.NoError(t, a.m.tickets.Sync(t.Context()))
	a.log.waitFor(t, "the fleet's ring replaces the local key "+local)
	assert.Equal(t, []string{ring[0].Name(), local}, a.m.tickets.Installed(), "the ring's key seals, the local key still opens")
	b := startMember(t, f.args(t, "-no_cache")...)
	assert.Equal(t, ring[0].Name(), b.m.tickets.Sealing())
	cache.Put("localhost", s)
	assert.True(t, mustConnect(t, a.addr, config).DidResume, "A still opens the ticket it sealed alone")
	cache.Put("localhost", s)
	assert.False(t, mustConnect(t, b.addr, config).DidResume, "B never had the local key")
}

// outageTimeout is the members' -redis-timeout in the outage test: twice
// the default, so that with Redis up a loaded test machine (the race
// detector, other jobs) does not miss it, and still a thirtieth of the 3 s
// read timeout go-redis would wait if the timeout did not reach the socket.
const outageTimeout = 100 * time.Millisecond

// schedulingSlack is what a shared, loaded test machine may add to any
// wait before the waiting goroutine runs again.
const schedulingSlack = 400 * time.Millisecond

// Kill Redis mid-run: every handshake still succeeds (a full one), no
// handshake waits much longer than the timeout, failures are logged once
// per interval, not per connection, and resumption comes back with Redis.
func testRedisOutage(t *testing.T, r *redistest.Redis) {
	f := newFleet(t, r)
	flags := []string{"-redis-timeout", outageTimeout.String(), "-ticket-poll", "100ms", "-redis-log-interval", "1s"}
	a := startMember(t, f.args(t, flags...)...)
	b := startMember(t, f.args(t, flags...)...)
	members := []*runningMember{a, b}

	// A ticket made while Redis is up, to offer after it came back empty.
	ticketConfig, ticketCache := resumingClient(t, false)
	require.False(t, mustConnect(t, a.addr, ticketConfig).DidResume)
	ticketSession, _ := ticketCache.Get("localhost")

	// Load: workers alternate between A and B, each client resuming by
	// session ID (tickets off) where it can.
	type result struct {
		took    time.Duration
		resumed bool
		err     error
	}
	load := func(d time.Duration) []result {
		var results []result
		done := make(chan []result)
		stop := time.Now().Add(d)
		for w := range 3 {
			go func() {
				var mine []result
				config, _ := resumingClient(t, true)
				for i := 0; time.Now().Before(stop); i++ {
					start := time.Now()
					state, err := connect(members[(w+i)%2].addr, config)
					mine = append(mine, result{time.Since(start), state.DidResume, err})
				}
				done <- mine
			}()
		}
		for range 3 {
			results = append(results, <-done...)
		}
		return results
	}
	summarize := func(results []result) (p99, maximum time.Duration, resumed int) {
		took := make([]time.Duration, 0, len(results))
		for _, res := range results {
			require.NoError(t, res.err, "every connection succeeds")
			took = append(took, res.took)
			if res.resumed {
				resumed++
			}
		}
		require.NotEmpty(t, took)
		slices.Sort(took)
		return took[len(took)*99/100], took[len(took)-1], resumed
	}

	before := load(700 * time.Millisecond)
	p99Before, _, resumedBefore := summarize(before)
	assert.Positive(t, resumedBefore, "with Redis up, connections resume")

	// Redis hangs (SIGSTOP): connections open, nothing answers. Each call
	// waits out the timeout at most.
	r.Signal(syscall.SIGSTOP)
	hung := load(1500 * time.Millisecond)
	p99Hung, maxHung, _ := summarize(hung)
	// Then Redis dies (the stopped process is killed): calls fail at once.
	r.Kill()
	dead := load(500 * time.Millisecond)
	p99Dead, maxDead, _ := summarize(dead)
	t.Logf("%s: p99 before %v (%d handshakes, %d resumed); Redis hung: p99 %v max %v (%d); Redis dead: p99 %v max %v (%d)",
		r, p99Before, len(before), resumedBefore, p99Hung, maxHung, len(hung), p99Dead, maxDead, len(dead))
	// Each cache call ends by its timeout (plus scheduling slack); without
	// it, go-redis's own 3 s read timeout would hold every handshake.
	for _, m := range members {
		stats := m.m.cache.Stats()
		t.Logf("%+v", stats)
		assert.Less(t, stats.SlowestCall, outageTimeout+schedulingSlack, "the slowest session cache call")
	}
	// The handshakes: what one cost before, plus one timeout for the
	// lookup and one for the store, plus a second for the tail of a
	// loaded machine (with the race detector and other jobs, p99 moves by
	// hundreds of milliseconds between phases). Without the timeout, a
	// hung Redis would hold handshakes for go-redis's 3 s read timeout.
	bound := p99Before + 2*outageTimeout + time.Second
	assert.Less(t, p99Hung, bound, "p99 while Redis hangs")
	assert.Less(t, p99Dead, bound, "p99 while Redis is dead")
	for _, m := range members {
		stats := m.m.cache.Stats()
		assert.Positive(t, stats.Failures)
		lines := strings.Count(m.log.String(), "Redis failure(s)")
		assert.LessOrEqual(t, lines, 6, "failures are logged once per interval, not per connection:\n%s", m.log)
	}

	// Redis comes back, empty: resumption by ID comes back, and the ring
	// is written back by a member, so the ticket made before the outage
	// still resumes.
	r.Restart()
	waitUntil(t, func() bool {
		config, _ := resumingClient(t, true)
		if _, err := connect(a.addr, config); err != nil {
			return false
		}
		state, err := connect(b.addr, config)
		return err == nil && state.DidResume
	}, "resumption by session ID never came back")
	for _, m := range members {
		m.log.waitFor(t, "Redis answers again")
	}
	ticketCache.Put("localhost", ticketSession)
	assert.True(t, mustConnect(t, b.addr, ticketConfig).DidResume, "a ticket from before the outage")
	waitUntil(t, func() bool { _, ok := f.values(t)[f.prefix+"ticketkeys"]; return ok }, "the ring never came back to Redis")
	assert.Equal(t, a.m.tickets.Sealing(), b.m.tickets.Sealing())
}
