package awsjson

import (
	"errors"
	"testing"

	"github.com/quayside/quayside/internal/awserr"
	"github.com/quayside/quayside/internal/wire/ecswire"
)

func TestDecodeEmptyBodyIsEmptyObject(t *testing.T) {
	var in ecswire.ListClustersRequest
	if err := Decode(nil, &in); err != nil {
		t.Fatal(err)
	}
}

// FuzzDecode feeds arbitrary bodies to the strict decoder with a real,
// deeply nested input shape: it must return nil or a SerializationException,
// never panic.
func FuzzDecode(f *testing.F) {
	f.Add([]byte(`{"family":"web","containerDefinitions":[{"name":"a","image":"b","portMappings":[{"containerPort":80}]}]}`))
	f.Add([]byte(`{"family":`))
	f.Add([]byte(`{"containerDefinitions":[{"healthCheck":{"interval":"x"}}]}`))
	f.Add([]byte(`{"cpu":1e400}`))
	f.Add([]byte("\x00\xff"))
	f.Fuzz(func(t *testing.T, body []byte) {
		var in ecswire.RegisterTaskDefinitionRequest
		if err := Decode(body, &in); err != nil && !errors.Is(err, awserr.ErrSerialization) {
			t.Fatalf("error of the wrong kind: %v", err)
		}
	})
}
