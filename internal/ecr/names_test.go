package ecr

import (
	"errors"
	"strings"
	"testing"
)

func TestValidateRepositoryName(t *testing.T) {
	tests := []struct {
		name string
		ok   bool
	}{
		{"web", true},
		{"ab", true},
		{"a", false},
		{"project-a/web-app", true},
		{"a/b/c/d", true},
		{"a.b_c-d", true},
		{"a__b", true},
		{"a---b", true},
		{"a..b", false},
		{"a___b", false},
		{"Web", false},
		{"-web", false},
		{"web-", false},
		{"/web", false},
		{"web/", false},
		{"a//b", false},
		{"a b", false},
		{"a:b", false},
		{"a@b", false},
		{strings.Repeat("a", 256), true},
		{strings.Repeat("a", 257), false},
		{strings.Repeat("a/", 100) + "a", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidateRepositoryName(tt.name)
			if (err == nil) != tt.ok {
				t.Fatalf("ValidateRepositoryName(%q) = %v, want ok=%v", tt.name, err, tt.ok)
			}
			if err != nil && !errors.Is(err, ErrInvalidRepositoryName) {
				t.Fatalf("error kind: %v", err)
			}
		})
	}
}

func TestValidateTag(t *testing.T) {
	tests := []struct {
		tag string
		ok  bool
	}{
		{"latest", true}, {"v1.0.0", true}, {"_x", true}, {"A-b_c.d", true},
		{"", false}, {".x", false}, {"-x", false}, {"a:b", false}, {"a/b", false},
		{strings.Repeat("t", 128), true}, {strings.Repeat("t", 129), false},
	}
	for _, tt := range tests {
		if err := ValidateTag(tt.tag); (err == nil) != tt.ok {
			t.Errorf("ValidateTag(%q) = %v, want ok=%v", tt.tag, err, tt.ok)
		}
	}
}

func TestParseDigest(t *testing.T) {
	h64, h128 := strings.Repeat("a", 64), strings.Repeat("b", 128)
	tests := []struct {
		in string
		ok bool
	}{
		{"sha256:" + h64, true},
		{"sha512:" + h128, true},
		{"sha256:" + strings.ToUpper(h64), false},
		{"sha256:" + h64[:63], false},
		{"sha512:" + h64, false},
		{"md5:" + h64, false},
		{h64, false},
		{"sha256:baddigeststring", false},
		{"", false},
	}
	for _, tt := range tests {
		d, err := ParseDigest(tt.in)
		if (err == nil) != tt.ok {
			t.Errorf("ParseDigest(%q) = %v, want ok=%v", tt.in, err, tt.ok)
		}
		if err == nil && (d.Algorithm()+":"+d.Hex() != tt.in) {
			t.Errorf("ParseDigest(%q) split into %q %q", tt.in, d.Algorithm(), d.Hex())
		}
	}
	if d := FromBytes(SHA256, nil); d != "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" {
		t.Errorf("empty sha256 = %s", d)
	}
}

func TestRegistryHost(t *testing.T) {
	tests := map[string]string{
		"127.0.0.1:4566":    "localhost:4566",
		"0.0.0.0:4566":      "localhost:4566",
		"[::]:4566":         "localhost:4566",
		"[::1]:5000":        "localhost:5000",
		":4566":             "localhost:4566",
		"localhost:4566":    "localhost:4566",
		"192.168.1.5:4566":  "192.168.1.5:4566",
		"quayside.lan:4566": "quayside.lan:4566",
		"[fd00::1]:4566":    "[fd00::1]:4566",
		"not an address":    "not an address",
	}
	for in, want := range tests {
		if got := RegistryHost(in); got != want {
			t.Errorf("RegistryHost(%q) = %q, want %q", in, got, want)
		}
	}
	r := Repository{Name: "team/web"}
	if got := r.URI(RegistryHost("127.0.0.1:4566")); got != "localhost:4566/team/web" {
		t.Errorf("URI = %q", got)
	}
}
