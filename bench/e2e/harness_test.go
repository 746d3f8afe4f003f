package e2e

import (
	"crypto/tls"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

var (
	runE2E     = flag.Bool("e2e", false, "run the end-to-end harness (TestE2E): minutes, not part of the normal test run")
	rounds     = flag.Int("e2e.rounds", 3, "rounds, interleaved across servers; cells give the best and the median")
	dur        = flag.Duration("e2e.dur", 2*time.Second, "how long each measurement runs")
	fill       = flag.Int("e2e.fill", 20000, "full handshakes per server that fill the session caches before the resumption cases")
	echoMiB    = flag.Int("e2e.echo", 256, "MiB each way in the echo cases")
	idle       = flag.Int("e2e.idle", 10000, "idle connections in the memory case")
	concList   = flag.String("e2e.conc", "1,2,8,64", "client concurrency levels for the handshake curve")
	outDir     = flag.String("e2e.out", "", "directory for results.md and concurrency.svg (default: print only)")
	caseFilter = flag.String("e2e.cases", "", "run only the cases whose names match this regexp (\"memory\" names the idle-connection case)")
	profileDir = flag.String("e2e.cpuprofile", "", "directory where the Go servers write CPU profiles")
	goProcs    = flag.Int("e2e.goprocs", 0, "GOMAXPROCS of the two Go servers (0: the runtime's default); 1 runs them on one thread of Go code, as s_server runs on one thread")
)

// params is one harness run's size.
type params struct {
	rounds   int
	load     load
	fill     int
	echo     int // bytes each way
	idle     int
	conc     []int
	servers  []string
	profiles string
	goProcs  int            // GOMAXPROCS of the Go servers; 0: the default
	only     *regexp.Regexp // nil: every case
}

func (p params) wants(caseName string) bool { return p.only == nil || p.only.MatchString(caseName) }

// TestE2E is the harness. It runs only with -e2e (see doc.go).
func TestE2E(t *testing.T) {
	if !*runE2E {
		t.Skip("the end-to-end harness is opt-in (-e2e), in CI too: TestE2ESmoke covers it in the normal run")
	}
	var conc []int
	for _, field := range strings.Split(*concList, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(field))
		require.NoError(t, err, "-e2e.conc")
		conc = append(conc, n)
	}
	p := params{
		rounds: *rounds, load: load{dur: *dur, minOps: 1}, fill: *fill, echo: *echoMiB << 20,
		idle: *idle, conc: conc, servers: []string{glassServer, goServer, opensslServer}, profiles: *profileDir,
		goProcs: *goProcs,
	}
	if *caseFilter != "" {
		p.only = regexp.MustCompile(*caseFilter)
	}
	rep := runHarness(t, p, os.Stdout)
	if *outDir != "" {
		require.NoError(t, os.WriteFile(filepath.Join(*outDir, "results.md"), []byte(rep.markdown()), 0o644))
		if rep.hasConcurrency() {
			require.NoError(t, os.WriteFile(filepath.Join(*outDir, "concurrency.svg"), []byte(rep.svg()), 0o644))
		}
	}
}

// measure is one case against one server: a sample, or errNotApplicable.
type measure func(s *server) (sample, error)

// kase is one row of the tables.
type kase struct {
	name    string
	unit    string
	servers []string // who can do it
	run     measure
	// goRef names another case whose crypto/tls value is the reference
	// when crypto/tls cannot do this one (resumption by session ID).
	goRef string
}

type sample struct {
	value    float64
	p50, p99 time.Duration
	// cpu is the server's CPU time per operation (per MB for echo).
	cpu time.Duration
}

// timed runs op on s under the load from workers clients and returns the
// rate, the latencies and the server's CPU time per operation.
func timed(l load, s *server, workers int, op func() error) (sample, error) {
	cpu0 := s.cpuNanos()
	v, lat, err := l.rate(workers, op)
	if err != nil || len(lat) == 0 {
		return sample{}, err
	}
	cpu := time.Duration((s.cpuNanos() - cpu0) / int64(len(lat)))
	return sample{value: v, p50: percentile(lat, 0.5), p99: percentile(lat, 0.99), cpu: cpu}, nil
}

// report holds every sample of one run.
type report struct {
	p        params
	header   []string
	order    []string
	cases    map[string]kase
	samples  map[string]map[string][]sample // case -> server -> rounds
	idleRSS  map[string][3]int64            // server -> before, after, connections
	loadInfo []string
}

func (r *report) add(c kase, server string, s sample) {
	if _, ok := r.cases[c.name]; !ok {
		r.order = append(r.order, c.name)
		r.cases[c.name] = c
		r.samples[c.name] = map[string][]sample{}
	}
	r.samples[c.name][server] = append(r.samples[c.name][server], s)
}

func uptime() string {
	out, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "load unknown"
	}
	fields := strings.Fields(string(out))
	return "load average " + strings.Join(fields[:3], " ")
}

// runHarness starts the servers, runs every case for p.rounds rounds
// interleaved, and writes the tables to w as it goes.
func runHarness(t *testing.T, p params, w *os.File) *report {
	rep := &report{p: p, cases: map[string]kase{}, samples: map[string]map[string][]sample{}, idleRSS: map[string][3]int64{}}
	rep.loadInfo = append(rep.loadInfo, "start: "+uptime())
	progs := buildPrograms(t, p.profiles)
	progs.goProcs = p.goProcs
	servers := map[string]*server{}
	for _, name := range p.servers {
		servers[name] = progs.start(t, name)
	}
	ordered := func(round int) []*server { // a different server goes first each round
		var list []*server
		for i := range p.servers {
			list = append(list, servers[p.servers[(i+round)%len(p.servers)]])
		}
		return list
	}
	runRounds := func(cases []kase) {
		for round := range p.rounds {
			for _, c := range cases {
				for _, s := range ordered(round) {
					if !contains(c.servers, s.name) || !p.wants(c.name) {
						continue
					}
					smp, err := c.run(s)
					require.NoError(t, err, "%s against %s", c.name, s.name)
					rep.add(c, s.name, smp)
				}
			}
			fmt.Fprintf(w, "round %d/%d done (%s)\n", round+1, p.rounds, uptime())
		}
	}

	all := []string{glassServer, goServer, opensslServer}
	goAndGlass := []string{glassServer, goServer}
	idCapable := []string{glassServer, opensslServer}
	full := func(suite uint16) measure {
		config := goClientConfig(suite, nil)
		return func(s *server) (sample, error) {
			return timed(p.load, s, 1, func() error { return handshakeGo(s.addr, config, false) })
		}
	}
	// Resumption: a session made by one full handshake outside the
	// measurement, then resumed over and over. A new one each measurement:
	// the full handshakes of other cases push old sessions out of a bounded
	// cache (OpenSSL's evicts the oldest, however recently it was used).
	resumeTicket := func(s *server) (sample, error) { return resumeTicketWith(p, s) }
	resumeID := func(s *server) (sample, error) {
		config := glassIDClientConfig()
		if err := handshakeGlass(s.addr, config, false); err != nil {
			return sample{}, err
		}
		return timed(p.load, s, 1, func() error { return handshakeGlass(s.addr, config, true) })
	}
	echoCase := func(suite uint16) measure {
		return func(s *server) (sample, error) {
			cpu0 := s.cpuNanos()
			v, err := echo(s.addr, suite, p.echo)
			cpu := time.Duration(float64(s.cpuNanos()-cpu0) / (float64(p.echo) / 1e6))
			return sample{value: v, cpu: cpu}, err
		}
	}

	// 1. Resumption on empty caches, the baseline of "flat in the fill",
	// after a warm-up of unmeasured resumptions (which add no sessions) so
	// that a fresh process's first page faults do not count.
	for _, s := range servers {
		warm := p
		warm.load = load{minOps: 300}
		_, err := resumeTicketWith(warm, s)
		require.NoError(t, err, "warming up %s", s.name)
	}
	runRounds([]kase{
		{name: "resumed by ticket, empty cache", unit: "hs/s", servers: all, run: resumeTicket},
		{name: "resumed by session ID, empty cache", unit: "hs/s", servers: idCapable, run: resumeID, goRef: "resumed by ticket, empty cache"},
	})

	// 2. Fill every cache with p.fill full handshakes (ECDSA, the cheapest),
	// in slices taken in turn so that noise spreads over all servers.
	fillConfig := goClientConfig(suiteECDHEECDSAAES128GCM, nil)
	const fillSlice = 1000
	for done := 0; done < p.fill; done += fillSlice {
		for _, name := range p.servers {
			n := min(fillSlice, p.fill-done)
			_, _, err := load{minOps: n}.rate(2, func() error { return handshakeGo(servers[name].addr, fillConfig, false) })
			require.NoError(t, err, "filling %s", name)
		}
	}
	fmt.Fprintf(w, "filled the caches with %d full handshakes each (%s)\n", p.fill, uptime())

	// 3. Everything else, the cache full.
	cases := []kase{
		{name: "full handshakes/s, ECDHE-RSA-AES128-GCM, RSA-2048", unit: "hs/s", servers: all, run: full(suiteECDHERSAAES128GCM)},
		{name: "full handshakes/s, ECDHE-ECDSA-AES128-GCM, P-256", unit: "hs/s", servers: all, run: full(suiteECDHEECDSAAES128GCM)},
		{name: fmt.Sprintf("resumed by ticket, after %d full", p.fill), unit: "hs/s", servers: all, run: resumeTicket},
		{name: fmt.Sprintf("resumed by session ID, after %d full", p.fill), unit: "hs/s", servers: idCapable, run: resumeID,
			goRef: fmt.Sprintf("resumed by ticket, after %d full", p.fill)},
		{name: "echo MB/s, AES-128-GCM", unit: "MB/s", servers: goAndGlass, run: echoCase(suiteECDHERSAAES128GCM)},
		{name: "echo MB/s, ChaCha20-Poly1305", unit: "MB/s", servers: goAndGlass, run: echoCase(suiteECDHERSAChaCha20)},
	}
	for _, n := range p.conc {
		config := goClientConfig(suiteECDHERSAAES128GCM, nil)
		cases = append(cases, kase{name: concurrencyCase(n), unit: "hs/s", servers: all,
			run: func(s *server) (sample, error) {
				return timed(p.load, s, n, func() error { return handshakeGo(s.addr, config, false) })
			}})
	}
	runRounds(cases)
	for _, s := range servers {
		s.stop()
	}

	// 4. Memory: fresh servers, RSS before and after p.idle idle
	// connections (s_server serves one connection at a time: not here).
	for _, name := range goAndGlass {
		if !contains(p.servers, name) || !p.wants("memory") {
			continue
		}
		s := progs.start(t, name)
		_, _, err := load{minOps: 200}.rate(2, func() error { return handshakeGo(s.addr, fillConfig, false) })
		require.NoError(t, err)
		time.Sleep(500 * time.Millisecond)
		before := s.rssBytes(t)
		conns, err := openIdle(s.addr, p.idle, 4)
		require.NoError(t, err, "opening %d idle connections to %s", p.idle, name)
		time.Sleep(time.Second) // let the server settle on its reads
		after := s.rssBytes(t)
		closeAll(conns)
		s.stop()
		rep.idleRSS[name] = [3]int64{before, after, int64(p.idle)}
	}
	rep.loadInfo = append(rep.loadInfo, "end: "+uptime())
	fmt.Fprint(w, rep.markdown())
	return rep
}

func resumeTicketWith(p params, s *server) (sample, error) {
	config := goClientConfig(suiteECDHERSAAES128GCM, tls.NewLRUClientSessionCache(1))
	if err := handshakeGo(s.addr, config, false); err != nil {
		return sample{}, err
	}
	return timed(p.load, s, 1, func() error { return handshakeGo(s.addr, config, true) })
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
