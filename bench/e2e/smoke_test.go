package e2e

import (
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestE2ESmoke runs the whole harness at toy size (a few handshakes per
// case, 1 MiB of echo, 20 idle connections) and checks that every cell it
// should fill is filled, that every resumption resumed (the harness fails
// otherwise) and that the plot is well-formed SVG.
func TestE2ESmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the smoke test starts three servers")
	}
	p := params{
		rounds: 2, load: load{minOps: 3}, fill: 10, echo: 1 << 20, idle: 20, conc: []int{1, 4},
		servers: []string{glassServer, goServer, opensslServer},
	}
	out, err := os.CreateTemp(t.TempDir(), "out")
	require.NoError(t, err)
	rep := runHarness(t, p, out)
	_, _ = out.Seek(0, io.SeekStart)
	printed, _ := io.ReadAll(out)
	md := rep.markdown()
	assert.Contains(t, string(printed), md)

	for _, name := range rep.order {
		c := rep.cases[name]
		for _, server := range c.servers {
			assert.Len(t, rep.samples[name][server], p.rounds, "%s, %s", name, server)
			for _, s := range rep.samples[name][server] {
				assert.Positive(t, s.value, "%s, %s", name, server)
			}
		}
	}
	assert.Len(t, rep.order, 2+6+len(p.conc))
	assert.Contains(t, md, "| resumed by session ID, after 10 full |")
	assert.Contains(t, md, "(vs its ticket)")
	assert.Contains(t, md, "filled ÷ empty")
	for _, server := range []string{glassServer, goServer} {
		m := rep.idleRSS[server]
		assert.Positive(t, m[0], server)
		assert.EqualValues(t, 20, m[2], server)
	}

	svg := rep.svg()
	decoder := xml.NewDecoder(strings.NewReader(svg))
	for {
		_, err := decoder.Token()
		if err == io.EOF {
			break
		}
		require.NoError(t, err, "the SVG must be well-formed XML")
	}
	assert.Equal(t, 3*3, strings.Count(svg, "<polyline"), "one line per server in each of the three panels")
}

// TestE2EProfiles: with a profile directory the Go servers write CPU
// profiles when the harness stops them (examples/server's -cpuprofile and
// the yardstick's), so -e2e.cpuprofile keeps working; and they run -quiet,
// as openssl s_server does: no line per connection.
func TestE2EProfiles(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: starts two servers")
	}
	dir := t.TempDir()
	progs := buildPrograms(t, dir)
	for _, name := range []string{glassServer, goServer} {
		s := progs.start(t, name)
		_, _, err := load{minOps: 2}.rate(1, func() error {
			return handshakeGo(s.addr, goClientConfig(suiteECDHEECDSAAES128GCM, nil), false)
		})
		require.NoError(t, err)
		s.stop()
		info, err := os.Stat(s.profile)
		require.NoError(t, err, "%s wrote no profile; output:\n%s", name, s.proc.Output())
		assert.Positive(t, info.Size(), name)
		assert.NotContains(t, s.proc.Output(), "New,", "%s runs -quiet: no line per connection", name)
	}
}

// TestE2EGoProcs: -e2e.goprocs reaches the two Go servers' environment and
// nobody else's: not s_server's, not the harness's own (whose client must
// stay the same in every run).
func TestE2EGoProcs(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: starts three servers")
	}
	before, hadBefore := os.LookupEnv("GOMAXPROCS")
	progs := buildPrograms(t, "")
	progs.goProcs = 3 // not a value this process is likely to carry already
	for _, name := range []string{glassServer, goServer, opensslServer} {
		s := progs.start(t, name)
		environ, err := os.ReadFile(fmt.Sprintf("/proc/%d/environ", s.proc.Pid()))
		require.NoError(t, err)
		vars := strings.Split(string(environ), "\x00")
		if name == opensslServer {
			assert.NotContains(t, vars, "GOMAXPROCS=3", name)
		} else {
			assert.Contains(t, vars, "GOMAXPROCS=3", name)
		}
		after, hasAfter := os.LookupEnv("GOMAXPROCS")
		assert.Equal(t, hadBefore, hasAfter, "the harness's own GOMAXPROCS after starting %s", name)
		assert.Equal(t, before, after, "the harness's own GOMAXPROCS after starting %s", name)
	}
}
