// Command awsgen generates a Go wire package from a botocore service model
// (service-2.json.gz). It writes one structure type per model structure,
// with JSON, XML and Query tags; enum constants; a Validate method that
// checks the model's required members, lengths, ranges, enums and patterns;
// and the service's protocol metadata.
//
// Usage:
//
//	go run ./tools/awsgen -model PATH/service-2.json.gz -pkg ecswire -out internal/wire/ecswire/ecswire.go [-ops Op1,Op2]
//
// With -ops, only the shapes reachable from those operations are emitted.
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"go/format"
	"log"
	"os"
	"regexp"
	"sort"
	"strings"
	"unicode"
)

type model struct {
	Metadata struct {
		Protocol     string `json:"protocol"`
		JSONVersion  string `json:"jsonVersion"`
		TargetPrefix string `json:"targetPrefix"`
		APIVersion   string `json:"apiVersion"`
		XMLNamespace string `json:"xmlNamespace"`
		EndpointPfx  string `json:"endpointPrefix"`
		SigningName  string `json:"signingName"`
		ServiceID    string `json:"serviceId"`
	} `json:"metadata"`
	Operations map[string]struct {
		Input  *ref `json:"input"`
		Output *ref `json:"output"`
	} `json:"operations"`
	Shapes map[string]*shape `json:"shapes"`
}

type ref struct {
	Shape        string `json:"shape"`
	LocationName string `json:"locationName"`
	QueryName    string `json:"queryName"`
	Flattened    bool   `json:"flattened"`
	Location     string `json:"location"`
}

type shape struct {
	Type      string          `json:"type"`
	Members   map[string]*ref `json:"members"`
	Required  []string        `json:"required"`
	Member    *ref            `json:"member"`
	Key       *ref            `json:"key"`
	Value     *ref            `json:"value"`
	Enum      []string        `json:"enum"`
	Min       *float64        `json:"min"`
	Max       *float64        `json:"max"`
	Pattern   string          `json:"pattern"`
	Flattened bool            `json:"flattened"`
	Exception bool            `json:"exception"`
	Document  bool            `json:"document"`
	Sensitive bool            `json:"sensitive"`
	Order     []string        `json:"-"`
}

func main() {
	modelPath := flag.String("model", "", "path to service-2.json.gz")
	pkg := flag.String("pkg", "", "Go package name")
	out := flag.String("out", "", "output file")
	ops := flag.String("ops", "", "comma-separated operations to keep (default all)")
	patch := flag.String("patch", "", "JSON file of shapes and members to add to the model (members newer than the model)")
	flag.Parse()
	if *modelPath == "" || *pkg == "" || *out == "" {
		flag.Usage()
		os.Exit(2)
	}
	m, err := load(*modelPath)
	if err != nil {
		log.Fatal(err)
	}
	if *patch != "" {
		if err := applyPatch(m, *patch); err != nil {
			log.Fatalf("patch %s: %v", *patch, err)
		}
	}
	g := &gen{m: m, pkg: *pkg, keep: map[string]bool{}}
	g.selectOps(*ops)
	src := g.generate()
	formatted, err := format.Source(src)
	if err != nil {
		os.WriteFile(*out, src, 0o644)
		log.Fatalf("format: %v", err)
	}
	if err := os.WriteFile(*out, formatted, 0o644); err != nil {
		log.Fatal(err)
	}
}

func load(path string) (*model, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	var raw bytes.Buffer
	if _, err := raw.ReadFrom(zr); err != nil {
		return nil, err
	}
	var m model
	if err := json.Unmarshal(raw.Bytes(), &m); err != nil {
		return nil, err
	}
	// Member order matters for stable output; recover it from the raw JSON.
	var order struct {
		Shapes map[string]struct {
			Members orderedKeys `json:"members"`
		} `json:"shapes"`
	}
	if err := json.Unmarshal(raw.Bytes(), &order); err != nil {
		return nil, err
	}
	for name, s := range order.Shapes {
		m.Shapes[name].Order = s.Members
	}
	return &m, nil
}

// applyPatch adds the shapes and members of a patch file to the model.
// Members of an existing shape are appended after its own, in the
// patch's order.
func applyPatch(m *model, path string) error {
	raw, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var p struct {
		Shapes map[string]*shape `json:"shapes"`
	}
	var order struct {
		Shapes map[string]struct {
			Members orderedKeys `json:"members"`
		} `json:"shapes"`
	}
	if err := json.Unmarshal(raw, &p); err != nil {
		return err
	}
	if err := json.Unmarshal(raw, &order); err != nil {
		return err
	}
	for name, ps := range p.Shapes {
		ps.Order = order.Shapes[name].Members
		have, ok := m.Shapes[name]
		if !ok {
			m.Shapes[name] = ps
			continue
		}
		if have.Members == nil {
			have.Members = map[string]*ref{}
		}
		for _, mn := range ps.Order {
			if _, dup := have.Members[mn]; !dup {
				have.Order = append(have.Order, mn)
			}
			have.Members[mn] = ps.Members[mn]
		}
	}
	return nil
}

// orderedKeys decodes a JSON object's keys in document order.
type orderedKeys []string

func (o *orderedKeys) UnmarshalJSON(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	if _, err := dec.Token(); err != nil {
		return err
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return err
		}
		*o = append(*o, t.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return err
		}
	}
	return nil
}

type gen struct {
	m     *model
	pkg   string
	keep  map[string]bool
	ops   []string
	buf   bytes.Buffer
	pats  []string
	patIx map[string]int
}

func (g *gen) selectOps(list string) {
	want := map[string]bool{}
	for _, o := range strings.Split(list, ",") {
		if o = strings.TrimSpace(o); o != "" {
			want[o] = true
		}
	}
	for name, op := range g.m.Operations {
		if len(want) > 0 && !want[name] {
			continue
		}
		g.ops = append(g.ops, name)
		if op.Input != nil {
			g.walk(op.Input.Shape)
		}
		if op.Output != nil {
			g.walk(op.Output.Shape)
		}
	}
	sort.Strings(g.ops)
	if len(want) == 0 {
		for name, s := range g.m.Shapes {
			if s.Type == "structure" && !s.Exception {
				g.walk(name)
			}
		}
	}
}

func (g *gen) walk(name string) {
	if g.keep[name] {
		return
	}
	g.keep[name] = true
	s := g.m.Shapes[name]
	for _, r := range s.Members {
		g.walk(r.Shape)
	}
	for _, r := range []*ref{s.Member, s.Key, s.Value} {
		if r != nil {
			g.walk(r.Shape)
		}
	}
}

func (g *gen) p(format string, args ...any) { fmt.Fprintf(&g.buf, format, args...) }

func (g *gen) generate() []byte {
	md := g.m.Metadata
	g.p("// Code generated by tools/awsgen from botocore's %s %s model. DO NOT EDIT.\n\n", md.EndpointPfx, md.APIVersion)
	g.p("// Package %s holds the wire shapes of AWS %s, generated from botocore's model.\n", g.pkg, md.ServiceID)
	g.p("package %s\n\nimport (\n\"regexp\"\n\"strconv\"\n\"sync\"\n\"unicode/utf8\"\n\n\"github.com/quayside/quayside/internal/wire\"\n)\n\n", g.pkg)
	g.p("var _ = utf8.RuneCountInString\nvar _ = regexp.MustCompile\nvar _ = strconv.FormatFloat\nvar _ sync.Once\n\n")
	g.p("// Protocol metadata from the model.\nconst (\n")
	g.p("Protocol = %q\nAPIVersion = %q\nTargetPrefix = %q\nJSONVersion = %q\nXMLNamespace = %q\nEndpointPrefix = %q\n)\n\n",
		md.Protocol, md.APIVersion, md.TargetPrefix, md.JSONVersion, md.XMLNamespace, md.EndpointPfx)
	g.p("// Operations lists the model's operations with their input and output shapes.\nvar Operations = map[string][2]string{\n")
	for _, name := range g.ops {
		op := g.m.Operations[name]
		in, out := "", ""
		if op.Input != nil {
			in = op.Input.Shape
		}
		if op.Output != nil {
			out = op.Output.Shape
		}
		g.p("%q: {%q, %q},\n", name, in, out)
	}
	g.p("}\n\n")

	names := make([]string, 0, len(g.keep))
	for n := range g.keep {
		names = append(names, n)
	}
	sort.Strings(names)
	g.enums(names)
	for _, n := range names {
		if s := g.m.Shapes[n]; s.Type == "structure" {
			g.structure(n, s)
		}
	}
	g.patterns()
	return g.buf.Bytes()
}

func (g *gen) enums(names []string) {
	used := map[string]bool{}
	for _, n := range names {
		if g.m.Shapes[n].Type == "structure" {
			used[goName(n)] = true
		}
	}
	for _, n := range names {
		s := g.m.Shapes[n]
		if s.Type != "string" || len(s.Enum) == 0 {
			continue
		}
		g.p("// %s values.\nconst (\n", goName(n))
		for _, v := range s.Enum {
			c := goName(n) + enumSuffix(v)
			if used[c] {
				continue
			}
			used[c] = true
			g.p("%s = %q\n", c, v)
		}
		g.p(")\n\n// %sValues lists every %s value.\nvar %sValues = []string{", goName(n), n, goName(n))
		for _, v := range s.Enum {
			g.p("%q,", v)
		}
		g.p("}\n\n")
	}
}

func enumSuffix(v string) string {
	var b strings.Builder
	up := true
	for _, r := range v {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			up = true
			continue
		}
		if up {
			b.WriteRune(unicode.ToUpper(r))
			up = false
		} else {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

var nonIdent = regexp.MustCompile(`[^A-Za-z0-9_]`)

func goName(s string) string {
	s = nonIdent.ReplaceAllString(s, "_")
	if s == "" {
		return "X"
	}
	r := []rune(s)
	r[0] = unicode.ToUpper(r[0])
	if unicode.IsDigit(r[0]) {
		return "X" + string(r)
	}
	return string(r)
}

// goType is the Go type of a member of the given shape.
func (g *gen) goType(name string, inList bool) string {
	s := g.m.Shapes[name]
	ptr := "*"
	if inList {
		ptr = ""
	}
	switch s.Type {
	case "string":
		return ptr + "string"
	case "integer", "long":
		return ptr + "int64"
	case "float", "double":
		return ptr + "float64"
	case "boolean":
		return ptr + "bool"
	case "timestamp":
		return ptr + "wire.Time"
	case "blob":
		return "[]byte"
	case "list":
		return "[]" + g.goType(s.Member.Shape, true)
	case "map":
		return "map[string]" + g.goType(s.Value.Shape, true)
	case "structure":
		if s.Document {
			return "any"
		}
		return ptr + goName(name)
	}
	return "any"
}

func (g *gen) structure(name string, s *shape) {
	proto := g.m.Metadata.Protocol
	g.p("// %s is the %s shape.\ntype %s struct {\n", goName(name), name, goName(name))
	for _, mn := range s.Order {
		r := s.Members[mn]
		if r.Location != "" && r.Location != "querystring" {
			continue // headers and URI labels are not used by our protocols
		}
		wireName := mn
		if r.LocationName != "" {
			wireName = r.LocationName
		}
		tags := fmt.Sprintf(`json:"%s,omitzero"`, wireName)
		ms := g.m.Shapes[r.Shape]
		xmlName := wireName
		queryName := wireName
		listOpt := ""
		switch ms.Type {
		case "list":
			item := "member"
			if ms.Member.LocationName != "" {
				item = ms.Member.LocationName
			}
			if proto == "ec2" {
				item = "item"
				if ms.Member.LocationName != "" {
					item = ms.Member.LocationName
				}
			}
			if ms.Flattened || r.Flattened {
				listOpt = ",flat"
				if ms.Member.LocationName != "" {
					xmlName = ms.Member.LocationName
				}
			} else {
				xmlName = wireName + ">" + item
				listOpt = ",list=" + item
			}
			if proto == "ec2" {
				listOpt = ",flat"
			}
		case "map":
			k, v := "key", "value"
			if ms.Key.LocationName != "" {
				k = ms.Key.LocationName
			}
			if ms.Value.LocationName != "" {
				v = ms.Value.LocationName
			}
			listOpt = fmt.Sprintf(",map=%s/%s", k, v)
			if ms.Flattened {
				listOpt += ",flat"
			}
		}
		if proto == "ec2" {
			switch {
			case r.QueryName != "":
				queryName = r.QueryName
			case r.LocationName != "":
				queryName = goName(r.LocationName)
			default:
				queryName = mn
			}
		}
		if proto == "json" {
			_ = xmlName
		} else {
			tags = fmt.Sprintf(`xml:"%s,omitempty" query:"%s%s"`, xmlName, queryName, listOpt)
		}
		g.p("%s %s `%s`\n", goName(mn), g.goType(r.Shape, false), tags)
	}
	g.p("}\n\n")
	g.validate(name, s)
}

func (g *gen) validate(name string, s *shape) {
	g.p("// Validate checks the model's constraints on %s.\n", name)
	g.p("func (s *%s) Validate(path string, out *[]wire.Violation) {\n", goName(name))
	g.p("if s == nil { return }\n")
	req := map[string]bool{}
	for _, r := range s.Required {
		req[r] = true
	}
	for _, mn := range s.Order {
		r := s.Members[mn]
		if r.Location != "" && r.Location != "querystring" {
			continue
		}
		wireName := mn
		if r.LocationName != "" {
			wireName = r.LocationName
		}
		f := "s." + goName(mn)
		ms := g.m.Shapes[r.Shape]
		if req[mn] {
			g.p("if %s == nil { *out = append(*out, wire.Violation{Field: wire.Join(path, %q), Rule: \"required\"}) }\n", f, wireName)
		}
		g.checks(f, ms, r.Shape, fmt.Sprintf("wire.Join(path, %q)", wireName), false)
	}
	g.p("}\n\n")
}

// checks emits the constraint checks for one value expression.
func (g *gen) checks(expr string, s *shape, shapeName, path string, inList bool) {
	val := "*" + expr
	if inList {
		val = expr
	}
	lim := func(f *float64) string { return fmt.Sprintf("%d", int64(*f)) }
	switch s.Type {
	case "string":
		var conds []string
		value := "v"
		if s.Sensitive {
			value = `"***"`
		}
		if s.Min != nil && *s.Min > 0 {
			conds = append(conds, fmt.Sprintf("if utf8.RuneCountInString(v) < %s { *out = append(*out, wire.Violation{Field: %s, Rule: \"minlen\", Limit: %q, Value: %s}) }", lim(s.Min), path, lim(s.Min), value))
		}
		if s.Max != nil {
			conds = append(conds, fmt.Sprintf("if utf8.RuneCountInString(v) > %s { *out = append(*out, wire.Violation{Field: %s, Rule: \"maxlen\", Limit: %q, Value: %s}) }", lim(s.Max), path, lim(s.Max), value))
		}
		if len(s.Enum) > 0 {
			conds = append(conds, fmt.Sprintf("switch v { case %s: default: *out = append(*out, wire.Violation{Field: %s, Rule: \"enum\", Limit: %q, Value: %s}) }", quoteList(s.Enum), path, strings.Join(s.Enum, ", "), value))
		}
		if s.Pattern != "" {
			if i, ok := g.pattern(s.Pattern); ok {
				conds = append(conds, fmt.Sprintf("if !pattern%d().MatchString(v) { *out = append(*out, wire.Violation{Field: %s, Rule: \"pattern\", Limit: %q, Value: %s}) }", i, path, s.Pattern, value))
			}
		}
		if len(conds) == 0 {
			return
		}
		if inList {
			g.p("{ v := %s\n%s }\n", val, strings.Join(conds, "\n"))
		} else {
			g.p("if %s != nil { v := %s\n%s }\n", expr, val, strings.Join(conds, "\n"))
		}
	case "integer", "long", "float", "double":
		var conds []string
		if s.Min != nil {
			conds = append(conds, fmt.Sprintf("if v < %v { *out = append(*out, wire.Violation{Field: %s, Rule: \"min\", Limit: %q, Value: strconv.FormatFloat(float64(v), 'f', -1, 64)}) }", *s.Min, path, fmt.Sprint(*s.Min)))
		}
		if s.Max != nil {
			conds = append(conds, fmt.Sprintf("if v > %v { *out = append(*out, wire.Violation{Field: %s, Rule: \"max\", Limit: %q, Value: strconv.FormatFloat(float64(v), 'f', -1, 64)}) }", *s.Max, path, fmt.Sprint(*s.Max)))
		}
		if len(conds) == 0 {
			return
		}
		if inList {
			g.p("{ v := %s\n%s }\n", val, strings.Join(conds, "\n"))
		} else {
			g.p("if %s != nil { v := %s\n%s }\n", expr, val, strings.Join(conds, "\n"))
		}
	case "list":
		if s.Min != nil && *s.Min > 0 {
			g.p("if %s != nil && len(%s) < %s { *out = append(*out, wire.Violation{Field: %s, Rule: \"minlen\", Limit: %q}) }\n", expr, expr, lim(s.Min), path, lim(s.Min))
		}
		if s.Max != nil {
			g.p("if len(%s) > %s { *out = append(*out, wire.Violation{Field: %s, Rule: \"maxlen\", Limit: %q}) }\n", expr, lim(s.Max), path, lim(s.Max))
		}
		es := g.m.Shapes[s.Member.Shape]
		if g.needsCheck(s.Member.Shape, map[string]bool{}) {
			g.p("for i := range %s {\n", expr)
			if es.Type == "structure" {
				g.p("%s[i].Validate(wire.Index(%s, i), out)\n", expr, path)
			} else {
				g.checks(expr+"[i]", es, s.Member.Shape, fmt.Sprintf("wire.Index(%s, i)", path), true)
			}
			g.p("}\n")
		}
	case "map":
		if s.Max != nil {
			g.p("if len(%s) > %s { *out = append(*out, wire.Violation{Field: %s, Rule: \"maxlen\", Limit: %q}) }\n", expr, lim(s.Max), path, lim(s.Max))
		}
	case "structure":
		if s.Document {
			return
		}
		if g.needsCheck(shapeName, map[string]bool{}) {
			g.p("%s.Validate(%s, out)\n", expr, path)
		}
	}
}

// needsCheck reports whether a shape or anything inside it has a constraint.
func (g *gen) needsCheck(name string, seen map[string]bool) bool {
	if seen[name] {
		return false
	}
	seen[name] = true
	s := g.m.Shapes[name]
	switch s.Type {
	case "string":
		return s.Min != nil && *s.Min > 0 || s.Max != nil || len(s.Enum) > 0 || s.Pattern != ""
	case "integer", "long", "float", "double":
		return s.Min != nil || s.Max != nil
	case "list":
		return s.Min != nil || s.Max != nil || g.needsCheck(s.Member.Shape, seen)
	case "map":
		return s.Max != nil
	case "structure":
		if len(s.Required) > 0 {
			return true
		}
		for _, r := range s.Members {
			if g.needsCheck(r.Shape, seen) {
				return true
			}
		}
	}
	return false
}

func (g *gen) pattern(p string) (int, bool) {
	if g.patIx == nil {
		g.patIx = map[string]int{}
	}
	if i, ok := g.patIx[p]; ok {
		return i, true
	}
	if _, err := regexp.Compile("^(?:" + p + ")$"); err != nil {
		return 0, false // a Java-only construct; the model's other checks still apply
	}
	g.pats = append(g.pats, p)
	g.patIx[p] = len(g.pats) - 1
	return len(g.pats) - 1, true
}

func (g *gen) patterns() {
	for i, p := range g.pats {
		g.p("var pattern%d = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(%q) })\n", i, "^(?:"+p+")$")
	}
}

func quoteList(vs []string) string {
	q := make([]string, len(vs))
	for i, v := range vs {
		q[i] = fmt.Sprintf("%q", v)
	}
	return strings.Join(q, ", ")
}
