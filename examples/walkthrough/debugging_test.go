package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glasstls/glasstls/internal/interop"
)

// tourStop is one row of DEBUGGING.md's tour table.
type tourStop struct {
	side       string   // "client", "server" or "walkthrough" (goroutine 1 after a handshake)
	breakpoint string   // e.g. handshake.(*clientHandshakeState).sendClientHello
	variables  []string // e.g. hs.clientRandom
}

var (
	tourRow      = regexp.MustCompile("^\\| *\\d+ *\\| *(client|server|walkthrough) *\\| *`([^`]+)` *\\| *(.*?) *\\|")
	backquoted   = regexp.MustCompile("`([^`]+)`")
	hitLine      = regexp.MustCompile(`^> \[bp(\d+)\] .*\(hits goroutine\((\d+)\):`)
	modulePrefix = "github.com/glasstls/glasstls/"
)

// readTour parses the tour table of DEBUGGING.md.
func readTour(t *testing.T) []tourStop {
	t.Helper()
	file, err := os.Open("DEBUGGING.md")
	require.NoError(t, err)
	defer file.Close()
	var stops []tourStop
	scanner := bufio.NewScanner(file)
	for scanner.Scan() {
		m := tourRow.FindStringSubmatch(scanner.Text())
		if m == nil {
			continue
		}
		stop := tourStop{side: m[1], breakpoint: m[2]}
		for _, v := range backquoted.FindAllStringSubmatch(m[3], -1) {
			stop.variables = append(stop.variables, v[1])
		}
		stops = append(stops, stop)
	}
	require.NoError(t, scanner.Err())
	return stops
}

func TestTourTableParses(t *testing.T) {
	stops := readTour(t)
	require.GreaterOrEqual(t, len(stops), 20, "the tour table in DEBUGGING.md lost its rows")
	sides := map[string]int{}
	for _, s := range stops {
		assert.NotEmpty(t, s.variables, s.breakpoint)
		sides[s.side]++
	}
	assert.Positive(t, sides["client"])
	assert.Positive(t, sides["server"])
}

// tourHit is one stop of Delve at a breakpoint.
type tourHit struct {
	function string
	side     string
	printed  []string // the "\tvariable: value" lines after it
}

// TestDebuggingTour runs the walkthrough under Delve, non-interactively,
// with a breakpoint on every function of DEBUGGING.md's tour, printing
// every variable listed for it. Each side (the client is goroutine 1,
// the program's main goroutine) must stop exactly at its rows of the
// table, in the table's order, and every variable of a row must be
// readable where that side stops for it. The interleaving of the two
// sides is not checked: where both run at once, the scheduler picks.
func TestDebuggingTour(t *testing.T) {
	dlv := interop.RequireTool(t, "dlv")
	stops := readTour(t)
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	// Without optimisations and inlining, as dlv debug would build it, so
	// every variable is where the source says.
	binary := filepath.Join(dir, "walkthrough")
	build := exec.CommandContext(ctx, "go", "build", "-gcflags=all=-N -l", "-o", binary, ".")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "%s", out)

	// One breakpoint per function, printing the variables of all its rows.
	var functions []string
	variables := map[string][]string{}
	for _, s := range stops {
		if _, ok := variables[s.breakpoint]; !ok {
			functions = append(functions, s.breakpoint)
		}
		for _, v := range s.variables {
			if !slices.Contains(variables[s.breakpoint], v) {
				variables[s.breakpoint] = append(variables[s.breakpoint], v)
			}
		}
	}
	var script strings.Builder
	for i, f := range functions {
		fmt.Fprintf(&script, "break bp%d %s%s\n", i, modulePrefix, f)
		for _, v := range variables[f] {
			fmt.Fprintf(&script, "on bp%d print %s\n", i, v)
		}
	}
	// More continues than stops: once the program has exited, the rest
	// just report that it has.
	for range 2 * len(stops) {
		script.WriteString("continue\n")
	}
	script.WriteString("exit\n")
	scriptFile := filepath.Join(dir, "tour.dlv")
	require.NoError(t, os.WriteFile(scriptFile, []byte(script.String()), 0o600))

	cmd := exec.CommandContext(ctx, dlv, "exec", binary, "--allow-non-terminal-interactive=true", "--init", scriptFile, "--", "-seed", "1")
	cmd.Env = append(os.Environ(), "TERM=dumb", "NO_COLOR=1")
	cmd.WaitDelay = 5 * time.Second
	output, err := cmd.CombinedOutput()
	require.NoError(t, ctx.Err(), "delve did not finish in time")
	require.NoError(t, err, "delve failed:\n%s", output)
	defer func() {
		if t.Failed() {
			t.Logf("delve output:\n%s", output)
		}
	}()

	// Each hit prints "> [bpN] function() file:line (hits goroutine(G):..."
	// then one "\tvariable: value" line per print.
	var hits []tourHit
	for _, line := range strings.Split(string(output), "\n") {
		if m := hitLine.FindStringSubmatch(line); m != nil {
			n, _ := strconv.Atoi(m[1])
			side := "server"
			if m[2] == "1" {
				side = "client"
			}
			hits = append(hits, tourHit{function: functions[n], side: side})
			continue
		}
		if len(hits) > 0 && strings.HasPrefix(line, "\t") {
			hits[len(hits)-1].printed = append(hits[len(hits)-1].printed, line)
		}
	}

	for _, side := range []string{"client", "server"} {
		var want []tourStop
		for _, s := range stops {
			// The walkthrough's own code runs on the client's goroutine.
			if s.side == side || (side == "client" && s.side == "walkthrough") {
				want = append(want, s)
			}
		}
		var got []tourHit
		for _, h := range hits {
			if h.side == side {
				got = append(got, h)
			}
		}
		var wantNames, gotNames []string
		for _, s := range want {
			wantNames = append(wantNames, s.breakpoint)
		}
		for _, h := range got {
			gotNames = append(gotNames, h.function)
		}
		if !assert.Equal(t, wantNames, gotNames, "the %s stops at other breakpoints, or in another order, than DEBUGGING.md's table says", side) {
			continue
		}
		for i, s := range want {
			for _, v := range s.variables {
				readable := slices.ContainsFunc(got[i].printed, func(line string) bool {
					return strings.HasPrefix(line, "\t"+v+": ") && !strings.Contains(line, "unreadable")
				})
				assert.True(t, readable, "%s at %s: variable %s could not be read", side, s.breakpoint, v)
			}
		}
	}
}
