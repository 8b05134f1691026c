package ecs

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"

	"github.com/quayside/quayside/internal/fault"
)

// FuzzValidateTaskDefinition decodes arbitrary JSON into a task
// definition and validates it: Validate must not panic, must not change
// the task definition, and must answer nil or a ClientException or
// InvalidParameterException fault. Seeds live in
// testdata/fuzz/FuzzValidateTaskDefinition.
func FuzzValidateTaskDefinition(f *testing.F) {
	for _, td := range []*TaskDefinition{fargateTD(), ec2TD()} {
		b, err := json.Marshal(td)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var td TaskDefinition
		if err := json.Unmarshal(data, &td); err != nil {
			return
		}
		before, _ := json.Marshal(&td)
		err := td.Validate()
		after, _ := json.Marshal(&td)
		if !bytes.Equal(before, after) {
			t.Fatalf("Validate changed the task definition:\n%s\n%s", before, after)
		}
		if err != nil {
			var fe *fault.Error
			if !errors.As(err, &fe) {
				t.Fatalf("Validate returned a non-fault error %T: %v", err, err)
			}
			if !errors.Is(err, ErrClient) && !errors.Is(err, ErrInvalidParameter) {
				t.Fatalf("Validate returned kind %v: %v", fe.Kind, err)
			}
			if fe.Msg == "" {
				t.Fatal("Validate returned an empty message")
			}
		}
		// These must not panic on any input, valid or not.
		_ = td.ComputeCompatibilities()
		order := td.StartOrder()
		if err == nil && len(order) != len(td.ContainerDefinitions) {
			t.Fatalf("StartOrder of a valid task definition has %d of %d containers", len(order), len(td.ContainerDefinitions))
		}
	})
}

// FuzzParseTaskDefinitionRef checks that parsing never panics, that
// errors are ClientExceptions, and that a parsed reference formats to a
// string that parses back to the same family and revision.
func FuzzParseTaskDefinitionRef(f *testing.F) {
	for _, s := range []string{
		"web", "web:3", "arn:aws:ecs:us-east-1:000000000000:task-definition/web:12",
		"arn:aws:ecs:us-east-1:000000000000:task-definition/web", "", ":", "web:", "web:latest",
		"arn:aws:ecs:us-east-1:000000000000:cluster/web", "a:b:c", "web:0",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseTaskDefinitionRef(s)
		if err != nil {
			if !errors.Is(err, ErrClient) {
				t.Fatalf("ParseTaskDefinitionRef(%q) error kind: %v", s, err)
			}
			return
		}
		if !ValidName(r.Family) || r.Revision < 0 || r.Revision > maxRevision {
			t.Fatalf("ParseTaskDefinitionRef(%q) = %+v", s, r)
		}
		again, err := ParseTaskDefinitionRef(r.String())
		if err != nil || again.Family != r.Family || again.Revision != r.Revision {
			t.Fatalf("round trip of %q via %q = %+v, %v", s, r.String(), again, err)
		}
		if r.Revision > 0 {
			viaARN, err := ParseTaskDefinitionRef(r.ARN("us-east-1", "000000000000"))
			if err != nil || viaARN.Family != r.Family || viaARN.Revision != r.Revision {
				t.Fatalf("ARN round trip of %q = %+v, %v", s, viaARN, err)
			}
		}
	})
}
