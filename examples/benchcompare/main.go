// Command benchcompare runs the benchmarks in ./bench, which measure each
// case once with glasstls and once with Go's crypto/tls (or with the raw
// AEAD, for the throughput ceiling), and prints a Markdown table of the
// ratios glasstls / reference from that one run.
//
// Run it from the module root:
//
//	go run ./examples/benchcompare
//	go run ./examples/benchcompare -bench Handshake -count 5 -cpu 1
//	go test -run '^$' -bench . -benchmem ./bench/ > out.txt; go run ./examples/benchcompare -in out.txt
//
// With -count above 1 each cell is the median of the runs, or with -best
// the best run. The benchmark
// output itself goes to stderr as it arrives.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

func main() {
	bench := flag.String("bench", ".", "benchmarks to run (go test -bench)")
	benchtime := flag.String("benchtime", "1s", "go test -benchtime")
	count := flag.Int("count", 1, "go test -count; cells are medians")
	cpu := flag.String("cpu", "", "go test -cpu (e.g. 1: one core each, steadier on a shared machine)")
	pkg := flag.String("pkg", "./bench/", "package holding the benchmarks")
	in := flag.String("in", "", "parse this saved go test -bench output instead of running")
	best := flag.Bool("best", false, "cells are the best run (least time, most MB/s) instead of the median: on a shared machine other jobs only ever slow a run down")
	flag.Parse()

	var output []byte
	if *in != "" {
		var err error
		if output, err = os.ReadFile(*in); err != nil {
			log.Fatal(err)
		}
	} else {
		args := []string{"test", "-run", "^$", "-bench", *bench, "-benchmem",
			"-benchtime", *benchtime, "-count", strconv.Itoa(*count)}
		if *cpu != "" {
			args = append(args, "-cpu", *cpu)
		}
		cmd := exec.Command("go", append(args, *pkg)...)
		var buf bytes.Buffer
		cmd.Stdout = io.MultiWriter(&buf, os.Stderr)
		cmd.Stderr = os.Stderr
		if err := cmd.Run(); err != nil {
			log.Fatalf("go test: %v", err)
		}
		output = buf.Bytes()
	}
	results := parse(output)
	if len(results.order) == 0 {
		log.Fatal("no benchmark results found")
	}
	summary := median
	if *best {
		summary = bestOf
	}
	printTable(os.Stdout, results, summary)
}

// results maps benchmark name (GOMAXPROCS suffix removed) and unit to the
// values seen, keeping names in the order they first appeared.
type results struct {
	order  []string
	values map[string]map[string][]float64
}

var procSuffix = regexp.MustCompile(`-\d+$`)

// parse reads go test -bench lines: name, iterations, then value-unit pairs.
func parse(out []byte) results {
	r := results{values: map[string]map[string][]float64{}}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 4 || !strings.HasPrefix(fields[0], "Benchmark") {
			continue
		}
		name := procSuffix.ReplaceAllString(strings.TrimPrefix(fields[0], "Benchmark"), "")
		if r.values[name] == nil {
			r.values[name] = map[string][]float64{}
			r.order = append(r.order, name)
		}
		for i := 2; i+1 < len(fields); i += 2 {
			v, err := strconv.ParseFloat(fields[i], 64)
			if err != nil {
				continue
			}
			r.values[name][fields[i+1]] = append(r.values[name][fields[i+1]], v)
		}
	}
	return r
}

func median(_ string, vs []float64) float64 {
	s := slices.Clone(vs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// bestOf is the best value of a run: the highest for MB/s, the lowest for
// every other unit (time, allocations, bytes).
func bestOf(unit string, vs []float64) float64 {
	if unit == "MB/s" {
		return slices.Max(vs)
	}
	return slices.Min(vs)
}

// units are the metrics tabulated, in this order. For MB/s higher is
// better; for the others lower is.
var units = []string{"ns/op", "MB/s", "allocs/op", "B/op", "heapB/conn"}

// onlyUnit names the one meaningful metric of benchmarks whose other
// numbers cover setup work (handshakes) that they do not mean to measure.
var onlyUnit = map[string]string{
	"IdleConn":        "heapB/conn",
	"TimeToFirstByte": "ns/op",
}

// printTable pairs every .../glasstls result with the .../cryptotls or
// .../raw result of the same case. summary turns one cell's runs (-count)
// into one number.
func printTable(w io.Writer, r results, summary func(unit string, vs []float64) float64) {
	fmt.Fprintln(w, "| benchmark | metric | glasstls | reference | ratio |")
	fmt.Fprintln(w, "|---|---|---:|---:|---:|")
	for _, name := range r.order {
		base, ok := strings.CutSuffix(name, "/glasstls")
		if !ok {
			continue
		}
		paired := false
		for _, ref := range []string{"cryptotls", "raw"} {
			other, ok := r.values[base+"/"+ref]
			if !ok {
				continue
			}
			paired = true
			for _, unit := range units {
				g, ok1 := r.values[name][unit]
				o, ok2 := other[unit]
				if !ok1 || !ok2 || (unit == "ns/op" && other["MB/s"] != nil) {
					continue // for throughput benchmarks MB/s says it all
				}
				if only, ok := onlyUnit[base]; ok && unit != only {
					continue
				}
				gm, om := summary(unit, g), summary(unit, o)
				if unit == "B/op" && gm == 0 && om == 0 {
					continue
				}
				ratio := "-"
				if om != 0 {
					ratio = fmt.Sprintf("%.2f", gm/om)
				}
				fmt.Fprintf(w, "| %s | %s | %s | %s (%s) | %s |\n", base, unit, format(gm), format(om), refName(ref), ratio)
			}
		}
		if !paired { // e.g. session ID resumption, which crypto/tls lacks
			for _, unit := range []string{"ns/op", "allocs/op"} {
				if v, ok := r.values[name][unit]; ok {
					fmt.Fprintf(w, "| %s | %s | %s | - | - |\n", base, unit, format(summary(unit, v)))
				}
			}
		}
	}
}

func refName(ref string) string {
	if ref == "cryptotls" {
		return "Go's crypto/tls"
	}
	return "raw AEAD"
}

func format(v float64) string {
	if v == float64(int64(v)) {
		return strconv.FormatInt(int64(v), 10)
	}
	return strconv.FormatFloat(v, 'f', 2, 64)
}
