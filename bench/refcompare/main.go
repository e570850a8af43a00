// Command refcompare is the driver of `make bench-reference`: it measures the
// Rust reference's criterion suite (shared/refbench/run.sh) and libpeat's
// equivalent of each of its ids through the C ABI (bench/refc/refbench.c) in
// alternating rounds, both in process CPU time, and writes
// OUT/reference.json and OUT/reference.txt (the table with each target and
// OK/MISS, then the Go-direct -benchmem figures given by -gobench).
//
// Where the refbench directory is absent it says so and measures libpeat's
// side alone (reference_ns null).
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// targets: the performance issue's ceilings on libpeat/reference, by id.
var targets = map[string]float64{
	"validate/bytes/NodeConfig1":                  1.5,
	"validate/bytes/NodeConfig100":                1.5,
	"validate/bytes/CellState8":                   1.5,
	"proto_roundtrip/decode_encode/NodeConfig1":   1.5,
	"proto_roundtrip/decode_encode/NodeConfig100": 1.5,
	"merge/bytes/8":                               1.5,
	"merge/bytes/1000":                            0.3,
	"directive_json/parse_serialize":              1.5,
	"cell_formation_throughput/10":                2,
	"cell_formation_throughput/50":                2,
	"cell_formation_throughput/100":               2,
	"leader_election/5":                           3,
	"leader_election/10":                          3,
	"leader_election/20":                          3,
	"capability_aggregation/10":                   1.5,
	"capability_aggregation/50":                   1.5,
	"capability_aggregation/100":                  1.5,
	"rebalancing_operations/cell_merge":           1.5,
	"crdt_sync_latency/2":                         3,
	"crdt_sync_latency/5":                         3,
	"crdt_sync_latency/10":                        3,
}

// harnessFile is what one run of bench/refc/refbench writes.
type harnessFile struct {
	Results map[string]struct {
		Ns    *float64 `json:"ns"`
		Calls string   `json:"calls"`
		Note  string   `json:"note"`
	} `json:"results"`
}

// row is one id of reference.json.
type row struct {
	ReferenceNs  *float64  `json:"reference_ns"`
	LibpeatNs    *float64  `json:"libpeat_ns"`
	Ratio        *float64  `json:"ratio"`
	LibpeatCalls string    `json:"libpeat_calls"`
	Target       *float64  `json:"target"`
	Result       string    `json:"result"`
	Note         string    `json:"note,omitempty"`
	ReferenceRun []float64 `json:"reference_rounds_ns"`
	LibpeatRun   []float64 `json:"libpeat_rounds_ns"`
}

func main() {
	refDir := flag.String("refbench", "../shared/refbench", "the refbench directory (run.sh, inputs/)")
	harness := flag.String("harness", "", "libpeat's side: the bench/refc/refbench binary")
	out := flag.String("out", "build/bench", "directory for reference.json and reference.txt")
	rounds := flag.Int("rounds", envInt("REFBENCH_ROUNDS", 3), "alternating rounds of each side")
	secs := flag.String("time", envStr("REFBENCH_TIME", "2"), "measurement seconds per benchmark, both sides")
	gobench := flag.String("gobench", "", "go test -benchmem output to append to reference.txt")
	refJSON := flag.String("reference-json", "", "comma-separated run.sh outputs to use instead of running it (development)")
	flag.Parse()
	if *harness == "" || *rounds < 1 {
		fmt.Fprintln(os.Stderr, "usage: refcompare -harness BIN [-refbench DIR] [-out DIR] [-rounds N] [-time S] [-gobench FILE]")
		os.Exit(2)
	}
	runDir := filepath.Join(*out, "reference")
	if err := os.MkdirAll(runDir, 0o755); err != nil {
		fail(err)
	}
	inputs := filepath.Join(*refDir, "inputs")
	runSh := filepath.Join(*refDir, "run.sh")
	haveRef := exists(runSh)
	var given []string
	if *refJSON != "" {
		given = strings.Split(*refJSON, ",")
		haveRef = true
	}
	var notes []string
	if !haveRef {
		msg := fmt.Sprintf("skipped: %s not found: the reference is not measured (reference_ns null); libpeat's side only", *refDir)
		fmt.Println("bench-reference: " + msg)
		notes = append(notes, msg)
	}
	if !exists(filepath.Join(inputs, "nodeconfig_1.pb")) {
		notes = append(notes, fmt.Sprintf("%s not found: libpeat's core operations on the reference's inputs are not measured (through C or Go-direct)", inputs))
	}

	refRuns := map[string][]float64{}
	libRuns := map[string][]float64{}
	var lib harnessFile
	var order []string
	for r := 1; r <= *rounds; r++ {
		if haveRef {
			var res map[string]float64
			var err error
			if len(given) > 0 {
				res, err = readRef(given[(r-1)%len(given)])
			} else {
				res, err = runReference(runSh, filepath.Join(runDir, fmt.Sprintf("ref-%d", r)), *secs, r, *rounds)
			}
			if err != nil {
				msg := fmt.Sprintf("round %d: the reference run failed: %v", r, err)
				fmt.Println("bench-reference: " + msg)
				notes = append(notes, msg)
			}
			for id, ns := range res {
				refRuns[id] = append(refRuns[id], ns)
			}
		}
		path := filepath.Join(runDir, fmt.Sprintf("libpeat-%d.json", r))
		start := time.Now()
		fmt.Printf("bench-reference: round %d/%d: libpeat (%s) ...\n", r, *rounds, *harness)
		cmd := exec.Command(*harness, inputs, path, "--time", *secs)
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		if err := cmd.Run(); err != nil {
			fail(fmt.Errorf("round %d: %s: %v", r, *harness, err))
		}
		fmt.Printf("bench-reference: round %d/%d: libpeat done in %s\n", r, *rounds, time.Since(start).Round(time.Second))
		lib = harnessFile{}
		if err := readJSON(path, &lib); err != nil {
			fail(err)
		}
		if order == nil {
			order = harnessOrder(path)
		}
		for id, v := range lib.Results {
			if v.Ns != nil {
				libRuns[id] = append(libRuns[id], *v.Ns)
			}
		}
	}

	// Every id either side reported: the harness's order, then any id the
	// reference has and the harness does not know.
	var extra []string
	for id := range refRuns {
		if _, ok := lib.Results[id]; !ok {
			extra = append(extra, id)
		}
	}
	sort.Strings(extra)
	order = append(order, extra...)

	rows := map[string]*row{}
	for _, id := range order {
		h, known := lib.Results[id]
		rw := &row{LibpeatCalls: h.Calls, Note: h.Note, ReferenceRun: refRuns[id], LibpeatRun: libRuns[id]}
		if !known {
			rw.Note = "not in bench/refc/refbench.c: no libpeat equivalent measured"
		}
		rw.ReferenceNs, rw.LibpeatNs = median(refRuns[id]), median(libRuns[id])
		if rw.ReferenceNs != nil && rw.LibpeatNs != nil {
			q := round(*rw.LibpeatNs / *rw.ReferenceNs)
			rw.Ratio = &q
		}
		if t, ok := targets[id]; ok {
			rw.Target = &t
		}
		switch {
		case known && h.Calls == "":
			rw.Result = "no libpeat equivalent"
		case rw.Target == nil:
			rw.Result = "no target"
		case rw.LibpeatNs == nil:
			rw.Result = "not measured"
		case rw.ReferenceNs == nil:
			rw.Result = "no reference"
		case *rw.Ratio <= *rw.Target:
			rw.Result = "OK"
		default:
			rw.Result = "MISS"
		}
		rows[id] = rw
	}

	js, err := json.MarshalIndent(rows, "", " ")
	if err != nil {
		fail(err)
	}
	if err := os.WriteFile(filepath.Join(*out, "reference.json"), append(js, '\n'), 0o644); err != nil {
		fail(err)
	}
	var b strings.Builder
	table(&b, order, rows, *rounds, *secs, notes)
	fmt.Print(b.String())
	if *gobench != "" {
		g, err := os.ReadFile(*gobench)
		if err != nil {
			fail(err)
		}
		b.WriteString("\nGo-direct, the same libpeat calls without the C ABI (go test -bench . -benchmem ./bench/reference):\n\n")
		b.Write(g)
	}
	if err := os.WriteFile(filepath.Join(*out, "reference.txt"), []byte(b.String()), 0o644); err != nil {
		fail(err)
	}
	fmt.Printf("bench-reference: wrote %s and %s\n", filepath.Join(*out, "reference.json"), filepath.Join(*out, "reference.txt"))
}

// runReference runs run.sh once, its criterion output into base.log.
func runReference(runSh, base, secs string, r, n int) (map[string]float64, error) {
	start := time.Now()
	fmt.Printf("bench-reference: round %d/%d: reference (%s, REFBENCH_TIME=%s; log %s.log) ...\n", r, n, runSh, secs, base)
	logf, err := os.Create(base + ".log")
	if err != nil {
		return nil, err
	}
	defer logf.Close()
	cmd := exec.Command("bash", runSh, base+".json")
	cmd.Env = append(os.Environ(), "REFBENCH_TIME="+secs)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Run(); err != nil {
		tail, _ := os.ReadFile(base + ".log")
		if len(tail) > 2000 {
			tail = tail[len(tail)-2000:]
		}
		return nil, fmt.Errorf("%v (see %s.log):\n%s", err, base, tail)
	}
	fmt.Printf("bench-reference: round %d/%d: reference done in %s\n", r, n, time.Since(start).Round(time.Second))
	return readRef(base + ".json")
}

func readRef(path string) (map[string]float64, error) {
	res := map[string]float64{}
	return res, readJSON(path, &res)
}

func readJSON(path string, v any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%s: %v", path, err)
	}
	return nil
}

// harnessOrder returns the ids in the order the harness wrote them.
func harnessOrder(path string) []string {
	data, err := os.ReadFile(path)
	if err != nil {
		fail(err)
	}
	var raw struct {
		Results json.RawMessage `json:"results"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		fail(err)
	}
	dec := json.NewDecoder(strings.NewReader(string(raw.Results)))
	var ids []string
	depth := 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			fail(err)
		}
		switch t := tok.(type) {
		case json.Delim:
			if t == '{' || t == '[' {
				depth++
			} else {
				depth--
			}
		case string:
			if depth == 1 {
				ids = append(ids, t)
				var skip json.RawMessage
				if err := dec.Decode(&skip); err != nil {
					fail(err)
				}
			}
		}
	}
	return ids
}

func table(b *strings.Builder, order []string, rows map[string]*row, rounds int, secs string, notes []string) {
	fmt.Fprintf(b, "libpeat through the C ABI against the Rust reference's criterion suite: median of %d alternating rounds,\n"+
		"process CPU time per iteration, %s s of measurement per benchmark per round (ratio = libpeat / reference).\n\n", rounds, secs)
	fmt.Fprintf(b, "%-44s %12s %12s %9s %7s  %s\n", "criterion id", "reference", "libpeat", "ratio", "target", "result")
	fmt.Fprintf(b, "%s\n", strings.Repeat("-", 44+1+12+1+12+1+9+1+7+2+22))
	legend := []string{}
	seen := map[string]int{}
	for _, id := range order {
		rw := rows[id]
		ratio, target := "-", "-"
		if rw.Ratio != nil {
			ratio = fmt.Sprintf("%.2fx", *rw.Ratio)
		}
		if rw.Target != nil {
			target = "<=" + strconv.FormatFloat(*rw.Target, 'f', -1, 64) + "x"
		}
		ref := "-"
		if rw.ReferenceNs != nil {
			ref = dur(*rw.ReferenceNs)
		}
		lp := "-"
		if rw.LibpeatNs != nil {
			lp = dur(*rw.LibpeatNs)
		}
		mark := ""
		if rw.LibpeatCalls != "" {
			k, ok := seen[rw.LibpeatCalls]
			if !ok {
				legend = append(legend, rw.LibpeatCalls)
				k = len(legend)
				seen[rw.LibpeatCalls] = k
			}
			mark = fmt.Sprintf("  [%d]", k)
		}
		fmt.Fprintf(b, "%-44s %12s %12s %9s %7s  %s%s\n", id, ref, lp, ratio, target, rw.Result, mark)
	}
	ok, miss := 0, 0
	for _, rw := range rows {
		switch rw.Result {
		case "OK":
			ok++
		case "MISS":
			miss++
		}
	}
	fmt.Fprintf(b, "\ntargets: %d OK, %d MISS\n", ok, miss)
	fmt.Fprintf(b, "\nlibpeat calls per iteration:\n")
	for i, l := range legend {
		fmt.Fprintf(b, "  [%d] %s\n", i+1, l)
	}
	fmt.Fprintf(b, "\nnotes:\n")
	ids := append([]string(nil), order...)
	for _, id := range ids {
		if n := rows[id].Note; n != "" {
			fmt.Fprintf(b, "  %s: %s\n", id, n)
		}
	}
	for _, n := range notes {
		fmt.Fprintf(b, "  %s\n", n)
	}
}

func dur(ns float64) string {
	switch {
	case ns < 1e3:
		return fmt.Sprintf("%.0f ns", ns)
	case ns < 1e6:
		return fmt.Sprintf("%.2f us", ns/1e3)
	default:
		return fmt.Sprintf("%.2f ms", ns/1e6)
	}
}

func median(v []float64) *float64 {
	if len(v) == 0 {
		return nil
	}
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	m := s[len(s)/2]
	if len(s)%2 == 0 {
		m = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	return &m
}

func round(x float64) float64 { return math.Round(x*1000) / 1000 }

func exists(p string) bool { _, err := os.Stat(p); return err == nil }

func envStr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

func envInt(k string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(k)); err == nil {
		return v
	}
	return def
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "bench-reference:", err)
	os.Exit(1)
}
