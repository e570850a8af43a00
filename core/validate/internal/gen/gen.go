// Package gen writes zz_generated.go of package validate: one typed
// validator per ICD message type (and every type those reach), emitted from
// the validator's own plans (genplan.Plan), doing exactly what the
// reflective walker (*Reporter).message does for that type.
package gen

import (
	"bytes"
	"fmt"
	"go/format"
	"math"
	"path"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/peat-protocol/libpeat/core/registry"
	"github.com/peat-protocol/libpeat/core/validate"
	"github.com/peat-protocol/libpeat/core/validate/internal/genplan"
)

var kindNames = map[validate.StringKind]string{
	validate.KindAuto: "KindAuto", validate.KindID: "KindID", validate.KindName: "KindName",
	validate.KindText: "KindText", validate.KindJSON: "KindJSON", validate.KindMetadataKey: "KindMetadataKey",
	validate.KindMetadataValue: "KindMetadataValue", validate.KindPath: "KindPath",
}

type msgType struct {
	md     protoreflect.MessageDescriptor
	goType reflect.Type // the struct
	alias  string
	idx    int
}

type generator struct {
	types   []*msgType
	byName  map[protoreflect.FullName]*msgType
	imports map[string]string // path -> alias
	ranges  []genplan.Range
	enums   map[protoreflect.FullName]protoreflect.EnumDescriptor
	body    bytes.Buffer
}

// Generate returns the source of zz_generated.go for the types of the ICD
// (cap.*) and every message type they reach.
func Generate() ([]byte, error) {
	g := &generator{byName: map[protoreflect.FullName]*msgType{}, imports: map[string]string{},
		enums: map[protoreflect.FullName]protoreflect.EnumDescriptor{}}
	var roots []string
	for _, n := range registry.Names() {
		if registry.IsICD(protoreflect.FullName(n)) {
			roots = append(roots, n)
		}
	}
	for _, n := range roots {
		mt, err := registry.Lookup(n)
		if err != nil {
			return nil, err
		}
		if err := g.add(mt.Descriptor()); err != nil {
			return nil, err
		}
	}
	sort.Slice(g.types, func(i, j int) bool { return g.types[i].md.FullName() < g.types[j].md.FullName() })
	for i, t := range g.types {
		t.idx = i
	}
	for _, t := range g.types {
		if err := g.emitType(t); err != nil {
			return nil, err
		}
	}
	g.emitDispatch()
	g.emitEnums()
	return g.file()
}

func (g *generator) add(md protoreflect.MessageDescriptor) error {
	if _, ok := g.byName[md.FullName()]; ok || md.IsMapEntry() {
		return nil
	}
	if !registry.IsICD(md.FullName()) {
		return fmt.Errorf("%s: reached from an ICD type but not an ICD type", md.FullName())
	}
	mt, err := registry.Lookup(string(md.FullName()))
	if err != nil {
		return err
	}
	rt := reflect.TypeOf(mt.Zero().Interface())
	if rt.Kind() != reflect.Pointer || rt.Elem().Kind() != reflect.Struct {
		return fmt.Errorf("%s: Go type %v is not a pointer to a struct", md.FullName(), rt)
	}
	pkg := rt.Elem().PkgPath()
	alias, ok := g.imports[pkg]
	if !ok {
		alias = path.Base(path.Dir(pkg)) + path.Base(pkg)
		for _, a := range g.imports {
			if a == alias {
				return fmt.Errorf("import alias %s used twice", alias)
			}
		}
		g.imports[pkg] = alias
	}
	t := &msgType{md: md, goType: rt.Elem(), alias: alias}
	g.byName[md.FullName()] = t
	g.types = append(g.types, t)
	fds := md.Fields()
	for i := 0; i < fds.Len(); i++ {
		fd := fds.Get(i)
		if fd.IsMap() {
			fd = fd.MapValue()
		}
		if m := fd.Message(); m != nil {
			if err := g.add(m); err != nil {
				return err
			}
		}
	}
	return nil
}

func (t *msgType) fn() string  { return "gen_" + t.alias + "_" + t.goType.Name() }
func (t *msgType) ref() string { return t.alias + "." + t.goType.Name() }

// goField returns the name of the Go struct field of fd.
func (t *msgType) goField(fd protoreflect.FieldDescriptor) (string, error) {
	if o := fd.ContainingOneof(); o != nil && !o.IsSynthetic() {
		return "", fmt.Errorf("%s: oneof fields are not supported", fd.FullName())
	}
	for i := 0; i < t.goType.NumField(); i++ {
		sf := t.goType.Field(i)
		for _, part := range strings.Split(sf.Tag.Get("protobuf"), ",") {
			if part == "name="+string(fd.Name()) {
				return sf.Name, nil
			}
		}
	}
	return "", fmt.Errorf("%s: no Go field", fd.FullName())
}

func (g *generator) p(format string, args ...any) { fmt.Fprintf(&g.body, format+"\n", args...) }

func lit(x float64) string {
	switch {
	case math.IsInf(x, 1):
		return "math.Inf(1)"
	case math.IsInf(x, -1):
		return "math.Inf(-1)"
	}
	s := strconv.FormatFloat(x, 'g', -1, 64)
	if !strings.ContainsAny(s, ".e") {
		s += ".0"
	}
	return s
}

func (g *generator) rangeVar(r *genplan.Range) string {
	if r == nil {
		return "nil"
	}
	for i, x := range g.ranges {
		if x.Min == r.Min && x.Max == r.Max && x.Code == r.Code {
			return "genRange" + strconv.Itoa(i)
		}
	}
	g.ranges = append(g.ranges, *r)
	return "genRange" + strconv.Itoa(len(g.ranges)-1)
}

func (g *generator) deps(t *msgType) []int {
	seen := map[int]bool{}
	var walk func(t *msgType)
	walk = func(t *msgType) {
		if seen[t.idx] {
			return
		}
		seen[t.idx] = true
		fds := t.md.Fields()
		for i := 0; i < fds.Len(); i++ {
			fd := fds.Get(i)
			if fd.IsMap() {
				fd = fd.MapValue()
			}
			if m := fd.Message(); m != nil {
				walk(g.byName[m.FullName()])
			}
		}
	}
	walk(t)
	var out []int
	for i := range seen {
		out = append(out, i)
	}
	sort.Ints(out)
	return out
}

func (g *generator) emitType(t *msgType) error {
	fields := genplan.Plan(t.md)
	g.p("// %s validates %s (%s).", t.fn(), t.md.FullName(), "fingerprint "+genplan.Fingerprint(t.md, fields))
	g.p("func %s(r *Reporter, x *%s, depth int) {", t.fn(), t.ref())
	g.p("if depth > maxDepth { return }")
	g.p("if x == nil { r.message(x.ProtoReflect(), depth); return }")
	for i := range fields {
		f := &fields[i]
		if err := g.emitField(t, f); err != nil {
			return err
		}
	}
	g.p("for _, rule := range r.gen.rules[%d] { rule(x, r) }", t.idx)
	g.p("}\n")
	return nil
}

func (g *generator) emitField(t *msgType, f *genplan.Field) error {
	fd := f.FD
	gf, err := t.goField(fd)
	if err != nil {
		return err
	}
	acc := "x." + gf
	name := strconv.Quote(f.Name)
	switch {
	case fd.IsList():
		g.emptyOr(f, acc, name)
		g.p("if n > %d { r.Add(TooManyItems, %s, \"%%d items, over the limit of %%d\", n, %d) }", f.MaxItems, name, f.MaxItems)
		if fd.Message() != nil {
			g.p("for i, e := range %s {", acc)
			g.p("r.push(segment{field: %s, index: i})", name)
			g.emitSub(f, fd.Message(), "e")
			g.p("r.pop()")
			g.p("}")
		} else {
			var body bytes.Buffer
			saved := g.body
			g.body = body
			if err := g.emitScalar(f, fd, "e", `""`); err != nil {
				return err
			}
			body, g.body = g.body, saved
			emptyID := fd.Kind() == protoreflect.StringKind && validate.StringKind(f.Kind) == validate.KindID
			if body.Len() > 0 || emptyID {
				g.p("for i, e := range %s {", acc)
				if emptyID {
					g.p("if e == \"\" { r.Add(RequiredField, Index(%s, i), \"%%s must not hold an empty id\", %s); continue }", name, name)
				}
				if body.Len() > 0 {
					g.p("r.push(segment{field: %s, index: i})", name)
					g.body.Write(body.Bytes())
					g.p("r.pop()")
				} else {
					g.p("_ = e")
				}
				g.p("}")
			}
		}
		if f.UniqueBy != "" {
			switch {
			case f.UniqueBy == "." && fd.Kind() == protoreflect.StringKind:
				g.p("r.uniqueIDs(%s, \"\", n, func(i int) string { return %s[i] })", name, acc)
			case f.UniqueBy != "." && fd.Message() != nil:
				key := fd.Message().Fields().ByName(protoreflect.Name(f.UniqueBy))
				if key == nil {
					break // the walker ignores an unknown key
				}
				if key.Kind() != protoreflect.StringKind || key.IsList() || key.IsMap() || key.HasPresence() {
					return fmt.Errorf("%s: UniqueBy %q is not a plain string field", fd.FullName(), f.UniqueBy)
				}
				et := g.byName[fd.Message().FullName()]
				kf, err := et.goField(key)
				if err != nil {
					return err
				}
				g.p("r.uniqueIDs(%s, %q, n, func(i int) string { return %s[i].Get%s() })", name, string(key.Name()), acc, kf)
			default:
				return fmt.Errorf("%s: UniqueBy %q is not supported by the generator", fd.FullName(), f.UniqueBy)
			}
		}
		g.p("}")
	case fd.IsMap():
		kfd, vfd := fd.MapKey(), fd.MapValue()
		if kfd.Kind() != protoreflect.StringKind {
			return fmt.Errorf("%s: map keys of kind %v are not supported", fd.FullName(), kfd.Kind())
		}
		g.emptyOr(f, acc, name)
		g.p("if n > %d { r.Add(TooManyItems, %s, \"%%d entries, over the limit of %%d\", n, %d) }", f.MaxItems, name, f.MaxItems)
		g.p("for k, v := range %s {", acc)
		g.p("r.push(segment{field: %s, index: -1, key: quote(k)})", name)
		g.p("if k == \"\" { r.Add(RequiredField, \"\", \"%%s has an empty key\", %s) } else { checkString(r, \"\", %s, k) }", name, kindNames[validate.StringKind(f.KeyKind)])
		if vfd.Message() != nil {
			g.emitSub(f, vfd.Message(), "v")
		} else if err := g.emitScalar(f, vfd, "v", `""`); err != nil {
			return err
		}
		g.p("r.pop()")
		g.p("}")
		g.p("}")
	case fd.Message() != nil:
		g.absentOr(f, acc, name)
		g.p("r.push(segment{field: %s, index: -1})", name)
		g.emitSub(f, fd.Message(), acc)
		g.p("r.pop()")
		g.p("}")
	default:
		v := acc
		closeBraces := 0
		if fd.HasPresence() {
			g.absentOr(f, acc, name)
			v = "(*" + acc + ")"
			closeBraces++
		}
		if f.NonEmpty {
			if fd.Kind() != protoreflect.StringKind {
				return fmt.Errorf("%s: nonEmpty on a non-string", fd.FullName())
			}
			g.p("if %s == \"\" {", v)
			g.p("r.Add(RequiredField, %s, \"%%s must not be empty\", %s)", name, name)
			g.p("} else {")
			closeBraces++
		}
		if err := g.emitScalar(f, fd, v, name); err != nil {
			return err
		}
		for ; closeBraces > 0; closeBraces-- {
			g.p("}")
		}
	}
	return nil
}

// emptyOr opens the block that checks a non-empty list or map acc (with
// "n" its length), reporting an empty one when it is required.
func (g *generator) emptyOr(f *genplan.Field, acc, name string) {
	if !f.Required {
		g.p("if n := len(%s); n > 0 {", acc)
		return
	}
	g.p("if n := len(%s); n == 0 {", acc)
	g.p("r.Add(RequiredField, %s, \"%%s must not be empty\", %s)", name, name)
	g.p("} else {")
}

// absentOr opens the block that checks a present field acc (a pointer),
// reporting an absent one when it is required.
func (g *generator) absentOr(f *genplan.Field, acc, name string) {
	if !f.Required {
		g.p("if %s != nil {", acc)
		return
	}
	g.p("if %s == nil {", acc)
	g.p("r.Add(RequiredField, %s, \"%%s is required\", %s)", name, name)
	g.p("} else {")
}

// emitSub checks the embedded message e (its segment pushed), as sub does.
func (g *generator) emitSub(f *genplan.Field, md protoreflect.MessageDescriptor, e string) {
	if f.SizeLimit > 0 {
		g.p("if n := proto.Size(%s); n > %d { r.Add(MessageTooLarge, \"\", \"embedded %%s is %%d bytes, over the %%d-byte limit\", %q, n, %d) }",
			e, f.SizeLimit, string(md.FullName()), f.SizeLimit)
	}
	if f.Timestamp {
		g.p("r.timestampOf(%s, %v)", e, f.AllowFuture)
	}
	g.p("%s(r, %s, depth+1)", g.byName[md.FullName()].fn(), e)
}

// emitScalar checks the non-message value v at rel, as scalar does.
func (g *generator) emitScalar(f *genplan.Field, fd protoreflect.FieldDescriptor, v, rel string) error {
	switch fd.Kind() {
	case protoreflect.FloatKind, protoreflect.DoubleKind:
		k := "protoreflect.DoubleKind"
		if fd.Kind() == protoreflect.FloatKind {
			k = "protoreflect.FloatKind"
		}
		cond := "math.IsNaN(f) || math.IsInf(f, 0)"
		if f.Range != nil {
			cond += fmt.Sprintf(" || !(f >= %s && f <= %s)", lit(f.Range.Min), lit(f.Range.Max))
		}
		g.p("if f := float64(%s); %s { r.checkFloat(f, %s, %s, %s) }", v, cond, k, g.rangeVar(f.Range), rel)
	case protoreflect.EnumKind:
		ed := fd.Enum()
		g.enums[ed.FullName()] = ed
		g.p("if n := int32(%s); !%s(n) {", v, enumFn(ed))
		g.p("r.badEnum(n, %q, %s)", string(ed.FullName()), rel)
		if !f.AllowUnspecified && genplan.Unspecified(ed) {
			g.p("} else if n == 0 {")
			g.p("r.unspecifiedEnum(%q, %s)", string(ed.Name()), rel)
		}
		g.p("}")
	case protoreflect.StringKind:
		g.p("checkString(r, %s, %s, %s)", rel, kindNames[validate.StringKind(f.Kind)], v)
	case protoreflect.Int32Kind, protoreflect.Sint32Kind, protoreflect.Sfixed32Kind,
		protoreflect.Int64Kind, protoreflect.Sint64Kind, protoreflect.Sfixed64Kind:
		if f.Range != nil {
			g.p("if !(float64(%s) >= %s && float64(%s) <= %s) { r.outOfRange(%s, strconv.FormatInt(int64(%s), 10), %s) }",
				v, lit(f.Range.Min), v, lit(f.Range.Max), g.rangeVar(f.Range), v, rel)
		}
	case protoreflect.Uint32Kind, protoreflect.Fixed32Kind, protoreflect.Uint64Kind, protoreflect.Fixed64Kind:
		if f.Range != nil {
			g.p("if !(float64(%s) >= %s && float64(%s) <= %s) { r.outOfRange(%s, strconv.FormatUint(uint64(%s), 10), %s) }",
				v, lit(f.Range.Min), v, lit(f.Range.Max), g.rangeVar(f.Range), v, rel)
		}
	case protoreflect.BoolKind, protoreflect.BytesKind:
	default:
		return fmt.Errorf("%s: kind %v is not supported", fd.FullName(), fd.Kind())
	}
	return nil
}

func enumFn(ed protoreflect.EnumDescriptor) string {
	return "genEnum_" + strings.ReplaceAll(string(ed.FullName()), ".", "_")
}

func (g *generator) emitEnums() {
	var names []string
	for n := range g.enums {
		names = append(names, string(n))
	}
	sort.Strings(names)
	for _, n := range names {
		ed := g.enums[protoreflect.FullName(n)]
		var nums []int
		seen := map[int]bool{}
		for i := 0; i < ed.Values().Len(); i++ {
			x := int(ed.Values().Get(i).Number())
			if !seen[x] {
				seen[x] = true
				nums = append(nums, x)
			}
		}
		sort.Ints(nums)
		var cases []string
		for _, x := range nums {
			cases = append(cases, strconv.Itoa(x))
		}
		g.p("// %s reports whether n is a value of %s.", enumFn(ed), n)
		g.p("func %s(n int32) bool {", enumFn(ed))
		g.p("switch n { case %s: return true }", strings.Join(cases, ", "))
		g.p("return false")
		g.p("}\n")
	}
}

func (g *generator) emitDispatch() {
	g.p("// genCheck runs the generated validator of msg's type, if there is one")
	g.p("// and its plans are current, and reports whether it did.")
	g.p("func genCheck(r *Reporter, s *genState, msg proto.Message) bool {")
	g.p("switch x := msg.(type) {")
	for _, t := range g.types {
		g.p("case *%s:", t.ref())
		g.p("if x == nil || !s.ok[%d] { return false }", t.idx)
		g.p("r.gen = s")
		if t.md.FullName() == "cap.common.v1.Timestamp" {
			g.p("r.timestampOf(x, false)")
		}
		g.p("%s(r, x, 0)", t.fn())
	}
	g.p("default:\nreturn false")
	g.p("}")
	g.p("return true")
	g.p("}\n")
}

func (g *generator) file() ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("// Code generated by core/validate/gen from the validator's plans; DO NOT EDIT.\n")
	b.WriteString("// Regenerate with: go generate ./core/validate/\n\n")
	b.WriteString("package validate\n\nimport (\n\"math\"\n\"strconv\"\n\n\"google.golang.org/protobuf/proto\"\n\"google.golang.org/protobuf/reflect/protoreflect\"\n\n")
	var paths []string
	for p := range g.imports {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		fmt.Fprintf(&b, "%s %q\n", g.imports[p], p)
	}
	b.WriteString(")\n\n")
	b.WriteString("// genTypes lists the generated validators, in the order of their indices.\nvar genTypes = []genType{\n")
	for _, t := range g.types {
		fmt.Fprintf(&b, "{desc: (*%s)(nil).ProtoReflect().Descriptor(), fingerprint: %q, deps: %#v},\n",
			t.ref(), genplan.Fingerprint(t.md, genplan.Plan(t.md)), g.deps(t))
	}
	b.WriteString("}\n\n")
	for i, r := range g.ranges {
		fmt.Fprintf(&b, "var genRange%d = &Range{Min: %s, Max: %s, Code: %q}\n", i, lit(r.Min), lit(r.Max), r.Code)
	}
	b.WriteString("\n")
	b.Write(g.body.Bytes())
	b.WriteString("var _ = math.Inf\nvar _ = strconv.Itoa\nvar _ protoreflect.Kind\n")
	src, err := format.Source(b.Bytes())
	if err != nil {
		return b.Bytes(), err
	}
	return src, nil
}
