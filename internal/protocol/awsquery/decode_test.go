package awsquery

import (
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/quayside/quayside/internal/wire"
)

type inner struct {
	Key   *string `query:"Key"`
	Value *string `query:"Value"`
}

type sample struct {
	Name    *string           `query:"Name"`
	Count   *int64            `query:"Count"`
	Ratio   *float64          `query:"Ratio"`
	On      *bool             `query:"On"`
	When    *wire.Time        `query:"When"`
	Subnets []string          `query:"Subnets,list=member"`
	Tags    []inner           `query:"Tags,list=member"`
	IDs     []string          `query:"SubnetId,flat"`
	Attrs   map[string]string `query:"Attributes,map=key/value"`
	Nested  *inner            `query:"Nested"`
	Empty   []string          `query:"Empty,list=member"`
}

func TestDecode(t *testing.T) {
	form, _ := url.ParseQuery("Name=n&Count=3&Ratio=0.5&On=true&When=2024-01-02T03:04:05Z" +
		"&Subnets.member.2=b&Subnets.member.1=a&Tags.member.1.Key=k&Tags.member.1.Value=v" +
		"&SubnetId.1=s1&SubnetId.2=s2&Attributes.entry.1.key=x&Attributes.entry.1.value=y" +
		"&Nested.Key=nk&Empty=&Unknown=1")
	var got sample
	if err := Decode(form, &got); err != nil {
		t.Fatal(err)
	}
	if *got.Name != "n" || *got.Count != 3 || *got.Ratio != 0.5 || !*got.On || got.When.Year() != 2024 {
		t.Fatalf("scalars: %+v", got)
	}
	if diff := cmp.Diff([]string{"a", "b"}, got.Subnets); diff != "" {
		t.Error(diff)
	}
	if len(got.Tags) != 1 || *got.Tags[0].Key != "k" || *got.Tags[0].Value != "v" {
		t.Errorf("tags %+v", got.Tags)
	}
	if diff := cmp.Diff([]string{"s1", "s2"}, got.IDs); diff != "" {
		t.Error(diff)
	}
	if got.Attrs["x"] != "y" || *got.Nested.Key != "nk" || got.Nested.Value != nil {
		t.Errorf("attrs %v nested %+v", got.Attrs, got.Nested)
	}
	if got.Empty == nil || len(got.Empty) != 0 {
		t.Errorf("empty list = %#v, want empty non-nil", got.Empty)
	}
}

func TestDecodeBadScalars(t *testing.T) {
	for _, q := range []string{"Count=x", "On=yes", "Ratio=abc", "When=yesterday", "Tags.member.1.Key=k&Count=1.5"} {
		form, _ := url.ParseQuery(q)
		var s sample
		if err := Decode(form, &s); err == nil {
			t.Errorf("%s: no error", q)
		}
	}
}

func FuzzDecode(f *testing.F) {
	f.Add("Name=n&Subnets.member.1=a&Tags.member.3.Key=k")
	f.Add("Attributes.entry.1.key=x&Attributes.entry.1.value=y&Nested.Key=1")
	f.Add("SubnetId.0=x&SubnetId.-1=y&SubnetId.99999999999999999999=z&Count=9223372036854775808")
	f.Fuzz(func(t *testing.T, q string) {
		form, err := url.ParseQuery(q)
		if err != nil {
			return
		}
		var s sample
		_ = Decode(form, &s)
	})
}
