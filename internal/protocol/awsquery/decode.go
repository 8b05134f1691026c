package awsquery

import (
	"fmt"
	"net/url"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/quayside/quayside/internal/awserr"
	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/wire"
)

// Decode fills v, a pointer to a generated input structure, from Query
// parameters such as "Subnets.member.1=subnet-1" or, for EC2,
// "SubnetId.1=subnet-1". Parameters that name no member are ignored, as
// AWS ignores them.
func Decode(form url.Values, v any) error {
	d := decoder{form: form, prefixes: map[string]bool{}}
	for k := range form {
		for i := 0; i < len(k); i++ {
			if k[i] == '.' {
				d.prefixes[k[:i]] = true
			}
		}
		d.prefixes[k] = true
	}
	return d.structure("", reflect.ValueOf(v).Elem())
}

type decoder struct {
	form     url.Values
	prefixes map[string]bool // every key and every dotted prefix of a key
}

type tag struct {
	name     string
	list     string // element name for non-flattened lists ("member", "item", ...)
	flat     bool
	mapKey   string
	mapValue string
}

func parseTag(s string) tag {
	parts := strings.Split(s, ",")
	t := tag{name: parts[0]}
	for _, p := range parts[1:] {
		switch {
		case p == "flat":
			t.flat = true
		case strings.HasPrefix(p, "list="):
			t.list = p[len("list="):]
		case strings.HasPrefix(p, "map="):
			k, v, _ := strings.Cut(p[len("map="):], "/")
			t.mapKey, t.mapValue = k, v
		}
	}
	return t
}

var timeType = reflect.TypeOf(wire.Time{})

func (d *decoder) structure(prefix string, v reflect.Value) error {
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		raw, ok := t.Field(i).Tag.Lookup("query")
		if !ok {
			continue
		}
		tg := parseTag(raw)
		if err := d.value(prefix+tg.name, tg, v.Field(i)); err != nil {
			return err
		}
	}
	return nil
}

func (d *decoder) value(key string, tg tag, f reflect.Value) error {
	if !d.prefixes[key] {
		return nil
	}
	switch f.Kind() {
	case reflect.Pointer:
		if f.Type().Elem().Kind() == reflect.Struct && f.Type().Elem() != timeType {
			n := reflect.New(f.Type().Elem())
			if err := d.structure(key+".", n.Elem()); err != nil {
				return err
			}
			f.Set(n)
			return nil
		}
		s, ok := d.scalar(key)
		if !ok {
			return nil
		}
		n := reflect.New(f.Type().Elem())
		if err := setScalar(key, s, n.Elem()); err != nil {
			return err
		}
		f.Set(n)
	case reflect.Slice:
		if f.Type().Elem().Kind() == reflect.Uint8 { // blob: base64
			s, _ := d.scalar(key)
			f.SetBytes([]byte(s))
			return nil
		}
		return d.list(key, tg, f)
	case reflect.Map:
		return d.mapping(key, tg, f)
	}
	return nil
}

func (d *decoder) scalar(key string) (string, bool) {
	vs, ok := d.form[key]
	if !ok || len(vs) == 0 {
		return "", false
	}
	return vs[0], true
}

func (d *decoder) list(key string, tg tag, f reflect.Value) error {
	base := key
	if !tg.flat {
		base = key + "." + tg.list
	}
	// An empty list is sent as "Name=" with no elements.
	out := reflect.MakeSlice(f.Type(), 0, 0)
	for _, idx := range d.indices(base) {
		ek := base + "." + strconv.Itoa(idx)
		ev := reflect.New(f.Type().Elem()).Elem()
		if ev.Kind() == reflect.Struct {
			if err := d.structure(ek+".", ev); err != nil {
				return err
			}
		} else {
			s, _ := d.scalar(ek)
			if err := setScalar(ek, s, ev); err != nil {
				return err
			}
		}
		out = reflect.Append(out, ev)
	}
	f.Set(out)
	return nil
}

// indices returns the element numbers present under base, in order.
func (d *decoder) indices(base string) []int {
	var idx []int
	p := base + "."
	seen := map[int]bool{}
	for k := range d.prefixes {
		rest, ok := strings.CutPrefix(k, p)
		if !ok || strings.Contains(rest, ".") {
			continue
		}
		if n, err := strconv.Atoi(rest); err == nil && n > 0 && !seen[n] {
			seen[n] = true
			idx = append(idx, n)
		}
	}
	sort.Ints(idx)
	return idx
}

func (d *decoder) mapping(key string, tg tag, f reflect.Value) error {
	base := key
	if !tg.flat {
		base = key + ".entry"
	}
	m := reflect.MakeMap(f.Type())
	for _, idx := range d.indices(base) {
		ek := base + "." + strconv.Itoa(idx) + "."
		k, _ := d.scalar(ek + tg.mapKey)
		vs, _ := d.scalar(ek + tg.mapValue)
		ev := reflect.New(f.Type().Elem()).Elem()
		if err := setScalar(ek+tg.mapValue, vs, ev); err != nil {
			return err
		}
		m.SetMapIndex(reflect.ValueOf(k), ev)
	}
	f.Set(m)
	return nil
}

func setScalar(key, s string, v reflect.Value) error {
	bad := func(what string) error {
		return fault.Newf(awserr.ErrValidation, "Value '%s' at '%s' failed to satisfy constraint: Member must be %s", s, key, what)
	}
	switch {
	case v.Type() == timeType:
		t, err := wire.ParseTime(s)
		if err != nil {
			return bad("a timestamp")
		}
		v.Set(reflect.ValueOf(wire.Time{Time: t}))
	case v.Kind() == reflect.String:
		v.SetString(s)
	case v.Kind() == reflect.Int64:
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return bad("an integer")
		}
		v.SetInt(n)
	case v.Kind() == reflect.Float64:
		n, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return bad("a number")
		}
		v.SetFloat(n)
	case v.Kind() == reflect.Bool:
		switch strings.ToLower(s) {
		case "true":
			v.SetBool(true)
		case "false":
			v.SetBool(false)
		default:
			return bad("true or false")
		}
	default:
		return fmt.Errorf("awsquery: cannot decode %s into %s", key, v.Type())
	}
	return nil
}
