package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMergeIsIndependentOfFileOrder(t *testing.T) {
	a := writeTemp(t, "a.json", []byte(`{"config":{"id":"cell-1","maxSize":8,"minSize":2},"leaderId":"n2","members":["n2","n1"],"timestamp":{"seconds":"100"}}`))
	b := writeTemp(t, "b.json", []byte(`{"config":{"id":"cell-1","maxSize":8,"minSize":2},"leaderId":"n3","members":["n3","n1"],"timestamp":{"seconds":"100","nanos":5}}`))
	code, ab, stderr := peat(t, nil, "merge", "--type", "cap.cell.v1.CellState", "--from", "json", a, b)
	require.Equal(t, 0, code, stderr)
	code, ba, stderr := peat(t, nil, "merge", b, a, "--type", "cap.cell.v1.CellState", "--from", "json")
	require.Equal(t, 0, code, stderr)
	assert.Equal(t, ab, ba)
	assert.JSONEq(t, `{"config":{"id":"cell-1","maxSize":8,"minSize":2},"leaderId":"n3","members":["n1","n2","n3"],"timestamp":{"seconds":"100","nanos":5}}`, ab)

	// Binary in and out by default; output can be merged again (idempotent).
	code, bin, stderr := peat(t, []byte(ab), "convert", "--type", "cap.cell.v1.CellState", "--from", "json", "--to", "binary")
	require.Equal(t, 0, code, stderr)
	p := writeTemp(t, "m.bin", []byte(bin))
	code, again, stderr := peat(t, nil, "merge", "--type", "cap.cell.v1.CellState", p, p)
	require.Equal(t, 0, code, stderr)
	assert.Equal(t, bin, again)
	code, three, stderr := peat(t, []byte(bin), "merge", "--type", "cap.cell.v1.CellState", "--to", "json", p, "-")
	require.Equal(t, 0, code, stderr)
	assert.JSONEq(t, ab, three)
}

func TestMergeErrorsExit2WithCode(t *testing.T) {
	x := writeTemp(t, "x.json", []byte(`{"config":{"id":"zone-1"}}`))
	y := writeTemp(t, "y.json", []byte(`{"config":{"id":"zone-2"}}`))
	bad := writeTemp(t, "bad.json", []byte(`{"cells":`))
	cases := []struct {
		args []string
		code string
	}{
		{[]string{"merge", "--type", "cap.zone.v1.ZoneState", "--from", "json", x, y}, "MISMATCH"},
		{[]string{"merge", "--type", "cap.zone.v1.ZoneState", "--from", "json", x, bad}, "DECODE_ERROR"},
		{[]string{"merge", "--type", "cap.beacon.v1.Beacon", "--from", "json", x, x}, "NOT_MERGEABLE"},
		{[]string{"merge", "--type", "cap.zone.v1.Nope", x, y}, "UNKNOWN_TYPE"},
		{[]string{"merge", "--type", "cap.zone.v1.ZoneState", x}, "INVALID_ARGUMENT"},
		{[]string{"merge", "--type", "cap.zone.v1.ZoneState", "--to", "xml", x, y}, "INVALID_ARGUMENT"},
	}
	for _, c := range cases {
		code, _, stderr := peat(t, nil, c.args...)
		assert.Equal(t, 2, code, "%v", c.args)
		assert.Len(t, strings.Split(strings.TrimSpace(stderr), "\n"), 1, stderr)
		assert.Contains(t, stderr, c.code, "%v", c.args)
	}
}
