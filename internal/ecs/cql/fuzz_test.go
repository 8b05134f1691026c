package cql

import (
	"errors"
	"testing"
)

// FuzzParse feeds arbitrary text to Parse: it must not panic, must
// answer an expression or an *Error (never both, never neither), must
// answer the same twice, and an expression it accepts must evaluate on
// any instance without panicking. Seeds are below and in
// testdata/fuzz/FuzzParse.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"attribute:ecs.instance-type == t2.micro",
		"attribute:ecs.availability-zone in [us-east-1a, us-east-1b]",
		"attribute:ecs.instance-type =~ g2.* and attribute:ecs.availability-zone != us-east-1d",
		"not(task:group == service:web) || ec2InstanceId in ['i-abcd1234', \"i-wxyx7890\"]",
		"registeredAt < 2018-06-18T22:28:28+00:00 && runningTasksCount >= 2",
		"agentVersion < 1.14.5 or agentConnected == false",
		"!(attribute:stack exists) and attribute:x !exists",
		"attribute:flavor==cpu",
		"((attribute:a =~ (x|y)))",
		"attribute:a in [",
		"attribute:a == 'unterminated",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		e, err := Parse(src)
		if (e == nil) == (err == nil) {
			t.Fatalf("Parse(%q) = %v, %v: want exactly one of an expression and an error", src, e, err)
		}
		e2, err2 := Parse(src)
		if (err == nil) != (err2 == nil) || err != nil && err.Error() != err2.Error() {
			t.Fatalf("Parse(%q) is not deterministic: %v then %v", src, err, err2)
		}
		if err != nil {
			var pe *Error
			if !errors.As(err, &pe) || pe.Pos < 0 || pe.Pos > len(src) {
				t.Fatalf("Parse(%q) error %v: want an *Error within the expression", src, err)
			}
			return
		}
		for _, in := range []*Instance{{}, web, db} {
			if e.Match(in) != e2.Match(in) {
				t.Fatalf("%q matches differently on the same instance", src)
			}
		}
	})
}
