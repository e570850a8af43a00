package vectors

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/peat-protocol/libpeat/core"
	"github.com/peat-protocol/libpeat/core/codec"
	"github.com/peat-protocol/libpeat/core/status"
)

// Exec runs one case through the Go operation layer (the same functions the
// C ABI calls) and returns the status and output bytes.
func Exec(area string, c Case) (status.Status, []byte, error) {
	dir := Dir(area)
	return execCase(c, func(name string) ([]byte, error) { return os.ReadFile(filepath.Join(dir, name)) })
}

// ExecWith runs a case whose files are still in memory in s (before Sync),
// so a generator can check each case as it builds it.
func ExecWith(s *Set, c Case) (status.Status, []byte, error) {
	return execCase(c, func(name string) ([]byte, error) {
		b, ok := s.Files[name]
		if !ok {
			return nil, fmt.Errorf("vectors: no file %s in set %s", name, s.Area)
		}
		return b, nil
	})
}

func execCase(c Case, read func(string) ([]byte, error)) (status.Status, []byte, error) {
	var ins [][]byte
	for _, n := range c.Inputs {
		b, err := read(n)
		if err != nil {
			return 0, nil, err
		}
		ins = append(ins, b)
	}
	var opts []byte
	if c.Options != "" {
		b, err := read(c.Options)
		if err != nil {
			return 0, nil, err
		}
		opts = b
	}
	from, to := codec.Format(0), codec.Format(0)
	if c.From != "" {
		f, err := codec.ParseFormat(c.From)
		if err != nil {
			return 0, nil, err
		}
		from = f
	}
	if c.To != "" {
		f, err := codec.ParseFormat(c.To)
		if err != nil {
			return 0, nil, err
		}
		to = f
	}
	arg := func(i int) []byte {
		if i < len(ins) {
			return ins[i]
		}
		return nil
	}
	var out []byte
	var err error
	switch c.Op {
	case "convert":
		out, err = core.Convert(c.Type, from, to, arg(0))
	case "compress":
		out, err = core.Compress(arg(0))
	case "decompress":
		out, err = core.Decompress(arg(0), c.MaxOut)
	case "validate":
		out, err = core.Validate(c.Type, from, arg(0), opts)
	case "validate_batch":
		out, err = core.ValidateBatch(c.Type, from, ins, opts)
	case "sanitize":
		out, err = core.Sanitize(c.Type, from, to, arg(0))
	case "merge":
		out, err = core.Merge(c.Type, from, to, arg(0), arg(1))
	case "merge_batch":
		out, err = core.MergeBatch(c.Type, from, to, ins)
	case "doc_new":
		out, err = core.DocNew(c.Type, arg(0))
	case "doc_apply":
		out, err = core.DocApply(c.Type, arg(0), arg(1))
	case "doc_merge":
		out, err = core.DocMerge(c.Type, arg(0), arg(1))
	case "doc_materialize":
		out, err = core.DocMaterialize(c.Type, to, arg(0))
	case "directive_target":
		out, err = core.DirectiveTarget(arg(0))
	case "directive_advance":
		out, err = core.DirectiveAdvance(arg(0))
	case "directive_summarize":
		out, err = core.DirectiveSummarize(arg(0))
	default:
		return 0, nil, fmt.Errorf("unknown op %q", c.Op)
	}
	if err != nil {
		e := status.From(err)
		return e.Status, nil, e
	}
	return status.OK, out, nil
}
