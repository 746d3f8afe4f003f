package e2e

import (
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
	"time"
)

// best and median of the rounds' values (every case here is "more is
// better": on a shared machine other jobs only ever slow a round down).
func best(s []sample) sample {
	return slices.MaxFunc(s, func(a, b sample) int { return cmpFloat(a.value, b.value) })
}

func median(s []sample) sample {
	sorted := slices.Clone(s)
	slices.SortFunc(sorted, func(a, b sample) int { return cmpFloat(a.value, b.value) })
	return sorted[len(sorted)/2]
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func number(v float64) string {
	if v >= 100 {
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%.1f", v)
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f", float64(d)/float64(time.Millisecond)) }

// cell is "best / median" of one server's rounds, or "—".
func (r *report) cell(caseName, server string) string {
	s := r.samples[caseName][server]
	if len(s) == 0 {
		return "—"
	}
	return number(best(s).value) + " / " + number(median(s).value)
}

// pair is glasstls's samples for the case beside other's: for goRef's case
// when crypto/tls cannot do this one, with suffix saying so.
func (r *report) pair(caseName, other string) (mine, theirs []sample, suffix string) {
	mine = r.samples[caseName][glassServer]
	theirs = r.samples[caseName][other]
	if len(theirs) == 0 && other == goServer && r.cases[caseName].goRef != "" {
		return mine, r.samples[r.cases[caseName].goRef][other], " (vs its ticket)"
	}
	return mine, theirs, ""
}

// ratio is glasstls's best over other's best for the case (see pair).
func (r *report) ratio(caseName, other string) string {
	mine, theirs, suffix := r.pair(caseName, other)
	if len(mine) == 0 || len(theirs) == 0 {
		return "—"
	}
	return fmt.Sprintf("%.2fx", best(mine).value/best(theirs).value) + suffix
}

// leastCPU and medianCPU summarise the rounds' CPU time per operation.
func leastCPU(s []sample) time.Duration {
	return slices.MinFunc(s, func(a, b sample) int { return int(a.cpu - b.cpu) }).cpu
}

func medianCPU(s []sample) time.Duration {
	sorted := slices.Clone(s)
	slices.SortFunc(sorted, func(a, b sample) int { return int(a.cpu - b.cpu) })
	return sorted[len(sorted)/2].cpu
}

func us(d time.Duration) string { return number(float64(d) / float64(time.Microsecond)) }

func (r *report) cpuCell(caseName, server string) string {
	s := r.samples[caseName][server]
	if len(s) == 0 {
		return "—"
	}
	return us(leastCPU(s)) + " / " + us(medianCPU(s))
}

// cpuRatio is glasstls's least CPU time per operation over other's (see pair).
func (r *report) cpuRatio(caseName, other string) string {
	mine, theirs, suffix := r.pair(caseName, other)
	if len(mine) == 0 || len(theirs) == 0 || leastCPU(theirs) == 0 {
		return "—"
	}
	return fmt.Sprintf("%.2fx", float64(leastCPU(mine))/float64(leastCPU(theirs))) + suffix
}

// markdown is the run as Markdown tables.
func (r *report) markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "End to end, from outside each server process: %d rounds interleaved, %v per measurement, caches filled with %d full handshakes; %s, GOMAXPROCS %d (Go servers: %s), %s.\nMachine %s.\n\n",
		r.p.rounds, r.p.load.dur, r.p.fill, runtime.Version(), runtime.GOMAXPROCS(0), serverProcs(r.p.goProcs), cpuModel(), strings.Join(r.loadInfo, ", "))
	b.WriteString("Each cell: best / median of the rounds. Ratios: glasstls's best over the other's best.\n\n")
	b.WriteString("| case | glasstls | crypto/tls | openssl s_server | glasstls ÷ crypto/tls | glasstls ÷ openssl |\n|---|---|---|---|---|---|\n")
	for _, name := range r.order {
		if strings.HasPrefix(name, "concurrency") {
			continue
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n", name,
			r.cell(name, glassServer), r.cell(name, goServer), r.cell(name, opensslServer),
			r.ratio(name, goServer), r.ratio(name, opensslServer))
	}
	b.WriteString("\nServer CPU time per operation (per handshake; per MB for echo), in µs, least / median of the rounds; a ratio below 1 means glasstls spends less. It moves far less with the machine's load than the rates above.\n\n")
	b.WriteString("| case | glasstls | crypto/tls | openssl s_server | glasstls ÷ crypto/tls | glasstls ÷ openssl |\n|---|---|---|---|---|---|\n")
	for _, name := range r.order {
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n", name,
			r.cpuCell(name, glassServer), r.cpuCell(name, goServer), r.cpuCell(name, opensslServer),
			r.cpuRatio(name, goServer), r.cpuRatio(name, opensslServer))
	}
	if flat := r.flatness(); flat != "" {
		b.WriteString("\n" + flat)
	}
	if r.hasConcurrency() {
		b.WriteString("\nFull handshakes (ECDHE-RSA-AES128-GCM, RSA-2048) against client concurrency: handshakes/s best / median; latency p50 and p99 in ms from the best round.\n\n")
		b.WriteString("| clients | glasstls | crypto/tls | openssl s_server | glasstls ÷ crypto/tls | glasstls p50 / p99 | crypto/tls p50 / p99 | openssl p50 / p99 |\n|---|---|---|---|---|---|---|---|\n")
		for _, n := range r.p.conc {
			name := concurrencyCase(n)
			lat := func(server string) string {
				s := r.samples[name][server]
				if len(s) == 0 {
					return "—"
				}
				bs := best(s)
				return ms(bs.p50) + " / " + ms(bs.p99)
			}
			fmt.Fprintf(&b, "| %d | %s | %s | %s | %s | %s | %s | %s |\n", n, r.cell(name, glassServer), r.cell(name, goServer),
				r.cell(name, opensslServer), r.ratio(name, goServer), lat(glassServer), lat(goServer), lat(opensslServer))
		}
	}
	b.WriteString(r.memoryTable())
	return b.String()
}

// hasConcurrency says whether the run measured the concurrency curve
// (-e2e.cases can leave it out; then its table would be all dashes).
func (r *report) hasConcurrency() bool {
	for _, n := range r.p.conc {
		if len(r.samples[concurrencyCase(n)]) > 0 {
			return true
		}
	}
	return false
}

// memoryTable is the idle-connection case's table, or "" if it did not run.
func (r *report) memoryTable() string {
	var b strings.Builder
	if len(r.idleRSS) > 0 {
		b.WriteString("\nMemory: resident set of the server process before and after opening idle TLS connections (handshake done, no data).\n\n")
		b.WriteString("| server | RSS before | RSS after | connections | KiB per connection |\n|---|---|---|---|---|\n")
		for _, name := range []string{glassServer, goServer} {
			m, ok := r.idleRSS[name]
			if !ok {
				continue
			}
			fmt.Fprintf(&b, "| %s | %.1f MiB | %.1f MiB | %d | %.1f |\n", name, float64(m[0])/(1<<20), float64(m[1])/(1<<20), m[2],
				float64(m[1]-m[0])/1024/float64(m[2]))
		}
	}
	return b.String()
}

// flatness compares resumption after the fill with resumption on an empty
// cache, per server (the goal: within 5%).
func (r *report) flatness() string {
	var b strings.Builder
	for _, kind := range []string{"ticket", "session ID"} {
		empty := "resumed by " + kind + ", empty cache"
		filled := fmt.Sprintf("resumed by %s, after %d full", kind, r.p.fill)
		for _, server := range []string{glassServer, goServer, opensslServer} {
			e, f := r.samples[empty][server], r.samples[filled][server]
			if len(e) == 0 || len(f) == 0 {
				continue
			}
			if b.Len() == 0 {
				b.WriteString("Resumption after the fill against resumption on an empty cache: handshakes/s (best), and server CPU µs per handshake (least); flat is 1.00x.\n\n| resumed by | server | hs/s empty | hs/s filled | filled ÷ empty | CPU µs empty | CPU µs filled | filled ÷ empty |\n|---|---|---|---|---|---|---|---|\n")
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %.2fx | %s | %s | %.2fx |\n", kind, server, number(best(e).value), number(best(f).value), best(f).value/best(e).value,
				us(leastCPU(e)), us(leastCPU(f)), float64(leastCPU(f))/float64(max(1, leastCPU(e))))
		}
	}
	return b.String()
}

// svg plots handshakes/s, p99 latency and the server's CPU time per
// handshake against client concurrency, one line per server, each point
// from the server's best round, as a self-contained SVG.
func (r *report) svg() string {
	const (
		panelW, panelH = 340.0, 260.0
		left, top      = 55.0, 30.0
		plotW, plotH   = 260.0, 180.0
	)
	colors := map[string]string{glassServer: "#1f77b4", goServer: "#d62728", opensslServer: "#2ca02c"}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" font-family="sans-serif" font-size="11">`+"\n", 3*panelW, panelH+20)
	b.WriteString(`<rect width="100%" height="100%" fill="white"/>` + "\n")
	panels := []struct {
		title string
		value func(sample) float64
	}{
		{"full handshakes/s (RSA-2048), best round", func(s sample) float64 { return s.value }},
		{"p99 latency, ms (same round)", func(s sample) float64 { return float64(s.p99) / float64(time.Millisecond) }},
		{"server CPU µs per handshake (same round)", func(s sample) float64 { return float64(s.cpu) / float64(time.Microsecond) }},
	}
	for pi, panel := range panels {
		x0 := float64(pi)*panelW + left
		maxY := 0.0
		for _, n := range r.p.conc {
			for _, s := range r.samples[concurrencyCase(n)] {
				for _, smp := range s {
					maxY = math.Max(maxY, panel.value(smp))
				}
			}
		}
		if maxY == 0 {
			maxY = 1
		}
		maxY *= 1.1
		fmt.Fprintf(&b, `<text x="%.0f" y="18" font-weight="bold">%s</text>`+"\n", x0-40, panel.title)
		fmt.Fprintf(&b, `<path d="M%.1f %.1f V%.1f H%.1f" stroke="black" fill="none"/>`+"\n", x0, top, top+plotH, x0+plotW)
		for i := 0; i <= 4; i++ {
			y := top + plotH - float64(i)*plotH/4
			fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="end">%s</text><path d="M%.1f %.1f H%.1f" stroke="#ddd"/>`+"\n",
				x0-4, y+4, number(maxY*float64(i)/4), x0, y, x0+plotW)
		}
		xAt := func(i int) float64 { return x0 + 20 + float64(i)*(plotW-40)/math.Max(1, float64(len(r.p.conc)-1)) }
		for i, n := range r.p.conc {
			fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle">%d</text>`+"\n", xAt(i), top+plotH+14, n)
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle">clients at once</text>`+"\n", x0+plotW/2, top+plotH+28)
		for si, server := range []string{glassServer, goServer, opensslServer} {
			var points []string
			for i, n := range r.p.conc {
				s := r.samples[concurrencyCase(n)][server]
				if len(s) == 0 {
					continue
				}
				y := top + plotH - panel.value(best(s))/maxY*plotH
				points = append(points, fmt.Sprintf("%.1f,%.1f", xAt(i), y))
				fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="3" fill="%s"/>`+"\n", xAt(i), y, colors[server])
			}
			if len(points) == 0 {
				continue
			}
			fmt.Fprintf(&b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="2"/>`+"\n", strings.Join(points, " "), colors[server])
			if pi == 0 { // the legend, once, along the bottom
				lx := panelW + float64(si)*110
				fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="10" height="10" fill="%s"/><text x="%.1f" y="%.1f">%s</text>`+"\n",
					lx, panelH+2, colors[server], lx+14, panelH+11, server)
			}
		}
	}
	b.WriteString("</svg>\n")
	return b.String()
}

func cpuModel() string {
	data, err := readFile("/proc/cpuinfo")
	if err != nil {
		return fmt.Sprintf("%d CPUs", runtime.NumCPU())
	}
	for line := range strings.SplitSeq(data, "\n") {
		if rest, ok := strings.CutPrefix(line, "model name"); ok {
			return fmt.Sprintf("%d × %s", runtime.NumCPU(), strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(rest), ":")))
		}
	}
	return fmt.Sprintf("%d CPUs", runtime.NumCPU())
}

// serverProcs says what GOMAXPROCS the Go servers ran with.
func serverProcs(n int) string {
	if n == 0 {
		return "the default"
	}
	return fmt.Sprint(n)
}

// concurrencyCase names the case of the concurrency curve at n clients.
func concurrencyCase(n int) string { return fmt.Sprintf("concurrency %d, full RSA-2048", n) }
