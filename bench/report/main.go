// Command report prints libpeat's benchmark table: every language's numbers
// (build/bench/<lang>.json, written by each language's own benchmark in the
// same `make bench` run) beside the Go-direct baseline, with ratios and the
// targets of the issues. Usage: report DIR
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"time"
)

type result struct {
	Name    string  `json:"name"`
	NsPerOp float64 `json:"ns_per_op"`
	Note    string  `json:"note"`
}

type langFile struct {
	Language string   `json:"language"`
	Results  []result `json:"results"`
}

var langs = []string{"go", "c", "cpp", "python", "java"}

var rows = []struct{ name, label string }{
	{"abi_version", "trivial call (abi_version)"},
	{"convert_empty_bin_to_bin", "convert empty message (bin)"},
	{"convert_nodeconfig_bin_to_json", "convert NodeConfig bin->json"},
	{"validate_nodeconfig_small", "validate NodeConfig (1 cap)"},
	{"validate_nodeconfig_50kb", "validate NodeConfig 50 KB"},
	{"validate_cellstate8", "validate CellState (8 members)"},
	{"validate_batch_1000", "batch validate, per message"},
	{"merge_cellstate8", "plain merge CellState (8)"},
	{"doc_merge_cell_10k", "document merge, 10k members"},
	{"doc_merge_cell_100k", "document merge, 100k members"},
}

// load reads <lang>.json, or the rounds <lang>-1.json, <lang>-2.json, ...
// (Go-direct and C are measured in alternating rounds so that both see the
// same machine), and keeps the median of each measurement.
func load(dir string) map[string]map[string]result {
	out := map[string]map[string]result{}
	for _, l := range langs {
		files, _ := filepath.Glob(filepath.Join(dir, l+"-*.json"))
		if len(files) == 0 {
			files = []string{filepath.Join(dir, l+".json")}
		}
		samples := map[string][]result{}
		for _, name := range files {
			b, err := os.ReadFile(name)
			if err != nil {
				continue
			}
			var f langFile
			if json.Unmarshal(b, &f) != nil {
				continue
			}
			for _, r := range f.Results {
				samples[r.Name] = append(samples[r.Name], r)
			}
		}
		if len(samples) == 0 {
			continue
		}
		m := map[string]result{}
		for name, rs := range samples {
			sort.Slice(rs, func(i, j int) bool { return rs[i].NsPerOp < rs[j].NsPerOp })
			m[name] = rs[len(rs)/2]
		}
		out[l] = m
	}
	return out
}

func get(data map[string]map[string]result, lang, name string) (float64, bool) {
	r, ok := data[lang][name]
	if !ok || r.NsPerOp <= 0 {
		return 0, false
	}
	return r.NsPerOp, true
}

func cell(data map[string]map[string]result, lang, name string) string {
	v, ok := get(data, lang, name)
	if !ok {
		if r, present := data[lang][name]; present && r.Note != "" {
			return "n/a (" + r.Note + ")"
		}
		return "-"
	}
	s := fmtNs(v)
	if lang == "go" {
		return s
	}
	g, ok := get(data, "go", name)
	if !ok {
		return s
	}
	if name == "abi_version" { // Go-direct is ~0 ns: show the boundary cost itself
		return fmt.Sprintf("%s (+%s)", s, fmtNs(v-g))
	}
	return fmt.Sprintf("%s (%.2fx)", s, v/g)
}

func fmtNs(v float64) string {
	switch {
	case v >= 1e6:
		return fmt.Sprintf("%.2f ms", v/1e6)
	case v >= 1e4:
		return fmt.Sprintf("%.1f us", v/1e3)
	default:
		return fmt.Sprintf("%.0f ns", v)
	}
}

type check struct {
	what string
	ok   bool
	have string
}

func checks(data map[string]map[string]result) []check {
	var cs []check
	add := func(what string, ok bool, have string) { cs = append(cs, check{what, ok, have}) }
	over := func(lang, name string) (float64, bool) {
		v, ok1 := get(data, lang, name)
		g, ok2 := get(data, "go", name)
		return v - g, ok1 && ok2
	}
	ratio := func(lang, name string) (float64, bool) {
		v, ok1 := get(data, lang, name)
		g, ok2 := get(data, "go", name)
		return v / g, ok1 && ok2
	}
	if d, ok := over("c", "abi_version"); ok {
		add("C ABI overhead per call <= 150 ns", d <= 150, fmtNs(d))
	}
	if d, ok := over("c", "validate_nodeconfig_small"); ok {
		add("C single validate overhead <= 150 ns", d <= 150, fmtNs(d))
	}
	if d, ok := over("c", "validate_batch_1000"); ok {
		add("C batch cost per message <= 50 ns above Go", d <= 50, fmtNs(d))
	}
	if d, ok := over("cpp", "validate_batch_1000"); ok {
		add("C++ harness: batch cost per message <= 50 ns above Go", d <= 50, fmtNs(d))
	}
	if d, ok := over("cpp", "validate_nodeconfig_small"); ok {
		add("C++ harness: single validate overhead <= 150 ns", d <= 150, fmtNs(d))
	}
	if d, ok := over("python", "abi_version"); ok {
		add("Python overhead per call <= 600 ns", d <= 600, fmtNs(d))
	}
	if r, ok := ratio("python", "validate_nodeconfig_50kb"); ok {
		add("Python 50 KB validation <= 1.2x Go", r <= 1.2, fmt.Sprintf("%.2fx", r))
	}
	if d, ok := over("java", "abi_version"); ok {
		add("Java overhead per call <= 300 ns", d <= 300, fmtNs(d))
	}
	if r, ok := ratio("java", "validate_nodeconfig_50kb"); ok {
		add("Java 50 KB validation <= 1.2x Go", r <= 1.2, fmt.Sprintf("%.2fx", r))
	}
	if w, ok1 := get(data, "cpp", "abi_version"); ok1 {
		if c, ok2 := get(data, "cpp", "abi_version_c"); ok2 {
			add("C++ wrapper adds <= 20 ns over the C call", w-c <= 20, fmtNs(w-c))
		}
		if d, ok := over("cpp", "abi_version"); ok {
			add("C++ total overhead over Go <= 150 ns", d <= 150, fmtNs(d))
		}
	}
	if a, ok1 := get(data, "go", "doc_merge_cell_10k"); ok1 {
		if b, ok2 := get(data, "go", "doc_merge_cell_100k"); ok2 {
			add("document merge grows linearly: t(100k)/t(10k) <= 12", b/a <= 12, fmt.Sprintf("%.1f", b/a))
			// Two documents of 100k members each (half shared): 200k elements read.
			eps := 200000 / (b / 1e9)
			add(">= 1M set elements per second per core", eps >= 1e6, fmt.Sprintf("%.2f M/s", eps/1e6))
		}
	}
	return cs
}

func render(w io.Writer, data map[string]map[string]result) {
	fmt.Fprintf(w, "libpeat benchmark report - %s, %d cores, %s/%s, %s\n", time.Now().UTC().Format("2006-01-02"),
		runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, runtime.Version())
	fmt.Fprintln(w, "Each cell: time per operation, and its ratio to Go-direct (the same core function called from Go")
	fmt.Fprintln(w, "in the same run); for the trivial call, the boundary cost itself. Go-direct and C are the medians")
	fmt.Fprintln(w, "of alternating rounds. '-' = not measured.")
	fmt.Fprintln(w)
	widths := []int{30}
	for range langs {
		widths = append(widths, 21)
	}
	header := []string{"operation"}
	for _, l := range langs {
		header = append(header, map[string]string{"go": "Go-direct", "c": "C", "cpp": "C++", "python": "Python", "java": "Java"}[l])
	}
	line := func(cols []string) {
		var sb strings.Builder
		for i, c := range cols {
			sb.WriteString(fmt.Sprintf("%-*s", widths[i], c))
		}
		fmt.Fprintln(w, strings.TrimRight(sb.String(), " "))
	}
	line(header)
	line([]string{strings.Repeat("-", 29), strings.Repeat("-", 20), strings.Repeat("-", 20), strings.Repeat("-", 20), strings.Repeat("-", 20), strings.Repeat("-", 20)})
	for _, r := range rows {
		cols := []string{r.label}
		for _, l := range langs {
			cols = append(cols, cell(data, l, r.name))
		}
		line(cols)
	}
	for _, l := range langs {
		for name, r := range data[l] {
			known := false
			for _, row := range rows {
				known = known || row.name == name
			}
			if !known && r.NsPerOp > 0 {
				fmt.Fprintf(w, "  extra %-6s %-40s %s\n", l, name, fmtNs(r.NsPerOp))
			}
		}
	}
	fmt.Fprintln(w, "\nTargets:")
	for _, c := range checks(data) {
		mark := "PASS"
		if !c.ok {
			mark = "MISS"
		}
		fmt.Fprintf(w, "  [%s] %-55s %s\n", mark, c.what, c.have)
	}
}

func main() {
	dir := "build/bench"
	if len(os.Args) > 1 {
		dir = os.Args[1]
	}
	render(os.Stdout, load(dir))
}
