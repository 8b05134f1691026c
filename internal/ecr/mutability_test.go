package ecr

import (
	"testing"
	"time"
)

func TestWildcardMatch(t *testing.T) {
	tests := []struct {
		pattern, s string
		want       bool
	}{
		{"latest", "latest", true},
		{"latest", "latest1", false},
		{"*", "", true},
		{"*", "anything", true},
		{"dev-*", "dev-1", true},
		{"dev-*", "dev-", true},
		{"dev-*", "prod-1", false},
		{"*-snapshot", "1.0-snapshot", true},
		{"*-snapshot", "1.0-snapshot.1", false},
		{"a*b*c", "abc", true},
		{"a*b*c", "aXbYc", true},
		{"a*b*c", "aXcYb", false},
		{"a*a", "a", false},
		{"a*a", "aa", true},
	}
	for _, tt := range tests {
		if got := WildcardMatch(tt.pattern, tt.s); got != tt.want {
			t.Errorf("WildcardMatch(%q, %q) = %v, want %v", tt.pattern, tt.s, got, tt.want)
		}
	}
}

func TestTagImmutable(t *testing.T) {
	latest := []ExclusionFilter{{FilterType: FilterTypeWildcard, Filter: "latest"}, {FilterType: FilterTypeWildcard, Filter: "dev-*"}}
	tests := []struct {
		name    string
		m       TagMutability
		filters []ExclusionFilter
		tag     string
		want    bool
	}{
		{"mutable", Mutable, nil, "v1", false},
		{"immutable", Immutable, nil, "v1", true},
		{"immutable with exclusion, excluded", ImmutableWithExclusion, latest, "latest", false},
		{"immutable with exclusion, wildcard excluded", ImmutableWithExclusion, latest, "dev-42", false},
		{"immutable with exclusion, protected", ImmutableWithExclusion, latest, "v1", true},
		{"mutable with exclusion, excluded", MutableWithExclusion, latest, "latest", true},
		{"mutable with exclusion, free", MutableWithExclusion, latest, "v1", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Repository{ImageTagMutability: tt.m, ImageTagMutabilityExclusionFilters: tt.filters}
			if got := r.TagImmutable(tt.tag); got != tt.want {
				t.Fatalf("TagImmutable(%q) = %v, want %v", tt.tag, got, tt.want)
			}
		})
	}
}

func TestNewRepositoryBuild(t *testing.T) {
	now := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		name string
		in   NewRepository
		ok   bool
	}{
		{"defaults", NewRepository{Region: "eu-west-1", Account: "123456789012", Name: "web"}, true},
		{"bad name", NewRepository{Name: "Web"}, false},
		{"bad mutability", NewRepository{Name: "web", ImageTagMutability: "SOMETIMES"}, false},
		{"filters without exclusion", NewRepository{Name: "web", ImageTagMutability: Immutable, ImageTagMutabilityExclusionFilters: []ExclusionFilter{{FilterTypeWildcard, "x"}}}, false},
		{"exclusion without filters", NewRepository{Name: "web", ImageTagMutability: ImmutableWithExclusion}, false},
		{"exclusion with filter", NewRepository{Name: "web", ImageTagMutability: ImmutableWithExclusion, ImageTagMutabilityExclusionFilters: []ExclusionFilter{{FilterTypeWildcard, "latest"}}}, true},
		{"bad filter", NewRepository{Name: "web", ImageTagMutability: ImmutableWithExclusion, ImageTagMutabilityExclusionFilters: []ExclusionFilter{{FilterTypeWildcard, "a/b"}}}, false},
		{"kms", NewRepository{Name: "web", EncryptionConfiguration: EncryptionConfiguration{EncryptionType: EncryptionKMS, KMSKey: "alias/x"}}, true},
		{"aes with key", NewRepository{Name: "web", EncryptionConfiguration: EncryptionConfiguration{EncryptionType: EncryptionAES256, KMSKey: "alias/x"}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := tt.in.Build(now)
			if (err == nil) != tt.ok {
				t.Fatalf("Build = %v, want ok=%v", err, tt.ok)
			}
			if tt.name == "defaults" {
				want := Repository{Name: "web", RegistryID: "123456789012", Region: "eu-west-1",
					ARN: "arn:aws:ecr:eu-west-1:123456789012:repository/web", CreatedAt: now,
					ImageTagMutability: Mutable, EncryptionConfiguration: EncryptionConfiguration{EncryptionType: EncryptionAES256}}
				if r.ARN != want.ARN || r.ImageTagMutability != want.ImageTagMutability || r.EncryptionConfiguration != want.EncryptionConfiguration || !r.CreatedAt.Equal(now) || r.RegistryID != want.RegistryID {
					t.Fatalf("Build = %+v, want %+v", r, want)
				}
			}
		})
	}
}
