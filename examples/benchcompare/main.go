// Command benchcompare runs the benchmarks in ./bench, which measure each
// case once with glasstls and once with Go's crypto/tls (or with the raw
// AEAD, for the throughput ceiling), and prints a Markdown table of the
// ratios glasstls / reference from that one run.
//
// Run it from the module root:
//
//	go run ./examples/benchcompare
//	go run ./examples/benchcompare -bench Handshake -count 5
//	go test -run '^$' -bench . -benchmem ./bench/ > out.txt; go run ./examples/benchcompare -in out.txt
//
// With -count above 1 each cell is the median of the runs. The benchmark
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
	pkg := flag.String("pkg", "./bench/", "package holding the benchmarks")
	in := flag.String("in", "", "parse this saved go test -bench output instead of running")
	flag.Parse()

	var output []byte
	if *in != "" {
		var err error
		if output, err = os.ReadFile(*in); err != nil {
			log.Fatal(err)
		}
	} else {
		cmd := exec.Command("go", "test", "-run", "^$", "-bench", *bench, "-benchmem",
			"-benchtime", *benchtime, "-count", strconv.Itoa(*count), *pkg)
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
	printTable(os.Stdout, results)
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

func median(vs []float64) float64 {
	s := slices.Clone(vs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
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
// .../raw result of the same case.
func printTable(w io.Writer, r results) {
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
				if unit == "B/op" && median(g) == 0 && median(o) == 0 {
					continue
				}
				gm, om := median(g), median(o)
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
					fmt.Fprintf(w, "| %s | %s | %s | - | - |\n", base, unit, format(median(v)))
				}
			}
		}
	}
}

func refName(ref string) string {
	if ref == "cryptotls" {
		return "crypto/tls"
	}
	return "raw AEAD"
}

func format(v float64) string {
	if v == float64(int64(v)) {
		return strconv.FormatInt(int64(v), 10)
	}
	return strconv.FormatFloat(v, 'f', 2, 64)
}
