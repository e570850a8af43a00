// Command gen writes core/validate/zz_generated.go, the typed validators of
// the ICD message types, from the validator's plans. Run it with
// `go generate ./core/validate/`.
package main

import (
	"flag"
	"fmt"
	"os"

	// Every package that registers validation rules or field policies.
	_ "github.com/peat-protocol/libpeat/core"
	"github.com/peat-protocol/libpeat/core/validate/internal/gen"
)

func main() {
	out := flag.String("o", "zz_generated.go", "output file")
	flag.Parse()
	src, err := gen.Generate()
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	if err := os.WriteFile(*out, src, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}
