// Package wire holds the types shared by the generated AWS wire packages
// (ecswire, stswire, ...): timestamps in the encodings each protocol uses,
// and the constraint violations that the generated Validate methods report.
//
// The generated packages are produced by tools/awsgen from botocore's
// service models. They describe requests and responses exactly as AWS
// spells them and carry no behaviour beyond model-derived validation.
// Domain types live elsewhere; each service converts in one place.
package wire

import (
	"encoding/xml"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Time is a timestamp on the wire. In JSON protocols it is epoch seconds
// with a fraction; in Query and EC2 protocols it is ISO 8601.
type Time struct{ time.Time }

// NewTime returns a pointer to a wire timestamp, or nil for the zero time.
func NewTime(t time.Time) *Time {
	if t.IsZero() {
		return nil
	}
	return &Time{t}
}

// MarshalJSON writes epoch seconds with millisecond precision.
func (t Time) MarshalJSON() ([]byte, error) {
	ms := t.UnixMilli()
	return strconv.AppendFloat(nil, float64(ms)/1000, 'f', -1, 64), nil
}

// UnmarshalJSON accepts epoch seconds (integer or fraction) and, as AWS
// does, an ISO 8601 string.
func (t *Time) UnmarshalJSON(b []byte) error {
	s := string(b)
	if strings.HasPrefix(s, `"`) {
		v, err := strconv.Unquote(s)
		if err != nil {
			return err
		}
		p, err := ParseTime(v)
		if err != nil {
			return err
		}
		t.Time = p
		return nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return fmt.Errorf("invalid timestamp %s", s)
	}
	sec, frac := math.Modf(f)
	t.Time = time.Unix(int64(sec), int64(frac*1e9)).UTC()
	return nil
}

// MarshalXML writes ISO 8601 with milliseconds, as the Query protocol does.
func (t Time) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	return e.EncodeElement(t.UTC().Format("2006-01-02T15:04:05.000Z"), start)
}

// ParseTime reads the timestamp forms AWS accepts in query strings and
// JSON strings: ISO 8601 / RFC 3339, or epoch seconds.
func ParseTime(s string) (time.Time, error) {
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		sec, frac := math.Modf(f)
		return time.Unix(int64(sec), int64(frac*1e9)).UTC(), nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04:05", "2006-01-02"} {
		if p, err := time.Parse(layout, s); err == nil {
			return p.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("invalid timestamp %q", s)
}

// Violation is one broken model constraint found by a generated Validate
// method. Field is the dotted path of the member, as AWS names it.
type Violation struct {
	Field string
	Rule  string // "required", "min", "max", "minlen", "maxlen", "enum", "pattern"
	Limit string // the bound, the allowed values, or the pattern
	// Value is the offending value as AWS quotes it ("***" for members
	// the model marks sensitive); empty for lists and maps.
	Value string
}

// Message renders the violation the way AWS validation messages read:
// "Value 'x' at 'name' failed to satisfy constraint: ...".
func (v Violation) Message() string {
	at := fmt.Sprintf("Value at '%s'", v.Field)
	if v.Value != "" {
		at = fmt.Sprintf("Value '%s' at '%s'", v.Value, v.Field)
	}
	switch v.Rule {
	case "required":
		return fmt.Sprintf("Value null at '%s' failed to satisfy constraint: Member must not be null", v.Field)
	case "enum":
		return fmt.Sprintf("%s failed to satisfy constraint: Member must satisfy enum value set: [%s]", at, v.Limit)
	case "minlen":
		return fmt.Sprintf("%s failed to satisfy constraint: Member must have length greater than or equal to %s", at, v.Limit)
	case "maxlen":
		return fmt.Sprintf("%s failed to satisfy constraint: Member must have length less than or equal to %s", at, v.Limit)
	case "min":
		return fmt.Sprintf("%s failed to satisfy constraint: Member must have value greater than or equal to %s", at, v.Limit)
	case "max":
		return fmt.Sprintf("%s failed to satisfy constraint: Member must have value less than or equal to %s", at, v.Limit)
	case "pattern":
		return fmt.Sprintf("%s failed to satisfy constraint: Member must satisfy regular expression pattern: %s", at, v.Limit)
	}
	return fmt.Sprintf("%s failed to satisfy constraint %s %s", at, v.Rule, v.Limit)
}

// Validator is implemented by every generated structure.
type Validator interface {
	Validate(path string, out *[]Violation)
}

// Validate runs the generated checks on a request and returns the
// violations found, in member order.
func Validate(v Validator) []Violation {
	var out []Violation
	v.Validate("", &out)
	return out
}

// Join builds a member path: Join("", "a") = "a", Join("a", "b") = "a.b".
func Join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// Index builds a list element path: "a.1" style, one-based, as AWS writes it.
func Index(path string, i int) string { return path + "." + strconv.Itoa(i+1) }

// String, Int64, Bool and Float64 return pointers, for building outputs.
func String(s string) *string    { return &s }
func Int64(i int64) *int64       { return &i }
func Bool(b bool) *bool          { return &b }
func Float64(f float64) *float64 { return &f }

// ToString dereferences a possibly nil string pointer.
func ToString(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// ToInt64 dereferences a possibly nil integer pointer.
func ToInt64(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

// ToBool dereferences a possibly nil bool pointer.
func ToBool(p *bool) bool { return p != nil && *p }
